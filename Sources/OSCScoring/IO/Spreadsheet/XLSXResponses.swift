// A sheet of an Excel workbook read as a responses file: the sheet's rows
// are given to the CSV reader as quoted comma-separated records, so every
// rule of a CSV holds (the header is the first non-empty row; blank rows;
// Qualtrics' header rows and Status; answers as numbers or label text), and
// line numbers are the sheet's row numbers.

extension ResponseReader {
    /// The sheet `ReadOptions.sheet` names: a name, else a number from 1 (a
    /// sheet named "2" is found by its name first); the first worksheet when nil.
    static func sheetChoice(_ sheet: String?, in book: XLSXWorkbook) -> XLSXSheetChoice {
        guard let sheet else { return .first }
        if book.sheetNames.contains(sheet) { return .name(sheet) }
        if let number = Int(sheet.trimmingSpaces) { return .number(number) }
        return .name(sheet)
    }

    /// Reads `path` as an Excel workbook when it is a ZIP container (its
    /// first bytes `PK\u{3}\u{4}`, whatever its name); nil for any other file.
    /// - Throws: `ResponseFileError`: `.malformedDataFile` for an archive that
    ///   is not a readable workbook or names no such sheet; else as for a CSV.
    static func readWorkbook(path: String, instrument: Instrument, options: ReadOptions) throws(ResponseFileError) -> ResponseTable? {
        guard path != "-", let head = FileInput.head(path: path, count: 4), DataFileKind(magic: head) == .zip else { return nil }
        var bytes: [UInt8] = []
        do {
            try FileInput.forEachChunk(path: path) { bytes.append(contentsOf: $0) }
        } catch let error as FileInputError {
            throw .unreadable(error)
        } catch {
            throw .unreadable(FileInputError(path: path, reason: "\(error)", notFound: false))
        }
        return try readWorkbook(bytes: bytes, source: path, instrument: instrument, options: options)
    }

    /// Reads a workbook held in memory (`readWorkbook(path:…)`).
    static func readWorkbook(bytes: [UInt8], source path: String, instrument: Instrument,
                             options: ReadOptions) throws(ResponseFileError) -> ResponseTable {
        let rows: [XLSXRow]
        let sheetName: String
        do {
            let book = try XLSXWorkbook(bytes: bytes, source: path)
            let choice = sheetChoice(options.sheet, in: book)
            rows = try book.rows(sheet: choice)
            sheetName = book.sheetNames[try book.sheetIndex(choice)]
        } catch {
            throw .malformedDataFile(source: path, message: error.message)
        }
        var csvOptions = options
        csvOptions.delimiter = .comma
        var reader = ResponseReader(instrument: instrument, options: csvOptions, source: path)
        var text: [UInt8] = []
        text.reserveCapacity(1 << 20)
        var line = 1
        var width = 0
        for row in rows {
            // Rows missing from the sheet are blank lines, so that lines are row numbers.
            while line < row.line {
                text.append(0x0A)
                line += 1
            }
            if width == 0 { width = row.cells.count }
            for k in 0..<max(width, row.cells.count) {
                if k > 0 { text.append(UInt8(ascii: ",")) }
                let cell = k < row.cells.count ? row.cells[k] : []
                guard !cell.isEmpty else { continue }
                text.append(UInt8(ascii: "\""))
                var previousCR = false
                for b in cell {
                    if b == UInt8(ascii: "\"") { text.append(b) }
                    // A line break inside a cell moves the parser's line count on.
                    if b == 0x0D || (b == 0x0A && !previousCR) { line += 1 }
                    previousCR = b == 0x0D
                    text.append(b)
                }
                text.append(UInt8(ascii: "\""))
            }
            text.append(0x0A)
            line += 1
            if text.count >= 1 << 20 {
                try reader.consume(text)
                text.removeAll(keepingCapacity: true)
            }
        }
        try reader.consume(text)
        var table = try reader.finish()
        table.sheet = sheetName
        return table
    }
}

extension String {
    /// The string without spaces at either end.
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
