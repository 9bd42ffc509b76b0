import Foundation
import Testing
@testable import OSCScoring

/// Files as survey tools and spreadsheets write them (issue 12): encodings,
/// Excel's CSV habits, Qualtrics' and the forms tools' exports, hints.
@Suite("Survey exports and spreadsheet habits")
struct SurveyExportTests {
    let header = "respondent,school,authority,LEAD01,LEAD02,LEAD03,L04"

    static func read(_ bytes: [UInt8], options: ReadOptions = ReadOptions()) throws -> ResponseTable {
        try ResponseReader.read(bytes, instrument: try Fixture.leadership(), options: options, source: "test.csv")
    }

    static func report(_ bytes: [UInt8], options: ReadOptions = ReadOptions()) throws -> ScoringReport {
        try ScoringReport(table: try read(bytes, options: options))
    }

    /// UTF-16 code units of `text` with a byte order mark.
    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            out += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        return out
    }

    // MARK: - Encodings (bugs: UTF-16 refused, Windows-1252 merged schools)

    @Test("Excel's Unicode Text (UTF-16LE with a byte order mark, tab-delimited) is read, not refused for a missing school column")
    func unicodeTextIsRead() throws {
        let text = "respondent\tschool\tauthority\tLEAD01\tLEAD02\tLEAD03\tL04\r\nr1\tÉcole\tA\t1\t2\t3\t4\r\n"
        for bigEndian in [false, true] {
            let table = try Self.read(Self.utf16(text, bigEndian: bigEndian))
            #expect(table.rowCount == 1)
            #expect(table.schoolKeys[0] == SchoolKey(authority: "A", school: "École"))
            #expect(table.encoding == ResponseEncoding(name: bigEndian ? "utf-16be" : "utf-16le", origin: .byteOrderMark))
            #expect(table.problems.isEmpty)
        }
    }

    @Test("A Windows-1252 file is read as Windows-1252, and Thérèse and Thèrése stay two schools")
    func windows1252KeepsSchoolsApart() throws {
        // "é" is 0xE9, "è" 0xE8, "£" 0xA3 in Windows-1252.
        var bytes = Array((header + "\n").utf8)
        bytes += Array("r1,Ecole Ste-Th".utf8) + [0xE9] + Array("r".utf8) + [0xE8] + Array("se,A,1,2,3,4\n".utf8)
        bytes += Array("r2,Ecole Ste-Th".utf8) + [0xE8] + Array("r".utf8) + [0xE9] + Array("se,A,2,2,3,4\n".utf8)
        bytes += Array("r3 ".utf8) + [0xA3] + Array(",Ecole Ste-Th".utf8) + [0xE8] + Array("r".utf8) + [0xE9] + Array("se,A,2,2,3,4\n".utf8)
        let table = try Self.read(bytes)
        #expect(table.distinctSchools.map(\.school) == ["Ecole Ste-Thérèse", "Ecole Ste-Thèrése"])
        #expect(table.respondentIDs[2] == "r3 £")
        #expect(table.encoding == ResponseEncoding(name: "windows-1252", origin: .notUTF8))
        #expect(table.problems.isEmpty)
        let report = try ScoringReport(table: table)
        #expect(report.summaryLines(context: ReportContext()).contains("Read as windows-1252 because the file is not valid UTF-8."))
    }

    @Test("Bytes Windows-1252 leaves undefined are read as C1 controls, so ids that differ in them stay different")
    func undefinedBytesStayDistinct() throws {
        var bytes = Array((header + "\n").utf8)
        for b: UInt8 in [0x81, 0x8D, 0x8F, 0x90, 0x9D] { bytes += Array("r".utf8) + [b] + Array(",S,A,1,2,3,4\n".utf8) }
        let table = try Self.read(bytes)
        #expect(Set(table.respondentIDs.compactMap { $0 }).count == 5)
        #expect(table.problems.isEmpty)
    }

    @Test("A lone UTF-16 surrogate is refused with its byte offset, never read as U+FFFD")
    func loneSurrogateIsRefused() throws {
        var bytes = Self.utf16(header + "\nr", bigEndian: false)
        bytes += [0x00, 0xD8]  // a high surrogate followed by a comma, not a low surrogate
        bytes += Self.utf16(",S,A,1,2,3,4\n", bigEndian: false).dropFirst(2)
        #expect(throws: ResponseFileError.undecodable(source: "test.csv", offset: 2 + 2 * (header.count + 2),
                                                       reason: "a UTF-16 surrogate has no partner")) {
            try Self.read(bytes)
        }
    }

    @Test("UTF-16 split into chunks of any size decodes as it does whole")
    func chunkedUTF16() throws {
        let text = "id,name\nr1,Zoë 😀 École\n"
        for bigEndian in [false, true] {
            let bytes = Self.utf16(text, bigEndian: bigEndian)
            for size in 1...7 {
                var decoder = ChunkDecoder(encoding: bigEndian ? .utf16BE : .utf16LE)
                var out: [UInt8] = []
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + size)
                    out += try Array(bytes[start..<end]).withUnsafeBufferPointer { try decoder.decode($0) }
                    start = end
                }
                out += try [UInt8]().withUnsafeBufferPointer { try decoder.decode($0, final: true) }
                #expect(out == [0xEF, 0xBB, 0xBF] + Array(text.utf8), "chunks of \(size)")
            }
        }
    }

    @Test("The streaming UTF-8 check agrees with the standard library, however the bytes are cut")
    func utf8ValidatorAgrees() {
        var rng = Xoshiro256StarStar(seed: 12)
        let pieces: [[UInt8]] = [[0x41], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80],
                                 [0xF4, 0x90, 0x80, 0x80], [0xE9], [0x80], [0xE2, 0x82], Array("plain ascii text".utf8)]
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 12) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            let cut = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count + 1))
            var validator = UTF8Validator()
            let a = Array(bytes[..<cut]).withUnsafeBufferPointer { validator.firstInvalid(in: $0) }
            let b = a ?? Array(bytes[cut...]).withUnsafeBufferPointer { validator.firstInvalid(in: $0) }
            #expect((b ?? validator.invalidEnd()) == nil ? valid : !valid, "\(bytes) cut at \(cut)")
        }
    }

    @Test("A large Windows-1252 file read in two parts equals one pass, and a non-UTF-8 byte late in it is found")
    func twoPartWindows1252() throws {
        var bytes = Array((header + "\n").utf8)
        for r in 0..<3000 { bytes += Array("r\(r),S\(r % 7),A\(r % 2),1,2,3,4\n".utf8) }
        bytes += Array("r-last,Th".utf8) + [0xE9] + Array("r".utf8) + [0xE8] + Array("se,A1,5,5,5,5\n".utf8)
        let path = NSTemporaryDirectory() + "osc-1252-\(UUID().uuidString).csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let instrument = try Fixture.leadership()
        #expect(throws: NotUTF8.self) {
            try ResponseReader.readInTwoParts(path: path, instrument: instrument, options: ReadOptions(), minimumSize: 0, headerStep: 16,
                                              validatingUTF8: true)
        }
        let twoParts = try #require(try ResponseReader.readInTwoParts(path: path, instrument: instrument, options: ReadOptions(), minimumSize: 0,
                                                                      headerStep: 16, decoding: .windows1252))
        let onePass = try Self.read(bytes)
        TwoPartReadTests.expectSame(twoParts.table, onePass, "windows-1252")
        #expect(onePass.distinctSchools.last?.school == "Thérèse")
        let viaPath = try ResponseReader.read(path: path, instrument: instrument)
        #expect(viaPath.table.encoding.name == "windows-1252")
        TwoPartReadTests.expectSame(viaPath.table, onePass, "read(path:)")
    }

    // MARK: - Excel's CSV habits

    @Test("With semicolons, answers written with a decimal comma (3,0) are numbers; 3,5 is not a whole number")
    func decimalComma() throws {
        let table = try Fixture.read("respondent;school;authority;LEAD01;LEAD02;LEAD03;L04\nr1;S1;A;3,0;4,00;2;3,5\n")
        #expect((0..<3).map { table.answer(row: 0, item: $0) } == [3, 4, 2])
        #expect(table.problems.map(\.problem) == ["not a whole number on the response scale 1 to 5"])
    }

    @Test("Excel's sep=; first line sets the delimiter and is not the header")
    func excelSeparatorLine() throws {
        let table = try Fixture.read("sep=;\r\nrespondent;school;authority;LEAD01;LEAD02;LEAD03;L04\r\nr1;S1;A;1;2;3;4\r\n")
        #expect(table.rowCount == 1 && table.line(row: 0) == 3)
        #expect(table.answer(row: 0, item: 3) == 4)
        var options = ReadOptions()
        options.delimiter = .semicolon
        let given = try Fixture.read("sep=;\nrespondent;school;authority;LEAD01;LEAD02;LEAD03;L04\nr1;S1;A;1;2;3;4\n", options: options)
        #expect(given.rowCount == 1 && given.line(row: 0) == 3)
    }

    @Test("Rows of only delimiters are blank lines, not respondents")
    func rowsOfDelimiters() throws {
        let table = try Fixture.read(header + "\nr1,S1,A,1,2,3,4\n,,,,,,\n,,,\n")
        #expect(table.rowCount == 1)
        #expect(table.blankLines == [3, 4])
    }

    @Test("A trailing delimiter on every line drops the empty last header name silently")
    func trailingDelimiter() throws {
        let table = try Fixture.read(header + ",\nr1,S1,A,1,2,3,4,\nr2,S1,A,1,2,3,4\n")
        #expect(table.rowCount == 2)
        #expect(table.ignoredColumns.isEmpty)
        #expect(table.problems.isEmpty)
    }

    @Test("Blank lines before the header are skipped and the delimiter comes from the header line")
    func blankLinesBeforeHeader() throws {
        let table = try Fixture.read("\n\r\n;;;\nrespondent;school;authority;LEAD01;LEAD02;LEAD03;L04\nr1;S1;A;1;2;3;4\n")
        #expect(table.rowCount == 1 && table.line(row: 0) == 5)
        #expect(table.answer(row: 0, item: 0) == 1)
    }

    // MARK: - Survey exports

    static let qualtricsHeader = "StartDate,EndDate,Status,Finished,ResponseId,LEAD01,LEAD02,LEAD03,L04,school\r\n"
        + "Start Date,End Date,Response Type,Finished,Response ID,My head teacher listens,Q2 text,Q3 text,Q4 text,school\r\n"
        + "\"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\"}\",\"{\"\"ImportId\"\":\"\"status\"\"}\",\"{\"\"ImportId\"\":\"\"finished\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\",\"{\"\"ImportId\"\":\"\"QID3\"\"}\",\"{\"\"ImportId\"\":\"\"QID4\"\"}\",\"{\"\"ImportId\"\":\"\"school\"\"}\"\r\n"

    @Test("Qualtrics' second and third header rows are neither data nor findings; previews, tests and spam are excluded with their reason")
    func qualtricsExport() throws {
        let csv = Self.qualtricsHeader
            + "2026-01-01,2026-01-01,IP Address,True,R_1,1,2,3,4,S1\r\n"
            + "2026-01-01,2026-01-01,Survey Preview,True,R_2,1,2,3,4,S1\r\n"
            + "2026-01-01,2026-01-01,0,False,R_3,,,3,4,S1\r\n"
            + "2026-01-01,2026-01-01,2,True,R_4,1,2,3,4,S1\r\n"
            + "2026-01-01,2026-01-01,8,True,R_5,1,2,3,4,S2\r\n"
        let report = try Self.report(Array(csv.utf8))
        #expect(report.table.headerRowLines == [2, 3])
        #expect(report.table.respondentIDs == ["R_1", "R_3"])
        #expect(report.input.rows == 5 && report.input.scored == 2)
        #expect(report.input.excluded.map(\.line) == [5, 7, 8])
        #expect(report.input.excluded.map(\.reason) == ["a Survey Preview response (Status), not a respondent's",
                                                       "a Survey Test response (Status), not a respondent's", "marked as Spam (Status)"])
        #expect(report.input.excluded.map(\.respondent) == ["R_2", "R_4", "R_5"])
        #expect(report.input.unfinished == 1)
        #expect(report.input.problems.isEmpty)
        #expect(report.distinctSchoolsAreOnly(["S1"]))
    }

    @Test("Answers given as the choice's text are read through the response labels, ignoring case, spaces and punctuation")
    func choiceText() throws {
        let table = try Fixture.read(header + "\nr1,S1,A,not at all, To a Great Extent ,to a very-great extent.,Sometimes\n")
        #expect((0..<4).map { table.answer(row: 0, item: $0) } == [1, 4, 5, nil])
        #expect(table.problems.map { $0.value! } == ["Sometimes"])
    }

    @Test("Aliases in the instrument file are read as their option's number")
    func aliases() throws {
        var json = try String(contentsOfFile: Fixture.folder + "/lq-demo.json", encoding: .utf8)
        json = json.replacingOccurrences(of: "\"To a very great extent\"]}", with: "\"To a very great extent\"], \"aliases\": [[\"Never\"], [], [\"Sometimes\"], [], [\"Always\", \"A great deal\"]]}")
        let instrument = try Instrument(json: Array(json.utf8), source: "lq.json")
        let table = try ResponseReader.read(Array((header + "\nr1,S1,A,never,Sometimes,a great deal,ALWAYS\n").utf8), instrument: instrument, source: "t")
        #expect((0..<4).map { table.answer(row: 0, item: $0) } == [1, 3, 5, 5])
        let wrong = json.replacingOccurrences(of: "[[\"Never\"], [], ", with: "[")
        #expect(throws: InstrumentFileError.self) { try Instrument(json: Array(wrong.utf8), source: "lq.json") }
    }

    @Test("A first data row that looks like a second header is named as such and not read as a respondent")
    func secondHeaderRow() throws {
        let table = try Fixture.read(header + "\nid,School name,LA,Lead 1,Lead 2,Lead 3,Lead 4\nr1,S1,A,1,2,3,4\n")
        #expect(table.rowCount == 1 && table.headerRowLines == [2])
        #expect(table.problems.map(\.kind) == [.secondHeaderRow])
    }

    @Test("A header of question texts is named as such in the error")
    func questionTextHeader() throws {
        let csv = "respondent,school,How often does your head teacher listen?,Do you feel your work is valued here?,Q3,Q4\nr1,S1,1,2,3,4\n"
        #expect(throws: ResponseFileError.headerIsQuestionText(source: "test.csv", example: "How often does your head teacher listen?", missing: 4)) {
            try Fixture.read(csv)
        }
    }

    @Test("The closest-column suggestion prefers a header that starts with the missing name")
    func prefixSuggestion() {
        #expect(SurveyExport.suggestions(for: "Q001", in: ["Q002", "Q001.1", "Q010", "Q001_10"]).prefix(2) == ["Q001.1", "Q001_10"])
    }

    // MARK: - Hints and runs that score nobody

    @Test("One value outside the scale making up most invalid cells is one line suggesting the missing codes; JSON keeps each")
    func missingCodeHint() throws {
        var csv = header + "\n"
        for r in 0..<20 { csv += "r\(r),S1,A,9,2,\(r == 0 ? "x" : "3"),9\n" }
        let report = try Self.report(Array(csv.utf8))
        #expect(report.input.problems.count == 41)
        let lines = report.findingLines(.commandLine)
        #expect(lines.count == 2)
        #expect(lines[0] == "'9' is in 40 item cells (from line 2), most of the invalid cells, and is not an answer on the response scale; if it means no answer, give --missing-codes 9 (scored as missing either way)")
    }

    @Test("A run that scores nobody names the likeliest cause", arguments: [
        ("respondent,school,LEAD01,LEAD02,LEAD03,L04\n", "the file has a header but no data rows"),
        ("respondent,school,LEAD01,LEAD02,LEAD03,L04\nr1,S1,\"3,0\",\"2,0\",\"1,0\",\"4,0\"\n", "decimal comma"),
        ("respondent\tschool\tLEAD01\tLEAD02\tLEAD03\tL04\nr1\tS1\t3;4\t2;3\t1;3\t4;3\n", "wrong delimiter"),
        ("respondent,school,LEAD01,LEAD02,LEAD03,L04\nr1,S1,x,y,z,w\nr2,S1,a,b,c,d\n", "every item cell is invalid"),
        ("respondent,school,LEAD01,LEAD02,LEAD03,L04\nr1,S1,,,,\nr2,S1,NA,,,\n", "no row has an answer"),
    ])
    func nobodyScored(csv: String, cause: String) throws {
        let report = try Self.report(Array(csv.utf8))
        #expect(report.input.scored == 0)
        let reason = try #require(report.nobodyScoredReason(source: "f.csv"))
        #expect(reason.contains(cause), "\(reason)")
        #expect(reason.hasPrefix("f.csv: no row was scored"))
    }
}

extension ScoringReport {
    /// Whether the report's schools are exactly these ids.
    func distinctSchoolsAreOnly(_ ids: [String]) -> Bool { schools.map(\.key.school) == ids }
}
