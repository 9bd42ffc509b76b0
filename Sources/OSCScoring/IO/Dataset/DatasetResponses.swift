// Statistical data files (SPSS, Stata) as responses: the variables are the
// columns, each case a row, read with the same rules as a CSV (column names,
// ids, groups, findings) by the same code in ResponseReader. Item codes go
// straight into the table; numbers become text only for ids, groups and the
// values of findings, written as a person would (`2`, not `2.0`).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening the statistical data files that their first bytes announce.
package enum DatasetFiles {
    /// The kind of file at `path` from its first bytes; nil when they cannot be read
    /// (the text reader then reports why).
    package static func kind(path: String) -> DataFileKind? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var head = [UInt8](repeating: 0, count: 11)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 11, 0) }
        guard n > 0 else { return nil }
        return DataFileKind(magic: head[0..<n])
    }

    /// The SPSS or Stata file at `path`, its dictionary read, with the name
    /// of its format; nil for any other kind of file (read as text).
    /// Stata files are read whole (`StataFile(path:encodingOverride:)`), format "Stata 118".
    /// - Parameter threads: how many ZLIB blocks of a `.zsav` are decompressed at once.
    package static func opening(path: String, kind: DataFileKind, encoding: String?, threads: Int = 1) throws(DatasetError) -> (cases: any DatasetCases, format: String)? {
        switch kind {
        case .spss, .spssZlib:
            var file = try SPSSFile(path: path, encodingOverride: encoding)
            file.threads = threads
            return (file, kind == .spss ? "SPSS system file" : "SPSS ZLIB-compressed system file")
        case .stata:
            let file = try StataFile(path: path, encodingOverride: encoding)
            return (file, "Stata \(file.release)")
        default: return nil
        }
    }

    /// A number as a person writes it: `2`, `-99`, `3.5` (`DecimalText.shortest`;
    /// an infinity as Swift writes it, `inf`).
    package static func numberText(_ x: Double) -> String {
        x.isFinite ? DecimalText.shortest(x) : "\(x)"
    }
}

