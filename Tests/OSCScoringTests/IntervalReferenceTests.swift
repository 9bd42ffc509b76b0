// The intervals of means (and, below, the ICC(2) interval, group-mean
// reliability and design effect) compared with R (Reference/intervals/make-reference.R).

import Testing
@testable import OSCScoring

@Suite("Intervals of means match R")
struct IntervalReferenceTests {
    /// A reference CSV of Reference/intervals as rows keyed by header.
    static func reference(_ name: String) throws -> [[String: String]] {
        let records = try CSVParser.records(of: FileInput.readAll(path: Fixture.repositoryRoot + "/Tests/OSCScoringTests/Reference/intervals/\(name)"))
        let header = records[0].fields
        return records.dropFirst().filter { !$0.isBlank }.map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }
    }

    /// Whether `actual` is within `tolerance` (absolute below 1, relative above) of R's text; empty means nil.
    static func close(_ actual: Double?, _ expected: String?, tolerance: Double = 1e-9) -> Bool {
        guard let expected, let e = Double(expected) else { return (expected ?? "").isEmpty && actual == nil }
        guard let a = actual else { return false }
        if e.isInfinite { return a == e }
        return abs(a - e) <= tolerance * max(1, abs(e))
    }

    /// The shipped example, as `ExampleReferenceTests.report()` reads it, with the given settings.
    static func report(confidence: Double, includeAllSchools: Bool) throws -> ScoringReport {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        let table = try ResponseReader.read(path: root + "/Examples/synthetic-responses.csv", instrument: instrument).table
        var statistics = StatisticsOptions()
        statistics.confidence = confidence
        return try ScoringReport(table: table, options: ScoringOptions(minAnswered: 0.5), statistics: statistics,
                                 criteria: AggregationCriteria(includeAllSchools: includeAllSchools))
    }

    @Test("t quantiles equal R's qt from 1e-12 to 1 - 1e-12 and df 1 to 1e6")
    func tQuantilesMatchQt() throws {
        let rows = try Self.reference("t-quantile.csv")
        #expect(rows.count == 135)
        for row in rows {
            let p = Double(row["p"]!)!, df = Double(row["df"]!)!, expected = Double(row["qt"]!)!
            let actual = StudentTDistribution.quantile(p, df: df)
            #expect(abs(actual - expected) <= 1e-12 * max(abs(expected), 1e-300) || actual == expected, "qt(\(p), \(df)): \(actual) vs R \(expected)")
        }
    }

    @Test("two-sided t critical values equal R's qt((1 + c)/2, df)")
    func criticalValuesMatchQt() throws {
        for row in try Self.reference("t-critical.csv") {
            let c = Double(row["confidence"]!)!, df = Double(row["df"]!)!, expected = Double(row["t"]!)!
            let actual = StudentTDistribution.twoSidedCritical(confidence: c, df: df)
            #expect(abs(actual - expected) <= 1e-12 * expected, "c \(c), df \(df): \(actual) vs R \(expected)")
        }
    }

    @Test("the t quantile's edge cases: the ends, the middle and invalid arguments")
    func tQuantileEdges() {
        #expect(StudentTDistribution.quantile(0.5, df: 3) == 0)
        #expect(StudentTDistribution.quantile(0, df: 3) == -.infinity)
        #expect(StudentTDistribution.quantile(1, df: 3) == .infinity)
        #expect(StudentTDistribution.quantile(1.5, df: 3).isNaN)
        #expect(StudentTDistribution.quantile(0.9, df: 0).isNaN)
        #expect(StudentTDistribution.quantile(0.9, df: .infinity).isNaN)
        // df = 1 is the Cauchy distribution: tan(π (p − ½)).
        #expect(abs(StudentTDistribution.quantile(0.975, df: 1) - 12.706204736174707) < 1e-12)
    }

    @Test("every school's interval on every scale equals R's t.test at 0.95 and 0.90")
    func schoolIntervalsMatchTTest() throws {
        let rows = try Self.reference("school-intervals.csv")
        for confidence in [0.95, 0.90] {
            let report = try Self.report(confidence: confidence, includeAllSchools: false)
            let mine = rows.filter { Double($0["confidence"]!) == confidence }
            #expect(mine.count == report.schools.count * report.instrument.scales.count)
            var checked = 0
            for row in mine {
                let school = try #require(report.schools.first { $0.key == SchoolKey(authority: row["authority"], school: row["school"]!) })
                let v = try #require(school[row["scale"]!])
                #expect(String(v.n) == row["n"])
                #expect(Self.close(v.ciLower, row["ciLower"]), "\(school.key) \(row["scale"]!) lower at \(confidence)")
                #expect(Self.close(v.ciUpper, row["ciUpper"]), "\(school.key) \(row["scale"]!) upper at \(confidence)")
                if v.interval != nil { checked += 1 }
            }
            #expect(checked > 1000)
        }
    }

    @Test("every authority's interval of its school means equals R's t.test, with and without failing schools")
    func authorityIntervalsMatchTTest() throws {
        let rows = try Self.reference("authority-intervals.csv")
        for confidence in [0.95, 0.90] {
            for includeAll in [false, true] {
                let report = try Self.report(confidence: confidence, includeAllSchools: includeAll)
                let mine = rows.filter { Double($0["confidence"]!) == confidence && $0["included"] == (includeAll ? "all" : "passing") }
                #expect(mine.count == report.authorities.count * report.instrument.scales.count)
                for row in mine {
                    let authority = try #require(report.authorities.first { $0.id == row["authority"] })
                    let v = try #require(authority[row["scale"]!])
                    #expect(String(v.schools) == row["schools"])
                    #expect(Self.close(v.mean, row["mean"]))
                    #expect(Self.close(v.ciLower, row["ciLower"]), "\(authority.id) \(row["scale"]!) lower")
                    #expect(Self.close(v.ciUpper, row["ciUpper"]), "\(authority.id) \(row["scale"]!) upper")
                }
            }
        }
    }

    @Test("a group of one or two has no interval, a constant group a point, others R's t.test")
    func edgeIntervals() throws {
        let scores = try Self.reference("edge-scores.csv")
        for row in try Self.reference("edge-intervals.csv") {
            let values = scores.filter { $0["set"] == row["set"] && $0["group"] == row["group"] }.map { Double($0["score"]!)! }
            let d = Descriptives(values)
            let interval = MeanInterval.t(mean: d.mean, sd: d.sd, n: d.n, confidence: 0.95)
            #expect(String(values.count) == row["n"])
            #expect(Self.close(interval?.lower, row["ciLower"]), "\(row["set"]!) \(row["group"]!)")
            #expect(Self.close(interval?.upper, row["ciUpper"]), "\(row["set"]!) \(row["group"]!)")
        }
    }

    @Test("an interval needs a confidence strictly between 0 and 1 and a finite mean and sd")
    func intervalArguments() {
        #expect(MeanInterval.t(mean: 3, sd: 1, n: 10, confidence: 0) == nil)
        #expect(MeanInterval.t(mean: 3, sd: 1, n: 10, confidence: 1) == nil)
        #expect(MeanInterval.t(mean: 3, sd: 1, n: 10, confidence: .nan) == nil)
        #expect(MeanInterval.t(mean: nil, sd: 1, n: 10, confidence: 0.95) == nil)
        #expect(MeanInterval.t(mean: 3, sd: .infinity, n: 10, confidence: 0.95) == nil)
        #expect(MeanInterval.t(mean: 3, sd: 1, n: 2, confidence: 0.95) == nil)
        let i = MeanInterval.t(mean: 3, sd: 1, n: 3, confidence: 0.95)
        #expect(i != nil && abs(i!.upper - 3 - 4.3026527297494619 / 3.0.squareRoot()) < 1e-12)  // qt(0.975, 2) from R
    }
}
