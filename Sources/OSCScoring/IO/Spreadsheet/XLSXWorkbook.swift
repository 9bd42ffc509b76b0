// Excel workbooks (.xlsx, Office Open XML SpreadsheetML, ECMA-376 Part 1
// §18): the sheets' cell values as UTF-8 text, row by row. The ZIP
// container is read by ZipArchive, the XML by XMLScanner (see there for why
// not FoundationXML).

/// Which sheet of a workbook to read.
package enum XLSXSheetChoice: Sendable, Equatable {
    /// The first worksheet in workbook order.
    case first
    /// The sheet with this name (exactly as shown on its tab).
    case name(String)
    /// The sheet at this position in workbook order, from 1.
    case number(Int)
}

/// One row of a sheet that holds at least one non-empty cell.
package struct XLSXRow: Sendable, Equatable {
    /// The sheet's row number (the `r` of the row, 1 for the first row).
    package var line: Int
    /// The cells' text in UTF-8, index = column (A = 0); cells missing
    /// between filled ones are empty, and the row ends at its last
    /// non-empty cell.
    package var cells: [[UInt8]]

    /// A row numbered `line` holding `cells`.
    package init(line: Int, cells: [[UInt8]]) {
        self.line = line
        self.cells = cells
    }
}

/// A workbook that cannot be read: the file, sheet, cell, what is wrong and
/// what to do.
package struct XLSXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as the user named it.
    package var source: String
    /// The sheet concerned, if any.
    package var sheet: String?
    /// The cell reference concerned (`B7`), if any.
    package var cell: String?
    /// What is wrong, as a clause.
    package var reason: String
    /// What the user can do about it, as a clause.
    package var fix: String

    /// An error in `source`.
    package init(source: String, sheet: String? = nil, cell: String? = nil, reason: String, fix: String = ZipError.damaged) {
        self.source = source
        self.sheet = sheet
        self.cell = cell
        self.reason = reason
        self.fix = fix
    }

    /// A ZIP error as a workbook error.
    package init(_ zip: ZipError, sheet: String? = nil) {
        var reason = zip.reason
        if let member = zip.member {
            reason = "member '\(member)'" + (zip.offset.map { " at byte \($0)" } ?? "") + ": " + reason
        } else if let offset = zip.offset {
            reason = "at byte \(offset): " + reason
        }
        self.init(source: zip.source, sheet: sheet, reason: reason, fix: zip.fix)
    }

    /// One sentence: "book.xlsx, sheet 'Data', cell B7: …; fix.".
    package var message: String {
        var place = source
        if let sheet { place += ", sheet '\(sheet)'" }
        if let cell { place += ", cell \(cell)" }
        return "\(place): \(reason); \(fix)."
    }

    /// The message.
    package var description: String { message }
}

