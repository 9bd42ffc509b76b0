// The responses reader: the whole buffer at once, the same bytes split into
// chunks at input-derived points (consume/finish), and the two-part read of
// a file (the path large files take, forced here for any size) must give
// the same table, findings and delimiter, or the same error.
//
// Input: one control byte, then the CSV. Control bits 0-1 pick the
// instrument (the leadership fixture twice, three-point, the OSC with the
// demo key), bit 2 --strict, bit 3 a given comma delimiter instead of
// detection, bits 4-7 (with the size) seed the split points and the
// two-part reader's header step.

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import FuzzSupport
@testable import OSCScoring

let scratch = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/osc-fuzz-responses-\(getpid()).csv"

func write(_ bytes: [UInt8], to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { Fuzz.fail("cannot create \(path)") }
    var done = 0
    bytes.withUnsafeBufferPointer { b in
        while done < b.count {
            let k = Glibc.write(fd, b.baseAddress! + done, b.count - done)
            if k <= 0 { Fuzz.fail("cannot write \(path)") }
            done += k
        }
    }
    close(fd)
}

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    guard let control = input.first else { return 0 }
    let csv = Array(input.dropFirst())
    let instrument = [Fuzz.leadership, Fuzz.leadership, Fuzz.threePoint, Fuzz.oscDemo][Int(control & 3)]
    var options = ReadOptions()
    options.strict = control & 4 != 0
    if control & 8 != 0 { options.delimiter = .comma }
    var random = Fuzz.Random(seed: UInt64(control >> 4) << 32 | UInt64(csv.count))

    let whole = ReadOutcome {
        var reader = ResponseReader(instrument: instrument, options: options, source: "fuzz")
        try reader.consume(csv)
        return (try reader.finish(), reader.delimiter)
    }
    // The library's own one-call read, told the bytes are UTF-8, must be the same as consume + finish.
    var asUTF8 = options
    asUTF8.encoding = "utf-8"
    let oneCall = ReadOutcome { (try ResponseReader.read(csv, instrument: instrument, options: asUTF8, source: "fuzz"), nil) }
    if case .table(let a, _) = whole, case .table(let b, _) = oneCall, a != b { Fuzz.fail("read(_:) differs from consume/finish") }
    if case .error(let a) = whole, case .error(let b) = oneCall, a != b { Fuzz.fail("read(_:) error differs: \(a) | \(b)") }

    // Without it, the bytes are decoded by the encoding rule (UTF-16 by a
    // byte order mark, Windows-1252 when not UTF-8) and then read the same.
    if let decoded = try? ResponseReader.decodedInput(csv, source: "fuzz").0 {
        let detected = ReadOutcome { (try ResponseReader.read(csv, instrument: instrument, options: options, source: "fuzz"), nil) }
        let manual = ReadOutcome {
            var reader = ResponseReader(instrument: instrument, options: options, source: "fuzz")
            try reader.consume(decoded)
            return (try reader.finish(), nil)
        }
        if detected != manual { Fuzz.fail("read(_:) of decoded bytes differs:\n read:   \(detected)\n manual: \(manual)") }
    }

    // Chunks: up to 8 split points (empty chunks included).
    var cuts = (0..<(1 + random.next(8))).map { _ in random.next(csv.count + 1) }.sorted()
    cuts.append(csv.count)
    let chunked = ReadOutcome {
        var reader = ResponseReader(instrument: instrument, options: options, source: "fuzz")
        var start = 0
        for end in cuts {
            try reader.consume(Array(csv[start..<end]))
            start = end
        }
        return (try reader.finish(), reader.delimiter)
    }
    if chunked != whole {
        Fuzz.fail("chunked read (cuts \(cuts)) differs from the whole read:\n whole:   \(whole)\n chunked: \(chunked)")
    }

    write(csv, to: scratch)
    let step = 1 + random.next(64)
    let twoParts = ReadOutcome {
        guard let result = try ResponseReader.readInTwoParts(path: scratch, instrument: instrument, options: options,
                                                             minimumSize: 0, headerStep: step) else {
            Fuzz.fail("readInTwoParts declined a regular file")
        }
        return result
    }
    // The file reader names the file in its messages.
    let expected: ReadOutcome
    if case .error(let message) = whole, message.hasPrefix("fuzz") {
        expected = .error(scratch + message.dropFirst(4))
    } else {
        expected = whole
    }
    if twoParts != expected {
        Fuzz.fail("two-part read (header step \(step)) differs from the whole read:\n whole:     \(expected)\n two parts: \(twoParts)")
    }
    return 0
}
