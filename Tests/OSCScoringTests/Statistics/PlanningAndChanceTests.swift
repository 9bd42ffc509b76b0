import Foundation
import Testing
@testable import OSCScoring

/// Rows of a CSV written by R's `write.csv` in Reference/planning (quoted header and strings).
private func planningReference(_ name: String) throws -> [[String: String]] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Reference/planning/\(name)")
    let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
    let fields = { (line: Substring) in line.split(separator: ",", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: "\"", with: "") } }
    let header = fields(lines[0])
    return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, fields($0))) }
}

@Suite("Study planning")
struct StudyPlanningTests {
    @Test("ICC(1) = .10 needs 21 respondents per school for ICC(2) ≥ .70 (the worked example)")
    func workedExample() {
        #expect(StudyPlanning.respondentsNeeded(icc1: 0.10, target: 0.70) == 21)
        #expect(abs(StudyPlanning.groupMeanReliability(icc1: 0.10, respondents: 21)! - 0.70) < 1e-12)
        #expect(abs(StudyPlanning.groupMeanReliability(icc1: 0.10, respondents: 20)! - 0.70) > 0.005)
        #expect(StudyPlanning.designEffect(icc1: 0.10, respondents: 21) == 3)
    }

    @Test("Spearman-Brown and its inverse match psychometric 2.3 SBrel and SBlength")
    func spearmanBrownAgainstR() throws {
        let rows = try planningReference("spearman-brown.csv")
        #expect(rows.count == 196)
        for row in rows {
            let icc1 = Double(row["icc1"]!)!, n = Double(row["n"]!)!, target = Double(row["target"]!)!
            let sbrel = Double(row["sbrel"]!)!, sblength = Double(row["sblength"]!)!
            #expect(abs(StudyPlanning.groupMeanReliability(icc1: icc1, respondents: n)! - sbrel) <= 1e-12 * max(1, sbrel))
            #expect(abs(StudyPlanning.exactRespondentsNeeded(icc1: icc1, target: target)! - sblength) <= 1e-12 * max(1, sblength))
            // The whole number: the smallest n reaching the target.
            let whole = StudyPlanning.respondentsNeeded(icc1: icc1, target: target)!
            #expect(Double(whole) >= sblength - 1e-9 && Double(whole) < sblength + 1)
        }
    }

    @Test("the power formula matches R's pf/qf and a simulation of the balanced one-way model (20,000 replications, 4 standard errors)")
    func powerAgainstRAndSimulation() throws {
        let rows = try planningReference("power.csv")
        #expect(rows.count == 6)
        for row in rows {
            let icc1 = Double(row["icc1"]!)!, n = Int(row["n"]!)!, g = Int(row["g"]!)!, alpha = Double(row["alpha"]!)!
            let power = StudyPlanning.power(icc1: icc1, respondents: n, schools: g, alpha: alpha)!
            #expect(abs(power - Double(row["power"]!)!) < 1e-9)
            #expect(abs(power - Double(row["simulated"]!)!) < 4 * Double(row["se"]!)!)
        }
    }

    @Test("schools needed is the smallest G whose power reaches the target")
    func schoolsNeeded() {
        let g = StudyPlanning.schoolsNeeded(icc1: 0.10, respondents: 21, alpha: 0.05, power: 0.80)!
        #expect(g == 10)
        #expect(StudyPlanning.power(icc1: 0.10, respondents: 21, schools: g, alpha: 0.05)! >= 0.80)
        #expect(StudyPlanning.power(icc1: 0.10, respondents: 21, schools: g - 1, alpha: 0.05)! < 0.80)
    }

