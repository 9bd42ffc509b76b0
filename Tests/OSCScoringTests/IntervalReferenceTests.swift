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

    @Test("the confidence level is echoed in settings and the JSON school entry holds the interval next to the mean")
    func confidenceInJSON() throws {
        let report = try Self.report(confidence: 0.9, includeAllSchools: false)
        let json = report.json(context: ReportContext(source: "x"))
        #expect(json["settings"]?["confidence"] == .number(0.9))
        guard case .array(let schools)? = json["schools"], let first = schools.first,
              case .object(let members)? = first["scores"]?["culture"] else { Issue.record("no schools[0].scores.culture"); return }
        #expect(members.map(\.key).prefix(5) == ["n", "mean", "ciLower", "ciUpper", "sd"])
        #expect(first["scores"]?["culture"]?["ciLower"] == .number(report.schools[0].scores[0].ciLower!))
        #expect(first["scores"]?["culture"]?["groupMeanReliability"] == .number(report.schools[0].scores[0].groupMeanReliability!))
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

@Suite("ICC(2) interval, design effect and group-mean reliability match R")
struct GroupMeanReliabilityReferenceTests {
    typealias R = IntervalReferenceTests

    /// The one-way ANOVA of an edge set of edge-scores.csv (groups numbered in order of appearance).
    static func edgeICC(_ set: String) throws -> OneWayANOVAICC {
        let rows = try R.reference("edge-scores.csv").filter { $0["set"] == set }
        var ids: [String: Int] = [:]
        let groups = rows.map { row in ids[row["group"]!] ?? { ids[row["group"]!] = ids.count; return ids.count - 1 }() }
        return try #require(IntraclassCorrelation.oneWay(scores: rows.map { Double($0["score"]!)! }, groups: groups))
    }

    @Test("ICC(1) and ICC(2) intervals equal psychometric's ICC1.CI and ICC2.CI; design effect and effective N the formula")
    func iccIntervalsMatchPsychometric() throws {
        let report = try R.report(confidence: 0.95, includeAllSchools: false)
        let rows = try R.reference("icc-intervals.csv")
        #expect(rows.count == 2 * report.instrument.scales.count + 2)
        for row in rows {
            let icc: OneWayANOVAICC
            if row["set"] == "example" {
                let s = try #require(report.instrument.scales.firstIndex { $0.id == row["scale"] })
                icc = try #require(row["level"] == "school" ? report.statistics.icc[s].school : report.statistics.icc[s].authority)
            } else {
                icc = try Self.edgeICC(row["set"]!)
            }
            let label = "\(row["set"]!) \(row["scale"]!) \(row["level"]!)"
            #expect(String(icc.n) == row["n"] && String(icc.groups) == row["groups"], "\(label)")
            let pairs: [(String, Double)] = [("k", icc.k), ("f", icc.f), ("icc1", icc.icc1), ("icc2", icc.icc2),
                                             ("icc1Lower", icc.icc1Lower), ("icc1Upper", icc.icc1Upper),
                                             ("icc2Lower", icc.icc2Lower), ("icc2Upper", icc.icc2Upper),
                                             ("designEffect", icc.designEffect), ("effectiveN", icc.effectiveN)]
            for (name, value) in pairs {
                #expect(R.close(value, row[name]), "\(label) \(name): \(value) vs R \(row[name]!)")
            }
        }
    }

    @Test("every school's group-mean reliability equals the formula with multilevel's ICC1; null where ICC(1) ≤ 0")
    func groupMeanReliabilityMatchesR() throws {
        let report = try R.report(confidence: 0.95, includeAllSchools: false)
        var checked = 0
        for row in try R.reference("group-mean-reliability.csv") {
            if row["set"] == "example" {
                let parts = row["group"]!.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                let key = SchoolKey(authority: parts[0].isEmpty ? nil : parts[0], school: parts[1])
                let school = try #require(report.schools.first { $0.key == key }, "\(key)")
                let v = try #require(school[row["scale"]!])
                #expect(String(v.n) == row["n"])
                #expect(R.close(v.groupMeanReliability, row["groupMeanReliability"]), "\(key) \(row["scale"]!)")
                #expect(v.groupMeanReliabilityNote == nil)
            } else {
                let icc = try Self.edgeICC(row["set"]!)
                #expect(R.close(icc.icc1, row["icc1"]))
                let value = GroupMeanReliability.reliability(groupSize: Int(row["n"]!)!, icc1: icc.icc1)
                #expect(R.close(value, row["groupMeanReliability"]), "\(row["set"]!) \(row["group"]!)")
                #expect((value == nil) == (GroupMeanReliability.note(groupSize: Int(row["n"]!)!, icc1: icc.icc1) != nil))
            }
            checked += 1
        }
        #expect(checked == 52 * 25 + 9)
    }

    @Test("the formula equals multilevel's gmeanrel given gmeanrel's own model-based ICC and group sizes")
    func formulaMatchesGmeanrel() throws {
        let rows = try R.reference("gmeanrel.csv")
        #expect(rows.count == 52 * 25)
        for row in rows {
            let value = GroupMeanReliability.reliability(groupSize: Int(row["n"]!)!, icc1: Double(row["icc"]!)!)
            #expect(R.close(value, row["meanRel"]), "\(row["scale"]!) \(row["group"]!)")
        }
    }

    @Test("F = infinity gives ICC(2) interval [1, 1], design effect k, effective N = G and reliability 1")
    func infiniteF() throws {
        let icc = try #require(IntraclassCorrelation.oneWay(scores: [2, 2, 4, 4, 4], groups: [1, 1, 2, 2, 2]))
        #expect(icc.f == .infinity)
        #expect(icc.icc2Lower == 1 && icc.icc2Upper == 1)
        #expect(icc.designEffect == 2.5 && icc.effectiveN == 2)
        #expect(GroupMeanReliability.reliability(groupSize: 3, icc1: icc.icc1) == 1)
    }

    @Test("F = 0 gives an ICC(2) interval at −infinity (null), design effect 1 and no group-mean reliability, with the reason")
    func zeroF() throws {
        let icc = try #require(IntraclassCorrelation.oneWay(scores: [1, 3, 2, 2], groups: [1, 1, 2, 2]))
        #expect(icc.f == 0)
        #expect(icc.icc2Lower == -.infinity && icc.icc2Upper == -.infinity)
        #expect(icc.designEffect == 1 && icc.effectiveN == 4 && icc.designEffectIsTruncated)
        #expect(GroupMeanReliability.reliability(groupSize: 2, icc1: icc.icc1) == nil)
        let note = try #require(GroupMeanReliability.note(groupSize: 2, icc1: icc.icc1))
        #expect(note.hasPrefix("ICC(1) between schools is -1, not above 0"))
        #expect(GroupMeanReliability.note(groupSize: 2, icc1: nil)!.hasPrefix("no ICC(1) between schools"))
        #expect(GroupMeanReliability.reliability(groupSize: 0, icc1: 0.2) == nil)
        #expect(GroupMeanReliability.reliability(groupSize: 1, icc1: 0.2) == 0.2)
    }
}
