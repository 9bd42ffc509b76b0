// SPSS system files (`.sav`, uncompressed or bytecode-compressed, and
// `.zsav`, ZLIB-compressed), read as the PSPP developers' "System File
// Format" describes them: the file header, the dictionary (variable records
// with their continuation slots, value labels, documents and the extension
// records 7.3, 7.4, 7.13, 7.14, 7.16, 7.20, 7.21 and 7.22; other extension
// records are skipped), then the cases, one at a time.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An SPSS system file being read: the dictionary is read when it is
/// opened; `next(into:)` decodes the cases in order.
package struct SPSSFile: DatasetCases {
    /// The limits of what is read before anything is allocated.
    package enum Limits {
        /// The longest dictionary extension record read (7.13, 7.14, 7.21, ...).
        package static let extensionRecordBytes = 64 << 20
        /// The most variable slots (8-byte units of a case).
        package static let slots = 1_000_000
        /// The largest ZLIB block, decompressed.
        package static let zlibBlockBytes = 64 << 20
    }

    package private(set) var variables: [DatasetVariable] = []
    package private(set) var declaredCaseCount: Int?
    package private(set) var encodingName = "utf-8"
    /// Whether the data are bytecode-compressed (also inside ZLIB blocks).
    package private(set) var isBytecode = false
    /// Whether the file is a ZLIB-compressed `.zsav`.
    package private(set) var isZlib = false

    private var input: DatasetBytes
    private var fd: FileHandleBox?
    private var encoding = TextEncoding.utf8
    private var bias = 100.0
    private var sysmis = -Double.greatestFiniteMagnitude
    private var highest = Double.greatestFiniteMagnitude
    private var lowest = -Double.greatestFiniteMagnitude.nextDown
    /// Per variable: where its bytes are in a case.
    private var layout: [VariableSlots] = []
    private var slotCount = 0
    package private(set) var casesRead = 0
    private var finished = false
    /// In a part of the cases (`split(into:)`) before the last: the case
    /// (counted from 0) at which the next part begins.
    private var partEnd: Int?
    // Bytecode state: the current command block (its first code in the
    // lowest byte) and the next code in it.
    private var command: UInt64 = 0
    private var nextCode = 8
    // ZLIB blocks still to decompress, and those decompressed ahead.
    private var blocks: [ZlibBlock] = []
    private var nextBlock = 0
    private var inflatedAhead: [[UInt8]] = []
    /// Threads that may decompress ZLIB blocks at once (`ReadOptions.threads`).
    package var threads = 1
    /// Per item of the plan in use: code byte → answer code (`itemCodeTables`).
    private var itemTables: [UInt8] = []
    private var itemTablesItemCount = -1
    /// Per variable: where the run of numeric item variables that it is in
    /// ends (its index, exclusive), or the variable itself when it is not
    /// such a variable (bytecode only; built with `itemTables`).
    private var itemRunEnd: [Int] = []
    /// Per variable: how many variables from it on are items of consecutive
    /// indices with no declared missing values, whose answers are then the
    /// command codes `lowestAnswerCode...highestAnswerCode` less one shift
    /// (0 everywhere when the bias or the scale does not allow that).
    private var plainItemRun: [Int] = []
    /// The command codes of the lowest and the highest answer (`bias + scaleMin`, `bias + scaleMax`).
    private var lowestAnswerCode: UInt64 = 0, highestAnswerCode: UInt64 = 0
    /// Per variable: whether it is a string with declared missing strings.
    private var stringMissing: [Bool] = []
    /// The bytes of the string being decoded.
    private var stringBuffer: [UInt8] = []
    /// Per variable: the width in bytes of a string of one 8-byte slot
    /// (up to 8 bytes: decoded as one word), 0 for other variables.
    private var oneSlotWidth: [Int] = []
    /// Per variable: whether it is a number, and a number with declared missing values.
    private var isNumeric: [Bool] = []
    private var numericMissing: [Bool] = []

    private struct VariableSlots {
        /// The first slot and, per segment, its number of slots and its width in bytes.
        var firstSlot: Int
        var segments: [(slots: Int, width: Int)]
        var width: Int  // 0 for numbers
    }

    private struct ZlibBlock {
        var compressedOffset: Int
        var compressedSize: Int
        var uncompressedSize: Int
    }

    /// Closes the descriptor when the last copy of the reader goes.
    private final class FileHandleBox {
        let fd: Int32
        init(_ fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }

    /// Opens `path` and reads its dictionary.
    /// - Parameter encodingOverride: a name `TextEncoding(name:)` knows, which replaces the file's own declaration.
    package init(path: String, encodingOverride: String? = nil) throws(DatasetError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DatasetError(source: path, reason: "the file cannot be opened (\(String(cString: strerror(errno)))).") }
        let box = FileHandleBox(fd)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DatasetError(source: path, reason: "the file's size cannot be read.") }
        try self.init(input: DatasetBytes(fd: fd, size: Int(info.st_size), source: path), encodingOverride: encodingOverride)
        self.fd = box
    }

    /// Reads a file held in memory.
    package init(bytes: [UInt8], source: String, encodingOverride: String? = nil) throws(DatasetError) {
        try self.init(input: DatasetBytes(bytes: bytes, source: source), encodingOverride: encodingOverride)
    }

    private init(input: DatasetBytes, encodingOverride: String?) throws(DatasetError) {
        self.input = input
        try readDictionary(encodingOverride: encodingOverride)
    }

    // MARK: - Dictionary

    /// One variable record (or continuation slot) as found.
    private struct RawVariable {
        var type: Int
        var shortName: [UInt8]
        var missingCount: Int
        var missing: [UInt64]
        var offset: Int
    }

    private mutating func readDictionary(encodingOverride: String?) throws(DatasetError) {
        try input.need(176, "the file header")
        let magic = try input.bytes(4, "the file header")
        let kind = DataFileKind(magic: magic)
        guard kind == .spss || kind == .spssZlib else {
            throw input.error("the file does not start with $FL2 or $FL3, so it is not an SPSS system file; give a .sav or .zsav file, or a CSV.", at: 0)
        }
        try input.skip(60, "the file header")
        // The layout code is 2 or 3 in the writer's byte order.
        let layoutBytes = try input.bytes(4, "the file header")
        func int(_ b: [UInt8], big: Bool) -> Int {
            Int(Int32(bitPattern: b.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (big ? 24 - 8 * $1.offset : 8 * $1.offset) }))
        }
        let little = int(layoutBytes, big: false), big = int(layoutBytes, big: true)
        if little == 2 || little == 3 {
            input.bigEndian = false
        } else if big == 2 || big == 3 {
            input.bigEndian = true
        } else {
            throw input.error("the layout code is \(little), not 2 or 3, so the byte order is unknown; the file is damaged, export it again.", at: 64)
        }
        _ = try input.int32("the file header")  // nominal_case_size: not trusted
        let compression = try input.int32("the file header")
        _ = try input.int32("the file header")  // weight index
        let ncases = try input.int32("the file header")
        bias = try input.double("the file header")
        try input.skip(9 + 8 + 64 + 3, "the file header")
        switch (kind, compression) {
        case (.spss, 0): break
        case (.spss, 1): isBytecode = true
        case (.spssZlib, 2): isBytecode = true; isZlib = true
        default:
            throw input.error("the header's compression code is \(compression), which a \(kind == .spss ? "$FL2" : "$FL3") file cannot have (0 or 1 for $FL2, 2 for $FL3); the file is damaged, export it again.", at: 72)
        }
        if ncases >= 0 { declaredCaseCount = ncases } else if ncases != -1 {
            throw input.error("the header declares \(ncases) cases; the file is damaged, export it again.", at: 80)
        }

        var raw: [RawVariable] = []
        var valueLabels: [(offset: Int, labels: [([UInt8], [UInt8])], slots: [Int])] = []
        var codePage: Int?
        var encodingRecord: String?
        var longNames: [UInt8] = []
        var veryLong: [UInt8] = []
        var longLabels: [(offset: Int, bytes: [UInt8])] = []
        var longMissing: [(offset: Int, bytes: [UInt8])] = []
        var extendedCount: Int64?
        dictionary: while true {
            let recordOffset = input.offset
            let type = try input.int32("a dictionary record")
            switch type {
            case 2:
                let what = "variable record \(raw.count + 1)"
                let varType = try input.int32(what)
                let hasLabel = try input.int32(what)
                let missingCount = try input.int32(what)
                try input.skip(8, what)
                let name = try input.bytes(8, what)
                guard varType >= -1 && varType <= 255 else {
                    throw input.error("\(what) has type \(varType); a variable is a number (0), a string of 1 to 255 bytes, or a continuation (-1); the file is damaged, export it again.", at: recordOffset)
                }
                if hasLabel == 1 {
                    let length = try input.int32(what)
                    guard length >= 0 && length <= 65535 else {
                        throw input.error("\(what) has a label of \(length) bytes; the file is damaged, export it again.", at: recordOffset)
                    }
                    try input.skip((length + 3) / 4 * 4, "the label of \(what)")
                } else if hasLabel != 0 {
                    throw input.error("\(what) has has_var_label \(hasLabel), not 0 or 1; the file is damaged, export it again.", at: recordOffset)
                }
                guard (-3...3).contains(missingCount), varType <= 0 || missingCount >= 0 else {
                    throw input.error("\(what) declares \(missingCount) missing values; a number has -3 to 3 and a string 0 to 3; the file is damaged, export it again.", at: recordOffset)
                }
                var missing: [UInt64] = []
                try input.need(8 * abs(missingCount), "the missing values of \(what)")
                for _ in 0..<abs(missingCount) { missing.append(input.word64Unchecked()) }
                raw.append(RawVariable(type: varType, shortName: name, missingCount: missingCount, missing: missing, offset: recordOffset))
                guard raw.count <= Limits.slots else {
                    throw input.error("the file has more than \(Limits.slots) variable slots, past this program's limit.", at: recordOffset)
                }
            case 3:
                let count = try input.int32("value label record")
                guard count >= 0 && count <= input.remaining / 9 else {
                    throw input.error("the value label record declares \(count) labels, more than the file can hold; the file is damaged, export it again.", at: recordOffset)
                }
                var labels: [([UInt8], [UInt8])] = []
                for _ in 0..<count {
                    let value = try input.bytes(8, "a value label")
                    try input.need(1, "a value label")
                    let length = Int(input.byteUnchecked())
                    let label = try input.bytes(length, "a value label")
                    try input.skip((length + 8) / 8 * 8 - length - 1, "a value label")
                    labels.append((value, label))
                }
                let indexOffset = input.offset
                guard try input.int32("the value label variables record") == 4 else {
                    throw input.error("a value label record (type 3) must be followed by its variables record (type 4); the file is damaged, export it again.", at: indexOffset)
                }
                let n = try input.int32("the value label variables record")
                guard n >= 0 && n <= input.remaining / 4 else {
                    throw input.error("the value label variables record declares \(n) variables, more than the file can hold; the file is damaged, export it again.", at: indexOffset)
                }
                var slots: [Int] = []
                try input.need(4 * n, "the value label variables record")
                for _ in 0..<n { slots.append(Int(input.int32Unchecked())) }
                valueLabels.append((indexOffset, labels, slots))
            case 6:
                let lines = try input.int32("the document record")
                guard lines >= 0 && lines <= input.remaining / 80 else {
                    throw input.error("the document record declares \(lines) lines, more than the file can hold; the file is damaged, export it again.", at: recordOffset)
                }
                try input.skip(80 * lines, "the document record")
            case 7:
                let subtype = try input.int32("an extension record")
                let size = try input.int32("an extension record")
                let count = try input.int32("an extension record")
                let what = "extension record 7.\(subtype)"
                guard size >= 0, count >= 0, size.multipliedReportingOverflow(by: count).overflow == false else {
                    throw input.error("\(what) declares \(count) items of \(size) bytes; the file is damaged, export it again.", at: recordOffset)
                }
                let length = size * count
                guard length <= input.remaining else {
                    throw input.error("\(what) is \(length) bytes long but the file ends after \(input.remaining); the file is truncated, copy or export it again.", at: recordOffset)
                }
                let known: Set<Int> = [3, 4, 13, 14, 16, 20, 21, 22]
                guard known.contains(subtype) else {
                    try input.skip(length, what)
                    continue dictionary
                }
                guard length <= Limits.extensionRecordBytes else {
                    throw input.error("\(what) is \(length) bytes long, more than this program's limit of \(Limits.extensionRecordBytes >> 20) MiB.", at: recordOffset)
                }
                let dataOffset = input.offset
                switch subtype {
                case 3:
                    guard size == 4, count == 8 else { try input.skip(length, what); continue dictionary }
                    var ints: [Int] = []
                    for _ in 0..<8 { ints.append(try input.int32(what)) }
                    codePage = ints[7]
                case 4:
                    guard size == 8, count == 3 else { try input.skip(length, what); continue dictionary }
                    sysmis = try input.double(what)
                    highest = try input.double(what)
                    lowest = try input.double(what)
                case 16:
                    guard size == 8, count == 2 else { try input.skip(length, what); continue dictionary }
                    _ = try input.int64(what)
                    extendedCount = try input.int64(what)
                default:
                    let bytes = try input.bytes(length, what)
                    switch subtype {
                    case 13: longNames = bytes
                    case 14: veryLong = bytes
                    case 20: encodingRecord = String(decoding: bytes.filter { $0 != 0 }, as: UTF8.self)
                    case 21: longLabels.append((dataOffset, bytes))
                    default: longMissing.append((dataOffset, bytes))
                    }
                }
            case 999:
                _ = try input.int32("the dictionary termination record")
                break dictionary
            default:
                throw input.error("a dictionary record has type \(type); SPSS writes types 2, 3, 4, 6, 7 and 999; the file is damaged or not an SPSS system file.", at: recordOffset)
            }
        }
        if declaredCaseCount == nil, let extendedCount, extendedCount >= 0 {
            declaredCaseCount = Int(clamping: extendedCount)
        }

        // The text encoding: the override, else 7.20, else 7.3's code page.
        if let encodingOverride {
            guard let e = TextEncoding(name: encodingOverride) else {
                throw DatasetError(source: input.source, reason: "the encoding '\(encodingOverride)' is not one this program reads; use one of \(ReadOptions.encodingNames.joined(separator: ", ")).")
            }
            encoding = e
        } else if let encodingRecord, !encodingRecord.isEmpty {
            guard let e = TextEncoding(name: encodingRecord) else {
                throw DatasetError(source: input.source, reason: "the file's text encoding '\(encodingRecord)' (record 7.20) is not one this program reads; give the right one with --encoding NAME (ReadOptions.encoding), for example utf-8 or windows-1252.")
            }
            encoding = e
        } else if let codePage {
            switch codePage {
            case 2, 3: encoding = codePage == 2 ? .utf8 : .windows1252  // 7-bit ASCII; "8-bit ASCII"
            default:
                guard let e = TextEncoding(codePage: codePage) else {
                    throw DatasetError(source: input.source, reason: "the file's code page \(codePage) (record 7.3) is not one this program reads; give the right encoding with --encoding NAME (ReadOptions.encoding), for example utf-8 or windows-1252.")
                }
                encoding = e
            }
        }
        encodingName = encoding.name

        try buildVariables(raw: raw, veryLong: veryLong, longNames: longNames)
        applyLabels(raw: raw, valueLabels: valueLabels)
        try applyLongStringRecords(labels: longLabels, missing: longMissing)
        try startData()
    }

    /// Text of the file as UTF-8, without trailing spaces and NULs.
    private func decoded(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var b = Array(bytes)
        while let last = b.last, last == 0x20 || last == 0 { b.removeLast() }
        if encoding == .utf8 { return b }
        return encoding.decode(b).utf8
    }

    private func text(_ bytes: some Collection<UInt8>) -> String { String(decoding: decoded(bytes), as: UTF8.self) }

    private mutating func buildVariables(raw: [RawVariable], veryLong: [UInt8], longNames: [UInt8]) throws(DatasetError) {
        // Short name → dictionary index of the segment variables.
        struct Segment { var index: Int; var firstSlot: Int; var width: Int; var slots: Int; var name: [UInt8] }
        var segments: [Segment] = []
        var k = 0
        var slot = 0
        while k < raw.count {
            let r = raw[k]
            guard r.type >= 0 else {
                throw input.error("variable record \(k + 1) continues a string but follows no string that needs it; the file is damaged, export it again.", at: r.offset)
            }
            let slots = r.type == 0 ? 1 : (r.type + 7) / 8
            for c in 1..<max(slots, 1) where k + c >= raw.count || raw[k + c].type != -1 {
                throw input.error("variable record \(k + 1) is a string of \(r.type) bytes, which needs \(slots - 1) continuation records, but record \(k + c + 1) is not one; the file is damaged, export it again.", at: r.offset)
            }
            var name = r.shortName
            while let last = name.last, last == 0x20 || last == 0 { name.removeLast() }
            segments.append(Segment(index: k, firstSlot: slot, width: r.type, slots: slots, name: name))
            k += slots
            slot += slots
        }
        slotCount = slot
        // Very long strings (7.14): NAME=WIDTH pairs, separated by tabs (and NULs).
        var widthOf: [[UInt8]: Int] = [:]
        for pair in veryLong.split(whereSeparator: { $0 == 0x09 || $0 == 0 }) {
            guard let eq = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = Array(pair[pair.startIndex..<eq]), value = pair[(eq + 1)...]
            guard let w = Int(String(decoding: value, as: UTF8.self).trimmingSpaces), w > 255 && w <= 32767 else { continue }
            widthOf[uppercased(key)] = w
        }
        // Long names (7.13): SHORT=Long pairs separated by tabs.
        var longName: [[UInt8]: [UInt8]] = [:]
        for pair in longNames.split(separator: 0x09) {
            guard let eq = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
            longName[uppercased(Array(pair[pair.startIndex..<eq]))] = Array(pair[(eq + 1)...])
        }
        var s = 0
        variables = []
        layout = []
        rawIndexOfVariable = []
        while s < segments.count {
            let seg = segments[s]
            var parts = [(slots: seg.slots, width: seg.width)]
            var width = seg.width
            if seg.width > 0, let w = widthOf[uppercased(seg.name)] {
                let n = (w + 251) / 252
                guard s + n <= segments.count else {
                    throw input.error("the very long string \(text(seg.name)) of \(w) bytes needs \(n) segments, but the file has only \(segments.count - s) variables from there on; the file is damaged, export it again.")
                }
                for j in 1..<n {
                    guard segments[s + j].width > 0 else {
                        throw input.error("segment \(j + 1) of the very long string \(text(seg.name)) is a number; the file is damaged, export it again.")
                    }
                    parts.append((segments[s + j].slots, segments[s + j].width))
                }
                width = w
                s += n - 1
            }
            let nameBytes = longName[uppercased(seg.name)] ?? seg.name
            variables.append(DatasetVariable(name: text(nameBytes), isString: seg.width > 0))
            layout.append(VariableSlots(firstSlot: seg.firstSlot, segments: parts, width: seg.width > 0 ? width : 0))
            rawIndexOfVariable.append(seg.index)
            s += 1
        }
        // Missing values of records 2.
        for (v, k) in rawIndexOfVariable.enumerated() {
            let r = raw[k]
            guard r.missingCount != 0 else { continue }
            var m = DatasetMissingValues()
            if variables[v].isString {
                for w in r.missing {
                    var bytes: [UInt8] = []
                    for b in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: input.bigEndian ? w >> (56 - 8 * b) : w >> (8 * b))) }
                    m.strings.append(decoded(bytes))
                }
            } else {
                let values = r.missing.map { self.bound(Double(bitPattern: $0)) }
                switch r.missingCount {
                case -2, -3:
                    if values[0] <= values[1] { m.range = values[0]...values[1] }
                    if r.missingCount == -3 { m.numbers = [values[2]] }
                default: m.numbers = values
                }
            }
            variables[v].missingValues = m
        }
    }

    /// LOWEST and HIGHEST as infinities.
    private func bound(_ x: Double) -> Double {
        if x == lowest || x == -Double.greatestFiniteMagnitude.nextDown { return -.infinity }
        if x == highest || x == .greatestFiniteMagnitude { return .infinity }
        return x
    }

    private var rawIndexOfVariable: [Int] = []

    private func uppercased(_ b: [UInt8]) -> [UInt8] {
        var b = b
        while let last = b.last, last == 0x20 || last == 0 { b.removeLast() }
        return b.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
    }

    private mutating func applyLabels(raw: [RawVariable], valueLabels: [(offset: Int, labels: [([UInt8], [UInt8])], slots: [Int])]) {
        // Dictionary index (1-based) → variable.
        var variableOfIndex: [Int: Int] = [:]
        for (v, k) in rawIndexOfVariable.enumerated() { variableOfIndex[k + 1] = v }
        for record in valueLabels {
            for index in record.slots {
                guard let v = variableOfIndex[index] else { continue }  // an index that names no variable: ignored
                for (value, label) in record.labels {
                    let key: DatasetValue
                    if variables[v].isString {
                        key = .string(decoded(value))
                    } else {
                        var w: UInt64 = 0
                        if input.bigEndian { for b in value { w = w << 8 | UInt64(b) } } else {
                            for (i, b) in value.enumerated() { w |= UInt64(b) << (8 * i) }
                        }
                        let x = Double(bitPattern: w)
                        guard !x.isNaN else { continue }
                        key = .number(x)
                    }
                    variables[v].valueLabels[key] = text(label)
                }
            }
        }
    }

    /// Records 7.21 (labels of long strings) and 7.22 (their missing values).
    private mutating func applyLongStringRecords(labels: [(offset: Int, bytes: [UInt8])], missing: [(offset: Int, bytes: [UInt8])]) throws(DatasetError) {
        var variableOfName: [String: Int] = [:]
        for (v, variable) in variables.enumerated() { variableOfName[variable.name.uppercased()] = v }
        let big = input.bigEndian
        for record in labels {
            var r = BytesCursor(bytes: record.bytes, bigEndian: big)
            while !r.atEnd {
                let what = "extension record 7.21"
                let nameLength = try r.int(or: input.error("\(what) is cut short; the file is damaged, export it again.", at: record.offset))
                let name = try r.take(nameLength, or: input.error("\(what) is cut short; the file is damaged, export it again.", at: record.offset))
                _ = try r.int(or: input.error("\(what) is cut short; the file is damaged, export it again.", at: record.offset))
                let n = try r.int(or: input.error("\(what) is cut short; the file is damaged, export it again.", at: record.offset))
                let v = variableOfName[text(name).uppercased()]
                for _ in 0..<max(0, n) {
                    let valueLength = try r.int(or: input.error("\(what) is cut short; the file is damaged, export it again.", at: record.offset))
                    let value = try r.take(valueLength, or: input.error("\(what) is cut short; the file is damaged, export it again.", at: record.offset))
                    let labelLength = try r.int(or: input.error("\(what) is cut short; the file is damaged, export it again.", at: record.offset))
                    let label = try r.take(labelLength, or: input.error("\(what) is cut short; the file is damaged, export it again.", at: record.offset))
                    if let v, variables[v].isString { variables[v].valueLabels[.string(decoded(value))] = text(label) }
                }
            }
        }
        for record in missing {
            var r = BytesCursor(bytes: record.bytes, bigEndian: big)
            while !r.atEnd {
                let what = "extension record 7.22"
                let cut = input.error("\(what) is cut short; the file is damaged, export it again.", at: record.offset)
                let nameLength = try r.int(or: cut)
                let name = try r.take(nameLength, or: cut)
                let n = Int(try r.take(1, or: cut)[0])
                let valueLength = try r.int(or: cut)
                guard (0...3).contains(n), valueLength >= 0 else {
                    throw input.error("\(what) declares \(n) missing values of \(valueLength) bytes for \(text(name)); the file is damaged, export it again.", at: record.offset)
                }
                var values: [[UInt8]] = []
                for _ in 0..<n { values.append(decoded(try r.take(valueLength, or: cut))) }
                if let v = variableOfName[text(name).uppercased()], variables[v].isString {
                    variables[v].missingValues.strings = values
                }
            }
        }
    }

    /// Little cursor over an extension record's bytes.
    private struct BytesCursor {
        let bytes: [UInt8]
        let bigEndian: Bool
        var i = 0
        var atEnd: Bool { i >= bytes.count }
        mutating func int(or error: @autoclosure () -> DatasetError) throws(DatasetError) -> Int {
            let b = try take(4, or: error())
            let v = bigEndian ? b.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                : b.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return Int(Int32(bitPattern: v))
        }
        mutating func take(_ n: Int, or error: @autoclosure () -> DatasetError) throws(DatasetError) -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - i else { throw error() }
            defer { i += n }
            return bytes[i..<(i + n)]
        }
    }

    // MARK: - Data

    private mutating func startData() throws(DatasetError) {
        guard isZlib else { return }
        // The ZLIB header: its own offset, the trailer's offset and length.
        let headerOffset = input.offset
        let zheader = try input.int64("the ZLIB data header")
        let trailerOffset = try input.int64("the ZLIB data header")
        let trailerLength = try input.int64("the ZLIB data header")
        guard zheader == Int64(headerOffset), trailerOffset >= Int64(input.offset), trailerOffset <= Int64(input.size),
              trailerLength >= 24, trailerLength <= Int64(input.size) - trailerOffset else {
            throw input.error("the ZLIB data header (offsets \(zheader), \(trailerOffset), length \(trailerLength)) does not fit the file of \(input.size) bytes; the file is damaged or truncated, export it again.", at: headerOffset)
        }
        let dataStart = input.offset
        try input.seek(Int(trailerOffset))
        _ = try input.int64("the ZLIB trailer")  // -bias
        _ = try input.int64("the ZLIB trailer")  // 0
        let blockSize = try input.int32("the ZLIB trailer")
        let n = try input.int32("the ZLIB trailer")
        guard n >= 0, Int64(n) * 24 == trailerLength - 24, blockSize > 0, blockSize <= Limits.zlibBlockBytes else {
            throw input.error("the ZLIB trailer declares \(n) blocks of \(blockSize) bytes in \(trailerLength) bytes; the file is damaged, export it again.", at: Int(trailerOffset))
        }
        var expected = Int64(dataStart)
        for k in 0..<n {
            _ = try input.int64("the ZLIB trailer")
            let compressedOffset = try input.int64("the ZLIB trailer")
            let uncompressedSize = try input.int32("the ZLIB trailer")
            let compressedSize = try input.int32("the ZLIB trailer")
            guard compressedOffset == expected, compressedSize >= 0, uncompressedSize >= 0, uncompressedSize <= blockSize,
                  Int64(compressedSize) <= trailerOffset - compressedOffset else {
                throw input.error("block \(k + 1) of the ZLIB trailer (at \(compressedOffset), \(compressedSize) bytes, \(uncompressedSize) when decompressed) does not fit the file; the file is damaged, export it again.", at: Int(trailerOffset))
            }
            blocks.append(ZlibBlock(compressedOffset: Int(compressedOffset), compressedSize: Int(compressedSize), uncompressedSize: Int(uncompressedSize)))
            expected = compressedOffset + Int64(compressedSize)
        }
        data = DatasetBytes(bytes: [], source: input.source)
        data.bigEndian = input.bigEndian
    }

    /// The decompressed data of a `.zsav` (unused otherwise).
    private var data = DatasetBytes(bytes: [], source: "")

    /// Makes `n` bytes of data available; false at the end of the data.
    @inline(__always) private mutating func dataAvailable(_ n: Int) throws(DatasetError) -> Bool {
        guard isZlib else { return input.windowRemaining >= n ? true : try input.available(n) }
        while data.windowRemaining < n {
            guard nextBlock < blocks.count else { return false }
            if inflatedAhead.isEmpty { try inflateAhead() }
            let block = blocks[nextBlock]
            nextBlock += 1
            data.appendDecompressed(inflatedAhead.removeFirst(), start: block.compressedOffset)
        }
        return true
    }

    /// Decompresses the next blocks, up to one per thread, at once (the
    /// blocks are independent); errors are reported for the first bad
    /// block in file order, as one block at a time would.
    private mutating func inflateAhead() throws(DatasetError) {
        let count = min(max(1, threads), blocks.count - nextBlock)
        var compressed: [[UInt8]] = []
        for k in 0..<count {
            let block = blocks[nextBlock + k]
            try input.seek(block.compressedOffset)
            compressed.append(try input.bytes(block.compressedSize, "ZLIB block \(nextBlock + k + 1)"))
        }
        let limits = (0..<count).map { blocks[nextBlock + $0].uncompressedSize }
        var results = [Result<[UInt8], InflateError>?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            let out = UncheckedSendableBox(out)
            ParallelWork.run(count: count, threads: threads) { k in
                do throws(InflateError) {
                    out.value[k] = .success(try Self.inflate(compressed[k], limit: limits[k]))
                } catch {
                    out.value[k] = .failure(error)
                }
            }
        }
        for k in 0..<count {
            let block = blocks[nextBlock + k]
            let number = nextBlock + k + 1
            switch results[k]! {
            case .failure(let error):
                throw input.error("ZLIB block \(number) of \(blocks.count) is corrupt: \(error.reason); the file is damaged, export it again.", at: block.compressedOffset + error.offset)
            case .success(let inflated):
                guard inflated.count == block.uncompressedSize else {
                    throw input.error("ZLIB block \(number) decompresses to \(inflated.count) bytes, not the \(block.uncompressedSize) its trailer declares; the file is damaged, export it again.", at: block.compressedOffset)
                }
                inflatedAhead.append(inflated)
            }
        }
    }

    /// Decompresses one ZLIB block (RFC 1950) of at most `limit` bytes.
    private static func inflate(_ compressed: [UInt8], limit: Int) throws(InflateError) -> [UInt8] {
        try Inflate.zlib(compressed, outputLimit: limit).output
    }

    @inline(__always) private mutating func dataWord() -> UInt64 { isZlib ? data.word64Unchecked() : input.word64Unchecked() }
    private var dataOffset: Int { isZlib ? data.offset : input.offset }

    /// One 8-byte slot of the case: a number, 8 string bytes, or the end.
    private enum Slot {
        case number(Double)
        case spaces
        case raw(UInt64)
        case sysmis
        case end
    }

    /// The next slot in bytecode.
    @inline(__always) private mutating func nextBytecodeSlot() throws(DatasetError) -> Slot {
        while true {
            if nextCode == 8 {
                guard try refillCommand() else { return .end }
            }
            let code = UInt8(truncatingIfNeeded: command >> (UInt64(nextCode) &* 8))
            nextCode += 1
            switch code {
            case 0: continue
            case 252: return .end
            case 253:
                guard try dataAvailable(8) else {
                    throw DatasetError(source: input.source, offset: dataOffset, caseNumber: casesRead + 1,
                                       reason: "the data end inside a value; the file is truncated, copy or export it again.")
                }
                return .raw(dataWord())
            case 254: return .spaces
            case 255: return .sysmis
            default: return .number(Double(code) - bias)
            }
        }
    }

    /// Reads the next command block; false at the end of the data.
    @inline(__always) private mutating func refillCommand() throws(DatasetError) -> Bool {
        guard try dataAvailable(8) else { return false }
        command = isZlib ? data.word64LittleEndianUnchecked() : input.word64LittleEndianUnchecked()
        nextCode = 0
        return true
    }

    /// The next slot of a bytecode string when it is a common one, 8 bytes
    /// of data in the input window (253) or 8 spaces (254), after the
    /// padding to the end of the block (writers such as ReadStat end each
    /// case's codes so) is skipped and the next block read; nil for any
    /// other slot, left to `nextBytecodeSlot`.
    @inline(__always) private mutating func commonStringWord() throws(DatasetError) -> UInt64? {
        if nextCode < 8 && command >> (UInt64(nextCode) &* 8) == 0 { nextCode = 8 }
        if nextCode == 8 { _ = try refillCommand() }
        guard nextCode < 8 else { return nil }
        let code = UInt8(truncatingIfNeeded: command >> (UInt64(nextCode) &* 8))
        if code == 253 && !isZlib && input.windowRemaining >= 8 {
            nextCode += 1
            return input.word64LittleEndianUnchecked()
        }
        if code == 254 {
            nextCode += 1
            return 0x2020_2020_2020_2020
        }
        return nil
    }

    package mutating func next(into row: inout DatasetCase) throws(DatasetError) -> Bool {
        var none: [UInt8] = [], system = [Int](repeating: 0, count: layout.count), user = system
        let plan = DatasetItemPlan(variableCount: variables.count, itemColumns: [], scaleMin: 0, scaleMax: 0)
        return try decode(into: &row, plan: plan, codes: &none, systemMissing: &system, userMissing: &user, plain: true).more
    }

    /// The declared case count, when the file is large enough to hold it:
    /// each case takes at least one byte per variable slot in bytecode
    /// (eight uncompressed); a `.zsav`'s blocks hold at most what their
    /// trailer declares and DEFLATE shrinks data at most 1,032 times, and
    /// at most 4,194,304 cases are reserved for one (more grow the table).
    package var plausibleCaseCount: Int? {
        guard let declared = declaredCaseCount, slotCount > 0 else { return nil }
        let bytesPerCase = isBytecode ? slotCount : 8 * slotCount
        var dataBytes = input.size
        if isZlib {
            let declaredBytes = blocks.reduce(0) { $0 + $1.uncompressedSize }
            let compressedBytes = blocks.reduce(0) { $0 + $1.compressedSize }
            dataBytes = min(declaredBytes, min(compressedBytes, Int.max / 1032) * 1032, (1 << 22) * bytesPerCase)
        }
        return min(declared, dataBytes / bytesPerCase + 1)
    }

    /// Per item of `plan`, 256 entries: for each bytecode command 1 to 251
    /// the answer code of its number, 0xFE when it is declared missing,
    /// 0xFD when it is off the scale; 254 and 255 (system-missing) give 0;
    /// 0, 252 and 253 give 0xFF (decoded slot by slot); and the runs of
    /// item variables (`itemRunEnd`, `plainItemRun`), which an uncompressed
    /// file uses without the tables.
    private mutating func buildItemTables(plan: DatasetItemPlan) {
        itemTablesItemCount = plan.itemColumns.count
        // (The code tables are read in bytecode only; an uncompressed file needs `itemRunEnd` alone.)
        itemTables = [UInt8](repeating: 0xFF, count: isBytecode ? 256 * plan.itemColumns.count : 0)
        for (i, v) in plan.itemColumns.enumerated() where isBytecode && v < layout.count && layout[v].width == 0 {
            for c in 1...251 {
                let x = Double(c) - bias
                let entry: UInt8
                if numericMissing[v] && variables[v].missingValues.contains(x) { entry = 0xFE } else { entry = plan.code(x) ?? 0xFD }
                itemTables[256 * i + c] = entry
            }
            itemTables[256 * i + 254] = 0
            itemTables[256 * i + 255] = 0
        }
        // Eight codes at a time (`decodeItemRun`): with a whole bias and answer codes 1...127 (SWAR byte compares).
        plainItemRun = [Int](repeating: 0, count: layout.count)
        let lowest = bias + Double(plan.scaleMin), highest = bias + Double(plan.scaleMax)
        if bias == bias.rounded(), lowest >= 1, highest <= 127, lowest <= highest {
            lowestAnswerCode = UInt64(lowest)
            highestAnswerCode = UInt64(highest)
            for v in stride(from: layout.count - 1, through: 0, by: -1) {
                let item = v < plan.itemOfVariable.count ? plan.itemOfVariable[v] : -1
                guard item >= 0, layout[v].width == 0, !numericMissing[v] else { continue }
                let consecutive = v + 1 < layout.count && plainItemRun[v + 1] > 0 && plan.itemOfVariable[v + 1] == item + 1
                plainItemRun[v] = consecutive ? plainItemRun[v + 1] + 1 : 1
            }
        }
        itemRunEnd = Array(0..<layout.count)
        var end = layout.count
        for v in stride(from: layout.count - 1, through: 0, by: -1) {
            let isItem = v < plan.itemOfVariable.count && plan.itemOfVariable[v] >= 0 && layout[v].width == 0
            if isItem { itemRunEnd[v] = end } else { end = v }
        }
    }

    /// Decodes the item variables `start..<end` (a run of numeric items)
    /// while each is a compressed code of its table (an answer, system- or
    /// declared missing): the plain path of `next` gives the same codes and
    /// counts one variable at a time. Returns the first variable left for
    /// the plain path (`end` when the run is done).
    ///
    /// Plain items (`plainItemRun`) go up to eight at a time, by
    /// `plainCodes`, from the bytes in the input window; a code that is
    /// not an answer or system-missing, a declared missing value or the
    /// window's edge leaves the code to the table, one at a time.
    @inline(__always) private mutating func decodeItemRun(from start: Int, to end: Int, itemOfVariable: UnsafeBufferPointer<Int>,
                                                          plainRun: UnsafeBufferPointer<Int>,
                                                          tables: UnsafeBufferPointer<UInt8>, codes: UnsafeMutableBufferPointer<UInt8>,
                                                          systemMissing: UnsafeMutableBufferPointer<Int>,
                                                          userMissing: UnsafeMutableBufferPointer<Int>) throws(DatasetError) -> Int {
        var v = start
        while v < end {
            if plainRun[v] > 0 {
                var code = nextCode, word = command, at = v
                let (low, high) = (lowestAnswerCode, highestAnswerCode)
                // (The closure is written twice so that it stays non-escaping: its variables are not boxed.)
                if isZlib {
                    data.consumeWindow {
                        Self.plainCodes($0, code: &code, command: &word, variable: &at, end: end, low: low, high: high,
                                        itemOfVariable: itemOfVariable, plainRun: plainRun, codes: codes, systemMissing: systemMissing)
                    }
                } else {
                    input.consumeWindow {
                        Self.plainCodes($0, code: &code, command: &word, variable: &at, end: end, low: low, high: high,
                                        itemOfVariable: itemOfVariable, plainRun: plainRun, codes: codes, systemMissing: systemMissing)
                    }
                }
                (nextCode, command, v) = (code, word, at)
                if v >= end { break }
            }
            // One code by its table.
            if nextCode == 8 {
                guard try refillCommand() else { return v }
            }
            let item = itemOfVariable[v]
            let entry = tables[256 &* item &+ Int(truncatingIfNeeded: (command >> (UInt64(nextCode) &* 8)) & 0xFF)]
            if entry >= 0xFD {
                guard entry == 0xFE else { return v }
                codes[item] = 0
                userMissing[v] &+= 1
            } else {
                codes[item] = entry
                if entry == 0 { systemMissing[v] &+= 1 }
            }
            nextCode &+= 1
            v &+= 1
        }
        return v
    }

    /// Decodes the item variables `start..<end` of an uncompressed case
    /// (each an 8-byte number; the case start made the whole case
    /// available in the window) while each is an answer on the scale or
    /// system-missing and has no declared missing values: the codes and
    /// counts of the plain path, without its per-variable bookkeeping.
    /// Returns the first variable left for the plain path.
    @inline(__always) private mutating func decodeUncompressedItemRun(from start: Int, to end: Int, plan: DatasetItemPlan,
                                                                      itemOfVariable: UnsafeBufferPointer<Int>,
                                                                      codes: UnsafeMutableBufferPointer<UInt8>,
                                                                      systemMissing: UnsafeMutableBufferPointer<Int>) -> Int {
        let numericMissing = self.numericMissing, sysmis = self.sysmis, bigEndian = input.bigEndian
        // `plan.code(x)` with its bounds in registers: a whole number on the scale (Int(x) is exact there).
        let lowest = Double(plan.scaleMin), highest = Double(plan.scaleMax), scaleMin = plan.scaleMin
        var v = start
        numericMissing.withUnsafeBufferPointer { declared in
            input.consumeWindow { bytes in
                var at = 0
                while v < end && at &+ 8 <= bytes.count && !declared[v] {
                    let word = bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                    let x = Double(bitPattern: bigEndian ? UInt64(bigEndian: word) : UInt64(littleEndian: word))
                    let item = itemOfVariable[v]
                    if x == sysmis || x.isNaN {
                        codes[item] = 0
                        systemMissing[v] &+= 1
                    } else if x >= lowest && x <= highest && Double(Int(x)) == x {
                        codes[item] = UInt8(truncatingIfNeeded: Int(x) &- scaleMin &+ 1)
                    } else {
                        break  // off the scale: examined by the plain path
                    }
                    at &+= 8
                    v &+= 1
                }
                return at
            }
        }
        return v
    }

    /// The answers of plain items (`plainItemRun`) from bytecode, up to
    /// eight codes at once (SWAR on the 64-bit command block, as "Bit
    /// Twiddling Hacks" tests bytes): each code is an answer
    /// (`low...high`, code − low + 1) or system-missing (254 or 255, code
    /// 0, counted). Starts at `variable` with the command block `command`
    /// at `code` (8: the next block is in `bytes`), and stops at `end`,
    /// at a variable that is not a plain item, at a command block holding
    /// any other code where it is needed (decoded one by one then), or
    /// when `bytes` hold no further block. Returns the bytes read (command
    /// blocks; plain items have no data words).
    @inline(__always) private static func plainCodes(_ bytes: UnsafeRawBufferPointer, code: inout Int, command: inout UInt64,
                                                     variable v: inout Int, end: Int, low: UInt64, high: UInt64,
                                                     itemOfVariable: UnsafeBufferPointer<Int>, plainRun: UnsafeBufferPointer<Int>,
                                                     codes: UnsafeMutableBufferPointer<UInt8>,
                                                     systemMissing: UnsafeMutableBufferPointer<Int>) -> Int {
        let ones = 0x0101_0101_0101_0101 as UInt64
        let fill = low &* ones
        var at = 0
        while v < end {
            if code == 8 {
                guard at &+ 8 <= bytes.count else { break }
                command = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                at &+= 8
                code = 0
            }
            let n = min(8 &- code, end &- v, plainRun[v])
            guard n > 0 else { break }
            // The common block: eight answers to eight plain items.
            if n == 8 && allBytes(of: command, in: low, high) {
                let answers = command &- (low &- 1) &* ones
                UnsafeMutableRawPointer(codes.baseAddress! + itemOfVariable[v]).storeBytes(of: answers.littleEndian, as: UInt64.self)
                v &+= 8
                code = 8
                continue
            }
            // The n codes in the low bytes; the bytes above them read as answers.
            let keep: UInt64 = n == 8 ? ~0 : (1 &<< UInt64(8 &* n)) &- 1
            let x = ((command &>> UInt64(8 &* code)) & keep) | (fill & ~keep)
            // System-missing bytes (254, 255): the high bit of each set; then taken as answers.
            let system = nonzeroBytes(~(x | ones)) ^ 0x8080_8080_8080_8080
            let systemBytes = (system &>> 7) &* 0xFF
            let y = (x & ~systemBytes) | (fill & systemBytes)
            guard allBytes(of: y, in: low, high) else { break }
            let answers = (y &- (low &- 1) &* ones) & ~systemBytes
            let first = codes.baseAddress! + itemOfVariable[v]
            if n == 8 {
                UnsafeMutableRawPointer(first).storeBytes(of: answers.littleEndian, as: UInt64.self)
            } else {
                var rest = answers
                for i in 0..<n {
                    first[i] = UInt8(truncatingIfNeeded: rest)
                    rest &>>= 8
                }
            }
            var missing = system
            while missing != 0 {
                systemMissing[v &+ missing.trailingZeroBitCount &>> 3] &+= 1
                missing &= missing &- 1
            }
            v &+= n
            code &+= n
        }
        return at
    }

    package mutating func next(into row: inout DatasetCase, plan: DatasetItemPlan, codes: inout [UInt8],
                               systemMissing: inout [Int], userMissing: inout [Int]) throws(DatasetError) -> (more: Bool, examine: Bool) {
        try decode(into: &row, plan: plan, codes: &codes, systemMissing: &systemMissing, userMissing: &userMissing, plain: false)
    }

    /// `next(into:plan:…)`; `plain`: every variable by the plain path, one
    /// slot at a time (`next(into:)`, which the tests and the fuzz target
    /// compare the direct paths with).
    @inline(__always) private mutating func decode(into row: inout DatasetCase, plan: DatasetItemPlan, codes: inout [UInt8],
                                                   systemMissing: inout [Int], userMissing: inout [Int], plain: Bool) throws(DatasetError) -> (more: Bool, examine: Bool) {
        guard !finished else { return (false, false) }
        guard !layout.isEmpty else {
            // No variable, so no case can be read: a declared count above 0 is not met.
            finished = true
            if let declared = declaredCaseCount, declared > 0 {
                throw DatasetError(source: input.source, offset: dataOffset,
                                   reason: "the header declares \(declared) cases but the file has no variables to hold them; the file is damaged, export it again.")
            }
            return (false, false)
        }
        if let partEnd, casesRead == partEnd {
            finished = true
            return (false, false)
        }
        if let declared = declaredCaseCount, casesRead == declared {
            finished = true
            try checkNoMoreData(declared: declared)
            return (false, false)
        }
        let caseStart = dataOffset
        if !isBytecode {
            guard try dataAvailable(8 * slotCount) else {
                finished = true
                let left = isZlib ? data.windowRemaining : input.remaining
                if left > 0 {
                    throw DatasetError(source: input.source, offset: caseStart, caseNumber: casesRead + 1,
                                       reason: "the data end inside the case (\(left) of its \(8 * slotCount) bytes); the file is truncated, copy or export it again.")
                }
                try checkCount()
                return (false, false)
            }
        }
        if numericMissing.count != layout.count {
            numericMissing = variables.map { !$0.isString && !$0.missingValues.isEmpty }
            stringMissing = variables.map { $0.isString && !$0.missingValues.strings.isEmpty }
            isNumeric = layout.map { $0.width == 0 }
            oneSlotWidth = layout.map { $0.width > 0 && $0.segments.count == 1 && $0.segments[0].slots == 1 ? min($0.width, $0.segments[0].width, 8) : 0 }
        }
        if itemTablesItemCount != plan.itemColumns.count { buildItemTables(plan: plan) }
        // The case's variables, through its storage held once (each write of an array element would check
        // that its storage is not shared, and the optimiser hoists such checks out of loops one per path).
        let tables = itemTables, plainRun = plainItemRun
        let examine = try tables.withUnsafeBufferPointer { tables throws(DatasetError) in
          try plainRun.withUnsafeBufferPointer { plainRun throws(DatasetError) in
            try plan.itemOfVariable.withUnsafeBufferPointer { itemOf throws(DatasetError) in
              try codes.withUnsafeMutableBufferPointer { codes throws(DatasetError) in
                try systemMissing.withUnsafeMutableBufferPointer { systemMissing throws(DatasetError) in
                  try userMissing.withUnsafeMutableBufferPointer { userMissing throws(DatasetError) in
                    try row.numbers.withUnsafeMutableBufferPointer { numbers throws(DatasetError) in
                      try row.missing.withUnsafeMutableBufferPointer { missing throws(DatasetError) in
                        try row.strings.withUnsafeMutableBufferPointer { strings throws(DatasetError) in
                            try decodeVariables(plan: plan, itemOf: itemOf, tables: tables, plainRun: plainRun, codes: codes,
                                                systemMissing: systemMissing, userMissing: userMissing,
                                                numbers: numbers, missing: missing, strings: strings, plain: plain)
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
        guard let examine else { return (false, false) }
        for (item, of) in plan.aliases { codes[item] = codes[of] }
        casesRead += 1
        return (true, examine)
    }

    /// The variables of one case (`next(into:plan:codes:…)`), into the
    /// case's storage: true when a code is 0xFF (a number off the scale
    /// to examine), nil when the data end before the case (at its first variable).
    @inline(__always) private mutating func decodeVariables(plan: DatasetItemPlan, itemOf: UnsafeBufferPointer<Int>, tables: UnsafeBufferPointer<UInt8>,
                                                            plainRun: UnsafeBufferPointer<Int>, codes: UnsafeMutableBufferPointer<UInt8>,
                                                            systemMissing: UnsafeMutableBufferPointer<Int>, userMissing: UnsafeMutableBufferPointer<Int>,
                                                            numbers: UnsafeMutableBufferPointer<Double>, missing: UnsafeMutableBufferPointer<DatasetMissingKind>,
                                                            strings: UnsafeMutableBufferPointer<[UInt8]>, plain: Bool) throws(DatasetError) -> Bool? {
        // Every index below is a variable (`layout`) or an item of `plan`: the buffers must hold them all.
        precondition(numbers.count >= layout.count && missing.count >= layout.count && strings.count >= layout.count
                     && systemMissing.count >= layout.count && userMissing.count >= layout.count
                     && plan.itemOfVariable.count <= layout.count && codes.count >= plan.itemColumns.count
                     && (!isBytecode || (plainRun.count >= layout.count && tables.count == 256 * plan.itemColumns.count)))
        var examine = false
        var v = -1
        while v + 1 < layout.count {
            v += 1
            let item = v < plan.itemOfVariable.count ? plan.itemOfVariable[v] : -1
            if isBytecode && item >= 0 && itemRunEnd[v] > v + 1 {
                let stopped = try decodeItemRun(from: v, to: itemRunEnd[v], itemOfVariable: itemOf, plainRun: plainRun, tables: tables,
                                                codes: codes, systemMissing: systemMissing, userMissing: userMissing)
                if stopped > v {
                    // Variables v..<stopped are decoded; the next is decoded on.
                    v = stopped - 1
                    continue
                }
            }
            if !isBytecode && !isZlib && item >= 0 && itemRunEnd[v] > v + 1 {
                let stopped = decodeUncompressedItemRun(from: v, to: itemRunEnd[v], plan: plan, itemOfVariable: itemOf, codes: codes,
                                                        systemMissing: systemMissing)
                if stopped > v {
                    v = stopped - 1
                    continue
                }
            }
            if isNumeric[v] {
                // An item's compressed number, by its table: no Double, no slot.
                if item >= 0 && isBytecode {
                    if nextCode == 8 { _ = try refillCommand() }
                    if nextCode < 8 {
                        let c = Int(truncatingIfNeeded: (command >> (UInt64(nextCode) &* 8)) & 0xFF)
                        let entry = tables[256 &* item &+ c]
                        if entry < 0xFD {
                            nextCode += 1
                            codes[item] = entry
                            if entry == 0 { systemMissing[v] += 1 }
                            continue
                        }
                        if entry == 0xFE {
                            nextCode += 1
                            codes[item] = 0
                            userMissing[v] += 1
                            continue
                        }
                        if entry == 0xFD {
                            nextCode += 1
                            codes[item] = 0xFF
                            numbers[v] = Double(c) - bias
                            examine = true
                            continue
                        }
                    }
                }
                // The common case of other numbers: a compressed whole number in the current command block.
                if isBytecode && nextCode < 8 && item < 0 {
                    let code = UInt8(truncatingIfNeeded: command >> (UInt64(nextCode) &* 8))
                    if code >= 1 && code <= 251 {
                        nextCode += 1
                        let x = Double(code) - bias
                        numbers[v] = x
                        missing[v] = numericMissing[v] && variables[v].missingValues.contains(x) ? .declaredMissing : .present
                        continue
                    }
                }
                let slot: Slot = isBytecode ? try nextBytecodeSlot() : .raw(dataWord())
                var x: Double
                switch slot {
                case .end:
                    finished = true
                    if v == 0 { try checkCount(); return nil }
                    throw DatasetError(source: input.source, offset: dataOffset, caseNumber: casesRead + 1,
                                       reason: "the data end in the middle of the case, at variable \(variables[v].name); the file is truncated or damaged, export it again.")
                case .number(let n): x = n
                case .raw(let w): x = Double(bitPattern: w)
                case .sysmis, .spaces: x = sysmis
                }
                let kind: DatasetMissingKind
                if x == sysmis || x.isNaN {
                    x = 0
                    kind = .systemMissing
                } else {
                    kind = numericMissing[v] && variables[v].missingValues.contains(x) ? .declaredMissing : .present
                }
                numbers[v] = x
                missing[v] = kind
                if item >= 0 {
                    switch kind {
                    case .systemMissing:
                        codes[item] = 0
                        systemMissing[v] += 1
                    case .declaredMissing:
                        codes[item] = 0
                        userMissing[v] += 1
                    case .present:
                        if let code = plan.code(x) { codes[item] = code } else {
                            codes[item] = 0xFF
                            examine = true
                        }
                    }
                }
                continue
            }
            // A string of one slot (ids and groups often are), in bytecode: its 8 bytes as one word, no buffer.
            if isBytecode && oneSlotWidth[v] > 0 && encoding == .utf8 && !plain, let word = try commonStringWord() {
                Self.setString(&strings[v], word: word, width: oneSlotWidth[v])
                missing[v] = stringMissing[v] && !strings[v].isEmpty && variables[v].missingValues.strings.contains(strings[v]) ? .declaredMissing : .present
                numbers[v] = 0
                continue
            }
            let l = layout[v]
            // The string's bytes go into `stringBuffer[0..<length]` (room for every slot of the longest string).
            let slotsOfString = l.segments.reduce(0) { $0 + $1.slots }
            if stringBuffer.count < 8 * slotsOfString { stringBuffer = [UInt8](repeating: 0, count: 8 * slotsOfString) }
            var length = 0
            for segment in l.segments {
                let start = length
                for _ in 0..<segment.slots {
                    if isBytecode, let word = try commonStringWord() {
                        storeStringWord(word, at: &length)
                        continue
                    }
                    let slot: Slot = isBytecode ? try nextBytecodeSlot() : .raw(dataWord())
                    switch slot {
                    case .end:
                        finished = true
                        if v == 0 && length == 0 { try checkCount(); return nil }
                        throw DatasetError(source: input.source, offset: dataOffset, caseNumber: casesRead + 1,
                                           reason: "the data end in the middle of the case, at variable \(variables[v].name); the file is truncated or damaged, export it again.")
                    case .spaces, .sysmis:
                        storeStringWord(0x2020_2020_2020_2020, at: &length)
                    case .raw(let w):
                        // The 8 bytes in file order (the word was read in the file's byte order).
                        storeStringWord(input.bigEndian ? w.byteSwapped : w, at: &length)
                    case .number:
                        throw DatasetError(source: input.source, offset: dataOffset, caseNumber: casesRead + 1,
                                           reason: "the string variable \(variables[v].name) holds a compressed number code; the file is damaged, export it again.")
                    }
                }
                // A segment holds `width` bytes of the string; the rest of its slots is padding.
                length = start + min(segment.width, length - start)
            }
            length = min(length, l.width)
            // The value in place (its storage reused case after case), without trailing spaces and NULs.
            var n = length
            while n > 0 && (stringBuffer[n - 1] == 0x20 || stringBuffer[n - 1] == 0) { n -= 1 }
            if encoding == .utf8 && n > 0 && strings[v].count == n {
                // As long as the last case's value (ids and groups often are): overwritten in place.
                stringBuffer.withUnsafeBufferPointer { source in
                    strings[v].withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source.baseAddress!, count: n) }
                }
            } else if encoding == .utf8 {
                strings[v].removeAll(keepingCapacity: true)
                stringBuffer.withUnsafeBufferPointer { strings[v].append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<n])) }
            } else {
                strings[v] = decoded(stringBuffer[0..<n])
            }
            missing[v] = stringMissing[v] && n > 0 && variables[v].missingValues.strings.contains(strings[v]) ? .declaredMissing : .present
            numbers[v] = 0
        }
        return examine
    }

    /// Splits the cases into up to `count` parts, each a reader of its own
    /// cases that may run on its own thread: the first reads from where
    /// this reader stands and stops where the second begins, and the others
    /// follow in order (the last one checks the end of the data as one reader
    /// would). Each part numbers its cases and gives byte offsets as one
    /// pass through the file does.
    ///
    /// Only before the first case, with a declared case count of at least
    /// `minimumCasesPerPart` (and 1) per part, for an uncompressed or bytecode-compressed `.sav`
    /// (not a `.zsav`, whose blocks are inflated on threads already). A
    /// bytecode file is scanned once for where the parts' first cases begin:
    /// its command blocks are read, the data words they announce skipped.
    /// Nil when the file cannot be split so (too small, damaged where the
    /// scan passes: one reader then reports the damage where it is).
    package func split(into count: Int, minimumCasesPerPart: Int) -> [SPSSFile]? {
        guard count >= 2, count <= 1024, !isZlib, casesRead == 0, !finished, nextCode == 8, slotCount > 0, !layout.isEmpty,
              let declared = declaredCaseCount, declared / count >= max(1, minimumCasesPerPart) else { return nil }
        let boundaries = (1..<count).map { declared / count * $0 }
        var starts: [(offset: Int, command: UInt64, nextCode: Int)] = []
        if !isBytecode {
            let dataStart = input.offset
            guard slotCount <= (input.size - dataStart) / 8 / declared else { return nil }
            starts = boundaries.map { (dataStart + 8 * slotCount * $0, 0, 8) }
        } else {
            var scan = input
            var slots = 0
            var k = 0
            var target = boundaries[0] * slotCount
            do throws(DatasetError) {
                scanning: while true {
                    // The blocks before the next boundary, with their data words, within the window: counted at once.
                    scan.consumeWindow { bytes in
                        var at = 0
                        let ones = 0x0101_0101_0101_0101 as UInt64, highBits = 0x8080_8080_8080_8080 as UInt64
                        while at &+ 72 <= bytes.count {
                            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                            // Most blocks hold eight codes, none of them padding (0), the end (252) or a data word (253):
                            // whether any byte is one of those is one test (exact for "any"), and the next block's
                            // offset is then known without this one's arithmetic (a predicted branch).
                            let end = word ^ 0xFCFC_FCFC_FCFC_FCFC, raw = word ^ 0xFDFD_FDFD_FDFD_FDFD
                            let special = (((word &- ones) & ~word) | ((end &- ones) & ~end) | ((raw &- ones) & ~raw)) & highBits
                            if special == 0 {
                                guard slots &+ 8 < target else { break }
                                slots &+= 8
                                at &+= 8
                                continue
                            }
                            let here = Self.highBitCount(Self.nonzeroBytes(word))
                            guard slots &+ here < target, Self.nonzeroBytes(end) == highBits else { break }
                            slots &+= here
                            at &+= 8 &+ 8 &* Self.highBitCount(Self.nonzeroBytes(raw) ^ highBits)
                        }
                        return at
                    }
                    // Then one block at a time: at a boundary, the end of the data or the window's edge.
                    if scan.windowRemaining < 8 { guard try scan.available(8) else { return nil } }
                    let word = scan.word64LittleEndianUnchecked()
                    let blockEnd = scan.offset
                    // Per byte: its high bit set when the byte is nonzero, or 0xFD, or 0xFC.
                    let nonzero = Self.nonzeroBytes(word), raw = Self.nonzeroBytes(word ^ 0xFDFD_FDFD_FDFD_FDFD) ^ 0x8080_8080_8080_8080
                    guard Self.nonzeroBytes(word ^ 0xFCFC_FCFC_FCFC_FCFC) == 0x8080_8080_8080_8080 else { return nil }  // the end of the data
                    let slotsHere = Self.highBitCount(nonzero)
                    var words = Self.highBitCount(raw)
                    if slots + slotsHere >= target {
                        words = 0
                        for i in 0..<8 {
                            let c = UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))
                            if c == 0 { continue }
                            slots += 1
                            if c == 253 { words += 1 }
                            if slots == target {
                                starts.append((blockEnd + 8 * words, word, i + 1))
                                k += 1
                                if k == boundaries.count { break scanning }
                                target = boundaries[k] * slotCount
                            }
                        }
                    } else {
                        slots += slotsHere
                    }
                    if scan.windowRemaining >= 8 * words { scan.advanceInWindow(8 * words) } else { try scan.skip(8 * words, "") }
                }
            } catch {
                return nil
            }
        }
        var parts: [SPSSFile] = []
        for (k, start) in starts.enumerated() {
            var part = self
            part.unshare()
            do throws(DatasetError) { try part.input.seek(start.offset) } catch { return nil }
            part.command = start.command
            part.nextCode = start.nextCode
            part.casesRead = boundaries[k]
            part.partEnd = k + 1 < boundaries.count ? boundaries[k + 1] : nil
            parts.append(part)
        }
        var first = self
        first.partEnd = boundaries[0]
        return [first] + parts
    }

    /// Gives this reader storage of its own for what its cases read, so
    /// that a part on another thread never counts references to the
    /// buffers of the reader it was split from (the cores would wait on each
    /// other's atomic counts, case after case: slower than one thread).
    private mutating func unshare() {
        variables = variables.map { $0.unshared() }
        layout = layout.map { VariableSlots(firstSlot: $0.firstSlot, segments: $0.segments.unshared(), width: $0.width) }
        itemTables = itemTables.unshared()
        itemRunEnd = itemRunEnd.unshared()
        plainItemRun = plainItemRun.unshared()
        stringMissing = stringMissing.unshared()
        stringBuffer = stringBuffer.unshared()
        isNumeric = isNumeric.unshared()
        oneSlotWidth = oneSlotWidth.unshared()
        numericMissing = numericMissing.unshared()
        blocks = blocks.unshared()
    }

    /// Whether every byte of `w` is in `low...high` (1 ≤ low ≤ high ≤ 127):
    /// no byte below `low` and none above `high` (the byte-wise tests of
    /// "Bit Twiddling Hacks", exact for whether any byte is so).
    @inline(__always) private static func allBytes(of w: UInt64, in low: UInt64, _ high: UInt64) -> Bool {
        let ones = 0x0101_0101_0101_0101 as UInt64, highBits = 0x8080_8080_8080_8080 as UInt64
        let anyBelow = (w &- ones &* low) & ~w & highBits
        let anyAbove = ((w &+ ones &* (127 &- high)) | w) & highBits
        return anyBelow | anyAbove == 0
    }

    /// The number of bytes of `w` whose high bit is set, when no other bit is
    /// (a multiply adds the bytes into the top one: baseline x86-64 has no
    /// population count instruction).
    @inline(__always) private static func highBitCount(_ w: UInt64) -> Int {
        Int(truncatingIfNeeded: ((w >> 7) &* 0x0101_0101_0101_0101) >> 56)
    }

    /// The high bit of each byte of `w` set when the byte is nonzero, the other bits clear.
    @inline(__always) private static func nonzeroBytes(_ w: UInt64) -> UInt64 {
        let low = 0x7F7F_7F7F_7F7F_7F7F as UInt64
        return (((w & low) &+ low) | w) & 0x8080_8080_8080_8080
    }

    /// Sets `string` to the first `width` bytes of `word` (the first in its
    /// lowest byte) without trailing spaces and NULs, in place when it has
    /// that length already.
    @inline(__always) private static func setString(_ string: inout [UInt8], word: UInt64, width: Int) {
        var n = width
        while n > 0 {
            let byte = UInt8(truncatingIfNeeded: word &>> UInt64(8 &* (n &- 1)))
            guard byte == 0x20 || byte == 0 else { break }
            n &-= 1
        }
        if string.count != n {
            string.removeAll(keepingCapacity: true)
            string.reserveCapacity(8)
            for i in 0..<n { string.append(UInt8(truncatingIfNeeded: word &>> UInt64(8 &* i))) }
            return
        }
        string.withUnsafeMutableBufferPointer { bytes in
            var rest = word
            for i in 0..<n {
                bytes[i] = UInt8(truncatingIfNeeded: rest)
                rest &>>= 8
            }
        }
    }

    /// Writes the 8 bytes of `word` (the first in its lowest byte) to
    /// `stringBuffer[length...]` and moves `length` past them.
    @inline(__always) private mutating func storeStringWord(_ word: UInt64, at length: inout Int) {
        let at = length
        stringBuffer.withUnsafeMutableBytes { $0.storeBytes(of: word.littleEndian, toByteOffset: at, as: UInt64.self) }
        length += 8
    }

    /// At the end of the data: the number of cases read must be the declared one.
    private func checkCount() throws(DatasetError) {
        if let declared = declaredCaseCount, declared != casesRead {
            throw DatasetError(source: input.source, offset: dataOffset,
                               reason: "the header declares \(declared) cases but the data end after \(casesRead); the file is truncated, copy or export it again.")
        }
    }

    /// After the declared cases, no further case may follow.
    private mutating func checkNoMoreData(declared: Int) throws(DatasetError) {
        let more: Bool
        if isBytecode {
            more = try { () throws(DatasetError) -> Bool in
                while true {
                    switch try nextBytecodeSlot() {
                    case .end: return false
                    default: return true
                    }
                }
            }()
        } else {
            more = try dataAvailable(8 * max(1, slotCount))
        }
        if more {
            throw DatasetError(source: input.source, offset: dataOffset,
                               reason: "the header declares \(declared) cases but the data hold more; the file is damaged, export it again.")
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
