// The aggregation verdicts and the authority means they lead to, on the
// shipped example, compared with the same rules applied in R to psych's and
// multilevel's numbers (Reference/example/make-reference.R).

import Testing
@testable import OSCScoring

@Suite("Example verdicts match R")
struct ExampleVerdictTests {
    static func report() throws -> ScoringReport {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        let table = try ResponseReader.read(path: root + "/Examples/synthetic-responses.csv", instrument: instrument).table
        return try ScoringReport(table: table)
    }

    @Test("Every school's verdict on every scale equals R's, and some fail")
    func schoolVerdicts() throws {
        let report = try Self.report()
        let rows = try ExampleReferenceTests.reference("verdicts.csv")
        #expect(rows.count == report.schools.count * report.instrument.scales.count)
        var failing = 0
        for row in rows {
            let j = try #require(report.schools.firstIndex { $0.key == SchoolKey(authority: row["authority"], school: row["school"]!) })
            let s = try #require(report.instrument.scaleIndex(of: row["scale"]!))
            #expect(report.schools[j].scores[s].aggregate == (row["aggregate"] == "1"), "\(row["school"]!) \(row["scale"]!)")
            if row["aggregate"] == "0" { failing += 1 }
        }
        #expect(failing > 0)
    }

    @Test("Authority means over the schools that pass equal R's, with the same schools left out")
    func authorityMeansFromPassingSchools() throws {
        let report = try Self.report()
        for row in try ExampleReferenceTests.reference("authority-verdict-scores.csv") {
            let a = try #require(report.authorities.first { $0.id == row["authority"]! })
            let s = try #require(report.instrument.scaleIndex(of: row["scale"]!))
            let v = a.scores[s]
            let label = "\(a.id) \(row["scale"]!)"
            #expect(String(v.schools) == row["schools"], "\(label) schools")
            #expect(v.excludedSchools.map { report.schools[$0].key.school }.sorted().joined(separator: " ") == row["excluded"], "\(label) excluded")
            #expect(ExampleReferenceTests.close(v.mean, row["mean"]!), "\(label) mean")
            #expect(ExampleReferenceTests.close(v.sd, row["sd"]!), "\(label) sd")
            #expect(ExampleReferenceTests.close(v.respondentMean, row["respondentMean"]!), "\(label) respondentMean")
        }
    }

    @Test("Level verdicts equal R's at school and authority level")
    func levelVerdicts() throws {
        let report = try Self.report()
        for row in try ExampleReferenceTests.reference("level-verdicts.csv") {
            let s = try #require(report.instrument.scaleIndex(of: row["scale"]!))
            let verdict = row["level"] == "school" ? report.schoolLevelVerdicts[s] : report.authorityLevelVerdicts[s]
            #expect(verdict.justified == (row["justified"] == "1"), "\(row["scale"]!) \(row["level"]!)")
        }
    }
}
