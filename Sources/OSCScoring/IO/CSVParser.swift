// A streaming RFC 4180 CSV parser over bytes.
//
// RFC 4180 (Shafranovich 2005), section 2: records end with a line break;
// fields are separated by the delimiter; a field may be enclosed in double
// quotes, and then may contain delimiters, line breaks and doubled quotes.
// Beyond the RFC: LF, CRLF or CR line ends; a UTF-8 byte order mark; comma,
// tab or semicolon delimiters, detected from the header line.
//
// The parser is fed chunks of any size and calls back once per record, so a
// file is never held whole in memory. Malformed input always throws.

/// A CSV syntax error, naming the physical line (1-based).
public enum CSVSyntaxError: Error, Sendable, Equatable {
    /// A quoted field that starts on `line` is never closed.
    case unterminatedQuote(line: Int, field: Int)
    /// A double quote inside a field that does not start with one.
    case quoteInUnquotedField(line: Int, field: Int)
    /// Something other than a delimiter or line end after a closing quote.
    case textAfterClosingQuote(line: Int, field: Int, character: String)
    /// The header line (starting on `line`) is longer than `limit` bytes
    /// (`CSVParser.headerLimit`); `openQuote`: a quote was open there.
    case headerTooLong(line: Int, limit: Int, openQuote: Bool)
    /// A record starting on `line` is longer than `limit` bytes
    /// (`CSVParser.recordLimit`); `openQuoteLine`: where the quoted field
    /// `field` that was still open there starts.
    case recordTooLong(line: Int, limit: Int, openQuoteLine: Int?, field: Int?)

    /// The line the error is on.
    public var line: Int {
        switch self {
        case .unterminatedQuote(let l, _), .quoteInUnquotedField(let l, _), .textAfterClosingQuote(let l, _, _),
             .headerTooLong(let l, _, _), .recordTooLong(let l, _, _, _): return l
        }
    }

    /// One sentence naming the line and field, with a suggested fix.
    public var message: String {
        switch self {
        case let .unterminatedQuote(line, field):
            return "line \(line), field \(field): a quoted field starts here but its closing quote is missing, so the rest of the file would be read as one field; add the closing \" (a quote inside a quoted field is written as \"\")"
        case let .quoteInUnquotedField(line, field):
            return "line \(line), field \(field): a double quote appears inside a field that is not quoted; enclose the whole field in quotes and double the inner quote (\"\")"
        case let .textAfterClosingQuote(line, field, character):
            return "line \(line), field \(field): '\(character)' follows the closing quote of a quoted field; a quote inside a quoted field must be doubled (\"\")"
        case let .headerTooLong(line, limit, openQuote):
            return "line \(line): the header line is longer than \(Self.size(limit))"
                + (openQuote ? " and a quote in it is never closed; close the quote (a quote inside a quoted field is written as \"\")"
                             : " without a line break; check that this is a CSV file with a header line naming the columns")
        case let .recordTooLong(line, limit, openQuoteLine, field):
            if let openQuoteLine, let field {
                return "line \(line): the record starting here is longer than \(Self.size(limit)) because the quoted field \(field) starting on line \(openQuoteLine) is never closed; add the closing \" (a quote inside a quoted field is written as \"\")"
            }
            return "line \(line): the record starting here is longer than \(Self.size(limit)) without a line break; check that each record ends with a line break"
        }
    }
}

extension CSVSyntaxError {
    /// "1 MiB (1048576 bytes)".
    fileprivate static func size(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB (\(bytes) bytes)" : "\(bytes) bytes"
    }
}

/// One parsed record: its fields as bytes, with the line each field starts on.
///
/// A record borrows the parser's memory: use it only inside the callback
/// that receives it (copy what you keep, e.g. with `string(_:)`).
package struct CSVRecord {
    /// The physical line (1-based) on which the record starts.
    package let line: Int
    /// The delimiter the record was read with.
    package let delimiter: UInt8
    /// Whether the record is an empty line.
    package let isBlank: Bool
    /// The bytes the fields lie in.
    @usableFromInline let storage: UnsafeBufferPointer<UInt8>
    /// Where field 0 starts in `storage`.
    @usableFromInline let firstStart: Int
    /// Field i ends at `ends[i]`; field i + 1 starts `gap` bytes later (1
    /// when fields are separated by their delimiter in place, 0 when they
    /// were copied together).
    @usableFromInline let ends: UnsafeBufferPointer<Int>
    @usableFromInline let gap: Int
    /// The line each field starts on; nil when every field is on `line`.
    let lines: UnsafeBufferPointer<Int>?
    /// When the parser's `CellCodePlan` wrote this record's codes (its
    /// `codes`): their bitwise or (0x80 set when a cell is left to be
    /// examined in full); nil when it did not, and the fields must be read.
    package var cellCodes: UInt8? = nil

    /// The number of fields.
    @inlinable package var fieldCount: Int { ends.count }

    /// The bytes of field `i` (0-based), quotes removed and doubled quotes undone.
    @inlinable package func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? firstStart : ends[i - 1] + gap
        return UnsafeBufferPointer(start: storage.baseAddress.map { $0 + start }, count: ends[i] - start)
    }

    /// Field `i` as a string (invalid UTF-8 is repaired with U+FFFD).
    package func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// The physical line on which field `i` starts.
    package func line(ofField i: Int) -> Int { lines?[i] ?? line }

    /// All fields as strings.
    package var strings: [String] { (0..<fieldCount).map(string) }
}