    @Test("an ICC(1) at or below 0 or at 1 gives no plan instead of dividing by it")
    func invalidICC() {
        for icc1 in [0.0, -0.05, 1.0, .nan, .infinity] {
            #expect(StudyPlanning.respondentsNeeded(icc1: icc1, target: 0.7) == nil)
            #expect(StudyPlanning.groupMeanReliability(icc1: icc1, respondents: 10) == nil)
            #expect(StudyPlanning.power(icc1: icc1, respondents: 10, schools: 10, alpha: 0.05) == nil)
            #expect(StudyPlanning.schoolsNeeded(icc1: icc1, respondents: 10, alpha: 0.05, power: 0.8) == nil)
        }
        #expect(StudyPlanning.respondentsNeeded(icc1: 1e-300, target: 0.7) == nil)
        #expect(StudyPlanning.power(icc1: 0.1, respondents: 1, schools: 10, alpha: 0.05) == nil)
        #expect(StudyPlanning.respondentsNeeded(icc1: 0.9, target: 0.7) == 1)
    }
}

@Suite("rwg(j) against chance")
struct RwgJChanceTests {
    @Test("the 95th percentiles agree with multilevel rwg.j.sim and R simulations of the skewed nulls within 4 Monte Carlo standard errors")
    func quantilesAgainstR() throws {
        let rows = try planningReference("rwgj-chance.csv")
        #expect(rows.count == 48)
        let shapes: [String: NullDistribution] = ["uniform": .uniform, "slight": .slight, "heavy": .heavy, "triangular": .triangular]
        var byShape: [String: [RwgJChance.Key: Double]] = [:]
        for (name, shape) in shapes {
            let weights = RwgJChance.answerWeights(.distribution(shape), options: 5)!
            byShape[name] = RwgJChance.criticalValues(sizes: [3, 5, 10, 20], lengths: [1, 6, 12], weights: weights,
                                                      nullVariance: try shape.variance(options: 5), threads: 2)
        }
        for row in rows {
            let n = Int(row["n"]!)!, j = Int(row["j"]!)!
            let expected = Double(row["q95"]!)!, se = Double(row["se"]!)!, draws = Double(row["draws"]!)!
            let actual = byShape[row["null"]!]![RwgJChance.Key(n: n, items: j)]!
            // The standard error of ours (10,000 draws) scales as 1/√draws from R's; discrete
            // small groups (se 0) allow 0.02 for an interpolation between two atoms.
            let tolerance = 4 * se * (1 + draws / 10_000).squareRoot() + 0.02
            #expect(abs(actual - expected) <= tolerance, "\(row["null"]!) n = \(n) J = \(j): \(actual) vs R \(expected) ± \(tolerance)")
        }
    }

    @Test("the critical values are reproducible and do not depend on the threads or on the other sizes asked for")
    func reproducible() {
        let weights = RwgJChance.answerWeights(.distribution(.uniform), options: 5)!
        let a = RwgJChance.criticalValues(sizes: [4, 9], lengths: [7], weights: weights, nullVariance: 2, threads: 1)
        let b = RwgJChance.criticalValues(sizes: [9, 30], lengths: [3, 7, 15], weights: weights, nullVariance: 2, threads: 2)
        #expect(a[RwgJChance.Key(n: 9, items: 7)] == b[RwgJChance.Key(n: 9, items: 7)])
        #expect(a[RwgJChance.Key(n: 9, items: 7)]! > 0 && a[RwgJChance.Key(n: 9, items: 7)]! < 1)
    }

    @Test("the built-in nulls' answer probabilities have exactly the tabulated null variances")
    func weightsHaveTheNullVariances() throws {
        for shape in NullDistribution.allCases {
            let w = RwgJChance.answerWeights(.distribution(shape), options: 5)!.map(Double.init)
            let total = w.reduce(0, +)
            let mean = zip(w, 1...5).reduce(0) { $0 + $1.0 * Double($1.1) } / total
            let variance = zip(w, 1...5).reduce(0) { $0 + $1.0 * pow(Double($1.1) - mean, 2) } / total
            #expect(abs(variance - (try shape.variance(options: 5))) < 1e-12, "\(shape)")
        }
        #expect(RwgJChance.answerWeights(.distribution(.slight), options: 7) == nil)
        #expect(RwgJChance.answerWeights(.fixed(2), options: 5) == nil)
    }

