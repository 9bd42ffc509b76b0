// The DEFLATE and zlib decoders: any bytes decode or throw InflateError,
// never trap, hang or write past the output limit. A stream that decodes
// must decode the same from exactly its consumed bytes (nothing after the
// stream is read), and a zlib stream's consumed bytes include its checksum.

import FuzzSupport
@testable import OSCScoring

let limit = 1 << 20

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    for zlib in [false, true] {
        let decode = { (bytes: [UInt8]) throws(InflateError) -> (output: [UInt8], consumed: Int) in
            zlib ? try Inflate.zlib(bytes, outputLimit: limit) : try Inflate.raw(bytes, outputLimit: limit)
        }
        guard let result = try? decode(input) else { continue }
        let (output, consumed) = result
        let form = zlib ? "zlib" : "raw"
        if output.count > limit { Fuzz.fail("\(form): \(output.count) bytes past the limit of \(limit)") }
        if consumed < (zlib ? 7 : 1) || consumed > input.count { Fuzz.fail("\(form): consumed \(consumed) of \(input.count) bytes") }
        guard let again = try? decode(Array(input[0..<consumed])) else {
            Fuzz.fail("\(form): the stream's own \(consumed) bytes do not decode")
        }
        if again.output != output || again.consumed != consumed { Fuzz.fail("\(form): the stream's own bytes decode differently") }
        if consumed > 0, (try? decode(Array(input[0..<(consumed - 1)]))) != nil {
            Fuzz.fail("\(form): the stream cut by one byte still decodes")
        }
        // A smaller limit than the output must be refused.
        if !output.isEmpty {
            let small = zlib ? (try? Inflate.zlib(input, outputLimit: output.count - 1)) : (try? Inflate.raw(input, outputLimit: output.count - 1))
            if small != nil { Fuzz.fail("\(form): \(output.count) bytes decoded under a limit of \(output.count - 1)") }
        }
    }
    return 0
}
