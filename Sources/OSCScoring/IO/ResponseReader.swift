// Reading a responses file: one respondent per row, a header naming the
// columns. Columns are matched to items by name; every cell is checked; every
// row is kept (see ScoringReport for how each row is accounted for).

/// How a responses file is read.
public struct ReadOptions: Sendable, Equatable {
    /// The field delimiter; nil detects comma, tab or semicolon from the header.
    public var delimiter: FieldDelimiter?
    /// The school column's header.
    public var schoolColumn = "school"
    /// The authority column's header. When the file has no such column only
    /// the school level is reported, unless `requireAuthorityColumn`.
    public var authorityColumn = "authority"
    /// The respondent id column's header (optional in the file unless `requireIDColumn`).
    public var idColumn = "respondent"
    /// Whether a missing authority column is an error (the user named it).
    public var requireAuthorityColumn = false
    /// Whether a missing id column is an error (the user named it).
    public var requireIDColumn = false
    /// Cell values that mean "no answer", besides an empty cell.
    public var missingCodes: [String] = ["NA"]
    /// Whether an invalid cell stops the run instead of being scored as missing.
    public var strict = false
    /// Whether school and authority ids that differ only in letter case or
    /// in spaces (`la1-s01` and `LA1-S01`; see `IdentifierFold`) are one
    /// group, spelt as first seen (JSON `settings.foldCase`). Without it
    /// they stay separate groups; either way each such pair is a finding.
    public var foldCase = false
    /// How the findings of the reading name settings: the library's names
    /// (`foldCase`) by default; `osc-score` sets `.commandLine` (`--fold-case`).
    public var settingNames = SettingNames.library
    /// The text encoding of the file, overriding what the file declares
    /// (SPSS records 7.20 and 7.3, the Stata release); nil (the default)
    /// uses the file's own declaration, and for text files a UTF-16 byte
    /// order mark, else UTF-8, else Windows-1252 (see `ResponseEncoding`). Give a
    /// name `ReadOptions.canonicalEncodingName(_:)` accepts (`utf-8`,
    /// `windows-1252`, `latin1`, ...); it is stored as given, and a reader
    /// refuses a name it does not know.
    public var encoding: String?
    /// The sheet of an Excel workbook (`.xlsx`) to read: its name, or its
    /// number from 1 in workbook order; nil (the default) reads the first
    /// worksheet. Text and data files ignore it.
    public var sheet: String?
    /// Threads the reader may use (at least 1; default
    /// ``StatisticsOptions/defaultThreads``, the active processors;
    /// `--threads N`). The table read is the same whatever the count.
    public var threads = StatisticsOptions.defaultThreads

    /// The canonical name (`windows-1252`) of an encoding name, compared
    /// ignoring case, `-`, `_` and spaces (`CP1252`, `latin1`, `UTF8`);
    /// nil for an encoding this package cannot decode.
    public static func canonicalEncodingName(_ name: String) -> String? {
        TextEncoding(name: name)?.name
    }

    /// The canonical names of every encoding `encoding` accepts, UTF-8 and
    /// UTF-16 first, then the single-byte code pages.
    public static var encodingNames: [String] {
        ["utf-8", "utf-16le", "utf-16be"] + SingleByteEncoding.allCases.map(\.name)
    }

    /// The defaults: delimiter detected; columns `school`, `authority` and `respondent` (the last two may be absent); missing code `NA`; not strict.
    public init() {}
}

/// A responses file that cannot be read, with its place and a suggested fix.
public enum ResponseFileError: Error, Sendable, Equatable {
    /// A file with no header line (empty, or only blank lines).
    case emptyFile(source: String)
    /// A CSV syntax error, such as a quote that is never closed.
    case malformedCSV(source: String, CSVSyntaxError)
    /// A row whose number of fields is not the header's.
    case fieldCount(source: String, line: Int, found: Int, expected: Int)
    /// Columns the header lacks, each with up to three close header names; `groupColumn`: they are school, authority or id columns rather than items.
    case missingColumns(source: String, missing: [(name: String, suggestions: [String])], groupColumn: Bool)
    /// A header name that appears more than once, with its 1-based column positions.
    case duplicateColumn(source: String, name: String, positions: [Int])
    /// An answer that is not a whole number on the response scale, with `ReadOptions.strict` (otherwise a `DataProblem`).
    case invalidValue(source: String, line: Int, column: String, columnNumber: Int, value: String, problem: String)
    /// The file could not be opened or read (missing, a folder, no permission).
    case unreadable(FileInputError)
    /// Bytes at `offset` that the file's encoding cannot turn into text of
    /// their own (a lone UTF-16 surrogate, an odd final byte, a byte the
    /// code page leaves undefined), so reading them would change the file's text.
    case undecodable(source: String, offset: Int, reason: String)
    /// The header holds question text (`example`) where item names were
    /// expected, and `missing` of the instrument's item columns are not in it.
    case headerIsQuestionText(source: String, example: String, missing: Int)
    /// A statistical data file (SPSS, Stata) that is damaged, truncated or
    /// not of its format, or whose variables cannot be read as responses;
    /// `message` is the whole sentence, naming the file and the place.
    case malformedDataFile(source: String, message: String)

    /// Errors are equal when their messages are equal.
    public static func == (a: ResponseFileError, b: ResponseFileError) -> Bool { a.message == b.message }

    /// One sentence naming the file, line and column, with a suggested fix,
    /// naming settings by their library names (`ReadOptions.missingCodes`).
    public var message: String { message(.library) }

