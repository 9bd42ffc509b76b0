// The responses reader: the whole buffer at once, the plain path (records
// formed, then their fields walked, instead of the cells scanned once into
// codes), the same bytes split into chunks at input-derived points
// (consume/finish), and the read of a file in 2 to 8 parts (the path large
// files take, forced here for any size) must give the same table, findings
// and delimiter, or the same error.
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
    let plain = ReadOutcome {
        var reader = ResponseReader(instrument: instrument, options: options, source: "fuzz")
        reader.scanningCellsOnce = false
        try reader.consume(csv)
        return (try reader.finish(), reader.delimiter)
    }
    if plain != whole { Fuzz.fail("the plain path differs from the scan:\n scan:  \(whole)\n plain: \(plain)") }
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
    let parts = 2 + random.next(7)
    var threaded = options
    threaded.threads = 1 + random.next(4)
    let twoParts = ReadOutcome {
        guard let result = try ResponseReader.readInParts(path: scratch, instrument: instrument, options: threaded, parts: parts,
                                                          minimumSize: 0, minimumPartSize: 0, headerStep: step, validatingUTF8: false) else {
            Fuzz.fail("readInParts declined a regular file")
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
        Fuzz.fail("read in \(parts) parts (header step \(step), \(threaded.threads) threads) differs from the whole read:\n whole: \(expected)\n parts: \(twoParts)")
    }
    // Checked for UTF-8 as the file reader checks it (riding on the parse):
    // the same when the bytes are UTF-8, else an error (not UTF-8, or one
    // found before the bad byte).
    var validator = UTF8Validator()
    let isUTF8 = csv.withUnsafeBufferPointer { validator.firstInvalid(in: $0) } == nil && validator.invalidEnd() == nil
    let validated = ReadOutcome {
        guard let result = try ResponseReader.readInParts(path: scratch, instrument: instrument, options: threaded, parts: parts,
                                                          minimumSize: 0, minimumPartSize: 0, headerStep: step, validatingUTF8: true) else {
            Fuzz.fail("readInParts declined a regular file")
        }
        return result
    }
    if isUTF8 && validated != expected {
        Fuzz.fail("read in \(parts) parts checking UTF-8 differs from the whole read:\n whole: \(expected)\n parts: \(validated)")
    }
    if !isUTF8, case .table = validated { Fuzz.fail("bytes that are not UTF-8 were read as UTF-8 in \(parts) parts") }
    return 0
}