extension ResponseReader {
    /// Reads the cases of a statistical data file into a table, with the
    /// rules of a CSV: variables are matched to items, school, authority and
    /// id by name (ignoring case and surrounding spaces); each case is a row
    /// whose line is its case number. User-missing and system-missing cells
    /// are missing answers (or empty cells), counted per column, with no
    /// finding; another value off the response scale is an invalid cell.
    /// An item variable holding strings is an error.
    /// - Parameters:
    ///   - cases: the opened file (dictionary read).
    ///   - format: the file's format, for the input section ("SPSS system file").
    ///   - minimumCasesPerPart: with `options.threads` above 1, the file's
    ///     cases are read in parts of at least this many on the threads
    ///     (`DatasetCases.split(into:minimumCasesPerPart:)`), absorbed in
    ///     order: the result is the same as in one pass.
    /// - Throws: `ResponseFileError` as for a CSV; `.malformedDataFile` for a damaged file.
    package static func read(cases: inout some DatasetCases, format: String, instrument: Instrument, options: ReadOptions = ReadOptions(),
                             source: String, minimumCasesPerPart: Int = 1024) throws(ResponseFileError) -> ResponseTable {
        var reader = ResponseReader(instrument: instrument, options: options, source: source)
        let variables = cases.variables
        do {
            try reader.readHeader(names: variables.map(\.name))
        } catch let error as ResponseFileError {
            throw error
        } catch {
            throw .malformedDataFile(source: source, message: "\(source): \(error).")
        }
        let layout = reader.layout!
        for (item, column) in zip(instrument.items, layout.itemColumns) where variables[column].isString {
            throw .malformedDataFile(source: source, message: "\(source): variable \(QuotedValue.quote(variables[column].name)) (column \(column + 1)) holds strings, but item \(QuotedValue.quote(item.id)) must be a number; change its type to numeric (in SPSS: ALTER TYPE or AUTORECODE) and save the file again.")
        }
        let itemColumns = layout.itemColumns
        let scale = instrument.responseScale
        let plan = DatasetItemPlan(variableCount: variables.count, itemColumns: itemColumns, scaleMin: scale.min, scaleMax: scale.max)
        var counts = MissingCounts(variableCount: variables.count)
        // Rows for the declared cases, when the file can hold them (never more).
        if let count = cases.plausibleCaseCount, count > 0 {
            reader.table!.reserveRows(count, idBytes: layout.id == nil ? 0 : min(count, 1 << 24) * 8)
        }
        PhaseTrace.mark("read: dictionary")
        if options.threads > 1, let parts = PhaseTrace.measure("read: split", { cases.split(into: options.threads, minimumCasesPerPart: minimumCasesPerPart) }), parts.count > 1,
           let continuing = reader.continuingCases() {
            // The parts on threads, each into its own reader; then absorbed in order, as one pass reads them.
            // The first part's reader is this one, moved (not copied: its table is then written in place).
            var readers: [ResponseReader?] = [reader] + (1..<parts.count).map { _ in continuing }
            reader.table = nil
            var partCases: [(some DatasetCases)?] = parts
            var partCounts = [MissingCounts](repeating: counts, count: parts.count)
            var errors = [ResponseFileError?](repeating: nil, count: parts.count)
            var tables = [ResponseTable?](repeating: nil, count: parts.count)
            let declared = cases.declaredCaseCount ?? 0
            for k in 1..<parts.count { readers[k]!.table!.reserveRows(declared / parts.count + 1, idBytes: layout.id == nil ? 0 : min(declared, 1 << 24) * 8 / parts.count) }
            PhaseTrace.mark("read: split and reserve")
            readers.withUnsafeMutableBufferPointer { readers in
                partCases.withUnsafeMutableBufferPointer { partCases in
                    partCounts.withUnsafeMutableBufferPointer { partCounts in
                        errors.withUnsafeMutableBufferPointer { errors in
                            tables.withUnsafeMutableBufferPointer { tables in
                                let box = UncheckedSendableBox((readers, partCases, partCounts, errors, tables))
                                ParallelWork.run(count: parts.count, threads: parts.count) { k in
                                    let (readers, partCases, partCounts, errors, tables) = box.value
                                    // Storage of its own for each part (no reference counts shared between the threads).
                                    let plan = k == 0 ? plan : plan.unshared()
                                    let variables = k == 0 ? variables : variables.map { $0.unshared() }
                                    // The part's reader, cases and counts moved to this thread's own variables while it reads
                                    // (the arrays hold them side by side: two threads writing one cache line would wait on each other).
                                    var reader = readers[k]!, cases = partCases[k]!, counts = partCounts[k]
                                    readers[k] = nil
                                    partCases[k] = nil
                                    PhaseTrace.measure("read: part \(k + 1)") {
                                        do throws(ResponseFileError) {
                                            try readCases(&cases, into: &reader, plan: plan, counts: &counts, variables: variables,
                                                          options: options, source: source)
                                            if k > 0 {
                                                // The part's table alone (its memory is given back as it is absorbed).
                                                tables[k] = reader.table
                                                reader.table = nil
                                            }
                                        } catch {
                                            errors[k] = error
                                        }
                                    }
                                    readers[k] = reader
                                    partCounts[k] = counts
                                }
                            }
                        }
                    }
                }
            }
            PhaseTrace.mark("read: parts")
            // The first error in file order is the one a single pass meets.
            if let error = errors.lazy.compactMap({ $0 }).first { throw error }
            reader = readers[0]!
            readers[0] = nil
            counts = partCounts[0]
            for k in 1..<parts.count {
                reader.absorb(readers[k]!, table: &tables[k]!, indexingIDs: k < parts.count - 1)
                tables[k] = nil
                counts.add(partCounts[k])
            }
            PhaseTrace.mark("read: absorb")
        } else {
            try readCases(&cases, into: &reader, plan: plan, counts: &counts, variables: variables, options: options, source: source)
        }
        let userMissing = counts.user, systemMissing = counts.system
        guard var table = reader.table else { throw .emptyFile(source: source) }
        reader.table = nil
        reader.compareIDs(in: &table)
        let counted = Set(layout.itemColumns + [layout.school] + [layout.id, layout.authority].compactMap { $0 })
        let declared = variables.indices.filter { counted.contains($0) && userMissing[$0] + systemMissing[$0] > 0 }.map {
            DeclaredMissingCount(column: layout.header[$0], userMissing: userMissing[$0], systemMissing: systemMissing[$0])
        }
        func names(_ column: Int?) -> [String: String] {
            guard let column else { return [:] }
            var out: [String: String] = [:]
            for (value, label) in variables[column].valueLabels {
                switch value {
                case .number(let x): out[DatasetFiles.numberText(x)] = label
                case .string(let s): out[IdentifierText.string(s)] = label
                }
            }
            return out
        }
        table.dataFile = DataFileFacts(format: format, encoding: cases.encodingName, declaredMissing: declared,
                                       schoolNames: names(layout.school), authorityNames: names(layout.authority))
        return table
    }
}