    /// The sentence naming settings as `names` does (the command line: `--missing-codes`).
    public func message(_ names: SettingNames) -> String {
        func option(_ setting: Setting) -> String {
            names.usesCommandLineOptions ? names.name(setting) : "ReadOptions.\(setting.rawValue)"
        }
        switch self {
        case let .emptyFile(source):
            return "\(source): the file is empty; it needs a header line naming the columns and one line per respondent."
        case let .malformedCSV(source, error):
            return "\(source), \(error.message)."
        case let .fieldCount(source, line, found, expected):
            return "\(source), line \(line): the row has \(found) fields but the header has \(expected); check that line for an unquoted delimiter or a missing quote."
        case let .missingColumns(source, missing, groupColumn):
            let list = missing.map { m in
                "'\(m.name)'" + (m.suggestions.isEmpty ? "" : " (closest: \(m.suggestions.map { "'\($0)'" }.joined(separator: ", ")))")
            }.joined(separator: ", ")
            let fix = groupColumn
                ? "name the right column with \(option(.schoolColumn)), \(option(.authorityColumn)) or \(option(.idColumn))"
                : "rename the columns, or give their names in the key's column field"
            return "\(source): \(missing.count == 1 ? "column" : "\(missing.count) columns") not found in the header: \(list); \(fix)."
        case let .duplicateColumn(source, name, positions):
            return "\(source): the header has column \(QuotedValue.quote(name)) \(positions.count) times (columns \(positions.map(String.init).joined(separator: ", "))); rename or remove the extra ones."
        case let .invalidValue(source, line, column, columnNumber, value, problem):
            return "\(source), line \(line), column \(TextTable.visible(column)) (\(columnNumber)): \(QuotedValue.quote(value)) is \(problem); correct the cell, leave it empty if the answer is missing, or add the code to \(option(.missingCodes))."
        case let .unreadable(error):
            return "Cannot read '\(error.path)': \(error.reason)."
        case let .undecodable(source, offset, reason):
            let option = names.usesCommandLineOptions ? "--encoding" : "ReadOptions.encoding"
            return "\(source), byte \(offset): \(reason), so the file cannot be read as text without changing it; save it as UTF-8, or give its encoding with \(option)."
        case let .headerIsQuestionText(source, example, missing):
            return "\(source): the header holds question text (such as \(QuotedValue.quote(example))) where item names were expected, and \(missing) item column\(missing == 1 ? " is" : "s are") not found; give each item's question text in the key's column field (see 'Preparing your data' in the README), or rename the columns to the item names."
        case let .malformedDataFile(_, message):
            return message
        }
    }
}

/// Reads a responses file chunk by chunk into a `ResponseTable`.
///
/// Complexity: O(rows × columns) time; memory one byte per answer cell plus
/// the ids of rows, schools and authorities.
public struct ResponseReader {
    /// The file name used in error messages.
    public let source: String
    /// How the file is read.
    public let options: ReadOptions
    let instrument: Instrument
    private var parser: CSVParser
    var layout: Layout? {
        didSet {
            columns = layout.map(Columns.init)
            if let layout { cellPlan.activate(itemColumns: layout.itemColumns, columnCount: layout.header.count) }
        }
    }
    /// The layout's columns as plain numbers, read per row without copying
    /// the layout (its arrays).
    private var columns: Columns?
    /// The codes the parser writes as it scans a record (see `CellCodePlan`).
    private let cellPlan: CellCodePlan
    var table: ResponseTable?
    var codes: [UInt8]
    private let codeOfByte: [UInt8]
    /// Respondent id → the row where it first appeared (ids kept in the table).
    private var idIndex = RowKeyIndex(capacity: 1 << 12)
    /// "authority␟school" bytes → school index in the table.
    private var schoolOfCells = ByteKeyTable(capacity: 256)
    private var groupKey: [UInt8] = []
    /// School id bytes → its first authority (compared by bytes) and line.
    private var authorityOfSchool: [[UInt8]: (authority: String?, line: Int)] = [:]
    /// The columns already reported as holding bytes that are not UTF-8.
    private var notUTF8Columns: Set<Int> = []
    private var reportedSchoolConflicts: Set<SchoolKey> = []
    /// The line where each of the table's distinct schools first appears
    /// (for the findings about ids that differ only in case or spaces).
    private var schoolFirstLines: [Int] = []
    /// One String per distinct school or authority (keys are copies, so no
    /// record buffer is kept alive).
    private var interned: [[UInt8]: String] = [:]
    private let missingCodes: [[UInt8]]
    /// A reader of the second part of a file (`continuing()`) leaves the
    /// checks that need every earlier row (schools under two authorities;
    /// ids also seen in the first part) to `absorb`, and notes the row of
    /// each finding.
    private var deferCrossRowChecks = false
    private var problemRows: [Int] = []
    /// In a `continuing()` reader: the (local) first line of each duplicate-id finding, by finding index.
    private var duplicateOf: [Int: Int] = [:]

    /// The columns of `Layout` that every row reads.
    private struct Columns {
        var count: Int
        var school: Int
        var authority: Int?
        var id: Int?
        var trailingDelimiter: Bool
        var status: Int?
        var finished: Int?

        init(_ layout: Layout) {
            count = layout.header.count
            school = layout.school
            authority = layout.authority
            id = layout.id
            trailingDelimiter = layout.trailingDelimiter
            status = layout.export.status
            finished = layout.export.finished
        }
    }

    struct Layout {
        var header: [String]
        var itemColumns: [Int]
        var school: Int
        var authority: Int?
        var id: Int?
        /// Whether the header ended with a delimiter (an empty last name,
        /// dropped): rows may then have one more, empty, field.
        var trailingDelimiter = false
        /// The survey tool's columns (Qualtrics `Status`, `Finished`).
        var export = SurveyExportColumns()
    }

