import Foundation
import Testing
@testable import OSCScoring

/// Hostile and edge-case input to the reader and what the writers make of
/// its ids (issue 15): bounded, linear reading; ids kept apart by their
/// bytes; outputs that parse back to the same rows.
@Suite("Hostile input to the reader")
struct HostileReadingTests {
    /// Feeds `data` to a parser in chunks of `chunk` bytes; returns the
    /// records' fields, or the error with the number of bytes fed when it came.
    static func parse(_ data: [UInt8], chunk: Int, delimiter: UInt8? = nil) -> (records: [[String]], error: CSVSyntaxError?, fed: Int) {
        var parser = CSVParser(delimiter: delimiter)
        var records: [[String]] = []
        var fed = 0
        do {
            while fed < data.count {
                let end = min(data.count, fed + chunk)
                try data.withUnsafeBufferPointer { all in
                    try parser.parse(UnsafeBufferPointer(rebasing: all[fed..<end])) { records.append($0.strings) }
                }
                fed = end
            }
            try parser.finish { records.append($0.strings) }
        } catch {
            return (records, error as? CSVSyntaxError, fed)
        }
        return (records, nil, fed)
    }

    // MARK: - Header and record limits

    @Test("A header of exactly 1 MiB is read and one byte more is an error, in one chunk or many, with the delimiter given or detected",
          arguments: [1 << 21, 4096, 7], [nil, UInt8(ascii: ",")])
    func headerLimitIsExact(chunk: Int, delimiter: UInt8?) {
        let limit = CSVParser.headerLimit
        #expect(limit == 1 << 20)
        func file(headerLength: Int) -> [UInt8] {
            Array("school,".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: headerLength - 7) + Array("\nS1,1\n".utf8)
        }
        let atLimit = Self.parse([0xEF, 0xBB, 0xBF] + file(headerLength: limit), chunk: chunk, delimiter: delimiter)
        #expect(atLimit.error == nil)
        #expect(atLimit.records.count == 2 && atLimit.records[0][1].utf8.count == limit - 7)
        let past = Self.parse(file(headerLength: limit + 1), chunk: chunk, delimiter: delimiter)
        #expect(past.error == .headerTooLong(line: 1, limit: limit, openQuote: false))
    }

    @Test("A file without a line break is refused as soon as 1 MiB of header is read, not at its end")
    func fileWithoutLineBreakStopsEarly() {
        let data = [UInt8](repeating: UInt8(ascii: "x"), count: 8 << 20)
        let result = Self.parse(data, chunk: 1 << 16)
        #expect(result.error == .headerTooLong(line: 1, limit: CSVParser.headerLimit, openQuote: false))
        #expect(result.fed <= CSVParser.headerLimit + (1 << 16))
        #expect(result.error?.message.contains("longer than 1 MiB (1048576 bytes) without a line break") == true)
    }

    @Test("A header whose quote is never closed is refused after 1 MiB, saying so")
    func headerWithOpenQuote() {
        let data = Array("school,\"LEAD01\n".utf8) + Array(String(repeating: "S1,1\n", count: 600_000).utf8)
        let result = Self.parse(data, chunk: 1 << 16)
        #expect(result.error == .headerTooLong(line: 1, limit: CSVParser.headerLimit, openQuote: true))
        #expect(result.fed <= CSVParser.headerLimit + (1 << 16))
        #expect(result.error?.message.contains("a quote in it is never closed") == true)
    }

    @Test("A header fed in tiny chunks is searched for its end once (linear time): 512 KiB in 16-byte chunks")
    func headerSearchIsLinear() {
        let header = "school," + String(repeating: "\"q,\"\"x\"\"\",", count: 512 * 1024 / 10) + "b"
        let clock = ContinuousClock()
        let start = clock.now
        let result = Self.parse(Array((header + "\nS1," + String(repeating: "1,", count: 512 * 1024 / 10) + "1\n").utf8), chunk: 16)
        let elapsed = clock.now - start
        #expect(result.error == nil && result.records.count == 2)
        // Rescanning the pending header per chunk took minutes; one pass takes well under a second.
        #expect(elapsed < .seconds(20))
    }

