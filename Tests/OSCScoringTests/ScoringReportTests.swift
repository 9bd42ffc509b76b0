import Testing
@testable import OSCScoring

@Suite("Aggregation and accounting")
struct ScoringReportTests {
    let header = "respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n"

    @Test("Every row is scored or excluded with a reason")
    func everyRowAccountedFor() throws {
        let table = try Fixture.read(header + "r1,S1,A,1,5,3,3\nr2,S1,A,,,,\nr3,S1,A,x,,,\nr4,,A,2,4,2,2\nr5,S2,A,,,4,\n")
        let report = try ScoringReport(table: table, options: ScoringOptions(minAnswered: 0.75))
        #expect(report.input.rows == 5)
        #expect(report.input.scored + report.input.excluded.count == report.input.rows)
        #expect(report.input.excluded.map(\.line) == [3, 4, 6])
        #expect(report.input.excluded.map(\.reason) == ["no valid answers", "no valid answers", "too few answers for any scale (1 of 4 items answered)"])
        #expect(report.input.withoutSchool == [5])
        // The school-less row is scored but in no school.
        #expect(report.schools.map(\.key.school) == ["S1", "S2"])
        #expect(report.schools[0].rows == 3 && report.schools[0].respondents == 1)
        #expect(report.schools[1].rows == 1 && report.schools[1].respondents == 0)
    }

    @Test("School means and SDs are computed over respondents with a score (hand-computed)")
    func schoolMeans() throws {
        // leadership scores (L02 reversed): r1 (1+1)/2 = 1, r2 (3+3)/2 = 3, r3 (5+5)/2 = 5
        let table = try Fixture.read(header + "r1,S1,A,1,5,1,1\nr2,S1,A,3,3,1,1\nr3,S1,A,5,1,1,1\nr4,S2,A,2,4,1,1\n")
        let report = try ScoringReport(table: table, criteria: AggregationCriteria(includeAllSchools: true))
        let s1 = report.schools[0].scores[0]
        #expect(s1.n == 3 && s1.mean == 3 && s1.sd == 2)
        let s2 = report.schools[1].scores[0]
        #expect(s2.n == 1 && s2.mean == 2 && s2.sd == nil)
        // Authority: mean of school means (3 + 2) / 2, respondent mean (1+3+5+2)/4, SD of the school means.
        let a = report.authorities[0].scores[0]
        #expect(a.schools == 2 && a.n == 4)
        #expect(a.mean == 2.5 && a.respondentMean == 2.75)
        #expect(a.sd == (0.5).squareRoot())
        #expect(report.authorities[0].respondents == 4)
    }

    @Test("Without an authority column only schools are reported")
    func noAuthorityColumn() throws {
        let table = try Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nS1,1,2,3,4\n")
        let report = try ScoringReport(table: table)
        #expect(report.authorities.isEmpty)
        #expect(report.schools.count == 1)
    }

    @Test("Schools are ordered by authority, then naturally by id")
    func naturalOrder() throws {
        let table = try Fixture.read(header + "r1,S10,B,1,1,1,1\nr2,S2,B,1,1,1,1\nr3,S1,A,1,1,1,1\nr4,S9,,1,1,1,1\n")
        let report = try ScoringReport(table: table)
        #expect(report.schools.map { "\($0.key.authority ?? "-")/\($0.key.school)" } == ["A/S1", "B/S2", "B/S10", "-/S9"])
        #expect(report.authorities.map(\.id) == ["A", "B"])
    }

    @Test("Descriptives use n − 1 and ignore NaN")
    func descriptives() {
        let d = Descriptives([1, 2, .nan, 3, 4])
        #expect(d.n == 4 && d.mean == 2.5)
        #expect(abs(d.sd! - (5.0 / 3.0).squareRoot()) < 1e-15)
        #expect(Descriptives([Double]()).mean == nil)
        #expect(Descriptives([7]).sd == nil)
    }

    @Test("The streamed JSON is byte for byte the JSON tree's text, with and without respondents and authorities")
    func streamedJSONEqualsTree() throws {
        let withAuthorities = try ScoringReport(table: Fixture.read(header + "r1,S1,A,1,5,1,1\nr2,S1,A,3,3,1,1\nr3,S2,B,5,1,1,1\nr4,,A,2,4,1,1\n"))
        let withoutAuthorities = try ScoringReport(table: Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\n"))
        // 300 schools: long lists are rendered in blocks of 64 on two threads.
        var many = header
        for k in 0..<600 { many += "r\(k),S\(k / 2),A\((k / 2) % 7),\(1 + k % 5),\(1 + k % 3),\(2 + k % 4),\(1 + k % 2)\n" }
        let manySchools = try ScoringReport(table: Fixture.read(many))
        #expect(manySchools.schools.count == 300)
        for report in [withAuthorities, withoutAuthorities, manySchools] {
            for respondents in [false, true] {
                let context = ReportContext(source: "t.csv")
                #expect(report.jsonBytes(context: context, includeRespondents: respondents)
                        == report.json(context: context, includeRespondents: respondents).bytes())
            }
        }
    }

    @Test("A sink that fails stops the streamed JSON with its error, after the pieces before it")
    func failingSink() throws {
        var many = header
        for k in 0..<1000 { many += "r\(k),S\(k / 2),A\((k / 2) % 7),\(1 + k % 5),\(1 + k % 3),\(2 + k % 4),\(1 + k % 2)\n" }
        let report = try ScoringReport(table: Fixture.read(many))
        struct Full: Error {}
        var pieces = 0, written: [UInt8] = []
        #expect(throws: Full.self) {
            try report.writeJSON(context: ReportContext(source: "t.csv")) { bytes in
                pieces += 1
                if pieces == 4 { throw Full() }
                written.append(contentsOf: bytes)
            }
        }
        #expect(pieces == 4)
        let full = report.jsonBytes(context: ReportContext(source: "t.csv"))
        #expect(full.starts(with: written) && written.count < full.count)
    }

    @Test("CSV written in pieces equals the CSV text at every level (odd ids, no id, no school, missing answers)")
    func streamedCSV() throws {
        let csv = "respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n"
            + "\"a,b\",S1,A,1,2,3,4\n\"q\"\"x\",S1,A,5,,3,\n,S2,A,2,2,2,2\nr4,,A,1,1,1,1\nr5,S2,,,,,\n"
            + (0..<3000).map { "r\($0 + 6),S\($0 % 7),A\($0 % 2),\($0 % 5 + 1),\($0 % 3 + 1),,\($0 % 4 + 1)\n" }.joined()
        let report = try ScoringReport(table: try Fixture.read(csv))
        for level in [ReportLevel.respondent, .school, .authority, .scale] {
            var written: [UInt8] = [], pieces = 0
            try report.writeCSV(level: level) { written += $0; pieces += 1 }
            #expect(String(decoding: written, as: UTF8.self) == report.csv(level: level), "\(level)")
            if level == .respondent { #expect(pieces > 1) }
        }
    }
}
