// The reader of Stata `.dta` files, releases 117 (Stata 13), 118 (Stata 14
// to 18) and 119 (Stata 15 to 18 with more than 32,767 variables), as the
// `dta`, `dta_117` and `dta_119` help pages of Stata describe them:
//
//   <stata_dta><header><release>118</release><byteorder>LSF</byteorder>
//     <K>k</K><N>n</N><label>ll text</label><timestamp>l text</timestamp></header>
//   <map>14 offsets</map> <variable_types>K types</variable_types>
//   <varnames>K names</varnames> <sortlist>K+1</sortlist> <formats>K</formats>
//   <value_label_names>K</value_label_names> <variable_labels>K</variable_labels>
//   <characteristics><ch>llll ...</ch>...</characteristics>
//   <data>N records</data> <strls>GSO v o t len contents ...</strls>
//   <value_labels><lbl>len name pad table</lbl>...</value_labels></stata_dta>
//
// What differs by release:
//
//   | release | K | N | label length | names (varnames, value-label names) | formats | variable labels | sortlist entry | (v,o) in data | GSO o |
//   |---|---|---|---|---|---|---|---|---|---|
//   | 117 | 2 | 4 | 1 | 33 | 49 | 81 | 2 | 4 + 4 | 4 |
//   | 118 | 2 | 8 | 2 | 129 | 57 | 321 | 2 | 2 + 6 | 8 |
//   | 119 | 4 | 8 | 2 | 129 | 57 | 321 | 4 | 3 + 5 | 8 |
//
// Numbers are in the file's byte order (MSF: most significant byte first,
// LSF: least). Text is UTF-8 in 118 and 119; 117 has no declared encoding
// and is read in the Windows code page, windows-1252 unless told otherwise,
// except that a 117 text that is valid UTF-8 is read as UTF-8: ReadStat's
// writer (pyreadstat, R's haven) puts UTF-8 into 117 files, and pandas
// writes a 117 file's str# text in latin-1 but its strLs in UTF-8. A
// windows-1252 text is valid UTF-8 only in odd pairs such as "Ã©".
//
// The sections are read in order, each length computed from K, N and the
// types (the file is self-describing without its map), and every opening and
// closing tag is checked; the map is then checked against where the sections
// really are. Every count and length is checked against the bytes that are
// left before anything is allocated from it, so a crafted count fails with
// "truncated" instead of allocating without bound. All of this happens in
// `init`; `next(into:)` decodes one case at a time from the bytes.
//
// Validated against files written by pyreadstat (ReadStat's writer), pandas,
// ReadStat's `readstat` tool and an independent Python `struct` writer for
// the big-endian (MSF) files, each checked with pandas' reader:
// Tests/OSCScoringTests/Fixtures/stata/make_fixtures.py.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A Stata `.dta` file (release 117, 118 or 119) held in memory, read as
/// `DatasetCases`: variables with their value labels, then one case at a time.
///
/// Missing values: a number at or above Stata's `.` code of its type (byte
/// 101, int 32,741, long 2,147,483,621, float 2^127, double 2^1023) is
/// missing; below the `.a` code it is `.systemMissing` (`.`), from `.a` up
/// (`.a` to `.z` and the values between them) `.declaredMissing`. A float or
/// double that is not finite (infinity, NaN, which Stata does not write) is
/// `.systemMissing`. Stata has no missing strings: an empty string is an
/// empty string. Value labels of the missing codes (`.a` "refused") are not
/// kept: they are not numbers.
package struct StataFile: DatasetCases {
    /// The variables in file order (Stata declares no missing values).
    package let variables: [DatasetVariable]
    /// N, the number of observations the header declares (the data section holds exactly that many).
    package let declaredCaseCount: Int?
    /// The encoding text is decoded with: `utf-8` for 118 and 119; for 117
    /// by default `windows-1252 (utf-8 where valid)` (each text that is
    /// valid UTF-8 is taken as UTF-8, any other as windows-1252); the
    /// given encoding's name when one is given.
    package let encodingName: String
    /// The format release: 117, 118 or 119.
    package let release: Int
    /// Whether numbers are most significant byte first (`MSF`).
    package let isBigEndian: Bool

    private let bytes: [UInt8]
    private let source: String
    private let encoding: TextEncoding
    private let utf8WhereValid: Bool
    private let fields: [Field]
    private let recordSize: Int
    private let dataStart: Int
    private let caseCount: Int
    private let strls: [StrLKey: Range<Int>]
    private let voSplit: Int  // bytes of v in a (v,o) of the data: 4, 2 or 3
    private var nextCase = 0
    package var casesRead: Int { nextCase }

    /// How one variable is stored in a record.
    private struct Field {
        enum Kind { case byte, int, long, float, double, str(Int), strL }
        var kind: Kind
        var offset: Int
        var width: Int
    }

    /// A (v,o) pair: variable and observation (1-based) of a strL's defining cell.
    private struct StrLKey: Hashable {
        var v: UInt64
        var o: UInt64
    }

    /// Reads the `.dta` file at `path` whole into memory (memory: the file's
    /// size; the cases are then decoded one at a time from it).
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - encodingOverride: an encoding name (`--encoding`), used for every
    ///     text of the file; nil for the release's own (see `init(bytes:source:encoding:)`).
    /// - Throws: `DatasetError` when the file cannot be read, the encoding
    ///   is unknown, or the file is not a readable `.dta` file.
    package init(path: String, encodingOverride: String? = nil) throws(DatasetError) {
        var encoding: TextEncoding?
        if let encodingOverride {
            guard let known = TextEncoding(name: encodingOverride) else {
                throw DatasetError(source: path, reason: "the encoding \(encodingOverride.debugDescription) is not known; give one of \(TextEncoding.commonNames.joined(separator: ", ")) or another Windows or ISO code page")
            }
            encoding = known
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DatasetError(source: path, reason: "the file cannot be opened (\(String(cString: strerror(errno)))); check the path and its permissions") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DatasetError(source: path, reason: "the file's size cannot be read (\(String(cString: strerror(errno))))") }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, size - done, off_t(done)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw DatasetError(source: path, offset: done, reason: count < 0 ? "the file cannot be read (\(String(cString: strerror(errno))))" : "the file ended while it was being read; copy it again")
            }
            done += count
        }
        try self.init(bytes: bytes, source: path, encoding: encoding)
    }

    /// Reads the header, the descriptors, the strLs and the value labels of
    /// `bytes` (a whole `.dta` file) and checks the data section's length.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - source: the file name for messages.
    ///   - encoding: the text encoding; nil: windows-1252 for release 117,
    ///     UTF-8 for 118 and 119. When given it is used for every release.
    /// - Throws: `DatasetError` naming the byte offset and what is wrong
    ///   (truncated file, not a Stata 13+ file, unknown release, impossible
    ///   length, a case count the data section disagrees with).
    /// - Complexity: O(file size) time; memory beyond `bytes` O(K + strL
    ///   count + labels).
    package init(bytes: [UInt8], source: String, encoding: TextEncoding? = nil) throws(DatasetError) {
        var p = Parser(bytes: bytes, source: source)
        try p.expectMagic()
        try p.tag("<header>")
        try p.tag("<release>")
        let releaseBytes = try p.take(3, "the release number")
        guard let release = Int(String(decoding: releaseBytes, as: UTF8.self)), [117, 118, 119].contains(release) else {
            let shown = String(decoding: releaseBytes.map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            throw DatasetError(source: source, offset: p.pos - 3,
                               reason: "the .dta release is '\(shown)', not 117, 118 or 119; only Stata 13 and later files are read, save it again from Stata 13 or later (save, or saveold with version(13))")
        }
        try p.tag("</release>")
        try p.tag("<byteorder>")
        let order = try p.take(3, "the byte order")
        if order.elementsEqual("MSF".utf8) { p.big = true }
        else if order.elementsEqual("LSF".utf8) { p.big = false }
        else {
            throw DatasetError(source: source, offset: p.pos - 3,
                               reason: "the byte order is neither MSF nor LSF; the file is damaged, save it again from Stata")
        }
        try p.tag("</byteorder>")
        let layout = Layout(release: release)
        try p.tag("<K>")
        let kOffset = p.pos
        let k = try p.uint(layout.kSize, "K, the number of variables")
        try p.tag("</K>")
        guard k > 0 else {
            throw DatasetError(source: source, offset: kOffset, reason: "the file has no variables (K is 0); export the data again with its variables")
        }
        try p.tag("<N>")
        let nOffset = p.pos
        let n = try p.uint(layout.nSize, "N, the number of observations")
        try p.tag("</N>")
        try p.tag("<label>")
        let labelLength = try p.uint(layout.labelLengthSize, "the dataset label's length")
        _ = try p.take(labelLength, "the dataset label")
        try p.tag("</label>")
        try p.tag("<timestamp>")
        let stampLength = try p.uint(1, "the time stamp's length")
        _ = try p.take(stampLength, "the time stamp")
        try p.tag("</timestamp>")
        try p.tag("</header>")

        var found = [Int](repeating: 0, count: 14)  // where each map entry's section really starts
        found[1] = p.pos
        try p.tag("<map>")
        var map = [Int]()
        for i in 0..<14 { map.append(try p.uint(8, "map entry \(i + 1)")) }
        try p.tag("</map>")

        // Variable types: K 2-byte codes; the record layout follows.
        found[2] = p.pos
        try p.tag("<variable_types>")
        try p.need(k * 2, "the \(k) variable types")
        var fields: [Field] = []
        fields.reserveCapacity(k)
        var recordSize = 0
        for i in 0..<k {
            let at = p.pos
            let code = try p.uint(2, "a variable type")
            let kind: Field.Kind
            let width: Int
            switch code {
            case 1...2045: kind = .str(code); width = code
            case 32768: kind = .strL; width = 8
            case 65526: kind = .double; width = 8
            case 65527: kind = .float; width = 4
            case 65528: kind = .long; width = 4
            case 65529: kind = .int; width = 2
            case 65530: kind = .byte; width = 1
            default:
                throw DatasetError(source: source, offset: at,
                                   reason: "variable \(i + 1) has type code \(code), which is not a Stata type (str1 to str2045, strL, byte, int, long, float, double); the file is damaged, save it again from Stata")
            }
            fields.append(Field(kind: kind, offset: recordSize, width: width))
            recordSize += width
        }
        try p.tag("</variable_types>")

        let resolved = encoding ?? (release == 117 ? .windows1252 : .utf8)
        let utf8WhereValid = encoding == nil && release == 117
        func text(_ b: ArraySlice<UInt8>) -> String {
            let cut = Array(b.prefix { $0 != 0 })
            var out: [UInt8] = []
            cut.withUnsafeBufferPointer { Self.decode($0, resolved, utf8WhereValid: utf8WhereValid, into: &out) }
            return String(decoding: out, as: UTF8.self)
        }

        found[3] = p.pos
        try p.tag("<varnames>")
        try p.need(k * layout.nameSize, "the \(k) variable names")
        var variables: [DatasetVariable] = []
        variables.reserveCapacity(k)
        for i in 0..<k {
            let name = text(try p.take(layout.nameSize, "a variable name"))
            var isString = false
            switch fields[i].kind { case .str, .strL: isString = true; default: break }
            variables.append(DatasetVariable(name: name, isString: isString))
        }
        try p.tag("</varnames>")

        found[4] = p.pos
        try p.tag("<sortlist>")
        _ = try p.take((k + 1) * layout.sortEntrySize, "the sort list")
        try p.tag("</sortlist>")
        found[5] = p.pos
        try p.tag("<formats>")
        _ = try p.take(k * layout.formatSize, "the display formats")
        try p.tag("</formats>")
        found[6] = p.pos
        try p.tag("<value_label_names>")
        try p.need(k * layout.nameSize, "the value-label names")
        var labelNames: [[UInt8]] = []
        labelNames.reserveCapacity(k)
        for _ in 0..<k { labelNames.append(Array(try p.take(layout.nameSize, "a value-label name").prefix { $0 != 0 })) }
        try p.tag("</value_label_names>")
        found[7] = p.pos
        try p.tag("<variable_labels>")
        _ = try p.take(k * layout.variableLabelSize, "the variable labels")
        try p.tag("</variable_labels>")

        found[8] = p.pos
        try p.tag("<characteristics>")
        while try p.peekTag("<ch>") {
            try p.tag("<ch>")
            let length = try p.uint(4, "a characteristic's length")
            _ = try p.take(length, "a characteristic")
            try p.tag("</ch>")
        }
        try p.tag("</characteristics>")

        // Data: exactly N records of recordSize bytes.
        found[9] = p.pos
        try p.tag("<data>")
        let dataStart = p.pos
        let left = bytes.count - dataStart
        guard n <= left / recordSize else {
            throw DatasetError(source: source, offset: nOffset,
                               reason: "the header declares \(n) cases of \(recordSize) bytes each, but only \(left) bytes follow <data>; the file is truncated or its case count is wrong, copy or save it again")
        }
        p.pos += n * recordSize
        if !(try p.peekTag("</data>")) {
            // Where the map says the data end, when that makes a whole number of cases.
            let mapEnd = map[10] - 7 - dataStart
            let held = mapEnd >= 0 && mapEnd % recordSize == 0 && map[10] <= bytes.count ? " (the map's <strls> offset makes it \(mapEnd / recordSize))" : ""
            throw DatasetError(source: source, offset: p.pos,
                               reason: "the header declares \(n) cases of \(recordSize) bytes, but </data> does not follow them\(held); the case count disagrees with the data, save the file again from Stata")
        }
        try p.tag("</data>")

        // strLs: the GSOs, each kept as the range of its contents.
        found[10] = p.pos
        try p.tag("<strls>")
        var strls: [StrLKey: Range<Int>] = [:]
        while try p.peekTag("GSO") {
            let at = p.pos
            try p.tag("GSO")
            let v = try p.uint(4, "a strL's variable number")
            let o = try p.uint(layout.gsoObservationSize, "a strL's observation number")
            let type = try p.uint(1, "a strL's type")
            let length = try p.uint(4, "a strL's length")
            let contents = try p.take(length, "a strL's contents")
            guard v >= 1, v <= k, case .strL = fields[v - 1].kind, o >= 1, o <= n else {
                throw DatasetError(source: source, offset: at,
                                   reason: "a strL (GSO) is defined for variable \(v), observation \(o), which is not a strL cell of the \(k) variables and \(n) cases; the file is damaged, save it again from Stata")
            }
            guard type == 129 || type == 130 else {
                throw DatasetError(source: source, offset: at + 3 + 4 + layout.gsoObservationSize,
                                   reason: "a strL (GSO) has type \(type), neither 129 (binary) nor 130 (text); the file is damaged, save it again from Stata")
            }
            var range = contents.startIndex..<contents.endIndex
            while range.upperBound > range.lowerBound && bytes[range.upperBound - 1] == 0 { range = range.lowerBound..<(range.upperBound - 1) }
            let key = StrLKey(v: UInt64(v), o: UInt64(o))
            guard strls.updateValue(range, forKey: key) == nil else {
                throw DatasetError(source: source, offset: at,
                                   reason: "the strL of variable \(v), observation \(o) is defined twice; the file is damaged, save it again from Stata")
            }
        }
        try p.tag("</strls>")

        // Value labels: name -> value -> text.
        found[11] = p.pos
        try p.tag("<value_labels>")
        var tables: [[UInt8]: [DatasetValue: String]] = [:]
        while try p.peekTag("<lbl>") {
            try p.tag("<lbl>")
            let lengthAt = p.pos
            let length = try p.uint(4, "a value-label table's length")
            let name = Array(try p.take(layout.nameSize, "a value-label name").prefix { $0 != 0 })
            _ = try p.take(3, "the padding of a value-label table")
            let tableStart = p.pos
            let table = try p.take(length, "a value-label table")
            var t = Parser(bytes: bytes, source: source)
            t.big = p.big
            t.pos = tableStart
            t.end = tableStart + length
            let count = try t.uint(4, "a value-label table's entry count")
            let textLength = try t.uint(4, "a value-label table's text length")
            guard count <= (length - 8) / 8, textLength <= length - 8 - 8 * count else {
                throw DatasetError(source: source, offset: lengthAt,
                                   reason: "the value-label table \(text(name[...]).debugDescription) is \(length) bytes long but declares \(count) labels and \(textLength) bytes of text; the file is damaged, save it again from Stata")
            }
            let offsets = tableStart + 8, values = offsets + 4 * count, texts = values + 4 * count
            var labels = tables[name] ?? [:]
            for i in 0..<count {
                t.pos = offsets + 4 * i
                let off = try t.uint(4, "a value label's offset")
                t.pos = values + 4 * i
                let value = Int32(truncatingIfNeeded: try t.uint(4, "a labelled value"))
                guard off < textLength else {
                    throw DatasetError(source: source, offset: offsets + 4 * i,
                                       reason: "label \(i + 1) of the value-label table \(text(name[...]).debugDescription) starts at text offset \(off), past its \(textLength) bytes of text; the file is damaged, save it again from Stata")
                }
                // .a to .z (2,147,483,622 and up) are missing codes, not numbers.
                guard value <= 2_147_483_620 else { continue }
                labels[.number(Double(value))] = text(bytes[(texts + off)..<(texts + textLength)])
            }
            tables[name] = labels
            _ = table
            try p.tag("</lbl>")
        }
        try p.tag("</value_labels>")
        found[12] = p.pos
        try p.tag("</stata_dta>")
        found[13] = p.pos
        if p.pos != bytes.count {
            throw DatasetError(source: source, offset: p.pos,
                               reason: "\(bytes.count - p.pos) bytes follow </stata_dta>; the file is damaged or two files were joined, copy or save it again")
        }
        let names = ["<stata_dta>", "<map>", "<variable_types>", "<varnames>", "<sortlist>", "<formats>", "<value_label_names>",
                     "<variable_labels>", "<characteristics>", "<data>", "<strls>", "<value_labels>", "</stata_dta>", "the end of the file"]
        for i in 0..<14 where map[i] != found[i] {
            throw DatasetError(source: source, offset: found[1] + 5 + 8 * i,
                               reason: "the map places \(names[i]) at byte \(map[i]), but it is at byte \(found[i]); the file is damaged, save it again from Stata")
        }

        for i in 0..<k where !variables[i].isString && !labelNames[i].isEmpty {
            if let labels = tables[labelNames[i]] { variables[i].valueLabels = labels }
        }
        self.variables = variables
        self.declaredCaseCount = n
        self.encodingName = utf8WhereValid ? "windows-1252 (utf-8 where valid)" : resolved.name
        self.release = release
        self.isBigEndian = p.big
        self.bytes = bytes
        self.source = source
        self.encoding = resolved
        self.utf8WhereValid = utf8WhereValid
        self.fields = fields
        self.recordSize = recordSize
        self.dataStart = dataStart
        self.caseCount = n
        self.strls = strls
        self.voSplit = layout.voSplit
    }

    /// Decodes the next case into `row`; false after the last (the N-th).
    ///
    /// - Throws: `DatasetError` with the case number for a strL cell whose
    ///   (v,o) names no GSO of the file.
    /// - Complexity: O(record size + string bytes).
    package mutating func next(into row: inout DatasetCase) throws(DatasetError) -> Bool {
        guard nextCase < caseCount else { return false }
        if row.missing.count != fields.count { row = DatasetCase(variableCount: fields.count) }
        let base = dataStart + nextCase * recordSize
        let caseNumber = nextCase + 1
        let big = isBigEndian
        let failure: DatasetError? = bytes.withUnsafeBufferPointer { buffer -> DatasetError? in
            let raw = UnsafeRawBufferPointer(buffer)
            func u16(_ at: Int) -> UInt16 { let x = raw.loadUnaligned(fromByteOffset: at, as: UInt16.self); return big ? UInt16(bigEndian: x) : UInt16(littleEndian: x) }
            func u32(_ at: Int) -> UInt32 { let x = raw.loadUnaligned(fromByteOffset: at, as: UInt32.self); return big ? UInt32(bigEndian: x) : UInt32(littleEndian: x) }
            func u64(_ at: Int) -> UInt64 { let x = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self); return big ? UInt64(bigEndian: x) : UInt64(littleEndian: x) }
            for i in 0..<fields.count {
                let f = fields[i]
                let at = base + f.offset
                var kind = DatasetMissingKind.present
                var value = 0.0
                switch f.kind {
                case .byte:
                    let x = Int8(bitPattern: buffer[at])
                    if x > 100 { kind = x == 101 ? .systemMissing : .declaredMissing } else { value = Double(x) }
                case .int:
                    let x = Int16(bitPattern: u16(at))
                    if x > 32740 { kind = x == 32741 ? .systemMissing : .declaredMissing } else { value = Double(x) }
                case .long:
                    let x = Int32(bitPattern: u32(at))
                    if x > 2_147_483_620 { kind = x == 2_147_483_621 ? .systemMissing : .declaredMissing } else { value = Double(x) }
                case .float:
                    let bits = u32(at)
                    let x = Float(bitPattern: bits)
                    if !x.isFinite { kind = .systemMissing }
                    else if bits >= 0x7F00_0000 && bits < 0x8000_0000 { kind = bits < 0x7F00_0800 ? .systemMissing : .declaredMissing }
                    else { value = Double(x) }
                case .double:
                    let bits = u64(at)
                    let x = Double(bitPattern: bits)
                    if !x.isFinite { kind = .systemMissing }
                    else if bits >= 0x7FE0_0000_0000_0000 && bits < 0x8000_0000_0000_0000 { kind = bits < 0x7FE0_0100_0000_0000 ? .systemMissing : .declaredMissing }
                    else { value = x }
                case .str(let width):
                    var end = at
                    while end < at + width && buffer[end] != 0 { end += 1 }
                    setString(&row.strings[i], UnsafeBufferPointer(rebasing: buffer[at..<end]))
                case .strL:
                    let v: UInt64, o: UInt64
                    switch voSplit {
                    case 4:
                        v = UInt64(u32(at)); o = UInt64(u32(at + 4))
                    default:
                        // 118: 2 + 6 bytes, 119: 3 + 5 bytes, each in the file's byte order.
                        var a: UInt64 = 0, b: UInt64 = 0
                        for j in 0..<voSplit { let byte = UInt64(buffer[at + j]); a = big ? a << 8 | byte : a | byte << (8 * UInt64(j)) }
                        for j in 0..<(8 - voSplit) { let byte = UInt64(buffer[at + voSplit + j]); b = big ? b << 8 | byte : b | byte << (8 * UInt64(j)) }
                        v = a; o = b
                    }
                    if v == 0 && o == 0 {
                        row.strings[i].removeAll(keepingCapacity: true)
                    } else if let range = strls[StrLKey(v: v, o: o)] {
                        setString(&row.strings[i], UnsafeBufferPointer(rebasing: buffer[range]))
                    } else {
                        return DatasetError(source: source, offset: at, caseNumber: caseNumber,
                                            reason: "variable \(variables[i].name.debugDescription) refers to the strL of variable \(v), observation \(o), which the file does not define; the file is damaged, save it again from Stata")
                    }
                }
                row.numbers[i] = value
                row.missing[i] = kind
            }
            return nil
        }
        if let failure { throw failure }
        nextCase += 1
        return true
    }

    /// Replaces `target` with `bytes` decoded to UTF-8.
    private func setString(_ target: inout [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) {
        target.removeAll(keepingCapacity: true)
        Self.decode(bytes, encoding, utf8WhereValid: utf8WhereValid, into: &target)
    }

    /// `bytes` decoded to UTF-8 and appended to `out`: ASCII and UTF-8 as
    /// they are, valid UTF-8 as it is when `utf8WhereValid`, else decoded.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ encoding: TextEncoding, utf8WhereValid: Bool, into out: inout [UInt8]) {
        if encoding == .utf8 || !bytes.contains(where: { $0 >= 0x80 }) || (utf8WhereValid && IdentifierText.isValidUTF8(bytes)) {
            out.append(contentsOf: bytes)
        } else {
            out.append(contentsOf: encoding.decode(bytes).utf8)
        }
    }

    /// The field sizes of a release.
    private struct Layout {
        var kSize = 2, nSize = 8, labelLengthSize = 2, nameSize = 129, formatSize = 57, variableLabelSize = 321
        var sortEntrySize = 2, voSplit = 2, gsoObservationSize = 8

        init(release: Int) {
            switch release {
            case 117:
                nSize = 4; labelLengthSize = 1; nameSize = 33; formatSize = 49; variableLabelSize = 81
                voSplit = 4; gsoObservationSize = 4
            case 119:
                kSize = 4; sortEntrySize = 4; voSplit = 3
            default: break
            }
        }
    }

    /// A position in the file and the checked reads of the header and sections.
    private struct Parser {
        let bytes: [UInt8]
        let source: String
        var pos = 0
        var end: Int
        var big = false

        init(bytes: [UInt8], source: String) {
            self.bytes = bytes
            self.source = source
            self.end = bytes.count
        }

        /// Fails unless `count` more bytes are there.
        func need(_ count: Int, _ what: String) throws(DatasetError) {
            guard count >= 0, count <= end - pos else {
                throw DatasetError(source: source, offset: pos,
                                   reason: end == bytes.count
                                       ? "the file ends after \(end - pos) of the \(count) bytes of \(what); the file is truncated, copy or save it again"
                                       : "\(what) needs \(count) bytes but its table has \(end - pos) left; the file is damaged, save it again from Stata")
            }
        }

        mutating func take(_ count: Int, _ what: String) throws(DatasetError) -> ArraySlice<UInt8> {
            try need(count, what)
            defer { pos += count }
            return bytes[pos..<(pos + count)]
        }

        /// An unsigned integer of `size` bytes in the file's byte order
        /// (8-byte values past Int.max are refused as impossible lengths).
        mutating func uint(_ size: Int, _ what: String) throws(DatasetError) -> Int {
            let at = pos
            let b = try take(size, what)
            var x: UInt64 = 0
            for (j, byte) in b.enumerated() { x = big ? x << 8 | UInt64(byte) : x | UInt64(byte) << (8 * UInt64(j)) }
            guard x <= UInt64(Int.max >> 1) else {
                throw DatasetError(source: source, offset: at, reason: "\(what) is \(x), an impossible value; the file is damaged, save it again from Stata")
            }
            return Int(x)
        }

        func peekTag(_ tag: String) throws(DatasetError) -> Bool {
            let t = Array(tag.utf8)
            return end - pos >= t.count && bytes[pos..<(pos + t.count)].elementsEqual(t)
        }

        mutating func tag(_ tag: String) throws(DatasetError) {
            let t = Array(tag.utf8)
            guard end - pos >= t.count else {
                throw DatasetError(source: source, offset: pos, reason: "the file ends where \(tag) should be; the file is truncated, copy or save it again")
            }
            guard bytes[pos..<(pos + t.count)].elementsEqual(t) else {
                throw DatasetError(source: source, offset: pos, reason: "\(tag) is expected here but not found; the file is damaged, save it again from Stata")
            }
            pos += t.count
        }

        mutating func expectMagic() throws(DatasetError) {
            let magic = Array("<stata_dta>".utf8)
            guard bytes.count >= magic.count, bytes[0..<magic.count].elementsEqual(magic) else {
                // Formats 102 to 115: the format byte, the byte order (1 or 2), the file type 1.
                let old = bytes.count >= 4 && (102...115).contains(bytes[0]) && (1...2).contains(bytes[1]) && bytes[2] == 1
                throw DatasetError(source: source, offset: 0,
                                   reason: old ? "this is a Stata file of format \(bytes[0]) (Stata 12 or earlier), which is not read; save it again from Stata 13 or later"
                                               : "the file does not begin with <stata_dta>, so it is not a Stata 13 or later .dta file; give a .dta file saved by Stata 13 or later")
            }
            pos = magic.count
        }
    }
}
