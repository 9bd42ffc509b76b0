import Foundation
import Testing
@testable import OSCScoring

/// Writes a ZIP archive of stored members, for crafting workbooks in tests.
enum StoredZip {
    static func make(_ members: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int, _ a: inout [UInt8]) { u16(v & 0xFFFF, &a); u16(v >> 16 & 0xFFFF, &a) }
        for (name, text) in members {
            let data = Array(text.utf8), n = Array(name.utf8)
            let crc = Int(CRC32.checksum(data))
            let offset = out.count
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0, &out)
            u32(crc, &out); u32(data.count, &out); u32(data.count, &out); u16(n.count, &out); u16(0, &out)
            out += n + data
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(crc, &central); u32(data.count, &central); u32(data.count, &central)
            u16(n.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u32(0, &central); u32(offset, &central)
            central += n
        }
        let cdOffset = out.count
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(members.count, &out); u16(members.count, &out)
        u32(central.count, &out); u32(cdOffset, &out); u16(0, &out)
        return out
    }

    /// A one-sheet workbook whose sheet XML is `sheetData` (inside
    /// `<sheetData>`), with these shared strings.
    static func workbook(sheetData: String, shared: [String] = []) -> [UInt8] {
        let sst = "<sst>" + shared.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>"
        return make([
            ("xl/workbook.xml", #"<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships><Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/sharedStrings.xml", sst),
            ("xl/worksheets/sheet1.xml", "<worksheet><sheetData>\(sheetData)</sheetData></worksheet>"),
        ])
    }
}

@Suite("Excel workbooks")
struct XLSXWorkbookTests {
    static let folder = Fixture.repositoryRoot + "/Tests/OSCScoringTests/Reference/xlsx"

