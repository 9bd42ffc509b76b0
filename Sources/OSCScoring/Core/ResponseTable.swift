// The respondents' answers as read, with their groups and every data-quality finding.

/// A data-quality finding about the input, located by line and column.
public struct DataProblem: Sendable, Equatable {
    /// What kind of finding this is.
    public enum Kind: String, Sendable {
        /// A cell that is not a whole number on the response scale; scored as missing.
        case invalidValue
        /// A respondent id seen on an earlier line.
        case duplicateRespondent
        /// A school id that appears under more than one authority.
        case schoolInSeveralAuthorities
        /// A row with a school but no authority, in a file with an authority column.
        case missingAuthority
        /// The first cell of a school, authority or id column with bytes that
        /// are not UTF-8 (shown as `\xHH`; values are kept apart by their bytes).
        case notUTF8
        /// A school id (within one authority) or an authority id that
        /// differs from one seen earlier only in letter case or spaces
        /// (`la1-s01` and `LA1-S01`); the two are kept apart as two groups.
        case similarIds
        /// Such an id merged into the earlier spelling, as `ReadOptions.foldCase`
        /// asks (a note: the groups are as the user chose).
        case mergedIds
        /// The first row after the header looks like a second header (every
        /// item cell is text, none an answer); it is not read as a respondent.
        case secondHeaderRow
    }

    /// What kind of finding this is (JSON `kind` in an `input.problems` entry).
    public let kind: Kind
    /// The physical line of the file (the header is line 1).
    public let line: Int
    /// The column header, when the finding is about one cell.
    public let column: String?
    /// The 1-based column position, when the finding is about one cell.
    public let columnNumber: Int?
    /// The offending value as written in the file.
    public let value: String?
    /// A short description ("not a number", "outside the response scale 1 to 5", …).
    public let problem: String

    /// A finding; each parameter is the property of the same name.
    /// - Parameters:
    ///   - kind: what kind of finding this is.
    ///   - line: the physical line of the file (the header is line 1).
    ///   - column: the column header, or nil when the finding is not about one cell.
    ///   - columnNumber: the 1-based column position, or nil when the finding is not about one cell.
    ///   - value: the offending value as written, or nil.
    ///   - problem: a short description of what is wrong.
    public init(kind: Kind, line: Int, column: String?, columnNumber: Int?, value: String?, problem: String) {
        self.kind = kind
        self.line = line
        self.column = column
        self.columnNumber = columnNumber
        self.value = value
        self.problem = problem
    }
}

/// Where a school sits: the pair (authority, school) identifies it.
///
/// Keys are equal when their ids have the same UTF-8 bytes (not when the
/// Strings are canonically equivalent: "é" composed and decomposed are two
/// schools, as they are two byte strings in the file).
public struct SchoolKey: Hashable, Sendable, Comparable {
    /// The local authority, nil when the file has no authority column or the cell is empty.
    public let authority: String?
    /// The school id as in the school column, without surrounding spaces and tabs (bytes that are not UTF-8 shown as `\xHH`; JSON `id` in a `schools` entry).
    public let school: String

    /// The key of `school` within `authority`.
    /// - Parameters:
    ///   - authority: the local authority id, or nil for none.
    ///   - school: the school id.
    public init(authority: String?, school: String) {
        self.authority = authority
        self.school = school
    }

    /// Equal by the UTF-8 bytes of both ids.
    public static func == (a: SchoolKey, b: SchoolKey) -> Bool {
        sameBytes(a.authority, b.authority) && a.school.utf8.elementsEqual(b.school.utf8)
    }