/// An Excel workbook (`.xlsx`): its sheet names, and the cells of a sheet as
/// text, read from the bytes of the file.
///
/// Parts (ECMA-376 Part 1): the package relationships `_rels/.rels` name the
/// workbook part (normally `xl/workbook.xml`, §18.2); its `<sheet>`
/// elements, in workbook order, name the sheets and point through the
/// workbook's relationships (`xl/_rels/workbook.xml.rels`) to their parts;
/// the shared string table (§18.4) holds the text of `t="s"` cells, with
/// rich-text runs (`<r><t>`) joined and phonetic runs (`<rPh>`) left out.
/// Cells (§18.3.1.4): shared strings, inline strings (`t="inlineStr"`),
/// numbers written as a person would (`3`, not `3.0`; otherwise the
/// shortest text that reads back as the same double: `2.5`, `0.1`),
/// booleans as `TRUE`/`FALSE`, formula strings (`t="str"`, the cached
/// value), errors (`#N/A`) and dates (`t="d"`) as their text; a formula's
/// cached value is read, never the formula. Dates stored as serial numbers
/// stay numbers. Cell references may skip columns and rows; cells and rows
/// without references follow the previous ones. Excel's `_xHHHH_` escapes
/// (`_x000D_` for a carriage return) are decoded in text.
///
/// Limits: each part at most `maximumPartSize` (256 MiB) once decompressed;
/// rows and columns within Excel's 1,048,576 × 16,384; at most
/// `maximumCellSlots` cells in one sheet, counting the empty ones between
/// filled cells (so a crafted sheet cannot make millions of empty rows of
/// 16,384 columns).
///
/// Validated against workbooks written by openpyxl
/// (`Tests/OSCScoringTests/Reference/xlsx/`).
package struct XLSXWorkbook: Sendable {
    /// The file, as the user named it (for messages).
    package let source: String
    /// The sheet names in workbook order (worksheets and any chart sheets).
    package let sheetNames: [String]
    let sheetParts: [String?]
    let sheetIsWorksheet: [Bool]
    let sharedStrings: [[UInt8]]
    let archive: ZipArchive

    /// The largest part (XML member) read, once decompressed: 256 MiB.
    package static let maximumPartSize = 256 << 20
    /// Excel's largest sheet: 1,048,576 rows.
    package static let maximumRows = 1_048_576
    /// Excel's largest sheet: 16,384 columns (A to XFD).
    package static let maximumColumns = 16_384
    /// The most cells of one sheet, empty ones between filled cells
    /// included: 32 million (a sheet of 200,000 rows × 108 columns has 21.6
    /// million).
    package static let maximumCellSlots = 32_000_000

    static let notWorkbookFix = "osc-score reads Excel workbooks (.xlsx): save the file from its program as 'Excel Workbook (.xlsx)', or as CSV"

    /// Reads the workbook's structure and shared strings from the bytes of
    /// an `.xlsx` file.
    package init(bytes: [UInt8], source: String) throws(XLSXError) {
        self.source = source
        do throws(ZipError) {
            archive = try ZipArchive(bytes: bytes, source: source)
        } catch {
            throw XLSXError(error)
        }
        let archive = self.archive
        func part(_ name: String) throws(XLSXError) -> [UInt8]? {
            guard archive.entry(named: name) != nil else { return nil }
            do throws(ZipError) {
                return try archive.contents(of: name, limit: Self.maximumPartSize)
            } catch {
                throw XLSXError(error)
            }
        }
        // The workbook part, from the package relationships.
        var workbookPath = "xl/workbook.xml"
        if let rels = try part("_rels/.rels") {
            let relations = try Self.relationships(rels, base: "", part: "_rels/.rels", source: source)
            if let office = relations.first(where: { $0.type.hasSuffix("/officeDocument") }) { workbookPath = office.target }
        }
        guard let workbook = try part(workbookPath) else {
            let reason = archive.entry(named: "content.xml") != nil
                ? "the file is an OpenDocument spreadsheet (.ods), not an Excel workbook"
                : "the ZIP archive holds no Excel workbook (no \(workbookPath))"
            throw XLSXError(source: source, reason: reason, fix: Self.notWorkbookFix)
        }
        let directory = workbookPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let relsPath = (directory.isEmpty ? "" : directory + "/") + "_rels/" + (workbookPath.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        let relations = try part(relsPath).map { (r) throws(XLSXError) in try Self.relationships(r, base: directory, part: relsPath, source: source) } ?? []

        var relationById: [String: Relationship] = [:]
        for relation in relations where relationById[relation.id] == nil { relationById[relation.id] = relation }
        // <sheet name="…" r:id="…"/> in workbook order.
        var names: [String] = [], parts: [String?] = [], isWorksheet: [Bool] = []
        var scanner = XMLScanner(workbook)
        let sheetTag = Array("sheet".utf8), nameAttribute = Array("name".utf8), idAttribute = Array("id".utf8)
        do throws(XMLProblem) {
            while let token = try scanner.next() {
                guard token.kind == .start || token.kind == .empty, scanner.equals(token.name, sheetTag) else { continue }
                var name: [UInt8] = []
                if let range = scanner.attribute(nameAttribute, in: token.body) { try scanner.decode(range, into: &name) }
                var id: [UInt8] = []
                if let range = scanner.attribute(idAttribute, in: token.body) { try scanner.decode(range, into: &id) }
                let relation = relationById[String(decoding: id, as: UTF8.self)]
                names.append(String(decoding: name, as: UTF8.self))
                parts.append(relation?.target)
                isWorksheet.append(relation.map { $0.type.hasSuffix("/worksheet") } ?? false)
            }
        } catch {
            throw XLSXError(source: source, reason: "the part '\(workbookPath)' is not well-formed XML at byte \(error.offset): \(error.reason)")
        }
        sheetNames = names
        sheetParts = parts
        sheetIsWorksheet = isWorksheet

        // The shared string table.
        var sharedPath = (directory.isEmpty ? "" : directory + "/") + "sharedStrings.xml"
        if let shared = relations.first(where: { $0.type.hasSuffix("/sharedStrings") }) { sharedPath = shared.target }
        if let table = try part(sharedPath) {
            sharedStrings = try Self.sharedStrings(table, part: sharedPath, source: source)
        } else {
            sharedStrings = []
        }
    }

    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    /// The relationships of a `.rels` part, targets resolved to member names
    /// (relative to `base`, or from the root when they start with `/`).
    static func relationships(_ bytes: [UInt8], base: String, part: String, source: String) throws(XLSXError) -> [Relationship] {
        var scanner = XMLScanner(bytes)
        var out: [Relationship] = []
        let tag = Array("Relationship".utf8)
        do throws(XMLProblem) {
            while let token = try scanner.next() {
                guard token.kind == .start || token.kind == .empty, scanner.equals(token.name, tag) else { continue }
                func value(_ name: String) throws(XMLProblem) -> String {
                    var text: [UInt8] = []
                    if let range = scanner.attribute(Array(name.utf8), in: token.body) { try scanner.decode(range, into: &text) }
                    return String(decoding: text, as: UTF8.self)
                }
                let mode = try value("TargetMode")
                if mode == "External" { continue }
                out.append(Relationship(id: try value("Id"), type: try value("Type"), target: resolve(try value("Target"), base: base)))
            }
        } catch {
            throw XLSXError(source: source, reason: "the part '\(part)' is not well-formed XML at byte \(error.offset): \(error.reason)")
        }
        return out
    }

    /// A relationship target as a member name: `worksheets/sheet1.xml` from
    /// `xl` is `xl/worksheets/sheet1.xml`; `/xl/…` is from the root; `..`
    /// goes up.
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }

    static func sharedStrings(_ bytes: [UInt8], part: String, source: String) throws(XLSXError) -> [[UInt8]] {
        var scanner = XMLScanner(bytes)
        var out: [[UInt8]] = []
        let si = Array("si".utf8), t = Array("t".utf8), rPh = Array("rPh".utf8)
        var inItem = false, inText = false, phonetic = 0
        var current: [UInt8] = []
        do throws(XMLProblem) {
            while let token = try scanner.next() {
                switch token.kind {
                case .start:
                    if scanner.equals(token.name, si) { inItem = true; current = [] }
                    else if scanner.equals(token.name, t) { inText = inItem && phonetic == 0 }
                    else if scanner.equals(token.name, rPh) { phonetic += 1 }
                case .empty:
                    if scanner.equals(token.name, si) { out.append([]) }
                case .end:
                    if scanner.equals(token.name, si) { out.append(unescape(current)); inItem = false }
                    else if scanner.equals(token.name, t) { inText = false }
                    else if scanner.equals(token.name, rPh) { phonetic = max(0, phonetic - 1) }
                case .text:
                    if inText { try scanner.decode(token.body, into: &current) }
                case .cdata:
                    if inText { current.append(contentsOf: bytes[token.body]) }
                }
            }
        } catch {
            throw XLSXError(source: source, reason: "the part '\(part)' is not well-formed XML at byte \(error.offset): \(error.reason)")
        }
        return out
    }

    /// Decodes Excel's `_xHHHH_` escapes (ECMA-376 Part 1 §22.9.2.19,
    /// ST_Xstring): `_x000D_` is a carriage return, `_x005F_` an underscore.
    static func unescape(_ text: [UInt8]) -> [UInt8] {
        guard text.count >= 7, text.contains(UInt8(ascii: "_")) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        func hexValue(_ b: UInt8) -> UInt32? {
            switch b {
            case 0x30...0x39: return UInt32(b - 0x30)
            case 0x41...0x46: return UInt32(b - 0x41 + 10)
            case 0x61...0x66: return UInt32(b - 0x61 + 10)
            default: return nil
            }
        }
        while i < text.count {
            if text[i] == UInt8(ascii: "_"), i + 6 < text.count, text[i + 1] == UInt8(ascii: "x"), text[i + 6] == UInt8(ascii: "_"),
               let a = hexValue(text[i + 2]), let b = hexValue(text[i + 3]), let c = hexValue(text[i + 4]), let d = hexValue(text[i + 5]),
               let scalar = Unicode.Scalar(a << 12 | b << 8 | c << 4 | d) {
                out.append(contentsOf: String(Character(scalar)).utf8)
                i += 7
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    /// The names of the sheets for a message: 'A', 'B' and 'C'.
    var sheetList: String {
        let quoted = sheetNames.map { "'\($0)'" }
        if quoted.count <= 1 { return quoted.first ?? "none" }
        return quoted.dropLast().joined(separator: ", ") + " and " + quoted.last!
    }

    /// The index in `sheetNames` of the sheet `choice` names.
    package func sheetIndex(_ choice: XLSXSheetChoice) throws(XLSXError) -> Int {
        switch choice {
        case .first:
            guard let index = sheetIsWorksheet.firstIndex(of: true) else {
                throw XLSXError(source: source, reason: "the workbook has no worksheet (its sheets: \(sheetList))", fix: "save a workbook with the data on a worksheet")
            }
            return index
        case .name(let name):
            guard let index = sheetNames.firstIndex(of: name) else {
                throw XLSXError(source: source, reason: "the workbook has no sheet '\(name)'; its sheets are \(sheetList)",
                                fix: "give one of these names with --sheet, or its number (from 1)")
            }
            return index
        case .number(let number):
            guard number >= 1 && number <= sheetNames.count else {
                throw XLSXError(source: source, reason: "the workbook has \(sheetNames.count) sheet\(sheetNames.count == 1 ? "" : "s") (\(sheetList)), so there is no sheet \(number)",
                                fix: "give a number from 1 to \(sheetNames.count) with --sheet, or a sheet's name")
            }
            return number - 1
        }
    }

    /// The rows of a sheet that hold at least one non-empty cell, in the
    /// order of the sheet's part (normally by row number).
    ///
    /// - Throws: `XLSXError` for a sheet that does not exist (naming the
    ///   sheets), a chart sheet, a damaged part, a shared string index that
    ///   does not exist, or a cell beyond the sheet limits.
    package func rows(sheet choice: XLSXSheetChoice) throws(XLSXError) -> [XLSXRow] {
        let index = try sheetIndex(choice)
        let sheet = sheetNames[index]
        guard sheetIsWorksheet[index], let path = sheetParts[index] else {
            throw XLSXError(source: source, sheet: sheet, reason: "the sheet is not a worksheet (a chart sheet, or a sheet without a part)",
                            fix: "choose a worksheet with --sheet (the sheets: \(sheetList))")
        }
        guard archive.entry(named: path) != nil else {
            throw XLSXError(source: source, sheet: sheet, reason: "the sheet's part '\(path)' is missing from the archive")
        }
        let bytes: [UInt8]
        do throws(ZipError) {
            bytes = try archive.contents(of: path, limit: Self.maximumPartSize)
        } catch {
            throw XLSXError(error, sheet: sheet)
        }
        return try Self.worksheetRows(bytes, sheet: sheet, part: path, source: source, sharedStrings: sharedStrings)
    }

    static func columnName(_ column: Int) -> String {
        var n = column + 1
        var letters: [UInt8] = []
        while n > 0 {
            n -= 1
            letters.insert(UInt8(ascii: "A") + UInt8(n % 26), at: 0)
            n /= 26
        }
        return String(decoding: letters, as: UTF8.self)
    }

    /// Parses a cell reference (`AB12`, `$A$1` tolerated): the column
    /// (from 0) and the row (from 1, nil when the reference has no digits).
    static func parseReference(_ scanner: XMLScanner, _ range: Range<Int>) -> (column: Int, row: Int?)? {
        var i = range.lowerBound
        var column = 0, letters = 0
        if i < range.upperBound && scanner.bytes[i] == UInt8(ascii: "$") { i += 1 }
        while i < range.upperBound {
            let b = scanner.bytes[i] | 0x20
            guard b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") else { break }
            column = column * 26 + Int(b - UInt8(ascii: "a")) + 1
            letters += 1
            if letters > 4 { return nil }
            i += 1
        }
        guard letters > 0 else { return nil }
        if i < range.upperBound && scanner.bytes[i] == UInt8(ascii: "$") { i += 1 }
        if i == range.upperBound { return (column - 1, nil) }
        guard let row = parseInt(scanner, i..<range.upperBound) else { return nil }
        return (column - 1, row)
    }

    static func parseInt(_ scanner: XMLScanner, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 9 else { return nil }
        var value = 0
        for i in range {
            let d = scanner.bytes[i]
            guard d >= 0x30 && d <= 0x39 else { return nil }
            value = value * 10 + Int(d - 0x30)
        }
        return value
    }

    /// A number's `<v>` text as a person would write it: integral values
    /// without a fraction (`3`, `-12`), others as the shortest text that
    /// reads back as the same double (Swift's `description`: `2.5`, `0.1`,
    /// `1e-05`); text that is not a number is kept.
    static func numberText(_ raw: [UInt8]) -> [UInt8] {
        // Plain integers (no leading zero, up to 15 digits) are the common
        // case: kept as written.
        let digits = raw.first == UInt8(ascii: "-") ? raw.dropFirst() : raw[...]
        if !digits.isEmpty && digits.count <= 15 && digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            && (digits.count == 1 || digits.first != 0x30) && raw != [UInt8(ascii: "-"), 0x30] {
            return raw
        }
        guard let value = Double(String(decoding: raw, as: UTF8.self)), value.isFinite else { return raw }
        return Array(DecimalText.shortest(value).utf8)
    }

    static func worksheetRows(_ bytes: [UInt8], sheet: String, part: String, source: String, sharedStrings: [[UInt8]]) throws(XLSXError) -> [XLSXRow] {
        var scanner = XMLScanner(bytes)
        let rowTag = Array("row".utf8), cTag = Array("c".utf8), vTag = Array("v".utf8), isTag = Array("is".utf8)
        let tTag = Array("t".utf8), rPhTag = Array("rPh".utf8), rAttribute = Array("r".utf8), tAttribute = Array("t".utf8)
        var rows: [XLSXRow] = []
        var rowNumber = 0
        var cells: [[UInt8]] = []
        var inRow = false
        var column = -1
        var cellType: [UInt8] = []
        var value: [UInt8] = [], inline: [UInt8] = []
        var hasValue = false
        var inValue = false, inInline = false, inText = false, phonetic = 0, inCell = false
        var slots = 0

        func fail(_ reason: String, cell: String? = nil) -> XLSXError {
            XLSXError(source: source, sheet: sheet, cell: cell, reason: reason)
        }
        func finishRow() throws(XLSXError) {
            while let last = cells.last, last.isEmpty { cells.removeLast() }
            if !cells.isEmpty {
                slots += cells.count
                guard slots <= maximumCellSlots else {
                    throw fail("the sheet has more than \(maximumCellSlots) cells (counting empty ones between filled cells)", cell: nil)
                }
                rows.append(XLSXRow(line: rowNumber, cells: cells))
            }
            cells = []
        }
        func startRow(_ token: XMLToken) throws(XLSXError) {
            if let r = scanner.attribute(rAttribute, in: token.body) {
                guard let number = parseInt(scanner, r), number >= 1, number <= maximumRows else {
                    throw fail("row number '\(String(decoding: scanner.bytes[r], as: UTF8.self))' is not one from 1 to \(maximumRows)")
                }
                rowNumber = number
            } else {
                rowNumber += 1
                guard rowNumber <= maximumRows else { throw fail("the sheet has more than \(maximumRows) rows") }
            }
            column = -1
            cells = []
        }
        func startCell(_ token: XMLToken) throws(XLSXError) {
            if !inRow {
                // A cell outside any row: take it as its own row.
                rowNumber += 1
                column = -1
            }
            if let r = scanner.attribute(rAttribute, in: token.body) {
                guard let reference = parseReference(scanner, r), reference.column < maximumColumns,
                      (reference.row ?? rowNumber) >= 1, (reference.row ?? rowNumber) <= maximumRows else {
                    throw fail("the cell reference '\(String(decoding: scanner.bytes[r], as: UTF8.self))' is not one within A1:XFD1048576")
                }
                column = reference.column
            } else {
                column += 1
                guard column < maximumColumns else {
                    throw fail("row \(rowNumber) has more than \(maximumColumns) cells", cell: columnName(maximumColumns - 1) + String(rowNumber))
                }
            }
            cellType = []
            if let t = scanner.attribute(tAttribute, in: token.body) { cellType = Array(scanner.bytes[t]) }
            value = []
            inline = []
            hasValue = false
        }
        func finishCell() throws(XLSXError) {
            let text: [UInt8]
            switch String(decoding: cellType, as: UTF8.self) {
            case "s":
                guard hasValue else { text = []; break }
                guard let index = Int(String(decoding: value, as: UTF8.self).trimmingSpaces), index >= 0, index < sharedStrings.count else {
                    throw fail("the cell refers to shared string '\(String(decoding: value, as: UTF8.self))', but the workbook has \(sharedStrings.count)",
                                cell: columnName(column) + String(rowNumber))
                }
                text = sharedStrings[index]
            case "inlineStr":
                text = unescape(inline)
            case "b":
                text = value == [0x31] ? Array("TRUE".utf8) : value == [0x30] ? Array("FALSE".utf8) : value
            case "str", "e", "d":
                text = unescape(value)
            default:
                text = hasValue ? numberText(value) : []
            }
            if !text.isEmpty {
                while cells.count < column { cells.append([]) }
                if cells.count == column { cells.append(text) } else { cells[column] = text }
            }
        }

        func xml(_ problem: XMLProblem) -> XLSXError {
            XLSXError(source: source, sheet: sheet, reason: "the part '\(part)' is not well-formed XML at byte \(problem.offset): \(problem.reason)")
        }
        func nextToken() throws(XLSXError) -> XMLToken? {
            do throws(XMLProblem) { return try scanner.next() } catch { throw xml(error) }
        }
        func decode(_ range: Range<Int>, into out: inout [UInt8]) throws(XLSXError) {
            do throws(XMLProblem) { try scanner.decode(range, into: &out) } catch { throw xml(error) }
        }
        do {
            while let token = try nextToken() {
                switch token.kind {
                case .start, .empty:
                    let empty = token.kind == .empty
                    if scanner.equals(token.name, rowTag) {
                        if inRow { try finishRow() }
                        try startRow(token)
                        inRow = !empty
                    } else if scanner.equals(token.name, cTag) {
                        try startCell(token)
                        inCell = !empty
                        if empty { try finishCell() }
                    } else if inCell && scanner.equals(token.name, vTag) {
                        inValue = !empty
                        hasValue = true
                    } else if inCell && scanner.equals(token.name, isTag) {
                        inInline = !empty
                    } else if inInline && scanner.equals(token.name, tTag) {
                        inText = !empty && phonetic == 0
                    } else if inInline && scanner.equals(token.name, rPhTag) {
                        if !empty { phonetic += 1 }
                    }
                case .end:
                    if scanner.equals(token.name, rowTag) {
                        if inRow { try finishRow() }
                        inRow = false
                    } else if scanner.equals(token.name, cTag) {
                        if inCell { try finishCell() }
                        inCell = false
                        inValue = false
                        inInline = false
                    } else if scanner.equals(token.name, vTag) {
                        inValue = false
                    } else if scanner.equals(token.name, isTag) {
                        inInline = false
                    } else if scanner.equals(token.name, tTag) {
                        inText = false
                    } else if scanner.equals(token.name, rPhTag) {
                        phonetic = max(0, phonetic - 1)
                    }
                case .text:
                    if inValue { try decode(token.body, into: &value) } else if inText { try decode(token.body, into: &inline) }
                case .cdata:
                    if inValue { value.append(contentsOf: scanner.bytes[token.body]) } else if inText { inline.append(contentsOf: scanner.bytes[token.body]) }
                }
                if !inRow && !cells.isEmpty && !inCell { try finishRow() }
            }
        }
        if !cells.isEmpty { try finishRow() }
        return rows
    }
}

private extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