    static func file(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: folder + "/" + name)!)
    }

    static func text(_ rows: [XLSXRow]) -> [[String]] {
        rows.map { [String($0.line)] + $0.cells.map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test("Workbooks written by openpyxl, LibreOffice and by hand give the sheets and cells their script expects")
    func referenceWorkbooks() throws {
        let json = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: Self.folder + "/expected.json")!) as! [String: Any]
        #expect(Set(json.keys).isSuperset(of: ["openpyxl.xlsx", "qualtrics.xlsx", "handmade.xlsx"]))
        for (name, value) in json {
            let book = value as! [String: Any]
            let workbook = try XLSXWorkbook(bytes: Self.file(name), source: name)
            #expect(workbook.sheetNames == book["sheets"] as! [String], "\(name)")
            for (sheet, rows) in book["rows"] as! [String: [[Any]]] {
                let expected = rows.map { row in [String(row[0] as! Int)] + (row[1] as! [String]) }
                #expect(Self.text(try workbook.rows(sheet: .name(sheet))) == expected, "\(name), sheet \(sheet)")
            }
        }
    }

    @Test("The first worksheet is the default; sheets are chosen by name or number, in workbook order")
    func sheetChoice() throws {
        let book = try XLSXWorkbook(bytes: Self.file("handmade.xlsx"), source: "handmade.xlsx")
        #expect(book.sheetNames == ["Data & more", "Chart1", "Second"])
        #expect(try book.rows(sheet: .first) == book.rows(sheet: .name("Data & more")))
        #expect(try book.rows(sheet: .number(3)) == [XLSXRow(line: 2, cells: [[], Array("1".utf8)])])
        #expect(throws: XLSXError(source: "handmade.xlsx", reason: "the workbook has no sheet 'Data'; its sheets are 'Data & more', 'Chart1' and 'Second'",
                                  fix: "give one of these names with --sheet, or its number (from 1)")) {
            try book.rows(sheet: .name("Data"))
        }
        do {
            _ = try book.rows(sheet: .number(4))
            Issue.record("no error")
        } catch {
            #expect(error.message == "handmade.xlsx: the workbook has 3 sheets ('Data & more', 'Chart1' and 'Second'), so there is no sheet 4; give a number from 1 to 3 with --sheet, or a sheet's name.")
        }
        #expect(throws: XLSXError.self) { try book.rows(sheet: .number(0)) }
        #expect(throws: XLSXError.self) { try book.rows(sheet: .name("Chart1")) }
    }

    @Test("The Qualtrics-shaped export keeps its three header rows as rows 1 to 3")
    func qualtrics() throws {
        let rows = try XLSXWorkbook(bytes: Self.file("qualtrics.xlsx"), source: "q.xlsx").rows(sheet: .first)
        #expect(rows.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(String(decoding: rows[2].cells[6], as: UTF8.self) == #"{"ImportId":"QID1"}"#)
        #expect(String(decoding: rows[3].cells[4], as: UTF8.self) == "TRUE")
        #expect(rows[5].cells.count == 8)  // Q002 empty: no trailing empty cell
    }

    @Test("Numbers are written as a person would")
    func numbers() {
        let cases: [(String, String)] = [("3", "3"), ("3.0", "3"), ("-12", "-12"), ("2.50", "2.5"), ("1.0E-3", "0.001"), ("007", "7"),
                                         ("0.1", "0.1"), ("-0", "0"), ("1E+20", "1e+20"), ("0.30000000000000004", "0.30000000000000004"),
                                         ("45000.5", "45000.5"), ("abc", "abc"), ("", "")]
        for (raw, person) in cases {
            #expect(String(decoding: XLSXWorkbook.numberText(Array(raw.utf8)), as: UTF8.self) == person, "\(raw)")
        }
    }

    @Test("Rows and cells without references follow the previous ones; gaps are empty cells")
    func references() throws {
        let bytes = StoredZip.workbook(sheetData: #"<row><c><v>1</v></c><c r="C1"><v>3</v></c><c><v>4</v></c></row><row r="4"><c r="B4" t="s"><v>1</v></c></row><row><c t="inlineStr"><is><t>x</t></is></c></row>"#,
                                       shared: ["zero", "one"])
        let rows = try XLSXWorkbook(bytes: bytes, source: "t.xlsx").rows(sheet: .first)
        #expect(Self.text(rows) == [["1", "1", "", "3", "4"], ["4", "", "one"], ["5", "x"]])
    }

    @Test("Damaged and crafted sheets are refused in one sentence naming the file, sheet and cell")
    func refusals() throws {
        func message(_ sheetData: String, shared: [String] = []) -> String? {
            do {
                _ = try XLSXWorkbook(bytes: StoredZip.workbook(sheetData: sheetData, shared: shared), source: "t.xlsx").rows(sheet: .first)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message(#"<row r="2"><c r="B2" t="s"><v>5</v></c></row>"#, shared: ["a"])
            == "t.xlsx, sheet 'S', cell B2: the cell refers to shared string '5', but the workbook has 1; \(ZipError.damaged).")
        #expect(message(#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#)
            == "t.xlsx, sheet 'S': the cell reference 'XFE1' is not one within A1:XFD1048576; \(ZipError.damaged).")
        #expect(message(#"<row r="1048577"><c><v>1</v></c></row>"#)
            == "t.xlsx, sheet 'S': row number '1048577' is not one from 1 to 1048576; \(ZipError.damaged).")
        #expect(message(#"<row r="1"><c><v>1 &foo; 2</v></c></row>"#)?.hasPrefix("t.xlsx, sheet 'S': the part 'xl/worksheets/sheet1.xml' is not well-formed XML at byte ") == true)
        #expect(message(#"<row r="1"><c><v>1</v></c></row><row r="2" x=""#)?.contains("a tag is not closed") == true)
        #expect(message(#"<row r="1"><c><v>&#xD800;</v></c></row>"#)?.contains("is not a Unicode character") == true)
    }

    @Test("A file that is not a workbook is refused with what it is and what to do")
    func notAWorkbook() throws {
        do {
            _ = try XLSXWorkbook(bytes: Array("respondent,school,Q001\nR1,S1,4\n".utf8), source: "r.xlsx")
            Issue.record("no error")
        } catch {
            #expect(error.message.hasPrefix("r.xlsx: the file is not a ZIP archive (no end of central directory record); an Excel workbook (.xlsx) is a ZIP archive"))
        }
        let ods = StoredZip.make([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")])
        #expect(throws: XLSXError(source: "o.xlsx", reason: "the file is an OpenDocument spreadsheet (.ods), not an Excel workbook", fix: XLSXWorkbook.notWorkbookFix)) {
            try XLSXWorkbook(bytes: ods, source: "o.xlsx")
        }
        let zip = StoredZip.make([("a.txt", "hello")])
        #expect(throws: XLSXError(source: "z.xlsx", reason: "the ZIP archive holds no Excel workbook (no xl/workbook.xml)", fix: XLSXWorkbook.notWorkbookFix)) {
            try XLSXWorkbook(bytes: zip, source: "z.xlsx")
        }
    }

    @Test("Every truncation and every changed byte of a workbook gives an error or rows, never a crash")
    func hostileBytes() {
        let bytes = Self.file("qualtrics.xlsx")
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: (any Error).self) {
                let book = try XLSXWorkbook(bytes: Array(bytes[0..<length]), source: "q.xlsx")
                _ = try book.rows(sheet: .first)
            }
        }
        let small = StoredZip.workbook(sheetData: #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2.5</v></c><c r="C1" t="inlineStr"><is><t>a&amp;b</t></is></c></row>"#, shared: ["x&lt;y"])
        for i in 0..<small.count {
            var changed = small
            changed[i] ^= 0x5A
            if let book = try? XLSXWorkbook(bytes: changed, source: "s.xlsx") {
                _ = try? book.rows(sheet: .first)
            }
        }
    }
}