/// The delimiters the parser recognises, in order of preference on a tie.
package enum CSVDelimiter {
    package static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";")]

    /// A readable name for a delimiter byte.
    package static func name(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: ","): return "comma"
        case UInt8(ascii: "\t"): return "tab"
        case UInt8(ascii: ";"): return "semicolon"
        default: return "'\(Character(Unicode.Scalar(byte)))'"
        }
    }

    /// Whether a line before the header is blank for detecting the
    /// delimiter: empty, or only spaces and candidate delimiters (Excel's
    /// rows of empty cells, `,,,,`).
    static func isBlankForDetection(_ line: some Collection<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || candidates.contains($0) }
    }

    /// The delimiter X of Excel's `sep=X` line (any one byte but a quote or
    /// a line break), nil for any other line.
    static func excelSeparator(_ line: some Collection<UInt8>) -> UInt8? {
        let bytes = Array(line)
        guard bytes.count == 5, bytes[0] | 0x20 == UInt8(ascii: "s"), bytes[1] | 0x20 == UInt8(ascii: "e"),
              bytes[2] | 0x20 == UInt8(ascii: "p"), bytes[3] == UInt8(ascii: "="),
              ![UInt8(ascii: "\""), 0x0A, 0x0D].contains(bytes[4]) else { return nil }
        return bytes[4]
    }

    /// Whether a record before the header is Excel's `sep=X` line, as
    /// parsed with the delimiter in use (`sep=;` read with `;` is the field
    /// `sep=` and an empty one): `first` is its first field.
    static func isExcelSeparatorRecord(first: some Collection<UInt8>, fieldCount: Int, secondIsEmpty: Bool) -> Bool {
        if fieldCount == 1 { return excelSeparator(first) != nil }
        guard fieldCount == 2, secondIsEmpty, first.count == 4 else { return false }
        return excelSeparator(Array(first) + [0x3B]) != nil
    }

    /// The candidate that occurs most often outside quotes in `headerLine`
    /// (comma on a tie or when none occurs).
    package static func detect(headerLine: some Collection<UInt8>) -> UInt8 {
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for b in headerLine {
            if b == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if !quoted, let k = candidates.firstIndex(of: b) { counts[k] += 1 }
        }
        var best = 0
        for k in counts.indices where counts[k] > counts[best] { best = k }
        return candidates[best]
    }
}