    /// Hashes the UTF-8 bytes of both ids, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        func combine(_ s: String) {
            hasher.combine(s.utf8.count)
            if s.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
                for b in s.utf8 { hasher.combine(b) }
            }
        }
        if let authority { combine(authority) } else { hasher.combine(-1) }
        combine(school)
    }

    /// Whether two optional ids have the same UTF-8 bytes.
    static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case let (x?, y?): return x.utf8.elementsEqual(y.utf8)
        case (nil, nil): return true
        default: return false
        }
    }

    /// Natural order, then Swift's String order, then byte order (a total
    /// order over distinct byte strings).
    static func idLess(_ a: String, _ b: String) -> Bool {
        if NaturalOrder.less(a, b) { return true }
        if NaturalOrder.less(b, a) { return false }
        if a < b { return true }
        if b < a { return false }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Authorities first (schools without one last), then schools, in natural order.
    public static func < (a: SchoolKey, b: SchoolKey) -> Bool {
        switch (a.authority, b.authority) {
        case let (x?, y?) where !x.utf8.elementsEqual(y.utf8): return idLess(x, y)
        case (nil, _?): return false
        case (_?, nil): return true
        default: return idLess(a.school, b.school)
        }
    }

    /// The indices of `keys` in `<` order, each key's scalars prepared once.
    static func sortedIndices(_ keys: [SchoolKey]) -> [Int] {
        let authorities = keys.map { $0.authority.map { $0.unicodeScalars.map(\.value) } }
        let schools = keys.map { $0.school.unicodeScalars.map(\.value) }
        func natural(_ x: [UInt32], _ y: [UInt32], _ a: String, _ b: String) -> Bool {
            let order = NaturalOrder.compare(x, y)
            return order < 0 || (order == 0 && (a < b || (!(b < a) && a.utf8.lexicographicallyPrecedes(b.utf8))))
        }
        return keys.indices.sorted { i, j in
            switch (keys[i].authority, keys[j].authority) {
            // (Equal scalars are equal UTF-8 bytes: the prepared arrays are compared, not the strings' views.)
            case let (x?, y?) where authorities[i]! != authorities[j]!: return natural(authorities[i]!, authorities[j]!, x, y)
            case (nil, _?): return false
            case (_?, nil): return true
            default: return natural(schools[i], schools[j], keys[i].school, keys[j].school)
            }
        }
    }
}

/// The answers of every data row, as read from a responses file.
///
/// Answers are stored as one byte per cell, `0` for missing and
/// `x − min + 1` otherwise, so a 200,000 × 105 file takes 21 MB. Besides
/// the answers a row costs its school (4 bytes) and its id's bytes with
/// their end (4 bytes); line numbers are kept only where they jump
/// (blank lines, records over several lines).
public struct ResponseTable: Sendable {
    /// The instrument whose items the table's columns answer.
    public let instrument: Instrument
    /// The number of data rows (blank lines are not data rows).
    public private(set) var rowCount = 0
    /// Row-major answer codes: `0` missing, else `x − min + 1` (not reversed).
    public private(set) var answerCodes: [UInt8] = []
    /// The rows from which each line offset holds: row r is on line
    /// `r + lineOffsets[k]` for the last k with `lineJumps[k] <= r`.
    private var lineJumps: [Int] = []
    private var lineOffsets: [Int] = []
    /// The respondent ids' bytes, one after another; row r's end at `idEnds[r]`
    /// (empty: no id). Empty arrays when the file has no id column.
    private(set) var idBytes: [UInt8] = []
    private(set) var idEnds: [UInt32] = []
    /// The distinct schools, in order of first appearance.
    public private(set) var distinctSchools: [SchoolKey] = []
    /// The school of each row as an index into `distinctSchools`, −1 when the cell is empty.
    public private(set) var rowSchools: [Int32] = []
    private var schoolIndex: [SchoolKey: Int32] = [:]

    /// The physical line each row starts on (made when read; `line(row:)` reads one).
    public var lines: [Int] { (0..<rowCount).map(line(row:)) }

    /// The respondent id of each row, nil when the file has no id column or
    /// the cell is empty (made when read; `respondentID(row:)` reads one).
    public var respondentIDs: [String?] { (0..<rowCount).map(respondentID(row:)) }

