// The text encoding of a responses file: found from its byte order mark or
// from whether it is valid UTF-8, and turned into UTF-8 chunk by chunk
// before the CSV parser sees it.
//
// The rule: a UTF-16 byte order mark (FF FE, FE FF) means UTF-16LE or BE;
// otherwise the file is read as UTF-8 (with or without its byte order mark)
// and checked as it is read; a file that turns out not to be valid UTF-8 is
// read again from the start as Windows-1252 (Excel's "CSV (Comma
// delimited)" on an English Windows). Standard input cannot be read twice:
// its first chunk decides (later bytes that are not UTF-8 stay as they are,
// shown as `\xHH` and kept apart by their bytes).
//
// Decoding never makes two different byte strings equal: UTF-16 and the
// code pages map bytes to scalars one to one, except a lone surrogate or an
// odd final byte in UTF-16 (refused as `ResponseFileError.undecodable`) and
// the bytes a code page leaves undefined, which are read as the C1 control
// of the same number (U+0081 for 0x81, as the WHATWG Encoding standard reads
// windows-1252) when no other byte of that page maps there, and refused
// otherwise.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The encoding a responses file was read in, and why (`ResponseTable.encoding`).
public struct ResponseEncoding: Sendable, Equatable {
    /// The encoding's name: `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`, `iso-8859-1`, ...
    public let name: String
    /// How it was chosen.
    public let origin: Origin

    /// How the encoding of a file was chosen.
    public enum Origin: String, Sendable {
        /// Valid UTF-8 (with or without a byte order mark): the default.
        case utf8
        /// A UTF-16 byte order mark at the start of the file.
        case byteOrderMark
        /// The file is not valid UTF-8, so it was read as Windows-1252.
        case notUTF8
        /// Given by the user (`ReadOptions.encoding`, `--encoding`).
        case given
        /// Declared by a statistical data file (SPSS, Stata).
        case declared
    }

    /// UTF-8, as expected.
    public static let utf8 = ResponseEncoding(name: "utf-8", origin: .utf8)

    /// An encoding and why it was used.
    /// - Parameters:
    ///   - name: the encoding's name (`windows-1252`).
    ///   - origin: how it was chosen.
    public init(name: String, origin: Origin) {
        self.name = name
        self.origin = origin
    }

    /// The phrase the input section shows, nil for plain UTF-8 ("read as
    /// windows-1252 because the file is not valid UTF-8").
    public var note: String? {
        switch origin {
        case .utf8, .declared: return nil
        case .byteOrderMark: return "read as \(name) (byte order mark)"
        case .notUTF8: return "read as \(name) because the file is not valid UTF-8"
        case .given: return "read as \(name) (as given)"
        }
    }
}

/// Checks that a stream of chunks is valid UTF-8 (RFC 3629: no overlong
/// forms, no surrogates, nothing above U+10FFFF), remembering a sequence cut
/// by a chunk boundary.
///
/// Complexity: O(bytes), eight ASCII bytes per step: 2.1 to 3.7 GB/s in a
/// release build on the 2-core machine under load (46 MB, a 200,000 × 108
/// file: 13 to 22 ms, shared by the two parts of a two-part read), against
/// about 0.35 s for the whole run on such a file.
struct UTF8Validator {
    /// Continuation bytes still expected, and the range of the next one.
    private var need = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// The bytes checked so far.
    private(set) var offset = 0

