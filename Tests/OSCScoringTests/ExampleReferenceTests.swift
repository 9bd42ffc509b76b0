// The shipped example scored by the library, compared with the same scores
// computed independently in R (Reference/example/make-reference.R).

import Testing
@testable import OSCScoring

@Suite("Example scores match R")
struct ExampleReferenceTests {
    static let tolerance = 1e-12

    /// The example scored with the bundled OSC and the demo key.
    static func report() throws -> ScoringReport {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        let table = try ResponseReader.read(path: root + "/Examples/synthetic-responses.csv", instrument: instrument).table
        return try ScoringReport(table: table, options: ScoringOptions(minAnswered: 0.5), criteria: AggregationCriteria(includeAllSchools: true))
    }

    /// A reference CSV as a list of rows keyed by header.
    static func reference(_ name: String) throws -> [[String: String]] {
        let records = try CSVParser.records(of: FileInput.readAll(path: Fixture.repositoryRoot + "/Tests/OSCScoringTests/Reference/example/\(name)"))
        let header = records[0].fields
        return records.dropFirst().filter { !$0.isBlank }.map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }
    }

    static func close(_ actual: Double?, _ expected: String) -> Bool {
        guard let e = Double(expected) else { return expected.isEmpty && actual == nil }
        guard let a = actual else { return false }
        return abs(a - e) <= tolerance * max(1, abs(e))
    }

    @Test("Every respondent's scale scores equal R's")
    func respondentScores() throws {
        let report = try Self.report()
        let rows = try Self.reference("respondent-scores.csv")
        #expect(rows.count == report.table.rowCount)
        var mismatches = 0
        for (r, row) in rows.enumerated() {
            #expect(Int(row["line"]!) == report.table.lines[r])
            for (s, scale) in report.instrument.scales.enumerated() where !Self.close(report.scores.score(row: r, scale: s), row[scale.id]!) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    @Test("Every school's n, mean and SD equal R's")
    func schoolScores() throws {
        let report = try Self.report()
        let rows = try Self.reference("school-scores.csv")
        #expect(rows.count == report.schools.count)
        for row in rows {
            let school = try #require(report.schools.first { $0.key == SchoolKey(authority: row["authority"], school: row["school"]!) })
            for (s, scale) in report.instrument.scales.enumerated() {
                let v = school.scores[s]
                #expect(String(v.n) == row["\(scale.id)_n"], "\(school.key) \(scale.id) n")
                #expect(Self.close(v.mean, row["\(scale.id)_mean"]!), "\(school.key) \(scale.id) mean")
                #expect(Self.close(v.sd, row["\(scale.id)_sd"]!), "\(school.key) \(scale.id) sd")
            }
        }
    }

    @Test("Every authority's mean of school means, SD and respondent mean equal R's")
    func authorityScores() throws {
        let report = try Self.report()
        let rows = try Self.reference("authority-scores.csv")
        #expect(rows.map { $0["authority"]! } == report.authorities.map(\.id))
        for (row, authority) in zip(rows, report.authorities) {
            for (s, scale) in report.instrument.scales.enumerated() {
                let v = authority.scores[s]
                #expect(Self.close(v.mean, row["\(scale.id)_mean"]!), "\(authority.id) \(scale.id) mean")
                #expect(Self.close(v.sd, row["\(scale.id)_sd"]!), "\(authority.id) \(scale.id) sd")
                #expect(Self.close(v.respondentMean, row["\(scale.id)_respondentMean"]!), "\(authority.id) \(scale.id) respondentMean")
            }
        }
    }
}
