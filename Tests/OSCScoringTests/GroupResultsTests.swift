import Foundation
import Testing
@testable import OSCScoring

/// One school's (and authority's) results on one scale in one value, the
/// same numbers as the JSON entry under the same names.
@Suite("School and authority results, one value per scale")
struct GroupResultsTests {
    @Test("A school's results on a scale carry n, mean, sd, agreement, verdict and T-score, equal to its JSON entry")
    func schoolResultsMatchTheirJSON() throws {
        let example = try ExampleReferenceTests.report()
        let table = example.table
        let norms = try Norms(contentsOf: Fixture.repositoryRoot + "/Examples/demo-norms.json", instrument: table.instrument)
        let report = try ScoringReport(table: table, norms: .table(norms))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.jsonBytes(context: ReportContext(source: "x")))) as? [String: Any])
        let schools = try #require(json["schools"] as? [[String: Any]])
        #expect(schools.count == report.schools.count)
        for (j, school) in report.schools.enumerated() {
            #expect(schools[j]["id"] as? String == school.id)
            #expect(schools[j]["respondents"] as? Int == school.respondents)
            let scores = try #require(schools[j]["scores"] as? [String: [String: Any]])
            for (s, scale) in report.instrument.scales.enumerated() {
                let result = school.scores[s], entry = try #require(scores[scale.id])
                #expect(school[scale.id] == result)
                #expect(school[scale.id.uppercased()] == result)
                #expect(entry["n"] as? Int == result.n)
                // Foundation's JSON parser on Linux may lose the last digit: compare to 1e-14.
                #expect(Self.same(entry["mean"], result.mean) && Self.same(entry["sd"], result.sd))
                #expect(Self.same(entry["rwgj"], result.rwgJ) && result.rwgJ == result.agreement.rwgJ)
                #expect(entry["aggregate"] as? Bool == result.aggregate)
                #expect((entry["reasons"] as? [Any])?.count == result.verdict.reasons.count)
                if norms.scales[scale.id] != nil, result.mean != nil {
                    #expect(Self.same(entry["t"], result.norm?.t) && result.norm != nil)
                } else {
                    #expect(entry["t"] == nil && result.norm == nil)
                }
            }
            #expect(school.profiles?.count == report.instrument.profiles.count)
        }
        #expect(report.schools[0]["no-such-scale"] == nil)
    }

    /// A JSON number (or null) against a Swift value, to 1e-14 relative.
    static func same(_ json: Any?, _ value: Double?) -> Bool {
        guard let value else { return json is NSNull }
        guard let number = json as? Double else { return false }
        return abs(number - value) <= 1e-14 * max(1, abs(value))
    }

    @Test("An authority's results on a scale name the schools left out and carry agreement and T-score")
    func authorityResults() throws {
        let report = try ScoringReport(table: ExampleReferenceTests.report().table)
        let proficiency = try #require(report.instrument.scaleIndex(of: "proficiency"))
        for authority in report.authorities {
            let result = try #require(authority["proficiency"])
            #expect(result == authority.scores[proficiency])
            #expect(Set(result.includedSchools + result.excludedSchools) == Set(authority.schoolIndices))
            for j in result.excludedSchools { #expect(!report.schools[j].scores[proficiency].aggregate) }
            for j in result.includedSchools { #expect(report.schools[j].scores[proficiency].aggregate) }
            #expect(result.norm == nil && authority.profiles == nil)
        }
        // The example's school of two staff is left out of its authority's mean.
        #expect(report.authorities.contains { !$0.scores[proficiency].excludedSchools.isEmpty })
    }
}

/// What a Swift user expects of the library: text and data input, the
/// delimiter as an enum, rendering without a context.
@Suite("Library conveniences")
struct LibraryConvenienceTests {
    @Test("Responses read from a String, Data or bytes give the same table, with the delimiter as an enum")
    func readFromStringDataAndBytes() throws {
        let instrument = try Fixture.leadership()
        let csv = "school;LEAD01;LEAD02;LEAD03;L04\nS1;1;5;1;1\nS1;3;3;2;2\n"
        let fromBytes = try ResponseReader.read(Array(csv.utf8), instrument: instrument, source: "t")
        let fromString = try ResponseReader.read(csv, instrument: instrument, source: "t")
        let fromData = try ResponseReader.read(Data(csv.utf8), instrument: instrument, source: "t")
        for table in [fromString, fromData] {
            #expect(table.rowCount == fromBytes.rowCount && table.answerCodes == fromBytes.answerCodes)
        }
        var reader = ResponseReader(instrument: instrument, source: "t")
        try reader.consume(Array(csv.utf8))
        _ = try reader.finish()
        #expect(reader.delimiter == .semicolon)
        #expect(FieldDelimiter(byte: UInt8(ascii: "\t")) == .tab && FieldDelimiter(byte: UInt8(ascii: "|")) == nil)
        var options = ReadOptions()
        options.delimiter = .comma
        #expect(throws: ResponseFileError.self) { try ResponseReader.read(csv, instrument: instrument, options: options, source: "t") }
    }

    @Test("Reading a path throws ResponseFileError on every failure, a missing file as unreadable")
    func pathErrorsAreTyped() throws {
        let instrument = try Fixture.leadership()
        do {
            _ = try ResponseReader.read(path: "/no/such/responses.csv", instrument: instrument)
            Issue.record("a missing file was read")
        } catch {
            guard case let .unreadable(inner) = error else { Issue.record("not unreadable: \(error)"); return }
            #expect(inner.path == "/no/such/responses.csv" && inner.notFound)
            #expect(error.message == "Cannot read '/no/such/responses.csv': no such file; check the path and the current folder.")
        }
    }

    @Test("A report renders without a context, and instruments and keys load from text")
    func renderWithoutContext() throws {
        let table = try Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nS1,1,5,1,1\nS1,3,3,2,2\nS1,2,4,2,2\n")
        let report = try ScoringReport(table: table)
        #expect(report.tableText().contains("responses: 3 rows read"))
        #expect(report.markdown() == report.markdown(context: ReportContext(source: "responses")))
        #expect(try JSONSerialization.jsonObject(with: Data(report.jsonBytes())) is [String: Any])
        let instrument = try Instrument(json: #"{"id":"t","responseScale":{"min":1,"max":5},"items":[{"id":"a"}],"scales":[{"id":"s","items":["a"]}]}"#, source: "t.json")
        #expect(instrument.items.count == 1)
        #expect(throws: ScoringKeyError.self) { try ScoringKey(csv: "item,column,scale,reverse\n", source: "k.csv") }
    }
}

/// Instruments, keys and norms are read whole, up to a limit.
@Suite("Whole-file reads")
struct WholeFileReadTests {
    @Test("A file of exactly 16 MiB is read whole; one byte more is refused with the limit")
    func wholeFileLimit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-readall-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let atLimit = folder.appendingPathComponent("at.json"), past = folder.appendingPathComponent("past.json")
        try Data(count: FileInput.maximumWholeFileSize).write(to: atLimit)
        try Data(count: FileInput.maximumWholeFileSize + 1).write(to: past)
        #expect(try FileInput.readAll(path: atLimit.path).count == 16 << 20)
        do {
            _ = try FileInput.readAll(path: past.path)
            Issue.record("a file past the limit was read")
        } catch let error as FileInputError {
            #expect(error.path == past.path && error.reason.hasPrefix("it is larger than 16 MiB") && !error.notFound)
        }
        // Through a loader: the instrument's message names the file.
        #expect(throws: FileInputError.self) { try Instrument(contentsOf: past.path) }
    }
}