/// A push parser: feed it chunks with `parse`, then call `finish`.
///
/// Complexity: O(n) time in the input bytes, however the input is cut into
/// chunks; memory O(longest record), bounded by `headerLimit` and `recordLimit`.
package struct CSVParser {
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// The longest header line (the first record that is not blank), in
    /// bytes without its line break and byte order mark: 1 MiB. Longer is
    /// `CSVSyntaxError.headerTooLong`, raised as soon as that many bytes are
    /// read without the header ending (a file without line breaks, or a
    /// header with a quote that is never closed).
    package static let headerLimit = 1 << 20
    /// The longest other record, in bytes without its line break (quotes and
    /// delimiters included): 16 MiB. Longer is `CSVSyntaxError.recordTooLong`,
    /// raised as soon as that many bytes are read (so a quote that is never
    /// closed does not make the parser hold the rest of the file).
    package static let recordLimit = 16 << 20

    /// The delimiter in use; nil until detected from the header line.
    package private(set) var delimiter: UInt8?
    private var state = State.fieldStart
    private var line = 1
    private var recordLine = 1
    private var recordStarted = false
    private var skipLineFeed = false
    private var atStartOfInput = true
    /// The slow path's record: unquoted content and field bounds.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var lines: [Int] = []
    /// The fast path's field ends (grown when a record has more fields).
    private var fastEnds = FieldEnds()
    private var classes: [UInt8] = []
    private var fieldStartLine = 1
    /// Input held back until the header line is complete (delimiter detection).
    private var pending: [UInt8] = []
    /// How far `pending` has been searched for the header's end, and whether
    /// a quote is open there (so each byte is looked at once).
    private var pendingScanned = 0
    private var pendingQuoted = false
    /// Where the line searched for the header starts in `pending` (after
    /// blank lines), its line number, and whether the last blank line
    /// skipped ended with a CR.
    private var pendingLineStart = 0
    private var pendingLine = 1
    private var pendingAfterCR = false
    /// Whether the header (the first record that is not blank) is still to
    /// come; it may be at most `headerLimit` bytes long, others `recordLimit`.
    private var headerToCome = true
    /// The bytes of the record being read by the byte-by-byte path so far,
    /// its line break included once it comes.
    private var recordLength = 0
    /// Whether the last byte read inside a quoted field was a CR (so that a
    /// CRLF inside quotes counts as one line, a lone CR as one too).
    private var quotedCR = false
    /// When set, records after the header without a quote are scanned
    /// field by field, writing the codes of the plan's columns as they go.
    var plan: CellCodePlan?
    /// The bitwise or of every byte `run` has looked at since
    /// `resetHighBits()` (a byte ≥ 0x80 sets 0x80): 0x80 clear means all
    /// were ASCII, and so valid UTF-8.
    private(set) var highBits: UInt8 = 0

    /// Starts `highBits` afresh.
    mutating func resetHighBits() { highBits = 0 }

    /// Whether the parser holds no bytes back for detecting the delimiter
    /// (so that `parse` looks at every byte of a chunk before it returns).
    var holdsNothingBack: Bool { delimiter != nil && pending.isEmpty }

    /// - Parameter delimiter: the field delimiter, or nil to detect comma,
    ///   tab or semicolon from the header line.
    package init(delimiter: UInt8? = nil) {
        self.delimiter = delimiter
        bytes.reserveCapacity(4096)
    }

    /// A parser for input that continues a file from a record boundary
    /// (no header to detect, no byte order mark); lines count from 1.
    init(continuingWith delimiter: UInt8) {
        self.init(delimiter: delimiter)
        atStartOfInput = false
        headerToCome = false
    }

    /// The longest the record being read may be.
    private var limit: Int { headerToCome ? Self.headerLimit : Self.recordLimit }

    /// Whether the input so far ended between records (outside quotes).
    var isAtRecordBoundary: Bool { delimiter != nil && pending.isEmpty && !recordStarted && state == .fieldStart && !skipLineFeed }

    /// The line the next record starts on.
    var currentLine: Int { line }

    /// Counts `count` more lines as read (records another reader read
    /// from the boundary this parser stands at).
    mutating func skipLines(_ count: Int) {
        precondition(isAtRecordBoundary, "at a record boundary")
        line += count
    }

    /// Parses a chunk, calling `onRecord` for every record it completes.
    package mutating func parse(_ chunk: UnsafeBufferPointer<UInt8>, onRecord: (CSVRecord) throws -> Void) throws {
        guard delimiter != nil else {
            pending.append(contentsOf: chunk)
            // The header's line break must come within `headerLimit` bytes
            // after the byte order mark and any blank lines before it: only
            // so far is searched, once.
            let bom = pending.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while true {
                let lineStart = max(pendingLineStart, bom)
                pendingScanned = max(pendingScanned, lineStart)
                let searchEnd = min(pending.count, lineStart + Self.headerLimit + 1)
                guard let end = Self.endOfFirstRecord(pending, from: &pendingScanned, to: searchEnd, quoted: &pendingQuoted) else {
                    if searchEnd == lineStart + Self.headerLimit + 1 {
                        throw CSVSyntaxError.headerTooLong(line: pendingLine, limit: Self.headerLimit, openQuote: pendingQuoted)
                    }
                    return
                }
                // Blank lines (or lines of delimiters only) before the header
                // are skipped: the delimiter is detected from the header line.
                let text = pending[lineStart..<end]
                if CSVDelimiter.isBlankForDetection(text) {
                    // The LF of a CRLF split from its CR is no new line.
                    if !(text.isEmpty && pending[end] == 0x0A && pendingAfterCR) { pendingLine += 1 }
                    pendingAfterCR = pending[end] == 0x0D
                    pendingLineStart = end + 1
                    pendingScanned = end + 1
                    continue
                }
                delimiter = CSVDelimiter.excelSeparator(text) ?? CSVDelimiter.detect(headerLine: text)
                let held = pending
                pending = []
                try held.withUnsafeBufferPointer { try run($0, onRecord) }
                return
            }
        }
        try run(chunk, onRecord)
    }

    /// Parses an array of bytes as one chunk.
    package mutating func parse(_ chunk: [UInt8], onRecord: (CSVRecord) throws -> Void) throws {
        try chunk.withUnsafeBufferPointer { try parse($0, onRecord: onRecord) }
    }

    /// Ends the input: emits a last record that has no line break after it.
    /// - Throws: `CSVSyntaxError.unterminatedQuote` when a quoted field is open.
    package mutating func finish(onRecord: (CSVRecord) throws -> Void) throws {
        if delimiter == nil {
            let bom = pending.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let text = pending[min(pending.count, max(pendingLineStart, bom))...]
            delimiter = CSVDelimiter.excelSeparator(text) ?? CSVDelimiter.detect(headerLine: text)
            let held = pending
            pending = []
            try held.withUnsafeBufferPointer { try run($0, onRecord) }
        }
        if recordStarted && recordLength > limit { throw tooLong() }
        switch state {
        case .quoted:
            throw CSVSyntaxError.unterminatedQuote(line: fieldStartLine, field: ends.count + 1)
        default:
            if recordStarted { try endRecord(onRecord) }
        }
    }

    /// The index of the first line break outside quotes in `bytes[start..<end]`
    /// (a quote open at `start` when `quoted`), if any; `start` and `quoted`
    /// are moved on to `end` when there is none.
    private static func endOfFirstRecord(_ bytes: [UInt8], from start: inout Int, to end: Int, quoted: inout Bool) -> Int? {
        var i = start
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            else if !quoted && (b == 0x0A || b == 0x0D) { return i }
            i += 1
        }
        start = i
        return nil
    }

    /// The error for a record (or header) that has grown past its limit.
    private func tooLong() -> CSVSyntaxError {
        let start = recordStarted ? recordLine : line
        if headerToCome { return .headerTooLong(line: start, limit: Self.headerLimit, openQuote: state == .quoted) }
        return .recordTooLong(line: start, limit: Self.recordLimit, openQuoteLine: state == .quoted ? fieldStartLine : nil,
                              field: state == .quoted ? ends.count + 1 : nil)
    }

    private mutating func endField() {
        ends.append(bytes.count)
        lines.append(fieldStartLine)
    }

    private mutating func endRecord(_ onRecord: (CSVRecord) throws -> Void) throws {
        let blank = ends.isEmpty && bytes.isEmpty && state == .fieldStart
        endField()
        let multiline = lines.contains { $0 != recordLine }
        let skip = headerToCome && !blank && CSVDelimiter.isExcelSeparatorRecord(
            first: bytes[0..<ends[0]], fieldCount: ends.count, secondIsEmpty: ends.count == 2 && ends[1] == ends[0])
        if !skip { try bytes.withUnsafeBufferPointer { storage in
            try ends.withUnsafeBufferPointer { ends in
                try lines.withUnsafeBufferPointer { lines in
                    try onRecord(CSVRecord(line: recordLine, delimiter: delimiter!, isBlank: blank, storage: storage, firstStart: 0, ends: ends, gap: 0,
                                           lines: multiline ? lines : nil))
                }
            }
        } }
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        state = .fieldStart
        recordStarted = false
        recordLength = 0
        if !blank && !skip { headerToCome = false }
    }

    /// The byte classes of the fast path: 0 ordinary, 1 the delimiter,
    /// 2 a line break or a quote (which end the fast scan).
    private static func byteClasses(delimiter: UInt8) -> [UInt8] {
        var classes = [UInt8](repeating: 0, count: 256)
        classes[Int(delimiter)] = 1
        for b in [UInt8(ascii: "\""), 0x0A, 0x0D] { classes[Int(b)] = 2 }
        return classes
    }

    /// The fast path: a whole record in `chunk` from `i`, with no quote.
    /// Emits it without copying and returns the index after its line break,
    /// or nil (nothing consumed) when the record has a quote or runs past
    /// the chunk, which the byte-by-byte path then handles.
    private mutating func fastRecord(_ chunk: UnsafeBufferPointer<UInt8>, from i: Int, classes: UnsafePointer<UInt8>,
                                     _ onRecord: (CSVRecord) throws -> Void) throws -> Int? {
        let p = chunk.baseAddress!, n = chunk.count
        var j = i, k = 0
        var ends = fastEnds.pointer, capacity = fastEnds.capacity
        let limit = self.limit
        // Branch-free on ordinary bytes and delimiters: every byte writes its
        // position, and the field count advances only at a delimiter.
        var high: UInt8 = 0
        while j < n {
            let b = p[j]
            let c = classes[Int(b)]
            if c > 1 { break }
            high |= b
            ends[k] = j
            k &+= Int(c)
            if k == capacity {
                // A record past its limit is refused before its field ends grow further.
                if j - i >= limit { throw tooLong() }
                fastEnds.grow()
                ends = fastEnds.pointer
                capacity = fastEnds.capacity
            }
            j += 1
        }
        guard j < n, p[j] != UInt8(ascii: "\"") else { return nil }
        if j - i > limit { throw tooLong() }
        highBits |= high
        ends[k] = j
        let blank = j == i
        // Excel's `sep=X` line before the header is not a record.
        let skip = headerToCome && !blank && k < 2
            && CSVDelimiter.isExcelSeparatorRecord(first: chunk[i..<(k == 0 ? j : ends[0])], fieldCount: k + 1, secondIsEmpty: k == 1 && ends[0] + 1 == j)
        if !blank && !skip { headerToCome = false }
        if !skip {
            try onRecord(CSVRecord(line: line, delimiter: delimiter!, isBlank: blank, storage: chunk, firstStart: i,
                                   ends: UnsafeBufferPointer(start: ends, count: k + 1), gap: 1, lines: nil))
        }
        line += 1
        skipLineFeed = p[j] == 0x0D
        return j + 1
    }

    /// The fast path of a `plan`: a whole record in `chunk` from `i`, with
    /// no quote, scanned once field by field. A planned column's cell that
    /// is empty or one byte long gets its code at once (`codeOfByte`), a
    /// longer one 0xFF (examined in full by the reader); other fields are
    /// skipped to their end. Emits the record without copying (its
    /// `cellCodes` set) and returns the index after its line break, or nil
    /// (nothing consumed) when the record has a quote or runs past the
    /// chunk, which the byte-by-byte path then handles.
    private mutating func plannedRecord(_ chunk: UnsafeBufferPointer<UInt8>, from i: Int, classes: UnsafePointer<UInt8>, plan: CellCodePlan,
                                        _ onRecord: (CSVRecord) throws -> Void) throws -> Int? {
        let p = chunk.baseAddress!, n = chunk.count
        let delimiter = self.delimiter!
        var j = i, k = 0
        var ends = fastEnds.pointer, capacity = fastEnds.capacity
        let limit = self.limit
        let planned = plan.columnCount, itemOf = plan.itemOfColumn, codeOf = plan.codeOfByte, out = plan.codes
        let runFrom = plan.itemRunFrom
        // Eight one-digit cells at once, sixteen bytes "d,d,d,d,d,d,d,d,":
        // less the digit lowDigit in the even bytes and the delimiter in the
        // odd ones, each byte at most highDigit − lowDigit in the even bytes
        // and 0 in the odd ones (unsigned: a byte below is then above).
        typealias Bytes = SIMD16<UInt8>
        let spread = plan.highDigit &- plan.lowDigit
        let eightBase = Bytes(plan.lowDigit, delimiter, plan.lowDigit, delimiter, plan.lowDigit, delimiter, plan.lowDigit, delimiter,
                              plan.lowDigit, delimiter, plan.lowDigit, delimiter, plan.lowDigit, delimiter, plan.lowDigit, delimiter)
        let eightLimit = Bytes(spread, 0, spread, 0, spread, 0, spread, 0, spread, 0, spread, 0, spread, 0, spread, 0)
        let eightEnds = SIMD8<Int>(1, 3, 5, 7, 9, 11, 13, 15)
        // Four at once, eight bytes "d,d,d,d,": the delimiters in the odd
        // bytes, the digits in the even ones each within lowDigit ...
        // highDigit (16-bit lanes: no carry crosses one).
        let lanes: UInt64 = 0x0001_0001_0001_0001, signs: UInt64 = 0x8000_8000_8000_8000
        let delimiters = UInt64(delimiter) << 8 &* lanes
        let atLeastLow = (0x8000 - UInt64(plan.lowDigit)) &* lanes
        let aboveHigh = (0x8000 - UInt64(plan.highDigit) - 1) &* lanes
        let codeBase = UInt64(plan.lowDigit &- 1) &* lanes
        var flags: UInt8 = 0, high: UInt8 = 0
        // The bitwise or of the codes read eight at a time, lane by lane.
        var eightCodes = SIMD8<UInt8>()
        while true {
            // Field k starts at j.
            var run = k < planned ? runFrom[k] : 0
            if run >= 8 {
                // As many blocks of eight as the run, the chunk and the field ends allow, while they hold one-digit cells.
                var blocks = min(Int(run) &>> 3, (n &- j) &>> 4, (capacity &- 1 &- k) &>> 3)
                var codesOut = UnsafeMutableRawPointer(out + Int(itemOf[k]))
                var blockEnds = SIMD8<Int>(repeating: j) &+ eightEnds
                let from = k
                while blocks > 0 {
                    let t = UnsafeRawPointer(p + j).loadUnaligned(as: Bytes.self) &- eightBase
                    // Every byte within its limit: the comparison's 0xFF bytes
                    // all ones as two words (`all(_:)` was a call, not inlined).
                    let within = unsafeBitCast(t .<= eightLimit, to: SIMD2<UInt64>.self)
                    guard within[0] & within[1] == .max else { break }
                    // The codes: 1 + the even bytes (the odd ones are 0).
                    let codes = SIMD8<UInt8>(truncatingIfNeeded: unsafeBitCast(t, to: SIMD8<UInt16>.self) &+ 1)
                    codesOut.storeBytes(of: codes, as: SIMD8<UInt8>.self)
                    eightCodes |= codes
                    UnsafeMutableRawPointer(ends + k).storeBytes(of: blockEnds, as: SIMD8<Int>.self)
                    codesOut += 8
                    blockEnds &+= 16
                    k &+= 8
                    j &+= 16
                    blocks &-= 1
                }
                if k != from { run = k < planned ? runFrom[k] : 0 }
            }
            if run >= 4 && j &+ 8 <= n && k &+ 4 < capacity {
                let word = UInt64(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                let digits = word & 0x00FF_00FF_00FF_00FF
                if word & 0xFF00_FF00_FF00_FF00 == delimiters && (digits &+ atLeastLow) & signs == signs && (digits &+ aboveHigh) & signs == 0 {
                    let codes = digits &- codeBase
                    let pairs = codes | codes >> 8
                    let packed = UInt32(truncatingIfNeeded: (pairs & 0xFFFF) | (pairs >> 16 & 0xFFFF_0000))
                    UnsafeMutableRawPointer(out + Int(itemOf[k])).storeBytes(of: packed.littleEndian, as: UInt32.self)
                    let any = packed | packed >> 16
                    flags |= UInt8(truncatingIfNeeded: any | any >> 8)
                    ends[k] = j + 1
                    ends[k + 1] = j + 3
                    ends[k + 2] = j + 5
                    ends[k + 3] = j + 7
                    k += 4
                    j += 8
                    continue
                }
            }
            let item = k < planned ? Int(itemOf[k]) : -1
            if item >= 0 {
                guard j + 1 < n else { return nil }
                let b0 = p[j]
                if classes[Int(b0)] != 0 {
                    out[item] = 0  // empty: the delimiter, a line break (or a quote, refused below)
                } else {
                    high |= b0
                    if classes[Int(p[j + 1])] != 0 {
                        let code = codeOf[Int(b0)]
                        out[item] = code
                        flags |= code
                        j += 1
                    } else {
                        high |= p[j + 1]  // the second byte is skipped below: note it too
                        j += 2
                        while j < n {
                            let b = p[j]
                            if classes[Int(b)] != 0 { break }
                            high |= b
                            j += 1
                        }
                        out[item] = 0xFF
                        flags |= 0xFF
                    }
                }
            } else {
                while j < n {
                    let b = p[j]
                    if classes[Int(b)] != 0 { break }
                    high |= b
                    j += 1
                }
            }
            guard j < n else { return nil }
            ends[k] = j
            if p[j] != delimiter { break }
            k += 1
            j += 1
            if k == capacity {
                // A record past its limit is refused before its field ends grow further.
                if j - i >= limit { throw tooLong() }
                fastEnds.grow()
                ends = fastEnds.pointer
                capacity = fastEnds.capacity
            }
        }
        guard p[j] != UInt8(ascii: "\"") else { return nil }
        if j - i > limit { throw tooLong() }
        highBits |= high
        var any = unsafeBitCast(eightCodes, to: UInt64.self)
        any |= any >> 32
        any |= any >> 16
        flags |= UInt8(truncatingIfNeeded: any | any >> 8)
        var record = CSVRecord(line: line, delimiter: delimiter, isBlank: j == i, storage: chunk, firstStart: i,
                               ends: UnsafeBufferPointer(start: ends, count: k + 1), gap: 1, lines: nil)
        record.cellCodes = flags
        try onRecord(record)
        line += 1
        skipLineFeed = p[j] == 0x0D
        return j + 1
    }

    private mutating func run(_ chunk: UnsafeBufferPointer<UInt8>, _ onRecord: (CSVRecord) throws -> Void) throws {
        let delimiter = self.delimiter!
        if classes.isEmpty { classes = Self.byteClasses(delimiter: delimiter) }
        // A delimiter ≥ 0x80 is not ASCII (the fast paths skip delimiters).
        highBits |= delimiter & 0x80
        var i = 0
        if atStartOfInput, !chunk.isEmpty {
            // Skip a UTF-8 byte order mark at the very start of the input.
            if chunk.count >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { i = 3 }
            atStartOfInput = false
        }
        // The byte classes and the plan taken once for the chunk (read from
        // `self` around each record's mutating fast path, they were retained
        // and released per record); the plan is passed on unmanaged, kept
        // alive here for the call.
        let classTable = classes, recordPlan = plan
        try withExtendedLifetime(recordPlan) {
            try classTable.withUnsafeBufferPointer { classBuffer in
                try runRecords(chunk, from: i, classes: classBuffer.baseAddress!, plan: recordPlan.map { Unmanaged.passUnretained($0) }, onRecord)
            }
        }
    }

    /// `run` from byte `start` of `chunk`, with the byte classes and the plan at hand.
    private mutating func runRecords(_ chunk: UnsafeBufferPointer<UInt8>, from start: Int, classes: UnsafePointer<UInt8>, plan: Unmanaged<CellCodePlan>?,
                                     _ onRecord: (CSVRecord) throws -> Void) throws {
        let quote = UInt8(ascii: "\""), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        let delimiter = self.delimiter!
        var i = start
        while i < chunk.count {
            if skipLineFeed {
                skipLineFeed = false
                if chunk[i] == lf { i += 1; continue }
            }
            if !recordStarted {
                let next: Int?
                if let plan, plan._withUnsafeGuaranteedRef({ $0.columnCount >= 0 }), !headerToCome {
                    next = try plan._withUnsafeGuaranteedRef { try plannedRecord(chunk, from: i, classes: classes, plan: $0, onRecord) }
                } else {
                    next = try fastRecord(chunk, from: i, classes: classes, onRecord)
                }
                if let next {
                    i = next
                    continue
                }
            }
            let b = chunk[i]
            highBits |= b
            i += 1
            if !recordStarted {
                recordStarted = true
                recordLine = line
                fieldStartLine = line
            }
            // The record's bytes so far, this one (maybe its line break) included.
            recordLength &+= 1
            if recordLength > limit &+ 1 { throw tooLong() }
            switch state {
            case .fieldStart:
                if b == quote {
                    state = .quoted
                    quotedCR = false
                } else if b == delimiter {
                    endField()
                    fieldStartLine = line
                } else if b == lf || b == cr {
                    try endRecord(onRecord)
                    line += 1
                    skipLineFeed = b == cr
                } else {
                    bytes.append(b)
                    state = .unquoted
                }
            case .unquoted:
                if b == delimiter {
                    endField()
                    fieldStartLine = line
                    state = .fieldStart
                } else if b == lf || b == cr {
                    try endRecord(onRecord)
                    line += 1
                    skipLineFeed = b == cr
                } else if b == quote {
                    throw CSVSyntaxError.quoteInUnquotedField(line: line, field: ends.count + 1)
                } else {
                    bytes.append(b)
                }
            case .quoted:
                if b == quote {
                    state = .quoteInQuoted
                } else {
                    // A line break inside quotes: LF, CRLF or a lone CR.
                    if b == cr || (b == lf && !quotedCR) { line += 1 }
                    quotedCR = b == cr
                    bytes.append(b)
                }
            case .quoteInQuoted:
                if b == quote {
                    bytes.append(quote)
                    state = .quoted
                    quotedCR = false
                } else if b == delimiter {
                    endField()
                    fieldStartLine = line
                    state = .fieldStart
                } else if b == lf || b == cr {
                    try endRecord(onRecord)
                    line += 1
                    skipLineFeed = b == cr
                } else {
                    let text = b < 0x80 && b >= 0x20 ? String(Character(Unicode.Scalar(b))) : "byte 0x\(String(b, radix: 16))"
                    throw CSVSyntaxError.textAfterClosingQuote(line: line, field: ends.count + 1, character: text)
                }
            }
        }
    }
}