    @Test("schools of the example get a critical value and a verdict against it; a fixed null variance gets none")
    func exampleSchools() throws {
        let report = try exampleReport()
        let judged = report.schools.flatMap { $0.scores.compactMap(\.rwgJAboveChance) }
        #expect(!judged.isEmpty)
        for school in report.schools {
            for score in school.scores where score.n >= 2 && score.rwgJ != nil {
                #expect(score.rwgJCritical != nil)
                #expect(score.rwgJAboveChance == (score.rwgJ! > score.rwgJCritical!))
            }
        }
        let fixed = try exampleReport(statistics: StatisticsOptions(null: .fixed(2)))
        #expect(fixed.schools.allSatisfy { $0.scores.allSatisfy { $0.rwgJCritical == nil && $0.rwgJAboveChance == nil } })
    }
}

@Suite("Key diagnostics")
struct KeyDiagnosticsTests {
    @Test("the example with its correct key has no suspected keying error")
    func correctKey() throws {
        #expect(try exampleReport().keyFindings.isEmpty)
    }

    @Test("an item flipped in the key is caught, with its r.drop and current reverse flag")
    func flippedItem() throws {
        let report = try exampleReport(flipping: "Q005")
        let findings = report.keyFindings
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { $0.item == "Q005" && $0.kind == .suspectedKeying && $0.reversed == false && ($0.rDrop ?? 0) < 0 })
        #expect(findings.map(\.scale).contains("growth_advancement"))
        let leaf = findings.first { $0.scale == "growth_advancement" }!
        #expect(leaf.message == "item Q005 correlates negatively with the rest of 'growth_advancement' (r.drop \(DecimalText.fixed(leaf.rDrop!, places: 2))); check whether it is reverse-keyed in your key (it is not reversed now)")
        #expect(report.findingLines().contains(leaf.message))
    }

    @Test("a scale whose alpha is negative is a finding of its own")
    func negativeAlpha() {
        let finding = KeyingFinding(kind: .suspectedKeying, scale: "rigidity", item: nil, column: nil, rDrop: nil, alpha: -0.12, reversed: nil)
        #expect(finding.message == "scale 'rigidity' has a negative alpha (-0.12): its items correlate negatively on the whole; check the reverse flags of its items in your key")
    }
}

/// The shipped example scored with the demo key, optionally with one item's reverse flag flipped.
private func exampleReport(flipping item: String? = nil, statistics: StatisticsOptions = StatisticsOptions()) throws -> ScoringReport {
    let root = Fixture.repositoryRoot
    var text = try String(contentsOfFile: root + "/Examples/demo-key.csv", encoding: .utf8)
    if let item {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix(item + ",") else { return String(line) }
            return line.hasSuffix(",true") ? String(line.dropLast(5)) + ",false" : String(line.dropLast(6)) + ",true"
        }
        text = lines.joined(separator: "\n")
    }
    let instrument = try BundledInstruments.osc().applying(ScoringKey(csv: Array(text.utf8), source: "key"))
    let table = try ResponseReader.read(path: root + "/Examples/synthetic-responses.csv", instrument: instrument).table
    return try ScoringReport(table: table, statistics: statistics)
}

@Suite("rwg(j) against chance, limits")
struct RwgJChanceLimitTests {
    @Test("sizes past the largest simulated and scales past the simulation's size get no critical value")
    func limits() {
        let weights = RwgJChance.answerWeights(.distribution(.uniform), options: 5)!
        let values = RwgJChance.criticalValues(sizes: [1, 3, RwgJChance.maximumRespondents + 1], lengths: [2, RwgJChance.maximumCells / 3 + 1],
                                               weights: weights, nullVariance: 2, draws: 100)
        #expect(values.count == 1)
        #expect(values[RwgJChance.Key(n: 3, items: 2)] != nil)
    }
}