    /// The offset (from the first chunk's start) of the first byte that
    /// cannot be part of valid UTF-8 in `chunk`, nil when there is none.
    mutating func firstInvalid(in chunk: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = chunk.baseAddress else { return nil }
        let n = chunk.count
        var i = 0
        defer { offset += n }
        while i < n {
            if need == 0 {
                // Eight ASCII bytes at a time.
                while i + 8 <= n {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                guard i < n else { break }
                let b = base[i]
                i += 1
                switch b {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: need = 1; lower = 0x80; upper = 0xBF
                case 0xE0: need = 2; lower = 0xA0; upper = 0xBF
                case 0xE1...0xEC, 0xEE, 0xEF: need = 2; lower = 0x80; upper = 0xBF
                case 0xED: need = 2; lower = 0x80; upper = 0x9F
                case 0xF0: need = 3; lower = 0x90; upper = 0xBF
                case 0xF1...0xF3: need = 3; lower = 0x80; upper = 0xBF
                case 0xF4: need = 3; lower = 0x80; upper = 0x8F
                default: return offset + i - 1
                }
            } else {
                let b = base[i]
                guard b >= lower && b <= upper else { return offset + i }
                i += 1
                need -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return nil
    }

    /// Whether the input ended inside a sequence (the offset of the end, if so).
    func invalidEnd() -> Int? { need > 0 ? offset : nil }

    /// Whether the bytes so far end between sequences (no continuation byte expected).
    var isBetweenSequences: Bool { need == 0 }

    /// Counts `count` bytes known to be ASCII as checked (between sequences only).
    mutating func skipASCII(_ count: Int) {
        precondition(need == 0, "between sequences")
        offset += count
    }
}

/// Thrown inside the UTF-8 reading when a byte is not UTF-8, so that the
/// file is read again as Windows-1252.
struct NotUTF8: Error {
    /// Where in the file.
    let offset: Int
}

/// Turns chunks of a file in `encoding` into UTF-8, carrying a UTF-16
/// code unit or surrogate pair cut by a chunk boundary into the next chunk.
struct ChunkDecoder {
    let encoding: TextEncoding
    /// The input offset of the next chunk's first byte.
    private var offset: Int
    /// Bytes held back from the last chunk (UTF-16 only).
    private var carry: [UInt8] = []
    /// Single-byte pages: the UTF-8 of each byte 0x80...0xFF; nil where the
    /// page defines none and the C1 control of its number is taken.
    private let highBytes: [[UInt8]]
    /// The bytes of a single-byte page that cannot be read without making
    /// two byte strings equal.
    private let refused: [Bool]
    private var output: [UInt8] = []

    /// A decoder of input starting at file offset `offset`.
    init(encoding: TextEncoding, offset: Int = 0) {
        self.encoding = encoding
        self.offset = offset
        var high: [[UInt8]] = []
        var refused = [Bool](repeating: false, count: 128)
        if case .singleByte(let page) = encoding {
            let table = page.highHalf
            let used = Set(table.filter { $0 != 0xFFFD })
            for k in 0..<128 {
                var scalar = UInt32(table[k])
                if scalar == 0xFFFD {
                    // The C1 control of the same number, unless the page maps a byte there.
                    if used.contains(UInt16(0x80 + k)) { refused[k] = true } else { scalar = UInt32(0x80 + k) }
                }
                high.append(Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            }
        }
        self.highBytes = high
        self.refused = refused
    }

    /// The UTF-8 of `chunk` (what can be decoded of it so far); `final`
    /// for the last chunk.
    /// - Throws: `UndecodableByte` at the first byte that has no scalar of its own.
    mutating func decode(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool = false) throws(UndecodableByte) -> [UInt8] {
        defer { offset += chunk.count }
        switch encoding {
        case .utf8:
            return Array(chunk)
        case .singleByte:
            output.removeAll(keepingCapacity: true)
            output.reserveCapacity(chunk.count + chunk.count / 4)
            for (k, b) in chunk.enumerated() {
                if b < 0x80 { output.append(b); continue }
                if refused[Int(b) - 0x80] { throw UndecodableByte(offset: offset + k, what: "byte 0x\(String(b, radix: 16, uppercase: true)) is not defined in \(encoding.name)") }
                output.append(contentsOf: highBytes[Int(b) - 0x80])
            }
            return output
        case .utf16LE, .utf16BE:
            let start = offset - carry.count
            var bytes = carry
            bytes.append(contentsOf: chunk)
            var usable = final ? bytes.count : bytes.count & ~1
            // A high surrogate at the end waits for its low half.
            if !final, usable >= 2 {
                let a = bytes[usable - 2], b = bytes[usable - 1]
                let unit = encoding == .utf16LE ? UInt16(b) << 8 | UInt16(a) : UInt16(a) << 8 | UInt16(b)
                if unit >= 0xD800 && unit < 0xDC00 { usable -= 2 }
            }
            carry = Array(bytes[usable...])
            let decoded = bytes.withUnsafeBufferPointer { encoding.decode(UnsafeBufferPointer(rebasing: $0[..<usable])) }
            if let bad = decoded.firstInvalidOffset {
                throw UndecodableByte(offset: start + bad, what: bad == usable - 1 && final && usable % 2 == 1
                                      ? "the file ends in the middle of a UTF-16 code unit" : "a UTF-16 surrogate has no partner")
            }
            return decoded.utf8
        }
    }
}

/// A byte that an encoding cannot turn into a scalar of its own.
struct UndecodableByte: Error {
    /// The offset in the file.
    let offset: Int
    /// What is wrong, as a clause.
    let what: String
}

extension TextEncoding {
    /// The encoding a byte order mark at the start of `head` announces
    /// (UTF-16LE `FF FE`, UTF-16BE `FE FF`); nil for none or UTF-8's.
    static func utf16ByteOrderMark(_ head: some Collection<UInt8>) -> TextEncoding? {
        let two = Array(head.prefix(2))
        if two == [0xFF, 0xFE] { return .utf16LE }
        if two == [0xFE, 0xFF] { return .utf16BE }
        return nil
    }
}

/// What a reader does to each chunk before it parses it: checks that it is
/// UTF-8 (so that a file that is not is read again as Windows-1252), or
/// decodes it to UTF-8.
struct ChunkPipeline {
    private var validator: UTF8Validator?
    private var decoder: ChunkDecoder?
    /// The file offset of the first chunk.
    private let start: Int

    /// A pipeline for input starting at file offset `offset`.
    init(validatingUTF8: Bool, decoding: TextEncoding?, offset: Int = 0) {
        validator = validatingUTF8 ? UTF8Validator() : nil
        decoder = decoding.flatMap { $0 == .utf8 ? nil : ChunkDecoder(encoding: $0, offset: offset) }
        start = offset
    }

    /// Checks or decodes `chunk` and gives it to `reader`.
    /// - Throws: `NotUTF8`, `UndecodableByte` or the reader's `ResponseFileError`.
    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, into reader: inout ResponseReader) throws {
        if validator != nil, decoder == nil, reader.parsesEveryByte {
            // The check rides on the parse, which notes whether every byte
            // was ASCII: only a chunk with a byte ≥ 0x80, or one continuing
            // a sequence cut by the last chunk, is checked byte by byte.
            // Whether the chunk is UTF-8 is decided before any error in it
            // is reported, as when it is checked first.
            reader.startNotingHighBytes()
            do { try reader.consume(chunk) } catch {
                if let bad = validator!.firstInvalid(in: chunk) { throw NotUTF8(offset: start + bad) }
                throw error
            }
            if reader.consumedOnlyASCII && validator!.isBetweenSequences {
                validator!.skipASCII(chunk.count)
            } else if let bad = validator!.firstInvalid(in: chunk) {
                throw NotUTF8(offset: start + bad)
            }
            return
        }
        if validator != nil, let bad = validator!.firstInvalid(in: chunk) { throw NotUTF8(offset: start + bad) }
        if decoder != nil {
            let text = try decoder!.decode(chunk)
            try reader.consume(text)
        } else {
            try reader.consume(chunk)
        }
    }

    /// Ends the input: a UTF-8 sequence or UTF-16 unit cut by the end is an error.
    mutating func end(into reader: inout ResponseReader) throws {
        if let bad = validator?.invalidEnd() { throw NotUTF8(offset: start + bad) }
        if decoder != nil {
            let text = try [UInt8]().withUnsafeBufferPointer { buffer throws(UndecodableByte) in try decoder!.decode(buffer, final: true) }
            try reader.consume(text)
        }
    }
}

extension ResponseReader {
    /// Reads a responses file (or standard input for "-") in the encoding
    /// `given`, or the one found by the rule of this file's header comment;
    /// the table's `encoding` says which.
    static func readFile(path: String, instrument: Instrument, options: ReadOptions,
                         encoding given: TextEncoding?) throws -> (table: ResponseTable, delimiter: FieldDelimiter?) {
        if path != "-", let head = FileInput.head(path: path, count: 4) {
            let bom = TextEncoding.utf16ByteOrderMark(head)
            let chosen = given ?? bom ?? .utf8
            var result: (table: ResponseTable, delimiter: FieldDelimiter?)
            var encoding = ResponseEncoding(name: chosen.name, origin: given != nil ? .given : bom != nil ? .byteOrderMark : .utf8)
            do {
                result = try readRegularFile(path: path, instrument: instrument, options: options, validatingUTF8: given == nil && bom == nil,
                                             decoding: chosen)
            } catch is NotUTF8 {
                encoding = ResponseEncoding(name: TextEncoding.windows1252.name, origin: .notUTF8)
                result = try readRegularFile(path: path, instrument: instrument, options: options, validatingUTF8: false, decoding: .windows1252)
            }
            result.table.encoding = encoding
            return result
        }
        // Standard input, a pipe or a device cannot be read twice: the first chunk decides.
        var reader = ResponseReader(instrument: instrument, options: options, source: path == "-" ? "standard input" : path)
        var pipeline: ChunkPipeline?
        var encoding = ResponseEncoding.utf8
        // An SPSS, Stata or Excel file, known by its first bytes, is read whole, then as a file.
        var binary: (kind: DataFileKind, bytes: [UInt8])?
        try FileInput.forEachChunk(path: path) { chunk in
            if binary != nil {
                binary!.bytes.append(contentsOf: chunk)
                return
            }
            if pipeline == nil {
                let kind = DataFileKind(magic: chunk)
                if kind != .text {
                    binary = (kind, Array(chunk))
                    return
                }
                let chosen: TextEncoding
                (chosen, encoding) = chooseEncoding(given: given, bytes: chunk, complete: false)
                pipeline = ChunkPipeline(validatingUTF8: false, decoding: chosen)
            }
            try pipeline!.feed(chunk, into: &reader)
        }
        if let binary {
            return (try readBinary(bytes: binary.bytes, kind: binary.kind, source: reader.source, instrument: instrument, options: options), nil)
        }
        if pipeline != nil { try pipeline!.end(into: &reader) }
        var table = try reader.finish()
        table.encoding = encoding
        return (table, reader.delimiter)
    }

    /// The encoding to read `bytes` in, and why, by the rule of this
    /// file's header comment: `given`, else a UTF-16 byte order mark's,
    /// else UTF-8 when `bytes` are valid UTF-8, else Windows-1252.
    /// `complete`: `bytes` are the whole input, so a UTF-8 sequence cut by
    /// their end makes them not UTF-8 (otherwise they are a first chunk,
    /// and the rest of the sequence may follow).
    static func chooseEncoding(given: TextEncoding?, bytes: UnsafeBufferPointer<UInt8>, complete: Bool) -> (TextEncoding, ResponseEncoding) {
        if let given { return (given, ResponseEncoding(name: given.name, origin: .given)) }
        if let bom = TextEncoding.utf16ByteOrderMark(bytes) { return (bom, ResponseEncoding(name: bom.name, origin: .byteOrderMark)) }
        var validator = UTF8Validator()
        let bad = validator.firstInvalid(in: bytes) ?? (complete ? validator.invalidEnd() : nil)
        if bad == nil { return (.utf8, .utf8) }
        return (.windows1252, ResponseEncoding(name: TextEncoding.windows1252.name, origin: .notUTF8))
    }

    /// Reads a regular file through a `ChunkPipeline`: in `options.threads`
    /// parts when it is large (UTF-16 always in one: a line feed byte may
    /// be half a code unit).
    static func readRegularFile(path: String, instrument: Instrument, options: ReadOptions, validatingUTF8: Bool,
                                decoding: TextEncoding) throws -> (table: ResponseTable, delimiter: FieldDelimiter?) {
        let utf16 = decoding == .utf16LE || decoding == .utf16BE
        if !utf16, let result = try readInParts(path: path, instrument: instrument, options: options, parts: options.threads,
                                                validatingUTF8: validatingUTF8, decoding: decoding) {
            return result
        }
        var reader = ResponseReader(instrument: instrument, options: options, source: path)
        var pipeline = ChunkPipeline(validatingUTF8: validatingUTF8, decoding: decoding)
        try FileInput.forEachChunk(path: path) { try pipeline.feed($0, into: &reader) }
        try pipeline.end(into: &reader)
        return (try reader.finish(), reader.delimiter)
    }

    /// The encoding of bytes held in memory, by the same rule as a file,
    /// and the bytes as UTF-8.
    static func decodedInput(_ bytes: [UInt8], source: String, given: TextEncoding? = nil) throws(ResponseFileError) -> ([UInt8], ResponseEncoding) {
        let (chosen, encoding) = bytes.withUnsafeBufferPointer { chooseEncoding(given: given, bytes: $0, complete: true) }
        // UTF-8 (found or given) is used as it is.
        if chosen == .utf8 { return (bytes, encoding) }
        var decoder = ChunkDecoder(encoding: chosen)
        do {
            let text = try bytes.withUnsafeBufferPointer { buffer throws(UndecodableByte) in try decoder.decode(buffer, final: true) }
            return (text, encoding)
        } catch {
            throw .undecodable(source: source, offset: error.offset, reason: error.what)
        }
    }
}

extension FileInput {
    /// The first `count` bytes of a regular file (fewer when it is shorter);
    /// nil for anything else (standard input, a pipe, a device, a folder, a
    /// file that cannot be opened: the reader reports why).
    static func head(path: String, count: Int) -> [UInt8]? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        return n < 0 ? nil : Array(bytes[0..<n])
    }
}