/// Per variable: the cells declared missing (user-missing) and system-missing.
struct MissingCounts {
    var user: [Int]
    var system: [Int]

    init(variableCount: Int) {
        user = [Int](repeating: 0, count: variableCount)
        system = user
    }

    mutating func add(_ other: MissingCounts) {
        for v in user.indices {
            user[v] += other.user[v]
            system[v] += other.system[v]
        }
    }
}

extension ResponseReader {
    /// Reads the cases `cases` has left into `reader`'s table (each case a
    /// row whose line is its case number), counting the missing cells.
    static func readCases(_ cases: inout some DatasetCases, into reader: inout ResponseReader, plan: DatasetItemPlan,
                          counts: inout MissingCounts, variables: [DatasetVariable], options: ReadOptions,
                          source: String) throws(ResponseFileError) {
        let layout = reader.layout!
        let scale = reader.instrument.responseScale
        let missingCodes = Set(options.missingCodes)
        var row = DatasetCase(variableCount: variables.count)
        let isString = variables.map(\.isString)
        // Numeric ids and groups repeat: each distinct number is written as text once.
        var numberTexts: [UInt64: [UInt8]] = [:]
        // The text of an id, school or authority cell; missing cells are empty.
        func cell(_ row: DatasetCase, _ column: Int, _ counts: inout MissingCounts, _ numberTexts: inout [UInt64: [UInt8]]) -> [UInt8] {
            switch row.missing[column] {
            case .systemMissing:
                counts.system[column] += 1
                return []
            case .declaredMissing:
                counts.user[column] += 1
                return []
            case .present:
                if isString[column] { return row.strings[column] }
                let x = row.numbers[column]
                if let text = numberTexts[x.bitPattern] { return text }
                let text = Array(DatasetFiles.numberText(x).utf8)
                if numberTexts.count < 1 << 16 { numberTexts[x.bitPattern] = text }
                return text
            }
        }
        let itemColumns = layout.itemColumns
        var codes = [UInt8](repeating: 0, count: itemColumns.count)
        while true {
            let decoded: (more: Bool, examine: Bool)
            do {
                decoded = try cases.next(into: &row, plan: plan, codes: &codes, systemMissing: &counts.system, userMissing: &counts.user)
            } catch {
                throw .malformedDataFile(source: source, message: error.message)
            }
            guard decoded.more else { break }
            let caseNumber = cases.casesRead
            // The codes become the reader's row; its previous buffer is decoded into next.
            swap(&codes, &reader.codes)
            for i in (decoded.examine ? itemColumns.indices : 0..<0) where reader.codes[i] == 0xFF {
                let column = itemColumns[i]
                reader.codes[i] = 0
                do {
                    let x = row.numbers[column]
                    let value = DatasetFiles.numberText(x)
                    if missingCodes.contains(value) { continue }
                    let problem = x == x.rounded() ? "outside the response scale \(scale.min) to \(scale.max)"
                        : "not a whole number on the response scale \(scale.min) to \(scale.max)"
                    if options.strict {
                        throw .invalidValue(source: source, line: caseNumber, column: layout.header[column], columnNumber: column + 1,
                                            value: value, problem: problem)
                    }
                    reader.report(DataProblem(kind: .invalidValue, line: caseNumber, column: layout.header[column],
                                              columnNumber: column + 1, value: value, problem: problem))
                }
            }
            var id: [UInt8]?, authority: [UInt8]?
            if let c = layout.id { id = cell(row, c, &counts, &numberTexts) }
            let school = cell(row, layout.school, &counts, &numberTexts)
            if let c = layout.authority { authority = cell(row, c, &counts, &numberTexts) }
            func trimmed(_ bytes: [UInt8]?, _ body: (UnsafeBufferPointer<UInt8>?) -> Void) {
                guard let bytes else { return body(nil) }
                bytes.withUnsafeBufferPointer { body(Self.trim($0)) }
            }
            trimmed(id) { id in
                trimmed(school) { school in
                    trimmed(authority) { authority in
                        reader.appendRow(line: caseNumber, id: id, school: school!, authority: authority)
                    }
                }
            }
        }
    }