    /// Rows after the header still to be checked for being more header
    /// rows (Qualtrics writes two; another file may have one by mistake).
    private(set) var headerRowsToCheck = 0
    /// Answers written as choice text ("To a great extent"): the label's
    /// key (`ChoiceLabels.key`) → the answer's code.
    private let labelCodes: [[UInt8]: UInt8]

    /// - Parameters:
    ///   - instrument: an instrument ready to score (`requireScorable()`).
    ///   - options: the columns, delimiter, missing codes and strictness.
    ///   - source: the file name used in messages.
    public init(instrument: Instrument, options: ReadOptions = ReadOptions(), source: String) {
        self.instrument = instrument
        self.options = options
        self.source = source
        self.parser = CSVParser(delimiter: options.delimiter?.byte)
        self.codes = [UInt8](repeating: 0, count: instrument.items.count)
        self.missingCodes = options.missingCodes.map { Array($0.utf8) }
        // A one-byte cell: its code when it is a digit on the response scale
        // (`x − min + 1`, at most 15), else `0xFF` (examined in full).
        var codeOfByte = [UInt8](repeating: 0xFF, count: 256)
        let scale = instrument.responseScale
        for x in 0...9 where x >= scale.min && x <= scale.max {
            codeOfByte[48 + x] = UInt8(x - scale.min + 1)
        }
        // A one-byte missing code is examined in full (it means no answer,
        // even when it is also a digit on the scale).
        for code in missingCodes where code.count == 1 { codeOfByte[Int(code[0])] = 0xFF }
        self.codeOfByte = codeOfByte
        self.labelCodes = ChoiceLabels.codes(of: scale)
        cellPlan = CellCodePlan(itemCount: instrument.items.count, codeOfByte: codeOfByte)
        parser.plan = cellPlan
    }

    /// Whether the parser writes each record's item codes as it scans it
    /// (the default); off, the plain path: each record is formed, then its
    /// fields are walked (the tests compare the two).
    var scanningCellsOnce: Bool {
        get { parser.plan != nil }
        set { parser.plan = newValue ? cellPlan : nil }
    }

    /// The delimiter in use, once known.
    public var delimiter: FieldDelimiter? { parser.delimiter.flatMap(FieldDelimiter.init(byte:)) }