extension CSVParser {
    /// Parses a whole byte array and returns its records' fields as strings.
    /// Convenient for small files such as scoring keys.
    package static func records(of data: [UInt8], delimiter: UInt8? = nil) throws -> [(line: Int, isBlank: Bool, fields: [String])] {
        var parser = CSVParser(delimiter: delimiter)
        var out: [(line: Int, isBlank: Bool, fields: [String])] = []
        try parser.parse(data) { out.append(($0.line, $0.isBlank, $0.strings)) }
        try parser.finish { out.append(($0.line, $0.isBlank, $0.strings)) }
        return out
    }
}

/// The columns whose cells a reader wants as codes, for the parser's
/// planned fast path: the item each column answers, the code of each
/// one-byte cell, and where the codes of the record being read are
/// written. Inactive until `activate` (when the header is read). A class
/// so that the reader that makes it and its parser share it; not shared
/// across threads.
final class CellCodePlan {
    /// The columns planned (`itemOfColumn` has one entry per column up
    /// to here); −1 while inactive.
    private(set) var columnCount = -1
    /// The item (0-based) column k answers, −1 for none.
    private(set) var itemOfColumn: UnsafeMutablePointer<Int32>
    /// The code of a one-byte cell, 0xFF when it is to be examined in full.
    let codeOfByte: UnsafeMutablePointer<UInt8>
    /// One code per item: 0 missing, 0xFF to be examined, else the code.
    let codes: UnsafeMutablePointer<UInt8>
    /// The number of items.
    let itemCount: Int