    /// Reads `path` as a statistical data file when its first bytes say it
    /// is one (SPSS `$FL2`/`$FL3`, Stata `<stata_dta>`), whatever its name;
    /// nil for any other file, which is read as text.
    /// - Throws: `ResponseFileError`, `.malformedDataFile` for a damaged file.
    package static func readDataFile(path: String, instrument: Instrument, options: ReadOptions) throws(ResponseFileError) -> ResponseTable? {
        guard path != "-", let kind = DatasetFiles.kind(path: path), kind != .text, kind != .zip else { return nil }
        let opened: (cases: any DatasetCases, format: String)?
        do {
            opened = try DatasetFiles.opening(path: path, kind: kind, encoding: options.encoding, threads: options.threads)
        } catch {
            throw .malformedDataFile(source: path, message: error.message)
        }
        guard let opened else { return nil }
        var cases = opened.cases
        return try read(cases: &cases, format: opened.format, instrument: instrument, options: options, source: path)
    }

    /// Reads a statistical data file or an Excel workbook held in memory
    /// (standard input whose first bytes announce one, `kind`), as
    /// `readDataFile(path:…)` and `readWorkbook(path:…)` read files.
    /// - Throws: `ResponseFileError`, `.malformedDataFile` for a damaged file.
    package static func readBinary(bytes: [UInt8], kind: DataFileKind, source: String, instrument: Instrument,
                                   options: ReadOptions) throws(ResponseFileError) -> ResponseTable {
        if kind == .zip { return try readWorkbook(bytes: bytes, source: source, instrument: instrument, options: options) }
        var cases: any DatasetCases
        let format: String
        do throws(DatasetError) {
            switch kind {
            case .spss, .spssZlib:
                var file = try SPSSFile(bytes: bytes, source: source, encodingOverride: options.encoding)
                file.threads = options.threads
                cases = file
                format = kind == .spss ? "SPSS system file" : "SPSS ZLIB-compressed system file"
            case .stata:
                var encoding: TextEncoding?
                if let name = options.encoding {
                    guard let known = TextEncoding(name: name) else {
                        throw DatasetError(source: source, reason: "the encoding \(name.debugDescription) is not known; give one of \(TextEncoding.commonNames.joined(separator: ", ")) or another Windows or ISO code page")
                    }
                    encoding = known
                }
                let file = try StataFile(bytes: bytes, source: source, encoding: encoding)
                format = "Stata \(file.release)"
                cases = file
            default:
                throw DatasetError(source: source, reason: "the input is not an SPSS, Stata or Excel file")
            }
        } catch {
            throw .malformedDataFile(source: source, message: error.message)
        }
        var table = try read(cases: &cases, format: format, instrument: instrument, options: options, source: source)
        if let file = table.dataFile { table.encoding = ResponseEncoding(name: file.encoding, origin: options.encoding != nil ? .given : .declared) }
        return table
    }
}