    /// Reads a chunk of the file.
    public mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>) throws(ResponseFileError) {
        // Move the parser out of `self` so the record callback may mutate `self`.
        var parser = CSVParser()
        swap(&parser, &self.parser)
        defer { swap(&parser, &self.parser) }
        do {
            try parser.parse(chunk) { record in try self.handle(record) }
        } catch let error as ResponseFileError {
            throw error
        } catch let error as CSVSyntaxError {
            throw .malformedCSV(source: source, error)
        } catch {
            fatalError("unexpected error \(error)")
        }
    }

    /// Reads an array of bytes as one chunk.
    public mutating func consume(_ bytes: [UInt8]) throws(ResponseFileError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(ResponseFileError) in try consume(buffer) }
    }

    /// Ends the input and returns the table, which the reader then no
    /// longer holds (no copy of the answers is left behind): call it once,
    /// and consume nothing after it.
    /// Here, once the whole file is read, school and authority ids that
    /// differ only in letter case or spaces are compared (O(distinct
    /// schools)) and reported, and merged under `ReadOptions.foldCase`.
    public mutating func finish() throws(ResponseFileError) -> ResponseTable {
        // Move the parser out of `self` so the record callback may mutate `self`.
        var parser = CSVParser()
        swap(&parser, &self.parser)
        defer { swap(&parser, &self.parser) }
        do {
            try parser.finish { record in try self.handle(record) }
        } catch let error as ResponseFileError {
            throw error
        } catch let error as CSVSyntaxError {
            throw .malformedCSV(source: source, error)
        } catch {
            fatalError("unexpected error \(error)")
        }
        guard var table else { throw .emptyFile(source: source) }
        self.table = nil
        if !deferCrossRowChecks { compareIDs(in: &table) }
        return table
    }

    /// Reads a whole file held in memory, in the encoding found as for a
    /// file (UTF-16 with a byte order mark; Windows-1252 when not valid
    /// UTF-8; see `ResponseTable.encoding`).
    public static func read(_ bytes: [UInt8], instrument: Instrument, options: ReadOptions = ReadOptions(),
                            source: String) throws(ResponseFileError) -> ResponseTable {
        let (text, encoding) = try decodedInput(bytes, source: source, given: options.encoding.flatMap(TextEncoding.init(name:)))
        var reader = ResponseReader(instrument: instrument, options: options, source: source)
        try reader.consume(text)
        var table = try reader.finish()
        table.encoding = encoding
        return table
    }

    // MARK: - Records

    private mutating func handle(_ record: CSVRecord) throws {
        guard let columns else {
            // Blank lines and rows of empty cells before the header are skipped.
            if record.isBlank || Self.allEmpty(record) { return }
            try readHeader(names: record.strings)
            return
        }
        if record.isBlank {
            table!.blankLines.append(record.line)
            return
        }
        guard record.fieldCount == columns.count
              || (columns.trailingDelimiter && record.fieldCount == columns.count + 1 && record.field(columns.count).isEmpty) else {
            // A row of empty cells is a blank line, however many delimiters it has.
            if Self.allEmpty(record) {
                table!.blankLines.append(record.line)
                return
            }
            throw ResponseFileError.fieldCount(source: source, line: record.line, found: record.fieldCount, expected: columns.count)
        }
        if headerRowsToCheck > 0 {
            headerRowsToCheck -= 1
            if let finding = headerRowFinding(record, layout: layout!) {
                table!.headerRowLines.append(record.line)
                if let finding { report(finding) }
                return
            }
            headerRowsToCheck = 0
        }
        if let status = columns.status, let reason = SurveyExport.screenedOut(status: Self.trim(record.field(status))) {
            let id = columns.id.map { Self.trim(record.field($0)) }.flatMap { $0.isEmpty ? nil : IdentifierText.string($0) }
            table!.screenedOut.append(Exclusion(line: record.line, respondent: id, reason: reason))
            return
        }
        let scale = instrument.responseScale
        // The common cases first, without branches: an empty cell (missing)
        // and one digit on the response scale (`codeOfByte`). Other cells
        // are marked and examined one by one below.
        let pending: UInt8 = 0xFF
        var anyPending = false
        var anyCode = false
        if let flags = record.cellCodes {
            // The parser wrote the codes as it scanned the record.
            let plan = cellPlan
            codes.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: plan.codes, count: plan.itemCount) }
            anyPending = flags & 0x80 != 0
            anyCode = flags != 0
        } else { codes.withUnsafeMutableBufferPointer { out in
            layout!.itemColumns.withUnsafeBufferPointer { columns in
                codeOfByte.withUnsafeBufferPointer { codeOfByte in
                    if record.gap == 1, let base = record.storage.baseAddress {
                        // Fields in place in the input: the byte after an
                        // empty field is its delimiter or line end, so
                        // reading one byte at a field's start is always safe.
                        let ends = record.ends.baseAddress!, first = record.firstStart
                        var flags: UInt8 = 0
                        for i in 0..<columns.count {
                            let column = columns[i]
                            let start = column == 0 ? first : ends[column - 1] &+ 1
                            let length = ends[column] &- start
                            let code = length == 0 ? 0 : length == 1 ? codeOfByte[Int(base[start])] : pending
                            out[i] = code
                            flags |= code
                        }
                        anyPending = flags & 0x80 != 0
                        anyCode = flags != 0
                    } else {
                        for i in 0..<columns.count {
                            let raw = record.field(columns[i])
                            let code = raw.count == 0 ? 0 : raw.count == 1 ? codeOfByte[Int(raw[0])] : pending
                            out[i] = code
                            if code == pending { anyPending = true }
                            if code != 0 { anyCode = true }
                        }
                    }
                }
            }
        } }
        // A row of empty cells (Excel's `,,,,`) is a blank line, not a respondent.
        if !anyCode, Self.allEmpty(record) {
            table!.blankLines.append(record.line)
            return
        }
        // A decimal comma (`3,0`) where the comma is not the delimiter.
        let decimalComma = record.delimiter != UInt8(ascii: ",")
        for (i, column) in (anyPending ? layout!.itemColumns : []).enumerated() where codes[i] == pending {
            let layout = layout!
            let cell = Self.trim(record.field(column))
            codes[i] = 0
            if cell.isEmpty || missingCodes.contains(where: { $0.elementsEqual(cell) }) { continue }
            switch Self.wholeNumber(cell, decimalComma: decimalComma) {
            case .some(let x) where x >= scale.min && x <= scale.max:
                codes[i] = UInt8(x - scale.min + 1)
            case nil where !labelCodes.isEmpty && labelCodes[ChoiceLabels.key(cell)] != nil:
                codes[i] = labelCodes[ChoiceLabels.key(cell)]!
            case let parsed:
                let problem = parsed == nil
                    ? (Self.isDecimal(cell, decimalComma: decimalComma) ? "not a whole number on the response scale \(scale.min) to \(scale.max)"
                       : "not a number")
                    : "outside the response scale \(scale.min) to \(scale.max)"
                let value = IdentifierText.string(cell)
                if options.strict {
                    throw ResponseFileError.invalidValue(source: source, line: record.line(ofField: column), column: layout.header[column],
                                                         columnNumber: column + 1, value: value, problem: problem)
                }
                report(DataProblem(kind: .invalidValue, line: record.line(ofField: column), column: layout.header[column],
                                          columnNumber: column + 1, value: value, problem: problem))
            }
        }
        if let finished = columns.finished, SurveyExport.isFalse(Self.trim(record.field(finished))) { table!.unfinishedRows += 1 }
        appendRow(line: record.line, id: columns.id.map { Self.trim(record.field($0)) }, school: Self.trim(record.field(columns.school)),
                  authority: columns.authority.map { Self.trim(record.field($0)) })
    }

    /// Appends a row whose item codes are in `codes`: its id, school and
    /// authority cells (trimmed; nil for a column the file lacks) are
    /// checked and grouped. Shared by CSV records and statistical data files' cases.
    mutating func appendRow(line: Int, id idCell: UnsafeBufferPointer<UInt8>?, school schoolCell: UnsafeBufferPointer<UInt8>,
                            authority authorityCell: UnsafeBufferPointer<UInt8>?) {
        guard let columns else { return }
        var id = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        if let idColumn = columns.id, let cell = idCell {
            if !cell.isEmpty {
                id = cell
                checkDuplicate(id: cell, line: line)
                noteIfNotUTF8(cell, column: idColumn, line: line)
            }
        }
        // A (authority, school) pair seen before: its index, without Strings.
        let cacheable = !schoolCell.isEmpty && !(authorityCell?.isEmpty ?? false)
        // The key "authority␟school" is copied into `groupKey`'s first
        // `groupKeyLength` bytes (the array only grows; appending to it was
        // about 370 instructions a row).
        let authorityCount = authorityCell?.count ?? 0
        let groupKeyLength = authorityCount + 1 + schoolCell.count
        if cacheable {
            if groupKey.count < groupKeyLength { groupKey = [UInt8](repeating: 0, count: max(64, 2 * groupKeyLength)) }
            groupKey.withUnsafeMutableBufferPointer { key in
                let base = key.baseAddress!
                if let a = authorityCell, let from = a.baseAddress { base.update(from: from, count: authorityCount) }
                base[authorityCount] = 0x1F
                (base + authorityCount + 1).update(from: schoolCell.baseAddress!, count: schoolCell.count)
            }
            if let known = groupKey.withUnsafeBufferPointer({ schoolOfCells.value(for: UnsafeBufferPointer(rebasing: $0[..<groupKeyLength])) }) {
                // (The codes as a buffer: the array passed on was retained per row.)
                codes.withUnsafeBufferPointer { table!.appendRow(line: line, id: id, schoolIndex: Int32(known), codes: $0) }
                return
            }
        }
        var key: SchoolKey?
        if let school = intern(schoolCell) {
            let layout = layout!
            let authority = authorityCell.flatMap { intern($0) }
            noteIfNotUTF8(schoolCell, column: layout.school, line: line)
            if let column = layout.authority, authority != nil { noteIfNotUTF8(authorityCell!, column: column, line: line) }
            key = SchoolKey(authority: authority, school: school)
            if let column = layout.authority {
                if authority == nil {
                    report(DataProblem(kind: .missingAuthority, line: line, column: layout.header[column], columnNumber: column + 1,
                                              value: school, problem: "school has no authority; it is reported alone and left out of authority aggregates"))
                }
                if !deferCrossRowChecks { checkAuthority(of: key!, line: line) }
            }
        }
        var index: Int32 = -1
        if let key {
            let known = table!.distinctSchools.count
            index = table!.index(of: key)
            if Int(index) == known { schoolFirstLines.append(line) }
        }
        if cacheable {
            _ = groupKey.withUnsafeBufferPointer { schoolOfCells.value(for: UnsafeBufferPointer(rebasing: $0[..<groupKeyLength]), insertingIfAbsent: Int(index)) }
        }
        codes.withUnsafeBufferPointer { table!.appendRow(line: line, id: id, schoolIndex: index, codes: $0) }
    }

    /// Adds a finding about the row being read.
    mutating func report(_ problem: DataProblem) {
        if deferCrossRowChecks { problemRows.append(table!.rowCount) }
        table!.report(problem)
    }

    /// The first cell of a school, authority or id column that is not valid
    /// UTF-8 is a finding (once per column): such values are shown with
    /// `\xHH` escapes (`IdentifierText`) and kept apart by their bytes.
    private mutating func noteIfNotUTF8(_ cell: UnsafeBufferPointer<UInt8>, column: Int, line: Int) {
        guard !IdentifierText.isValidUTF8(cell), let layout, !notUTF8Columns.contains(column) else { return }
        notUTF8Columns.insert(column)
        report(DataProblem(kind: .notUTF8, line: line, column: layout.header[column], columnNumber: column + 1,
                           value: IdentifierText.string(cell),
                           problem: "the column holds bytes that are not UTF-8 (this is its first such cell); they are shown as \\xHH and values that differ in them are kept apart; save the file as UTF-8 to see them as text"))
    }

    /// A respondent id seen on an earlier line is a finding.
    private mutating func checkDuplicate(id: UnsafeBufferPointer<UInt8>, line: Int) {
        guard let idColumn = columns?.id else { return }
        let firstRow = Self.firstRow(of: id, bytes: table!.idBytes, ends: table!.idEnds, index: &idIndex, inserting: table!.rowCount)
        if let firstRow {
            let layout = layout!
            let first = table!.line(row: firstRow)
            if deferCrossRowChecks { duplicateOf[table!.problems.count] = first }
            report(Self.duplicate(layout: layout, idColumn: idColumn, value: IdentifierText.string(id), line: line, first: first))
        }
    }

    /// The first row with id `id` by `index`; when there is none, `row`
    /// is indexed under it (`bytes` and `ends`: the table's ids, passed
    /// alone so the table is not copied per row).
    private static func firstRow(of id: UnsafeBufferPointer<UInt8>, bytes: [UInt8], ends: [UInt32], index: inout RowKeyIndex, inserting row: Int) -> Int? {
        withIDs(bytes: bytes, ends: ends) { idOf in index.row(of: id, insertingRow: row, idOf: idOf) }
    }

    /// Calls `body` with the function that gives row r's id bytes among a
    /// table's ids (`bytes`, with each row's end in `ends`).
    private static func withIDs<T>(bytes: [UInt8], ends: [UInt32], _ body: ((Int) -> UnsafeBufferPointer<UInt8>) -> T) -> T {
        bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in
                body { r in UnsafeBufferPointer(rebasing: bytes[ResponseTable.idRange(row: r, ends: ends)]) }
            }
        }
    }

    private static func duplicate(layout: Layout, idColumn: Int, value: String, line: Int, first: Int) -> DataProblem {
        DataProblem(kind: .duplicateRespondent, line: line, column: layout.header[idColumn],
                    columnNumber: idColumn + 1, value: value, problem: "duplicate respondent id (first on line \(first))")
    }

    /// A school id first seen under another authority is a finding (once per
    /// pair). With `foldCase` ids are compared by their fold keys, as the
    /// groups will be.
    private mutating func checkAuthority(of key: SchoolKey, line: Int) {
        guard let layout else { return }
        let identity = options.foldCase ? IdentifierFold.folded(key) : key
        let schoolBytes = Array(identity.school.utf8)
        if let seen = authorityOfSchool[schoolBytes] {
            let seenAuthority = options.foldCase ? seen.authority.map(IdentifierFold.folded) : seen.authority
            if !SchoolKey.sameBytes(seenAuthority, identity.authority), !reportedSchoolConflicts.contains(identity) {
                reportedSchoolConflicts.insert(identity)
                table!.report(DataProblem(kind: .schoolInSeveralAuthorities, line: line, column: layout.header[layout.school],
                                          columnNumber: layout.school + 1, value: key.school,
                                          problem: "school also appears under authority \(QuotedValue.quote(seen.authority ?? "(none)")) (line \(seen.line)); the two are reported as different schools"))
            }
        } else {
            authorityOfSchool[schoolBytes] = (key.authority, line)
        }
    }

    /// School ids under one authority, and authority ids, that differ only
    /// in letter case or spaces are findings; with `foldCase` they are
    /// merged into the first spelling. Run once over the distinct schools
    /// when the whole file is read.
    func compareIDs(in table: inout ResponseTable) {
        guard let layout, !table.distinctSchools.isEmpty else { return }
        let authority = layout.authority.map { IdentifierFold.Column(name: layout.header[$0], number: $0 + 1) }
        let (problems, merged) = PhaseTrace.measure("read: similar ids") {
            IdentifierFold.compare(schools: table.distinctSchools, firstLines: schoolFirstLines, fold: options.foldCase,
                                   school: IdentifierFold.Column(name: layout.header[layout.school], number: layout.school + 1),
                                   authority: authority, names: options.settingNames)
        }
        for p in problems { table.report(p) }
        if let merged { table.renameSchools(merged) }
    }

    // MARK: - Reading a file in two parts

    /// A reader for the rest of a file from a record boundary on, with this
    /// reader's header, delimiter and settings; its lines count from 1.
    /// nil until the header has been read.
    func continuing() -> ResponseReader? {
        guard let layout, let table, let delimiter = parser.delimiter else { return nil }
        var reader = ResponseReader(instrument: instrument, options: options, source: source)
        reader.parser = CSVParser(continuingWith: delimiter)
        reader.parser.plan = reader.cellPlan
        reader.layout = layout
        reader.table = ResponseTable(instrument: instrument, hasAuthorityColumn: table.hasAuthorityColumn,
                                     hasIDColumn: table.hasIDColumn, ignoredColumns: table.ignoredColumns)
        reader.deferCrossRowChecks = true
        return reader
    }

    /// A reader of a later part of a statistical data file's cases
    /// (`DatasetCases.split(into:)`), to be `absorb`ed by this one: the same
    /// columns, its cross-row checks left to `absorb`; nil before the
    /// header is read. Its rows' lines are the file's case numbers.
    func continuingCases() -> ResponseReader? {
        guard let layout, let table else { return nil }
        var reader = ResponseReader(instrument: instrument, options: options, source: source)
        reader.layout = layout
        reader.table = ResponseTable(instrument: instrument, hasAuthorityColumn: table.hasAuthorityColumn,
                                     hasIDColumn: table.hasIDColumn, ignoredColumns: table.ignoredColumns)
        reader.deferCrossRowChecks = true
        return reader
    }

    /// Makes room in the table for the rows `bytes` more bytes of the file
    /// could hold at most (one byte per column each, at least). Only the
    /// room written takes memory.
    mutating func reserveRows(forBytes bytes: Int) {
        guard let layout, table != nil else { return }
        let rows = bytes / max(1, layout.header.count) + 1
        table!.reserveRows(rows, idBytes: min(bytes, rows * 16))
    }

    /// Whether `consume` looks at every byte of a chunk (the header's
    /// delimiter is known, nothing is held back), so that
    /// `consumedOnlyASCII` speaks for the whole chunk.
    var parsesEveryByte: Bool { parser.holdsNothingBack }

    /// Starts noting whether the bytes consumed are all ASCII.
    mutating func startNotingHighBytes() { parser.resetHighBits() }

    /// Whether every byte consumed since `startNotingHighBytes()` was ASCII.
    var consumedOnlyASCII: Bool { parser.highBits & 0x80 == 0 }

    /// The line (from 1) the next record would start on.
    var nextLine: Int { parser.currentLine }

    /// Whether everything consumed so far ended exactly at a record boundary
    /// (not inside a quoted field), so that a reader `continuing()` from
    /// here reads the rest as this one would.
    var isAtRecordBoundary: Bool { layout != nil && parser.isAtRecordBoundary }

    /// Appends what a `continuing()` reader read (its `finish()`ed table) as
    /// if this reader had read it: lines shifted to this file's, schools
    /// merged, ids looked up among this part's (a duplicate of an earlier
    /// part's id replaces the second reader's own finding) and the
    /// school-authority check run on its schools in order, each finding in
    /// the place the one-pass reader gives it. Then this reader stands
    /// where the part ended, its lines counted on, so that it may absorb or
    /// read what follows; `indexingIDs`: the part's ids are indexed here
    /// for that (not needed after the last part).
    mutating func absorb(_ part: ResponseReader, table other: inout ResponseTable, indexingIDs: Bool = false) {
        let offset = parser.currentLine - 1
        guard let layout else { return }
        let schoolIndex = other.distinctSchools.enumerated().map { j, school -> Int32 in
            let known = table!.distinctSchools.count
            let index = table!.index(of: school)
            if Int(index) == known { schoolFirstLines.append(part.schoolFirstLines[j] + offset) }
            return index
        }
        var checkedSchool = [Bool](repeating: false, count: other.distinctSchools.count)
        var next = 0  // the next of `other`'s problems
        func shifted(_ p: DataProblem) -> DataProblem {
            DataProblem(kind: p.kind, line: p.line + offset, column: p.column, columnNumber: p.columnNumber, value: p.value, problem: p.problem)
        }
        // Each of the part's ids looked up among this table's, on the threads
        // (the lookups only read): the row it was first given to, or UInt32.max (rows are fewer than 2³² - 1).
        var earlierRows = [UInt32](repeating: .max, count: layout.id == nil ? 0 : other.rowCount)
        if layout.id != nil && other.rowCount > 0 && idIndex.count > 0 {
            let index = idIndex, bytes = table!.idBytes, ends = table!.idEnds
            let partBytes = other.idBytes, partEnds = other.idEnds
            let chunks = min(max(1, options.threads) * 4, max(1, other.rowCount / 4096))
            earlierRows.withUnsafeMutableBufferPointer { out in
                let box = UncheckedSendableBox(out)
                ParallelWork.run(count: chunks, threads: options.threads) { c in
                    let out = box.value
                    let start = other.rowCount * c / chunks, end = other.rowCount * (c + 1) / chunks
                    Self.withIDs(bytes: bytes, ends: ends) { idOf in
                        Self.withIDs(bytes: partBytes, ends: partEnds) { partID in
                            for r in start..<end {
                                let id = partID(r)
                                if !id.isEmpty, let row = index.row(of: id, idOf: idOf) { out[r] = UInt32(row) }
                            }
                        }
                    }
                }
            }
        }
        table!.reserveRows(other.rowCount, idBytes: other.idBytes.count)
        for r in 0..<other.rowCount {
            let line = other.line(row: r) + offset
            while next < other.problems.count && part.problemRows[next] == r && other.problems[next].kind == .invalidValue {
                table!.report(shifted(other.problems[next]))
                next += 1
            }
            // A duplicate id: of a row in this part first (as one pass finds
            // it), else of an earlier row of the second part.
            let partFirst = next < other.problems.count && part.problemRows[next] == r && other.problems[next].kind == .duplicateRespondent
                ? part.duplicateOf[next] : nil
            let range = other.idRange(row: r)
            if !range.isEmpty, let idColumn = layout.id {
                let firstRow: Int? = earlierRows[r] != .max ? Int(earlierRows[r]) : nil
                if let firstRow {
                    table!.report(Self.duplicate(layout: layout, idColumn: idColumn, value: other.respondentID(row: r)!, line: line,
                                                 first: table!.line(row: firstRow)))
                } else if let first = partFirst {
                    table!.report(Self.duplicate(layout: layout, idColumn: idColumn, value: other.respondentID(row: r)!, line: line, first: first + offset))
                }
            }
            if partFirst != nil { next += 1 }
            while next < other.problems.count && part.problemRows[next] == r {
                let p = other.problems[next]
                next += 1
                // Bytes that are not UTF-8: reported once per column, by the first part if it saw them.
                if p.kind == .notUTF8, !notUTF8Columns.insert((p.columnNumber ?? 0) - 1).inserted { continue }
                table!.report(shifted(p))
            }
            let j = Int(other.rowSchools[r])
            if j >= 0 && layout.authority != nil && !checkedSchool[j] {
                checkedSchool[j] = true
                checkAuthority(of: other.distinctSchools[j], line: line)
            }
        }
        PhaseTrace.mark("read: absorb checks")
        let base = table!.rowCount
        table!.appendRows(of: &other, lineOffset: offset, schoolIndex: schoolIndex)
        // (A data file's part numbers its rows by case: no lines to count on.)
        if part.nextLine > 1 { parser.skipLines(part.nextLine - 1) }
        if indexingIDs && layout.id != nil {
            // The part's ids, each under its first row (a later row with the same id was reported above).
            let bytes = table!.idBytes, ends = table!.idEnds
            bytes.withUnsafeBufferPointer { idBytes in
                for r in base..<table!.rowCount {
                    let range = ResponseTable.idRange(row: r, ends: ends)
                    if range.isEmpty { continue }
                    _ = Self.firstRow(of: UnsafeBufferPointer(rebasing: idBytes[range]), bytes: bytes, ends: ends, index: &idIndex, inserting: r)
                }
            }
        }
    }

    /// Matches the columns (CSV header names, a data file's variable names) to the items and groups.
    mutating func readHeader(names: [String]) throws {
        var header = names.map(ColumnName.trimmed)
        // Excel's trailing delimiter: an empty last name is dropped.
        let trailingDelimiter = header.count > 1 && header.last!.isEmpty
        if trailingDelimiter { header.removeLast() }
        var positions: [String: [Int]] = [:]
        for (k, name) in header.enumerated() { positions[ColumnName.normalized(name), default: []].append(k) }
        func find(_ name: String) throws -> Int? {
            guard let found = positions[ColumnName.normalized(name)] else { return nil }
            if found.count > 1 {
                throw ResponseFileError.duplicateColumn(source: source, name: header[found[0]], positions: found.map { $0 + 1 })
            }
            return found[0]
        }
        func suggestions(_ name: String) -> [String] { SurveyExport.suggestions(for: name, in: header) }
        let export = SurveyExport.columns(header: header)

        var missingGroups: [(name: String, suggestions: [String])] = []
        let school = try find(options.schoolColumn)
        if school == nil { missingGroups.append((options.schoolColumn, suggestions(options.schoolColumn))) }
        let authority = try find(options.authorityColumn)
        if authority == nil && options.requireAuthorityColumn { missingGroups.append((options.authorityColumn, suggestions(options.authorityColumn))) }
        // Qualtrics' `ResponseId` is the respondent id when there is no id column.
        let id = try find(options.idColumn) ?? (options.requireIDColumn ? nil : try export.idColumn.flatMap(find))
        if id == nil && options.requireIDColumn { missingGroups.append((options.idColumn, suggestions(options.idColumn))) }
        if !missingGroups.isEmpty {
            throw ResponseFileError.missingColumns(source: source, missing: missingGroups, groupColumn: true)
        }
        var itemColumns: [Int] = []
        var missingItems: [(name: String, suggestions: [String])] = []
        for item in instrument.items {
            if let k = try find(item.column) { itemColumns.append(k) } else { missingItems.append((item.column, suggestions(item.column))) }
        }
        if !missingItems.isEmpty {
            if let example = SurveyExport.questionText(in: header) {
                throw ResponseFileError.headerIsQuestionText(source: source, example: example, missing: missingItems.count)
            }
            throw ResponseFileError.missingColumns(source: source, missing: missingItems, groupColumn: false)
        }
        let used = Set(itemColumns + [school!] + [authority, id].compactMap { $0 })
        let ignored = header.indices.filter { !used.contains($0) }.map { header[$0] }
        layout = Layout(header: header, itemColumns: itemColumns, school: school!, authority: authority, id: id,
                        trailingDelimiter: trailingDelimiter, export: export)
        headerRowsToCheck = export.isQualtrics ? 2 : 1

        table = ResponseTable(instrument: instrument, hasAuthorityColumn: authority != nil, hasIDColumn: id != nil, ignoredColumns: ignored)
    }

    // MARK: - Cells

    /// Whether every field of a record is empty.
    private static func allEmpty(_ record: CSVRecord) -> Bool {
        (0..<record.fieldCount).allSatisfy { record.field($0).isEmpty }
    }

    /// Whether a row just after the header is another header row: nil when
    /// it is a data row; `.some(nil)` for a Qualtrics header row (question
    /// texts, import ids: neither data nor a finding); `.some(finding)`
    /// for a row of another file that looks like a second header.
    private func headerRowFinding(_ record: CSVRecord, layout: Layout) -> DataProblem?? {
        let cells = (0..<min(record.fieldCount, layout.header.count)).map { Array(Self.trim(record.field($0))) }
        if layout.export.isQualtrics, SurveyExport.isQualtricsHeaderRow(cells, header: layout.header) { return .some(nil) }
        // Every item cell is a name: two letters or more, neither a missing
        // code nor an answer label, and no two alike (answers repeat).
        let itemCells = layout.itemColumns.map { cells[$0] }
        let names = itemCells.filter { cell in
            cell.count(where: { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") || $0 >= 0x80 }) >= 2
                && !missingCodes.contains(cell) && labelCodes[ChoiceLabels.key(cell)] == nil
        }
        guard !itemCells.isEmpty, names.count == itemCells.count, Set(names).count == names.count else { return nil }
        let column = layout.itemColumns[0]
        return .some(DataProblem(kind: .secondHeaderRow, line: record.line, column: layout.header[column], columnNumber: column + 1,
                                 value: IdentifierText.string(itemCells[0]),
                                 problem: "the row looks like a second header (every item cell is text, none an answer), so it is not read as a respondent; delete the line if it is one, or check the answers"))
    }

    /// Schools and authorities repeat; keep one String per distinct value.
    private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.isEmpty else { return nil }
        let key = Array(bytes)
        if let s = interned[key] { return s }
        let s = IdentifierText.string(bytes)
        interned[key] = s
        return s
    }

    static func trim(_ cell: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = cell.count
        while start < end, cell[start] == 0x20 || cell[start] == 0x09 { start += 1 }
        while end > start, cell[end - 1] == 0x20 || cell[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: cell[start..<end])
    }

    /// The value of a cell written as a whole number, optionally signed and
    /// optionally with a zero fraction ("3", "+3", "3.0", "3.00"); nil otherwise.
    /// With `decimalComma`, a comma may stand for the point ("3,0").
    static func wholeNumber(_ cell: UnsafeBufferPointer<UInt8>, decimalComma: Bool = false) -> Int? {
        var i = cell.startIndex
        var negative = false
        if i < cell.endIndex, cell[i] == UInt8(ascii: "-") || cell[i] == UInt8(ascii: "+") {
            negative = cell[i] == UInt8(ascii: "-")
            i += 1
        }
        var value = 0, digits = 0
        while i < cell.endIndex, (48...57).contains(cell[i]) {
            if digits < 9 { value = value * 10 + Int(cell[i] - 48) }
            digits += 1
            i += 1
        }
        guard digits > 0, digits <= 9 else { return nil }
        if i < cell.endIndex, cell[i] == UInt8(ascii: ".") || (decimalComma && cell[i] == UInt8(ascii: ",")) {
            i += 1
            while i < cell.endIndex, cell[i] == UInt8(ascii: "0") { i += 1 }
        }
        guard i == cell.endIndex else { return nil }
        return negative ? -value : value
    }

    /// Whether a cell is a decimal number with a non-zero fraction ("3.5").
    static func isDecimal(_ cell: UnsafeBufferPointer<UInt8>, decimalComma: Bool = false) -> Bool {
        guard let dot = cell.firstIndex(where: { $0 == UInt8(ascii: ".") || (decimalComma && $0 == UInt8(ascii: ",")) }) else { return false }
        let whole = cell[cell.startIndex..<dot].drop { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
        let fraction = cell[(dot + 1)...]
        return !fraction.isEmpty && fraction.allSatisfy { (48...57).contains($0) } && whole.allSatisfy { (48...57).contains($0) }
    }
}