    /// The physical line row `r` starts on.
    public func line(row r: Int) -> Int {
        // The last jump at or before r (binary search).
        var low = 0, high = lineJumps.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if lineJumps[middle] <= r { low = middle } else { high = middle }
        }
        return r + lineOffsets[low]
    }

    /// The bytes of row r's id (empty when it has none).
    func idRange(row r: Int) -> Range<Int> {
        idEnds.isEmpty ? 0..<0 : Self.idRange(row: r, ends: idEnds)
    }

    /// Row r's id bytes by the ends of every row's id (`idEnds`, or a buffer over them).
    @inline(__always)
    static func idRange<Ends: RandomAccessCollection<UInt32>>(row r: Int, ends: Ends) -> Range<Int> where Ends.Index == Int {
        (r == 0 ? 0 : Int(ends[r - 1]))..<Int(ends[r])
    }

    /// The respondent id of row `r`, nil when the file has no id column or
    /// the cell is empty; bytes that are not UTF-8 are shown as `\xHH`
    /// (see `IdentifierText`: distinct ids give distinct text).
    public func respondentID(row r: Int) -> String? {
        let range = idRange(row: r)
        return range.isEmpty ? nil : IdentifierText.string(idBytes[range])
    }

    /// The school of each row, nil when the cell is empty.
    public var schoolKeys: [SchoolKey?] { rowSchools.map { $0 < 0 ? nil : distinctSchools[Int($0)] } }

    /// The school of row `r`, nil when its cell is empty.
    public func schoolKey(row r: Int) -> SchoolKey? {
        let j = rowSchools[r]
        return j < 0 ? nil : distinctSchools[Int(j)]
    }

    /// The index of a school in `distinctSchools`, adding it when new.
    public mutating func index(of school: SchoolKey) -> Int32 {
        if let j = schoolIndex[school] { return j }
        let j = Int32(distinctSchools.count)
        distinctSchools.append(school)
        schoolIndex[school] = j
        return j
    }
    /// Whether the file has an authority column.
    public let hasAuthorityColumn: Bool
    /// Whether the file has a respondent id column.
    public let hasIDColumn: Bool
    /// Data-quality findings, in file order within each kind.
    public internal(set) var problems: [DataProblem] = []
    /// The lines that were empty (not data rows).
    public internal(set) var blankLines: [Int] = []
    /// Header names that were not used.
    public let ignoredColumns: [String]
    /// The encoding the file was read in, and why.
    public internal(set) var encoding = ResponseEncoding.utf8
    /// The lines after the header that are more header rows (Qualtrics'
    /// question texts and import ids; a row that looks like a second header), not data rows.
    public internal(set) var headerRowLines: [Int] = []
    /// Data rows left out before scoring, with why (Qualtrics' Survey
    /// Preview, Survey Test and Spam responses); not in the table's rows.
    public internal(set) var screenedOut: [Exclusion] = []
    /// Rows kept whose `Finished` cell is false (Qualtrics).
    public internal(set) var unfinishedRows = 0
    /// The sheet read, for an Excel workbook (`.xlsx`); nil for other files.
    public internal(set) var sheet: String?
    /// What a statistical data file (SPSS, Stata) says beyond its cells:
    /// its format, encoding, missing-value counts and the display names of
    /// its groups; nil for a text file.
    public internal(set) var dataFile: DataFileFacts?

    /// An empty table (no rows, findings or blank lines) for a file with these columns.
    /// - Parameters:
    ///   - instrument: the instrument whose items the columns answer.
    ///   - hasAuthorityColumn: whether the file has an authority column.
    ///   - hasIDColumn: whether the file has a respondent id column.
    ///   - ignoredColumns: header names that were not used (default none).
    public init(instrument: Instrument, hasAuthorityColumn: Bool, hasIDColumn: Bool, ignoredColumns: [String] = []) {
        self.instrument = instrument
        self.hasAuthorityColumn = hasAuthorityColumn
        self.hasIDColumn = hasIDColumn
        self.ignoredColumns = ignoredColumns
    }

    /// Appends a row. `codes` holds one answer code per instrument item.
    /// The id is kept only when the table `hasIDColumn`; an empty id is no id (nil).
    package mutating func appendRow(line: Int, respondentID: String?, school: SchoolKey?, codes: some Collection<UInt8>) {
        appendRow(line: line, respondentID: respondentID, schoolIndex: school.map { index(of: $0) } ?? -1, codes: codes)
    }

    /// Appends a row whose school is `distinctSchools[schoolIndex]` (−1: none).
    /// The id is kept only when the table `hasIDColumn`; an empty id is no id (nil).
    package mutating func appendRow(line: Int, respondentID: String?, schoolIndex: Int32, codes: some Collection<UInt8>) {
        var id = respondentID ?? ""
        id.withUTF8 { appendRow(line: line, id: $0, schoolIndex: schoolIndex, codes: codes) }
    }

    /// Appends a row with the id `id` (empty: none).
    mutating func appendRow(line: Int, id: UnsafeBufferPointer<UInt8>, schoolIndex: Int32, codes: some Collection<UInt8>) {
        precondition(codes.count == instrument.items.count, "one code per item")
        precondition(schoolIndex < Int32(distinctSchools.count), "a known school")
        if lineOffsets.last.map({ rowCount + $0 != line }) ?? true {
            lineJumps.append(rowCount)
            lineOffsets.append(line - rowCount)
        }
        if hasIDColumn {
            idBytes.append(contentsOf: id)
            precondition(idBytes.count <= Int(UInt32.max), "ids up to 4 GB in all")
            idEnds.append(UInt32(idBytes.count))
        }
        rowCount += 1
        rowSchools.append(schoolIndex)
        answerCodes.append(contentsOf: codes)
    }

    /// Adds a finding.
    public mutating func report(_ problem: DataProblem) { problems.append(problem) }

    /// Makes school j `keys[j]`, merging schools whose new keys are equal:
    /// the schools are then the distinct new keys in order of first
    /// appearance, and each row belongs to its school's new one.
    ///
    /// Complexity: O(schools), and O(rows) more when two schools merge.
    mutating func renameSchools(_ keys: [SchoolKey]) {
        precondition(keys.count == distinctSchools.count, "one key per school")
        var index: [SchoolKey: Int32] = [:]
        var schools: [SchoolKey] = []
        let mapping = keys.map { key -> Int32 in
            if let j = index[key] { return j }
            let j = Int32(schools.count)
            schools.append(key)
            index[key] = j
            return j
        }
        if schools.count < distinctSchools.count {
            rowSchools = rowSchools.map { $0 < 0 ? -1 : mapping[Int($0)] }
        }
        distinctSchools = schools
        schoolIndex = index
    }

    /// Makes room for `count` more rows (room never used costs address
    /// space, not memory: pages are only taken when written).
    mutating func reserveRows(_ count: Int, idBytes bytes: Int) {
        answerCodes.reserveCapacity(answerCodes.count + count * instrument.items.count)
        rowSchools.reserveCapacity(rowSchools.count + count)
        if hasIDColumn {
            idEnds.reserveCapacity(idEnds.count + count)
            idBytes.reserveCapacity(idBytes.count + bytes)
        }
    }

    /// Appends every row of `other` (read from later in the same file):
    /// its lines shifted by `lineOffset`, its school j becoming
    /// `schoolIndex[j]` here; its blank lines too. Findings are not copied.
    /// `other` is emptied: the memory of its answers and ids is given back
    /// as they are copied (a megabyte at a time), so the two tables together
    /// never take much more than the result.
    mutating func appendRows(of other: inout ResponseTable, lineOffset: Int, schoolIndex: [Int32]) {
        for (k, first) in other.lineJumps.enumerated() {
            let offset = other.lineOffsets[k] + lineOffset - rowCount
            if lineOffsets.last != offset {
                lineJumps.append(rowCount + first)
                lineOffsets.append(offset)
            }
        }
        PageRelease.move(&other.answerCodes, appendingTo: &answerCodes)
        if hasIDColumn {
            let base = UInt32(idBytes.count)
            precondition(idBytes.count + other.idBytes.count <= Int(UInt32.max), "ids up to 4 GB in all")
            idEnds.append(contentsOf: other.idEnds.lazy.map { $0 + base })
            PageRelease.move(&other.idBytes, appendingTo: &idBytes)
        }
        rowCount += other.rowCount
        rowSchools.append(contentsOf: other.rowSchools.lazy.map { $0 < 0 ? -1 : schoolIndex[Int($0)] })
        blankLines.append(contentsOf: other.blankLines.lazy.map { $0 + lineOffset })
        screenedOut.append(contentsOf: other.screenedOut.map { Exclusion(line: $0.line + lineOffset, respondent: $0.respondent, reason: $0.reason) })
        unfinishedRows += other.unfinishedRows
        other = ResponseTable(instrument: other.instrument, hasAuthorityColumn: other.hasAuthorityColumn,
                              hasIDColumn: other.hasIDColumn, ignoredColumns: other.ignoredColumns)
    }

    /// The answer of row `r` to item `i` as written (not reversed), nil when missing.
    public func answer(row r: Int, item i: Int) -> Int? {
        let code = answerCodes[r * instrument.items.count + i]
        return code == 0 ? nil : Int(code) - 1 + instrument.responseScale.min
    }

    /// The answer after reverse keying, nil when missing.
    public func keyedAnswer(row r: Int, item i: Int) -> Int? {
        guard let x = answer(row: r, item: i) else { return nil }
        return instrument.items[i].reverse ? instrument.responseScale.reversed(x) : x
    }

    /// The label used for a row in outputs: its respondent id, or "line N".
    public func rowLabel(_ r: Int) -> String { respondentID(row: r) ?? "line \(line(row: r))" }
}

