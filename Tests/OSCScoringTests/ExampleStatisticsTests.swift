// The whole pipeline's reliability, ICC and agreement statistics on the
// shipped example, compared with psych and multilevel
// (Reference/example/make-reference.R).

import Testing
@testable import OSCScoring

@Suite("Example statistics match psych and multilevel")
struct ExampleStatisticsTests {
    static let tolerance = 1e-9
    static let omegaTolerance = 1e-4

    static func report(_ missing: MissingDataRule) throws -> ScoringReport {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        let table = try ResponseReader.read(path: root + "/Examples/synthetic-responses.csv", instrument: instrument).table
        return try ScoringReport(table: table, options: ScoringOptions(minAnswered: 0.5), statistics: StatisticsOptions(missing: missing),
                                 criteria: AggregationCriteria(includeAllSchools: true))
    }

    static func close(_ actual: Double?, _ expected: String, tolerance: Double = tolerance) -> Bool {
        guard let e = Double(expected) else { return expected.isEmpty && actual == nil }
        guard let a = actual else { return false }
        return abs(a - e) <= tolerance * max(1, abs(e))
    }

    @Test("Alpha, its Feldt interval, standardized alpha, average r and omega equal psych's for every scale")
    func reliability() throws {
        let report = try Self.report(.pairwise)
        let rows = try ExampleReferenceTests.reference("reliability.csv")
        #expect(rows.count == report.instrument.scales.count)
        for row in rows {
            let s = try #require(report.instrument.scaleIndex(of: row["scale"]!))
            let r = report.statistics.reliability[s]
            let id = row["scale"]!
            #expect(Self.close(r.alpha?.alpha, row["alpha"]!), "\(id) alpha")
            #expect(Self.close(r.alpha?.alphaLower, row["alpha_lower"]!), "\(id) alpha lower")
            #expect(Self.close(r.alpha?.alphaUpper, row["alpha_upper"]!), "\(id) alpha upper")
            #expect(Self.close(r.alpha?.standardizedAlpha, row["std_alpha"]!), "\(id) standardized alpha")
            #expect(Self.close(r.alpha?.averageR, row["average_r"]!), "\(id) average r")
            #expect(Self.close(r.omegaTotal, row["omega"]!, tolerance: Self.omegaTolerance), "\(id) omega")
        }
    }

