import Foundation
import Testing
@testable import OSCScoring

/// The streams CPython's zlib made (Reference/deflate/make_fixtures.py).
enum DeflateFixtures {
    struct Stream {
        var name: String
        var isZlib: Bool
        var bytes: [UInt8]
        var originalLength: Int
        var sha256: String
    }

    static let folder = Fixture.repositoryRoot + "/Tests/OSCScoringTests/Reference/deflate"

    static let all: [Stream] = {
        let blob = [UInt8](FileManager.default.contents(atPath: folder + "/streams.bin")!)
        let manifest = String(decoding: FileManager.default.contents(atPath: folder + "/manifest.tsv")!, as: UTF8.self)
        return manifest.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t").map(String.init)
            let offset = Int(f[2])!, length = Int(f[3])!
            return Stream(name: f[0], isZlib: f[1] == "zlib", bytes: Array(blob[offset..<(offset + length)]),
                          originalLength: Int(f[4])!, sha256: f[5])
        }
    }()

    static func named(_ name: String) -> Stream { all.first { $0.name == name }! }

    static func decode(_ stream: Stream, _ bytes: [UInt8], limit: Int = 1 << 20) throws(InflateError) -> (output: [UInt8], consumed: Int) {
        stream.isZlib ? try Inflate.zlib(bytes, outputLimit: limit) : try Inflate.raw(bytes, outputLimit: limit)
    }
}

@Suite("DEFLATE and zlib decoding")
struct InflateTests {
    @Test("SHA-256 of the test support gives the FIPS 180-4 digest of \"abc\"")
    func sha256Vector() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("Every stream Python's zlib made at every level, strategy, memLevel and window decodes to the original")
    func pythonStreams() throws {
        let streams = DeflateFixtures.all
        #expect(streams.count > 250)
        var formats = Set<Bool>()
        for stream in streams {
            let (output, consumed) = try DeflateFixtures.decode(stream, stream.bytes)
            #expect(output.count == stream.originalLength, "\(stream.name)")
            #expect(SHA256.hex(output) == stream.sha256, "\(stream.name)")
            #expect(consumed == stream.bytes.count, "\(stream.name)")
            formats.insert(stream.isZlib)
        }
        #expect(formats == [true, false])
    }

    @Test("Bytes after a stream are not read, and consumed says where the stream ended")
    func dataAfterTheStream() throws {
        for name in ["text-l6-default", "one-l0-default", "empty-l9-default", "runs-l6-raw15", "big-l6-flushes", "csv-l9-raw-fixed"] {
            let stream = DeflateFixtures.named(name)
            let (output, consumed) = try DeflateFixtures.decode(stream, stream.bytes + [0x00, 0xFF, 0x78, 0x9C, 0x12])
            #expect(consumed == stream.bytes.count, "\(name)")
            #expect(SHA256.hex(output) == stream.sha256, "\(name)")
        }
        // Two zlib streams back to back (as in a .zsav): the second starts at consumed.
        let a = DeflateFixtures.named("text-l6-default"), b = DeflateFixtures.named("csv-l1-default")
        let joined = a.bytes + b.bytes
        let first = try Inflate.zlib(joined, outputLimit: 1 << 20)
        let second = try Inflate.zlib(Array(joined[first.consumed...]), outputLimit: 1 << 20)
        #expect(SHA256.hex(second.output) == b.sha256)
        #expect(first.consumed + second.consumed == joined.count)
    }