extension ResponseTable {
    /// The keyed answers (after reverse keying, as Doubles; NaN when missing)
    /// of the given rows to the given items: the input of the reliability and
    /// agreement statistics.
    ///
    /// Complexity: O(rows × items).
    public func itemResponses(rows: some Collection<Int>, items: [Int]) -> ItemResponses {
        let width = instrument.items.count
        let low = instrument.responseScale.min
        let reverseSum = instrument.responseScale.min + instrument.responseScale.max
        let reversed = items.map { instrument.items[$0].reverse }
        var values = [Double](repeating: .nan, count: rows.count * items.count)
        var k = 0
        for r in rows {
            let base = r * width
            for (j, i) in items.enumerated() {
                let code = Int(answerCodes[base + i])
                if code != 0 {
                    let x = code - 1 + low
                    values[k] = Double(reversed[j] ? reverseSum - x : x)
                }
                k += 1
            }
        }
        return ItemResponses(respondents: rows.count, items: items.count, values: values)
    }

    /// The keyed code of code c of item i at `[i * 16 + c]` (c < 16): `0`
    /// for missing, `A + 1 − c` for a reversed item (A the number of
    /// options), c otherwise. Codes beyond A never occur.
    func keyedCodeTable() -> [UInt8] {
        let top = UInt8(instrument.responseScale.options + 1)
        var table = [UInt8](repeating: 0, count: instrument.items.count * 16)
        for (i, item) in instrument.items.enumerated() {
            for c in 1..<min(16, Int(top)) { table[i * 16 + c] = item.reverse ? top &- UInt8(c) : UInt8(c) }
        }
        return table
    }

    /// The keyed answer codes item by item (column-major): `rows` codes per
    /// item, `0` for missing, otherwise the code of the reverse-keyed answer
    /// (`A + 1 − code` for a reversed item, A the number of options). Codes
    /// are answers shifted by `min − 1`, which leaves variances unchanged.
    ///
    /// Complexity: O(rows × items); one byte per cell.
    public func keyedColumns() -> [UInt8] {
        let width = instrument.items.count, rows = rowCount
        let top = UInt8(instrument.responseScale.options + 1)
        let reversed = instrument.items.map(\.reverse)
        var columns = [UInt8](repeating: 0, count: rows * width)
        columns.withUnsafeMutableBufferPointer { out in
            answerCodes.withUnsafeBufferPointer { codes in
                for r in 0..<rows {
                    let base = r * width
                    for i in 0..<width {
                        let c = codes[base + i]
                        out[i * rows + r] = c == 0 || !reversed[i] ? c : top &- c
                    }
                }
            }
        }
        return columns
    }
}