    /// How many of the columns from k on answer items in a row (item i in
    /// column k, i + 1 in k + 1, ...), up to 255; 0 when there are no
    /// one-digit codes (`lowDigit` 0), so that no cells are read together.
    private(set) var itemRunFrom: UnsafeMutablePointer<UInt8>
    /// The digits whose one-byte cells have the codes 1, 2, ... in turn
    /// (`lowDigit` ... `highDigit`, as bytes), for reading four cells of
    /// one digit at once; `lowDigit` 0 when none.
    let lowDigit: UInt8
    let highDigit: UInt8

    /// An inactive plan for `itemCount` items with these 256 one-byte codes.
    init(itemCount: Int, codeOfByte: [UInt8]) {
        precondition(codeOfByte.count == 256, "a code per byte")
        self.itemCount = itemCount
        var low: UInt8 = 0, high: UInt8 = 0
        if let first = (UInt8(ascii: "0")...UInt8(ascii: "9")).first(where: { codeOfByte[Int($0)] == 1 }) {
            low = first
            high = first
            while high < UInt8(ascii: "9") && codeOfByte[Int(high) + 1] == high + 1 - first + 1 { high += 1 }
        }
        lowDigit = low
        highDigit = high
        itemRunFrom = .allocate(capacity: 1)
        itemRunFrom.initialize(to: 0)
        itemOfColumn = .allocate(capacity: 1)
        self.codeOfByte = .allocate(capacity: 256)
        self.codeOfByte.initialize(from: codeOfByte, count: 256)
        codes = .allocate(capacity: max(1, itemCount))
        codes.initialize(repeating: 0, count: max(1, itemCount))
    }