    @Test("A stream cut short at any length is an error, never a crash or a partial result")
    func everyTruncation() {
        for name in ["text-l6-default", "runs-l0-default", "csv-l1-fixed", "text-l6-raw15"] {
            let stream = DeflateFixtures.named(name)
            for length in 0..<stream.bytes.count {
                #expect(throws: InflateError.self, "\(name) cut to \(length) bytes") {
                    try DeflateFixtures.decode(stream, Array(stream.bytes[0..<length]))
                }
            }
        }
        #expect(throws: InflateError(offset: 0, reason: "the zlib stream is empty")) { try Inflate.zlib([], outputLimit: 10) }
        let cut = DeflateFixtures.named("text-l6-default").bytes.dropLast(4)
        #expect(throws: InflateError(offset: cut.count, reason: "stream ends inside the Adler-32 checksum")) {
            try Inflate.zlib(Array(cut), outputLimit: 1 << 20)
        }
    }

    @Test("Any single bit flipped in a zlib stream gives an error or, in unused bits, the same output")
    func bitFlips() {
        let stream = DeflateFixtures.all.first { $0.isZlib && $0.name.hasPrefix("text-l9") && $0.bytes.count < 3000 }!
        var decoded = 0, refused = 0
        let n = stream.bytes.count
        // Every bit of the header, the first blocks and the end; every 13th elsewhere.
        for i in 0..<(n * 8) where i < 512 || i >= (n - 16) * 8 || i % 13 == 0 {
            var bytes = stream.bytes
            bytes[i / 8] ^= UInt8(1 << (i % 8))
            do {
                let (output, _) = try Inflate.zlib(bytes, outputLimit: 1 << 20)
                #expect(SHA256.hex(output) == stream.sha256, "bit \(i) of \(stream.name)")
                decoded += 1
            } catch {
                refused += 1
            }
        }
        // Only the unused bits of the last DEFLATE byte can decode (to the same output).
        #expect(decoded <= 7)
        #expect(refused > 1000)
    }

    @Test("The output limit is enforced: a stream that decodes past it is refused")
    func outputLimit() throws {
        let stream = DeflateFixtures.named("big-l9-default")
        #expect(throws: InflateError.self) { try Inflate.zlib(stream.bytes, outputLimit: stream.originalLength - 1) }
        do {
            _ = try Inflate.zlib(stream.bytes, outputLimit: 1000)
            Issue.record("no error")
        } catch {
            #expect(error.reason == "the decoded data exceed the limit of 1000 bytes")
        }
        #expect(try Inflate.zlib(stream.bytes, outputLimit: stream.originalLength).output.count == stream.originalLength)
        // A stored block past the limit too.
        let stored = DeflateFixtures.named("text-l0-default")
        #expect(throws: InflateError.self) { try Inflate.zlib(stored.bytes, outputLimit: 100) }
    }

    @Test("The zlib header is checked: method, window, check bits and preset dictionary")
    func zlibHeader() {
        #expect(throws: InflateError(offset: 0, reason: "compression method 9 is not DEFLATE (8), so this is not a zlib stream")) {
            try Inflate.zlib([0x79, 0x9C, 0x03, 0x00], outputLimit: 10)
        }
        #expect(throws: InflateError(offset: 0, reason: "window size field 8 is above the largest allowed (7, a 32 KiB window)")) {
            try Inflate.zlib([0x88, 0x98, 0x03, 0x00], outputLimit: 10)
        }
        #expect(throws: InflateError(offset: 1, reason: "header check bits are wrong (CMF 0x78, FLG 0x9D is not a multiple of 31)")) {
            try Inflate.zlib([0x78, 0x9D, 0x03, 0x00], outputLimit: 10)
        }
        // 0x78 0xBB: FDICT set, check bits right.
        #expect(throws: InflateError(offset: 1, reason: "the stream needs a preset dictionary (FDICT), which is not supported")) {
            try Inflate.zlib([0x78, 0xBB, 0, 0, 0, 1, 0x03, 0x00], outputLimit: 10)
        }
    }

    @Test("A wrong Adler-32 checksum is refused with both values")
    func adlerMismatch() {
        var bytes = DeflateFixtures.named("text-l6-default").bytes
        bytes[bytes.count - 1] ^= 0x01
        let n = bytes.count
        let stored = bytes[(n - 4)...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let right = stored ^ 1
        #expect(throws: InflateError(offset: n - 4, reason: "Adler-32 checksum 0x\(Inflate.hex(stored, digits: 8)) does not match 0x\(Inflate.hex(right, digits: 8)) of the decoded data")) {
            try Inflate.zlib(bytes, outputLimit: 1 << 20)
        }
        // The Adler-32 of RFC 1950's definition: "Wikipedia" is 0x11E60398.
        #expect(Array("Wikipedia".utf8).withUnsafeBufferPointer { Inflate.adler32($0) } == 0x11E6_0398)
    }

    func reason(_ bytes: [UInt8]) -> String? {
        do {
            _ = try Inflate.raw(bytes, outputLimit: 1 << 16)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test("The reserved block type 3 is refused")
    func reservedBlockType() {
        var w = BitWriter()
        w.bits(1, 1); w.bits(3, 2)
        #expect(reason(w.bytes + [0, 0]) == "block type 3 is reserved (not a valid block)")
    }

    @Test("A stored block whose LEN and NLEN disagree is refused")
    func storedLengthMismatch() throws {
        #expect(reason([0x01, 0x05, 0x00, 0xFA, 0xFE, 1, 2, 3, 4, 5]) == "stored block length 0x0005 does not match its complement 0xFEFA")
        #expect(reason([0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2]) == "stream ends inside a stored block (5 bytes declared, 2 left)")
        #expect(try Inflate.raw([0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2, 3, 4, 5], outputLimit: 5).output == [1, 2, 3, 4, 5])
    }

    @Test("Codes 286 and 287 and distance codes 30 and 31 of a fixed block are refused")
    func fixedInvalidCodes() {
        for symbol in [286, 287] {
            var w = BitWriter()
            w.bits(1, 1); w.bits(1, 2)
            w.fixedSymbol(symbol)
            w.fixedSymbol(256)
            #expect(reason(w.bytes) == "invalid literal/length code \(symbol)")
        }
        for code in [30, 31] {
            var w = BitWriter()
            w.bits(1, 1); w.bits(1, 2)
            w.fixedSymbol(0x61); w.fixedSymbol(0x62)
            w.fixedSymbol(257); w.code(code, 5)
            w.fixedSymbol(256)
            #expect(reason(w.bytes) == "invalid distance code \(code)")
        }
    }

    @Test("A distance beyond the bytes written so far is refused with both numbers")
    func distanceTooFar() throws {
        var w = BitWriter()
        w.bits(1, 1); w.bits(1, 2)
        w.fixedSymbol(0x61)
        w.fixedSymbol(257); w.code(1, 5)  // length 3, distance 2
        w.fixedSymbol(256)
        #expect(reason(w.bytes) == "invalid distance 2 beyond the 1 bytes written so far")
        // Distance 1 after one byte is fine: "aaaa".
        var ok = BitWriter()
        ok.bits(1, 1); ok.bits(1, 2)
        ok.fixedSymbol(0x61)
        ok.fixedSymbol(257); ok.code(0, 5)
        ok.fixedSymbol(256)
        #expect(try Inflate.raw(ok.bytes, outputLimit: 4).output == Array("aaaa".utf8))
        // Distance 40000 (code 29 + extra) with a larger output written.
        var far = BitWriter()
        far.bits(1, 1); far.bits(1, 2)
        for _ in 0..<1024 { far.fixedSymbol(0x62) }
        far.fixedSymbol(257); far.code(29, 5); far.bits(32768 - 24577, 13)
        far.fixedSymbol(256)
        #expect(reason(far.bytes) == "invalid distance 32768 beyond the 1024 bytes written so far")
    }

    /// A dynamic block header with a code-length code where the given
    /// symbols (in `codeLengthSymbols`) have 1-bit codes (at most two).
    func dynamicHeader(literals: Int = 257, distances: Int = 1, codeLengthLengths: [Int: Int]) -> BitWriter {
        var w = BitWriter()
        w.bits(1, 1); w.bits(2, 2)
        w.bits(literals - 257, 5); w.bits(distances - 1, 5)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        let last = order.lastIndex { codeLengthLengths[$0] != nil } ?? 3
        let count = max(4, last + 1)
        w.bits(count - 4, 4)
        for i in 0..<count { w.bits(codeLengthLengths[order[i]] ?? 0, 3) }
        return w
    }

    @Test("Too many literal/length or distance codes are refused")
    func tooManyCodes() {
        var w = BitWriter()
        w.bits(1, 1); w.bits(2, 2); w.bits(30, 5); w.bits(0, 5); w.bits(0, 4)
        #expect(reason(w.bytes + [0, 0, 0]) == "the block declares 287 literal/length codes (at most 286)")
        var d = BitWriter()
        d.bits(1, 1); d.bits(2, 2); d.bits(0, 5); d.bits(31, 5); d.bits(0, 4)
        #expect(reason(d.bytes + [0, 0, 0]) == "the block declares 32 distance codes (at most 30)")
        var e = BitWriter()
        e.bits(1, 1); e.bits(2, 2); e.bits(31, 5); e.bits(30, 5); e.bits(0, 4)
        #expect(reason(e.bytes + [0, 0, 0]) == "the block declares 288 literal/length codes (at most 286)")
    }

    @Test("Over-subscribed and incomplete code sets are refused")
    func badCodeSets() {
        // Every code-length symbol with a 1-bit code: over-subscribed.
        var all: [Int: Int] = [:]
        for s in 0..<19 { all[s] = 1 }
        #expect(reason(dynamicHeader(codeLengthLengths: all).bytes + [0, 0]) == "the code length code lengths are over-subscribed (more codes than the lengths allow)")
        // A single code-length code of one bit: incomplete (allowed only for distances and literals).
        #expect(reason(dynamicHeader(codeLengthLengths: [0: 1]).bytes + [0, 0]) == "the code length code lengths are incomplete (they leave codes unassigned)")
        // Literal/length lengths: symbols 0, 1 and 256 of one bit: over-subscribed.
        // Code-length code: symbol 1 is code 0, symbol 18 is code 1.
        var w = dynamicHeader(codeLengthLengths: [1: 1, 18: 1])
        w.code(0, 1); w.code(0, 1)                 // lengths[0] = lengths[1] = 1
        w.code(1, 1); w.bits(127, 7)                // 138 zeros
        w.code(1, 1); w.bits(116 - 11, 7)           // 116 zeros: up to 255
        w.code(0, 1)                                // lengths[256] = 1
        w.code(0, 1)                                // the distance code
        #expect(reason(w.bytes + [0, 0]) == "the literal/length code lengths are over-subscribed (more codes than the lengths allow)")
        // Two literal codes of two bits and the end-of-block code of two bits: incomplete.
        var i = dynamicHeader(codeLengthLengths: [2: 1, 18: 1])
        i.code(0, 1); i.code(0, 1)                  // lengths[0] = lengths[1] = 2
        i.code(1, 1); i.bits(127, 7)
        i.code(1, 1); i.bits(116 - 11, 7)
        i.code(0, 1)                                // lengths[256] = 2
        i.code(0, 1)
        #expect(reason(i.bytes + [0, 0]) == "the literal/length code lengths are incomplete (they leave codes unassigned)")
    }

    @Test("Code length repeats without a previous length, past the end, or without an end-of-block code are refused")
    func badRepeats() {
        // Symbol 1 is code 0, symbol 16 is code 1.
        var first = dynamicHeader(codeLengthLengths: [1: 1, 16: 1])
        first.code(1, 1); first.bits(0, 2)
        #expect(reason(first.bytes + [0, 0]) == "a code length repeat (16) comes before any length")
        var past = dynamicHeader(codeLengthLengths: [1: 1, 18: 1])
        past.code(1, 1); past.bits(127, 7)
        past.code(1, 1); past.bits(127, 7)
        #expect(reason(past.bytes + [0, 0]) == "code length repeats run past the 258 lengths the block declares")
        var noEnd = dynamicHeader(codeLengthLengths: [1: 1, 18: 1])
        noEnd.code(0, 1); noEnd.code(0, 1)
        noEnd.code(1, 1); noEnd.bits(127, 7)
        noEnd.code(1, 1); noEnd.bits(118 - 11, 7)
        #expect(reason(noEnd.bytes + [0, 0]) == "the block has no end-of-block code")
    }

    @Test("A dynamic block with two one-bit literal codes and a single one-bit distance code (incomplete, as zlib allows) decodes")
    func sparseCodes() throws {
        // Literal/length: symbol 0x41 and 256 with one bit each; distance: a
        // single code of one bit. Code-length code: symbols 1 and 18 of one bit.
        var w = dynamicHeader(codeLengthLengths: [1: 1, 18: 1])
        w.code(1, 1); w.bits(65 - 11, 7)            // lengths[0..<65] = 0
        w.code(0, 1)                                // lengths[65] = 1
        w.code(1, 1); w.bits(138 - 11, 7)           // 66..<204
        w.code(1, 1); w.bits(52 - 11, 7)            // 204..<256
        w.code(0, 1)                                // lengths[256] = 1
        w.code(0, 1)
        w.code(0, 1); w.code(0, 1); w.code(1, 1)    // "AA", end of block
        #expect(try Inflate.raw(w.bytes, outputLimit: 10).output == Array("AA".utf8))
    }

    @Test("Arbitrary bytes never crash or hang the decoder")
    func arbitraryBytes() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in [1, 2, 3, 5, 8, 17, 64, 300, 2000] {
            for _ in 0..<200 {
                var bytes = [UInt8]()
                for _ in 0..<length {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    bytes.append(UInt8(truncatingIfNeeded: state >> 56))
                }
                _ = try? Inflate.raw(bytes, outputLimit: 1 << 16)
                _ = try? Inflate.zlib([0x78, 0x9C] + bytes, outputLimit: 1 << 16)
            }
        }
    }
}