    @Test("Item statistics (r.drop, alpha if deleted, mean, sd, n) equal psych's")
    func reliabilityItems() throws {
        let report = try Self.report(.pairwise)
        let rows = try ExampleReferenceTests.reference("reliability-items.csv")
        var checked = 0
        for row in rows {
            let s = try #require(report.instrument.scaleIndex(of: row["scale"]!))
            let k = try #require(report.instrument.scaleItemIndices[s].firstIndex { report.instrument.items[$0].id == row["item"]! })
            let item = try #require(report.statistics.reliability[s].alpha?.items[k])
            let label = "\(row["scale"]!) \(row["item"]!)"
            #expect(Self.close(item.rDrop, row["r_drop"]!), "\(label) r.drop")
            #expect(Self.close(item.alphaIfDeleted, row["alpha_if_deleted"]!), "\(label) alpha if deleted")
            #expect(Self.close(item.mean, row["mean"]!), "\(label) mean")
            #expect(Self.close(item.sd, row["sd"]!), "\(label) sd")
            #expect(String(item.n) == row["n"], "\(label) n")
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test("ICC(1), ICC(2), F, p and the ICC(1) interval equal multilevel's at school and authority level")
    func intraclassCorrelations() throws {
        let report = try Self.report(.pairwise)
        let rows = try ExampleReferenceTests.reference("icc.csv")
        #expect(rows.count == 2 * report.instrument.scales.count)
        for row in rows {
            let s = try #require(report.instrument.scaleIndex(of: row["scale"]!))
            let icc = try #require(row["level"] == "school" ? report.statistics.icc[s].school : report.statistics.icc[s].authority)
            let label = "\(row["scale"]!) \(row["level"]!)"
            #expect(Self.close(icc.icc1, row["icc1"]!), "\(label) ICC1")
            #expect(Self.close(icc.icc2, row["icc2"]!), "\(label) ICC2")
            #expect(Self.close(icc.f, row["f"]!), "\(label) F")
            #expect(String(icc.df1) == row["df1"] && String(icc.df2) == row["df2"], "\(label) df")
            #expect(Self.close(icc.p, row["p"]!), "\(label) p")
            #expect(Self.close(icc.icc1Lower, row["icc1_lower"]!), "\(label) ICC1 lower")
            #expect(Self.close(icc.icc1Upper, row["icc1_upper"]!), "\(label) ICC1 upper")
        }
    }

    @Test("rwg(j), r*wg(j), rwg, awg and AD equal multilevel's per school and authority", arguments: [MissingDataRule.listwise, .pairwise])
    func agreement(rule: MissingDataRule) throws {
        let report = try Self.report(rule)
        let rows = try ExampleReferenceTests.reference("agreement.csv").filter { $0["rule"] == rule.rawValue }
        var compared = 0, mismatches: [String] = []
        for row in rows {
            let s = try #require(report.instrument.scaleIndex(of: row["scale"]!))
            let g: GroupAgreement
            if row["level"] == "school" {
                let parts = row["group"]!.split(separator: "|", maxSplits: 1).map(String.init)
                let j = try #require(report.schools.firstIndex { $0.key == SchoolKey(authority: parts[0], school: parts[1]) })
                g = report.statistics.schoolAgreement[j][s]
            } else {
                let a = try #require(report.authorities.firstIndex { $0.id == row["group"]! })
                g = report.statistics.authorityAgreement[a][s]
            }
            let pairs: [(String, Double?)] = [("rwgj", g.rwgJ), ("rwgj_star", g.rwgJStar), ("rwg", g.rwg), ("awg", g.awg), ("ad_mean", g.adMean), ("ad_median", g.adMedian)]
            for (name, value) in pairs where !Self.close(value, row[name]!) {
                mismatches.append("\(row["level"]!) \(row["group"]!) \(row["scale"]!) \(name): \(value.map { "\($0)" } ?? "nil") vs R \(row[name]!)")
            }
            compared += 1
        }
        #expect(compared == (report.schools.count + report.authorities.count) * report.instrument.scales.count)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5).joined(separator: "; "))")
    }

    @Test("The three-level REML variance partition equals lme4's (tight optimiser) for every scale, boundaries included")
    func variancePartition() throws {
        let report = try Self.report(.pairwise)
        var boundaries = 0
        for row in try ExampleReferenceTests.reference("variance.csv") {
            let s = try #require(report.instrument.scaleIndex(of: row["scale"]!))
            let v = try #require(report.statistics.icc[s].variance)
            let total = Double(row["authority"]!)! + Double(row["school"]!)! + Double(row["residual"]!)!
            // Variances to 1e-6 of the total variance; lme4 reports boundary fits as 0 or within 1e-13 of it.
            func near(_ a: Double?, _ e: String) -> Bool { a.map { abs($0 - Double(e)!) <= 1e-6 * total } ?? false }
            #expect(near(v.authority, row["authority"]!), "\(row["scale"]!) authority \(v.authority ?? .nan) vs \(row["authority"]!)")
            #expect(near(v.school, row["school"]!), "\(row["scale"]!) school")
            #expect(near(v.residual, row["residual"]!), "\(row["scale"]!) residual")
            #expect(abs(v.intercept - Double(row["intercept"]!)!) <= 1e-6, "\(row["scale"]!) intercept")
            #expect(abs(v.remlCriterion - Double(row["reml"]!)!) <= 1e-6 * abs(Double(row["reml"]!)!), "\(row["scale"]!) REML criterion")
            #expect(v.converged)
            if row["singular"] == "1" {
                boundaries += 1
                #expect(v.authority == 0, "\(row["scale"]!): a singular fit is reported as exactly 0")
            }
        }
        #expect(boundaries > 0)
    }
}