    /// Plans the columns: item i is in column `itemColumns[i]`, of
    /// `columnCount`. Items sharing a column leave the plan inactive.
    func activate(itemColumns: [Int], columnCount: Int) {
        guard itemCount > 0, itemColumns.count == itemCount, Set(itemColumns).count == itemCount,
              itemColumns.allSatisfy({ $0 >= 0 && $0 < columnCount }) else { return }
        itemOfColumn.deallocate()
        itemOfColumn = .allocate(capacity: max(1, columnCount))
        itemOfColumn.initialize(repeating: -1, count: max(1, columnCount))
        for (i, column) in itemColumns.enumerated() { itemOfColumn[column] = Int32(i) }
        itemRunFrom.deallocate()
        itemRunFrom = .allocate(capacity: max(1, columnCount))
        itemRunFrom.initialize(repeating: 0, count: max(1, columnCount))
        if lowDigit != 0 {
            for k in (0..<columnCount).reversed() where itemOfColumn[k] >= 0 {
                let continues = k + 1 < columnCount && itemOfColumn[k + 1] == itemOfColumn[k] + 1
                itemRunFrom[k] = continues ? UInt8(min(255, Int(itemRunFrom[k + 1]) + 1)) : 1
            }
        }
        self.columnCount = columnCount
    }

    deinit {
        itemRunFrom.deallocate()
        itemOfColumn.deallocate()
        codeOfByte.deallocate()
        codes.deallocate()
    }
}

/// A growable buffer of field end positions for the fast path, owned by
/// the parser (a class so that copies of the parser share it safely within
/// one parse; the parser is not shared across threads).
final class FieldEnds {
    private(set) var pointer: UnsafeMutablePointer<Int>
    private(set) var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity + 1)
    }

    /// Doubles the capacity, keeping the contents.
    func grow() {
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: 2 * capacity + 1)
        bigger.update(from: pointer, count: capacity + 1)
        pointer.deallocate()
        pointer = bigger
        capacity *= 2
    }

    deinit { pointer.deallocate() }
}