    @Test("A record of exactly 16 MiB is read and one byte more is an error, whatever the chunks", arguments: [1 << 25, 65521])
    func recordLimitIsExact(chunk: Int) {
        let limit = CSVParser.recordLimit
        #expect(limit == 16 << 20)
        func file(recordLength: Int, quoted: Bool) -> [UInt8] {
            var data = Array("school,x\nS1,".utf8)
            if quoted {
                data += [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "a"), count: recordLength - 5) + [UInt8(ascii: "\"")]
            } else {
                data += [UInt8](repeating: UInt8(ascii: "a"), count: recordLength - 3)
            }
            return data + Array("\nS2,2".utf8)
        }
        for quoted in [false, true] {
            let atLimit = Self.parse(file(recordLength: limit, quoted: quoted), chunk: chunk)
            #expect(atLimit.error == nil && atLimit.records.count == 3, "quoted: \(quoted)")
            let past = Self.parse(file(recordLength: limit + 1, quoted: quoted), chunk: chunk)
            #expect(past.error == .recordTooLong(line: 2, limit: limit, openQuoteLine: nil, field: nil), "quoted: \(quoted)")
        }
        // The last record, without a line break after it.
        let last = Array("school,x\nS1,".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: limit - 2)
        #expect(Self.parse(last, chunk: chunk).error == .recordTooLong(line: 2, limit: limit, openQuoteLine: nil, field: nil))
    }

    @Test("A quote never closed in the data stops the reader after 16 MiB, naming where the field starts, instead of holding the rest of the file")
    func unterminatedQuoteInDataIsBounded() {
        let rows = String(repeating: "S1,1\n", count: 3_500_000)  // 17.5 MB
        let data = Array(("school,x\nS1,1\nS2,\"open\n" + rows).utf8)
        let result = Self.parse(data, chunk: 1 << 20)
        #expect(result.error == .recordTooLong(line: 3, limit: CSVParser.recordLimit, openQuoteLine: 3, field: 2))
        #expect(result.fed <= CSVParser.recordLimit + 64 + (1 << 20))
        #expect(result.error?.message.contains("the quoted field 2 starting on line 3 is never closed") == true)
        // A shorter file still ends in the error naming the line.
        #expect(Self.parse(Array("school,x\nS1,\"open\nS2,2\n".utf8), chunk: 5).error == .unterminatedQuote(line: 2, field: 2))
    }

    @Test("The reader reports a too-long header as a one-sentence error naming the file")
    func readerMessage() throws {
        let data = [UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) + 1)
        #expect {
            _ = try ResponseReader.read(data, instrument: try Fixture.leadership(), source: "big.csv")
        } throws: { error in
            (error as? ResponseFileError)?.message.hasPrefix("big.csv, line 1: the header line is longer than 1 MiB") == true
        }
    }

    @Test("Name suggestions skip names longer than 256 bytes, and a long header costs little")
    func suggestionsSkipLongNames() {
        #expect(NameSuggestion.maximumNameLength == 256)
        let long = String(repeating: "a", count: 256) + "x"
        #expect(NameSuggestion.closest(to: String(repeating: "a", count: 256), in: [long, String(repeating: "a", count: 255) + "b"], limit: 3)
            == [String(repeating: "a", count: 255) + "b"])
        #expect(NameSuggestion.closest(to: long, in: [long + "y"], limit: 3).isEmpty)
        #expect(NameSuggestion.closest(to: "school", in: ["schol", "School!", "teacher"], limit: 3) == ["School!", "schol"])
        // 100,000 header names of 1,000 bytes each: answered at once.
        let names = (0..<100).map { String(repeating: "n\($0 % 10)", count: 500) }
        #expect(NameSuggestion.closest(to: "LEAD01", in: Array(repeating: names, count: 1000).flatMap { $0 }, limit: 3).isEmpty)
    }

    // MARK: - Line numbers

    @Test("CR-only files count a line break inside quotes, so later records have their right lines", arguments: [1, 2, 3, 1 << 20])
    func crOnlyLineNumbers(chunk: Int) throws {
        let records = try Fixture.records("a,b\r\"x\ry\",2\r3,4\r\"p\r\nq\",5\r6,7\r\"\"\"\r\"\"\",8\r9,9", chunk: chunk)
        #expect(records.map(\.fields) == [["a", "b"], ["x\ry", "2"], ["3", "4"], ["p\r\nq", "5"], ["6", "7"], ["\"\r\"", "8"], ["9", "9"]])
        #expect(records.map(\.line) == [1, 2, 4, 5, 7, 8, 10])
    }

    @Test("A CR-only responses file names the right line in findings after a quoted line break")
    func crOnlyFindingLines() throws {
        let table = try Fixture.read("respondent,school,LEAD01,LEAD02,LEAD03,L04\rr1,\"S1\rmain\",1,2,3,4\rr2,S1,1,2,x,4\r")
        #expect(table.lines == [2, 4])
        #expect(table.problems.map(\.line) == [4])
    }

    // MARK: - Long values in messages

    @Test("A 1 MB invalid cell is quoted by its first 60 characters and its length, in the error and in the findings")
    func longValuesAreShortened() throws {
        let cell = String(repeating: "z", count: 1_000_000)
        var strict = ReadOptions()
        strict.strict = true
        #expect {
            _ = try Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nS1,\(cell),1,1,1\n", options: strict)
        } throws: { error in
            let message = (error as? ResponseFileError)?.message ?? ""
            return message.count < 400 && message.contains("'" + String(repeating: "z", count: 60) + "…' (1,000,000 characters) is not a number")
        }
        let table = try Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nS1,\(cell),1,1,1\nS1,1,1,1,1\n")
        let report = try ScoringReport(table: table)
        let line = try #require(report.findingLines().first)
        #expect(line.count < 300 && line.contains("(1,000,000 characters)"))
        #expect(QuotedValue.quote(String(repeating: "é", count: 60)) == "'" + String(repeating: "é", count: 60) + "'")
        #expect(QuotedValue.quote("a\nb") == "'a\\nb'")
    }

    // MARK: - Ids by their bytes

    static let header = "respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n"

    /// A file whose schools, authorities and ids differ only in bytes that are not UTF-8.
    static func invalidBytesFile() -> [UInt8] {
        var data = Array(header.utf8)
        for (k, (school, authority)) in [(0xFF, 0xFE), (0xFE, 0xFE), (0xFF, 0xFD), (0xFE, 0xFE), (0xFF, 0xFE), (0xFF, 0xFD)].enumerated() {
            data += Array("r".utf8) + [UInt8(k % 2 == 0 ? 0xFF : 0xFE), UInt8(ascii: "0") + UInt8(k / 2)] + [UInt8(ascii: ",")]
            data += [UInt8(ascii: "S"), UInt8(school), UInt8(ascii: ","), UInt8(ascii: "A"), UInt8(authority)]
            data += Array(",\(1 + k % 5),\(5 - k % 5),3,\(1 + k % 3)\n".utf8)
        }
        return data
    }

    @Test("Schools, authorities and ids that differ only in an invalid byte stay apart, shown with \\xHH escapes")
    func invalidBytesAreKeptApart() throws {
        let table = try Fixture.readStreaming(Self.invalidBytesFile(), instrument: try Fixture.leadership(), source: "t.csv")
        #expect(Set(table.distinctSchools.map { "\($0.authority ?? "-")/\($0.school)" }) == ["A\\xFE/S\\xFF", "A\\xFE/S\\xFE", "A\\xFD/S\\xFF"])
        #expect(table.respondentIDs == ["r\\xFF0", "r\\xFE0", "r\\xFF1", "r\\xFE1", "r\\xFF2", "r\\xFE2"])
        // No id is a duplicate; each of the three columns is reported once;
        // S\xFF is under A\xFE and under A\xFD.
        #expect(table.problems.map(\.kind) == [.notUTF8, .notUTF8, .notUTF8, .schoolInSeveralAuthorities])
        #expect(table.problems.map(\.columnNumber) == [1, 2, 3, 2])
        #expect(table.problems.map(\.line) == [2, 2, 2, 4])
        #expect(table.problems[3].problem.hasPrefix("school also appears under authority 'A\\xFE' (line 2)"))
        // S\xFF under A\xFE and under A\xFD: one school in two authorities.
        let report = try ScoringReport(table: table)
        #expect(report.schools.count == 3 && report.authorities.count == 2)
        let context = ReportContext(source: "t.csv")
        let json = try JSONValue.parse(report.jsonBytes(context: context, includeRespondents: true))
        guard case .array(let schools)? = json["schools"], case .array(let authorities)? = json["authorities"] else {
            Issue.record("no schools in JSON"); return
        }
        #expect(Set(schools.compactMap { school -> String? in
            guard case .string(let id)? = school["id"], case .string(let a)? = school["authority"] else { return nil }
            return a + "/" + id
        }) == ["A\\xFE/S\\xFF", "A\\xFE/S\\xFE", "A\\xFD/S\\xFF"])
        #expect(authorities.count == 2)
        let csv = try CSVParser.records(of: Array(report.csv(level: .school).utf8))
        #expect(csv.count == 4)
        #expect(try CSVParser.records(of: Array(report.csv(level: .authority).utf8)).count == 3)
        let text = report.tableText(context: context), markdown = report.markdown(context: context)
        for output in [text, markdown] {
            #expect(output.contains("S\\xFF") && output.contains("S\\xFE") && output.contains("A\\xFD") && output.contains("A\\xFE"))
        }
    }

    @Test("The escaped form cannot collide with valid text: a literal backslash-x-hex is escaped too, composed and decomposed é are two schools")
    func escapesDoNotCollide() throws {
        func text(_ bytes: [UInt8]) -> String { IdentifierText.string(bytes) }
        #expect(text(Array("S\\xFF".utf8)) == "S\\\\xFF")
        #expect(text([UInt8(ascii: "S"), 0xFF]) == "S\\xFF")
        #expect(text([UInt8(ascii: "\\"), 0xFF]) == "\\\\\\xFF")
        #expect(text(Array("a\\b".utf8)) == "a\\b")
        #expect(text(Array("é\\xZZ".utf8)) == "é\\xZZ")
        // Distinct bytes give distinct text, over every string of up to 3 bytes from a small alphabet.
        let alphabet: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x"), UInt8(ascii: "F"), 0xFF, 0xC3, 0xA9]
        var seen: [String: [UInt8]] = [:]
        var strings: [[UInt8]] = [[]]
        for _ in 0..<4 { strings = strings + strings.flatMap { s in alphabet.map { s + [$0] } }.filter { $0.count <= 4 } }
        for s in Set(strings) {
            let t = text(s)
            #expect(seen[t] == nil || seen[t] == s, "\(s) and \(seen[t] ?? []) both give \(t)")
            seen[t] = s
        }
        let table = try Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nS\\xFF,1,2,3,4\nE\u{E9},1,1,1,1\nE\u{65}\u{301},2,2,2,2\n"
            + "S\\xFF,2,2,2,2\n")
        #expect(table.distinctSchools.count == 3)
        var data = Array("school,LEAD01,LEAD02,LEAD03,L04\n".utf8)
        data += [UInt8(ascii: "S"), 0xFF] + Array(",1,2,3,4\n".utf8)
        data += Array("S\\xFF,1,2,3,4\n".utf8)
        let mixed = try Fixture.readStreaming(data, instrument: try Fixture.leadership(), source: "t.csv")
        #expect(mixed.distinctSchools.map(\.school) == ["S\\xFF", "S\\\\xFF"])
        #expect(try ScoringReport(table: table).schools.count == 3)
    }

    @Test("A file with invalid bytes in both halves, read in two parts, gives one pass's schools and findings")
    func invalidBytesInTwoParts() throws {
        var data = Self.invalidBytesFile()
        for k in 0..<300 { data += [UInt8(ascii: "q")] + Array("\(k),".utf8) + [UInt8(ascii: "S"), 0xFF - UInt8(k % 2), UInt8(ascii: ",")] + Array("A\(k % 3),1,2,3,4\n".utf8) }
        let path = try TwoPartReadTests.write(data)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let instrument = try Fixture.leadership()
        let onePass = try Fixture.readStreaming(data, instrument: instrument, source: path)
        let twoParts = try #require(try ResponseReader.readInTwoParts(path: path, instrument: instrument, options: ReadOptions(), minimumSize: 0, headerStep: 16))
        TwoPartReadTests.expectSame(twoParts.table, onePass, "invalid bytes")
        #expect(onePass.problems.filter { $0.kind == .notUTF8 }.count == 3)
    }

    // MARK: - Writers

    @Test("CSV output quotes by bytes: ids with CRLF, quotes before combining marks and commas read back to the same rows and values")
    func csvRoundTrip() throws {
        let ids = ["a\r\nb", "q\"\u{301}", "c,d", "plain", "cr\ronly", "\"\"", "e\u{E9}"]
        let schools = ["S\r\n1", "S\"\u{301}2", "S,3", "S4", "S\r5", "S6", "S7"]
        var csv = Self.header
        for (k, (id, school)) in zip(ids, schools).enumerated() {
            csv += [id, school, "A\r\n"].map(ScoringReport.quoted).joined(separator: ",") + ",\(1 + k % 5),2,3,4\n"
        }
        let table = try Fixture.read(csv)
        #expect(table.respondentIDs == ids)
        let report = try ScoringReport(table: table)
        for level in [ReportLevel.respondent, .school, .authority, .scale] {
            let written = report.csv(level: level)
            let records = try CSVParser.records(of: Array(written.utf8))
            let expected = level == .respondent ? ids.count : level == .school ? schools.count : level == .authority ? 1 : report.instrument.scales.count
            #expect(records.count == expected + 1, "\(level)")
            #expect(Set(records.map(\.fields.count)).count == 1, "\(level)")
            if level == .respondent { #expect(records.dropFirst().map { $0.fields[0] } == ids) }
            if level == .school { #expect(Set(records.dropFirst().map { $0.fields[1] }) == Set(schools)) }
        }
        var streamed: [UInt8] = []
        try report.writeCSV(level: .respondent) { streamed += $0 }
        #expect(try CSVParser.records(of: streamed).dropFirst().map { $0.fields[0] } == ids)
        let long = try CSVParser.records(of: Array(report.csvLong().utf8))
        #expect(Set(long.map(\.fields.count)).count == 1)
        #expect(ScoringReport.quoted("a\r\nb") == "\"a\r\nb\"")
        #expect(ScoringReport.quoted("q\"\u{301}") == "\"q\"\"\u{301}\"")
    }

    @Test("JSON strings of ids with CR, LF and control characters parse back to the same ids")
    func jsonRoundTrip() throws {
        let ids = ["a\r\nb", "t\tab", "bell\u{7}", "sep\u{2028}", "back\\slash", "q\"uote", "del\u{7F}"]
        var csv = Self.header
        for (k, id) in ids.enumerated() { csv += "\(ScoringReport.quoted(id)),\(ScoringReport.quoted("S" + id)),A,\(1 + k % 5),2,3,4\n" }
        let report = try ScoringReport(table: try Fixture.read(csv))
        let json = try JSONValue.parse(report.jsonBytes(context: ReportContext(source: "t.csv"), includeRespondents: true))
        guard case .array(let respondents)? = json["respondents"] else { Issue.record("no respondents"); return }
        #expect(respondents.map { $0["id"] } == ids.map { .string($0) })
    }

    @Test("Line breaks and control characters in ids are shown as escapes in the readable reports, so no table row breaks")
    func readableReportsEscapeLineBreaks() throws {
        var csv = Self.header
        for k in 0..<6 { csv += "r\(k),\"S\r\nx\(k % 2)\",\"A\nuth\u{1B}\",\(1 + k % 5),\(5 - k % 5),3,4\n" }
        let report = try ScoringReport(table: try Fixture.read(csv))
        let markdown = report.markdown(context: ReportContext(source: "t.csv"))
        #expect(markdown.contains("S\\r\\nx0") && markdown.contains("A\\nuth\\u{1B}"))
        #expect(!markdown.contains("\r") && !markdown.contains("\u{1B}"))
        // Every table line of the Markdown is a whole row: starts and ends with a bar.
        var inTable = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") { inTable = true; #expect(line.hasSuffix("|"), "\(line)") } else if inTable { inTable = false; #expect(line.isEmpty, "\(line)") }
        }
        let text = report.tableText(context: ReportContext(source: "t.csv"))
        #expect(!text.contains("\r") && !text.contains("\u{1B}") && text.contains("A\\nuth\\u{1B}"))
    }
}

extension HostileReadingTests {
    @Test("A quote never closed near the start of a large file gives one pass's error when read in two parts")
    func unterminatedQuoteInTwoParts() throws {
        let rows = String(repeating: "r,S1,1,2,3,4\n", count: 1_500_000)  // 19.5 MB
        let bytes = Array(("respondent,school,LEAD01,LEAD02,LEAD03,L04\nr0,\"S1,1,2,3,4\n" + rows).utf8)
        let path = try TwoPartReadTests.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let instrument = try Fixture.leadership()
        var onePass = ""
        do { _ = try ResponseReader.read(bytes, instrument: instrument, source: path) } catch { onePass = error.message }
        var twoParts = ""
        do { _ = try ResponseReader.readInTwoParts(path: path, instrument: instrument, options: ReadOptions()) } catch {
            twoParts = (error as? ResponseFileError)?.message ?? "\(error)"
        }
        #expect(onePass.contains("line 2: the record starting here is longer than 16 MiB") && onePass == twoParts)
    }
}
