import Foundation
import Testing
@testable import OSCScoring

@Suite("REML variance partition of scores in schools nested in authorities")
struct VariancePartitionTests {
    // MARK: lme4 reference fits

    @Test("variances, intercept and REML criterion match lme4's tight fit to 1e-6", arguments: ["three-level", "two-level"])
    func matchesLme4TightFit(model: String) throws {
        // BOBYQA (rhoend 1e-12) stops where rounding hides the criterion's slope:
        // the tight fits differ from the exact optimum by up to 2.5e-7 of the total.
        try expectAgreement(model: model, fit: "tight", count: model == "three-level" ? 8 : 9, tolerance: 1e-6)
    }

    @Test("variances, intercept and REML criterion match lme4's criterion minimised by Newton steps to 1e-9",
          arguments: ["three-level", "two-level"])
    func matchesLme4PolishedOptimum(model: String) throws {
        // `polished`: lme4's own deviance function minimised further with numDeriv
        // derivatives; its theta is known to about 3e-10.
        try expectAgreement(model: model, fit: "polished", count: model == "three-level" ? 8 : 9, tolerance: 1e-9)
    }

    @Test("lme4's default fits agree to their own precision, and never reach a lower REML criterion",
          arguments: ["three-level", "two-level"])
    func defaultFitsAgreeToTheirPrecision(model: String) throws {
        // nloptwrap stops at ftol_abs = 1e-8 on the criterion (xtol_abs 1e-8 on θ = σ_k/σ):
        // up to 1e-5 of the total variance here.
        try expectAgreement(model: model, fit: "default", count: model == "three-level" ? 8 : 9, tolerance: 5e-5)
    }

    private func expectAgreement(model: String, fit: String, count: Int, tolerance: Double) throws {
        let reference = try VarianceReference()
        let rows = reference.fits(model: model, fit: fit)
        #expect(rows.count == count)
        for row in rows {
            let data = try #require(reference.data[row.set])
            let p = try #require(model == "three-level"
                ? VariancePartitioning.threeLevel(scores: data.scores, authorities: data.authorities, schools: data.schools)
                : VariancePartitioning.twoLevel(scores: data.scores, schools: data.schools), "\(row.set)")
            row.expectAgreement(with: p, tolerance: tolerance)
            if model == "three-level" {
                #expect(p.authorities == row.authorities, "\(row.set)")
            } else {
                #expect(p.authority == nil && p.authorities == nil && p.authorityShare == nil)
            }
        }
    }

    @Test("a variance lme4 puts at its boundary is exactly 0 here, with converged true")
    func boundaryFitsReportExactZero() throws {
        let reference = try VarianceReference()
        var boundaries = 0
        for row in reference.fits(model: "three-level", fit: "tight") + reference.fits(model: "two-level", fit: "tight")
        where row.singular {
            let data = try #require(reference.data[row.set])
            let p = try #require(row.model == "three-level"
                ? VariancePartitioning.threeLevel(scores: data.scores, authorities: data.authorities, schools: data.schools)
                : VariancePartitioning.twoLevel(scores: data.scores, schools: data.schools))
            #expect(p.converged, "\(row.set) \(row.model)")
            if let a = row.authority, a < 1e-10 {
                #expect(p.authority == 0, "\(row.set) authority \(String(describing: p.authority))")
                boundaries += 1
            }
            if row.school < 1e-10 {
                #expect(p.school == 0, "\(row.set) school \(p.school)")
                boundaries += 1
            }
        }
        // authority: authority-boundary, -natural, null, missing-and-singletons;
        // school: school-boundary (both models), null (both), two-level-boundary.
        #expect(boundaries == 9)
    }

    // MARK: Hand-checkable balanced designs (no R)

    @Test("a balanced nested design gives the nested-ANOVA estimates and REML criterion")
    func balancedDesignEqualsNestedANOVA() throws {
        // Two authorities, two schools each, two respondents per school.
        // School means 2, 5 | 9, 14; authority means 3.5 | 11.5; grand mean 7.5.
        // MSE = 8/4 = 2; MSB(A) = 2·(1.5² + 1.5² + 2.5² + 2.5²)/2 = 17; MSA = 4·(4² + 4²)/1 = 128.
        // σ² = MSE = 2; σ²_s = (MSB − MSE)/n = 7.5; σ²_a = (MSA − MSB)/(bn) = 27.75.
        let scores: [Double] = [1, 3, 4, 6, 8, 10, 13, 15]
        let p = try #require(VariancePartitioning.threeLevel(
            scores: scores, authorities: [1, 1, 1, 1, 2, 2, 2, 2], schools: [10, 10, 11, 11, 20, 20, 21, 21]))
        #expect(abs(p.residual - 2) < 1e-12)
        #expect(abs(p.school - 7.5) < 1e-11)
        #expect(abs(p.authority! - 27.75) < 1e-10)
        #expect(abs(p.intercept - 7.5) < 1e-13)
        // −2ℓ_R at the estimates: (N − 1)(1 + log 2π) + Σ df_k log MS_k + log N.
        let expected = 7 * (1 + log(2 * Double.pi)) + 4 * log(2.0) + 2 * log(17.0) + log(128.0) + log(8.0)
        #expect(abs(p.remlCriterion - expected) < 1e-11)
        #expect(p.converged)
        #expect(p.respondents == 8 && p.schools == 4 && p.authorities == 2)
        #expect(p.method == "REML")
    }

    @Test("balanced pseudo-random designs give the nested-ANOVA estimates when they are positive")
    func balancedRandomDesignsEqualNestedANOVA() throws {
        var generator = TestGenerator(seed: 7)
        var checked = 0
        for (a, b, n) in [(3, 4, 5), (5, 10, 12), (8, 3, 2), (4, 6, 30)] {
            for _ in 0..<5 {
                var scores: [Double] = [], authorities: [Int] = [], schools: [Int] = []
                for i in 0..<a {
                    let ea = 0.5 * generator.normal()
                    for j in 0..<b {
                        let es = 0.4 * generator.normal()
                        for _ in 0..<n {
                            scores.append(3 + ea + es + 0.7 * generator.normal())
                            authorities.append(i)
                            schools.append(i * 1000 + j)
                        }
                    }
                }
                let anova = NestedANOVA(scores: scores, a: a, b: b, n: n)
                guard anova.school > 0, anova.authority > 0 else { continue }
                let p = try #require(VariancePartitioning.threeLevel(scores: scores, authorities: authorities, schools: schools))
                let scale = anova.residual + anova.school + anova.authority
                #expect(abs(p.residual - anova.residual) < 1e-10 * scale)
                #expect(abs(p.school - anova.school) < 1e-10 * scale)
                #expect(abs(p.authority! - anova.authority) < 1e-10 * scale)
                #expect(abs(p.intercept - anova.grandMean) < 1e-12)
                #expect(p.converged)
                checked += 1
            }
        }
        #expect(checked >= 12)
    }

    @Test("a balanced one-way design gives the one-way ANOVA estimates")
    func balancedTwoLevelEqualsOneWayANOVA() throws {
        // School means 2, 5, 11; grand mean 6; MSW = (2 + 2 + 2)/3 = 2 (values ±1);
        // MSB = 2·(16 + 1 + 25)/2 = 42; σ²_s = (42 − 2)/2 = 20.
        let p = try #require(VariancePartitioning.twoLevel(scores: [1, 3, 4, 6, 10, 12], schools: [5, 5, 6, 6, 7, 7]))
        #expect(abs(p.residual - 2) < 1e-12)
        #expect(abs(p.school - 20) < 1e-11)
        #expect(abs(p.intercept - 6) < 1e-13)
        #expect(abs(p.schoolShare - 20.0 / 22.0) < 1e-12)
        let expected = 5 * (1 + log(2 * Double.pi)) + 3 * log(2.0) + 2 * log(42.0) + log(6.0)
        #expect(abs(p.remlCriterion - expected) < 1e-11)
    }

    // MARK: Properties

    @Test("the shares sum to 1")
    func sharesSumToOne() throws {
        let reference = try VarianceReference()
        for (set, data) in reference.data {
            if let p = VariancePartitioning.threeLevel(scores: data.scores, authorities: data.authorities, schools: data.schools) {
                #expect(abs(p.authorityShare! + p.schoolShare + p.residualShare - 1) < 1e-14, "\(set)")
                #expect(p.total == p.authority! + p.school + p.residual)
            }
            let q = try #require(VariancePartitioning.twoLevel(scores: data.scores, schools: data.schools))
            #expect(abs(q.schoolShare + q.residualShare - 1) < 1e-14, "\(set)")
        }
    }

    @Test("the same data give bit-identical results, and reordered rows agree to rounding")
    func deterministic() throws {
        let data = try #require(VarianceReference().data["unbalanced"])
        let first = VariancePartitioning.threeLevel(scores: data.scores, authorities: data.authorities, schools: data.schools)
        let second = VariancePartitioning.threeLevel(scores: data.scores, authorities: data.authorities, schools: data.schools)
        #expect(first != nil && first == second)
        let order = Array(data.scores.indices.reversed())
        let reversed = try #require(VariancePartitioning.threeLevel(
            scores: order.map { data.scores[$0] }, authorities: order.map { data.authorities[$0] },
            schools: order.map { data.schools[$0] }))
        let p = try #require(first)
        #expect(abs(reversed.authority! - p.authority!) < 1e-12 * p.total)
        #expect(abs(reversed.school - p.school) < 1e-12 * p.total)
        #expect(abs(reversed.residual - p.residual) < 1e-12 * p.total)
        #expect(abs(reversed.remlCriterion - p.remlCriterion) < 1e-12 * abs(p.remlCriterion))
    }

    @Test("rows with a NaN score or a negative id are dropped")
    func dropsMissingScoresAndNegativeIds() throws {
        let scores: [Double] = [1, 3, 4, 6, 8, 10, 13, 15]
        let authorities = [1, 1, 1, 1, 2, 2, 2, 2], schools = [10, 10, 11, 11, 20, 20, 21, 21]
        let clean = VariancePartitioning.threeLevel(scores: scores, authorities: authorities, schools: schools)
        let noisy = VariancePartitioning.threeLevel(
            scores: scores + [.nan, 99, 99, .infinity], authorities: authorities + [1, -1, 2, 2],
            schools: schools + [10, 10, -3, 21])
        #expect(clean != nil && clean == noisy)
    }

    @Test("a school id used under two authorities counts as two schools, as lme4's authority/school")
    func schoolIdsAreScopedByAuthority() throws {
        let scores: [Double] = [1, 3, 4, 6, 8, 10, 13, 15]
        let unique = VariancePartitioning.threeLevel(
            scores: scores, authorities: [1, 1, 1, 1, 2, 2, 2, 2], schools: [10, 10, 11, 11, 20, 20, 21, 21])
        let reused = VariancePartitioning.threeLevel(
            scores: scores, authorities: [1, 1, 1, 1, 2, 2, 2, 2], schools: [10, 10, 11, 11, 10, 10, 11, 11])
        #expect(unique != nil && unique == reused)
    }

    @Test("nil when the model is not estimable")
    func nilWhenNotEstimable() {
        let scores: [Double] = [1, 3, 4, 6, 8, 10, 13, 15]
        // One authority: σ²_a is confounded with the intercept.
        #expect(VariancePartitioning.threeLevel(scores: scores, authorities: [Int](repeating: 1, count: 8),
                                                schools: [10, 10, 11, 11, 20, 20, 21, 21]) == nil)
        // Every authority has one school: σ²_a and σ²_s are confounded.
        #expect(VariancePartitioning.threeLevel(scores: scores, authorities: [1, 1, 2, 2, 3, 3, 4, 4],
                                                schools: [10, 10, 20, 20, 30, 30, 40, 40]) == nil)
        // Every school has one respondent: σ²_s and σ² are confounded.
        #expect(VariancePartitioning.threeLevel(scores: scores, authorities: [1, 1, 1, 1, 2, 2, 2, 2],
                                                schools: Array(0..<8)) == nil)
        #expect(VariancePartitioning.twoLevel(scores: scores, schools: Array(0..<8)) == nil)
        // Every school internally constant: σ̂² = 0.
        #expect(VariancePartitioning.threeLevel(scores: [1, 1, 4, 4, 8, 8, 13, 13], authorities: [1, 1, 1, 1, 2, 2, 2, 2],
                                                schools: [10, 10, 11, 11, 20, 20, 21, 21]) == nil)
        #expect(VariancePartitioning.twoLevel(scores: [2, 2, 5, 5], schools: [1, 1, 2, 2]) == nil)
        // One school.
        #expect(VariancePartitioning.twoLevel(scores: [1, 2, 3], schools: [4, 4, 4]) == nil)
        // Nothing left.
        #expect(VariancePartitioning.twoLevel(scores: [], schools: []) == nil)
        #expect(VariancePartitioning.threeLevel(scores: [.nan, .nan], authorities: [1, 2], schools: [1, 2]) == nil)
    }

    @Test("the smallest estimable designs give an answer")
    func smallestEstimableDesigns() throws {
        // Two authorities, three schools, four respondents.
        let p = try #require(VariancePartitioning.threeLevel(scores: [1, 2, 4, 7], authorities: [1, 1, 1, 2], schools: [1, 1, 2, 3]))
        #expect(p.converged && p.respondents == 4 && p.schools == 3 && p.authorities == 2)
        let q = try #require(VariancePartitioning.twoLevel(scores: [1, 2, 5], schools: [1, 1, 2]))
        #expect(q.converged && q.respondents == 3 && q.schools == 2)
    }
}

// MARK: - Test support

/// The input scores and lme4 fits written by `Reference/variance/make-reference.R`.
private struct VarianceReference {
    struct DataSet {
        var scores: [Double] = []
        var authorities: [Int] = []
        var schools: [Int] = []
    }

    struct Fit {
        let set: String, model: String, fit: String
        let authority: Double?, school: Double, residual: Double, intercept: Double, remlCriterion: Double
        let singular: Bool
        let respondents: Int, schools: Int, authorities: Int?

        /// Variances within `tolerance` × lme4's total variance, the intercept
        /// within `tolerance` × max(1, |μ|), REMLcrit within `tolerance` relative
        /// and never above lme4's (lme4 cannot have found a better optimum).
        func expectAgreement(with p: VariancePartition, tolerance: Double) {
            let label = "\(set) \(model) \(fit)"
            let total = (authority ?? 0) + school + residual
            if let a = authority {
                #expect(abs(p.authority! - a) <= tolerance * total, "\(label) authority \(p.authority!) vs lme4 \(a)")
            }
            #expect(abs(p.school - school) <= tolerance * total, "\(label) school \(p.school) vs lme4 \(school)")
            #expect(abs(p.residual - residual) <= tolerance * total, "\(label) residual \(p.residual) vs lme4 \(residual)")
            #expect(abs(p.intercept - intercept) <= tolerance * max(1, abs(intercept)),
                    "\(label) intercept \(p.intercept) vs lme4 \(intercept)")
            #expect(abs(p.remlCriterion - remlCriterion) <= tolerance * abs(remlCriterion),
                    "\(label) REMLcrit \(p.remlCriterion) vs lme4 \(remlCriterion)")
            #expect(p.remlCriterion <= remlCriterion + 1e-10 * abs(remlCriterion),
                    "\(label) REMLcrit \(p.remlCriterion) above lme4's \(remlCriterion)")
            #expect(p.converged, "\(label)")
            #expect(p.respondents == respondents && p.schools == schools, "\(label) counts")
        }
    }

    /// `<folder of this file>/../Reference/variance`.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Reference/variance")

    let data: [String: DataSet]
    let allFits: [Fit]

    init() throws {
        let input = try VarianceReference.table("variance-input.csv")
        var data: [String: DataSet] = [:]
        for row in input.rows {
            let set = row[input.column["set"]!]
            data[set, default: DataSet()].scores.append(Double(row[input.column["score"]!]) ?? .nan)
            data[set]!.authorities.append(Int(row[input.column["authority"]!])!)
            data[set]!.schools.append(Int(row[input.column["school"]!])!)
        }
        self.data = data
        let fits = try VarianceReference.table("variance.csv")
        allFits = fits.rows.map { r in
            func text(_ name: String) -> String { r[fits.column[name]!] }
            func number(_ name: String) -> Double? { text(name) == "NA" ? nil : Double(text(name))! }
            return Fit(set: text("set"), model: text("model"), fit: text("fit"),
                       authority: number("authority"), school: number("school")!, residual: number("residual")!,
                       intercept: number("intercept")!, remlCriterion: number("reml_crit")!,
                       singular: text("singular") == "TRUE",
                       respondents: Int(text("respondents"))!, schools: Int(text("schools"))!,
                       authorities: Int(text("authorities")))
        }
    }

    func fits(model: String, fit: String) -> [Fit] {
        allFits.filter { $0.model == model && $0.fit == fit }
    }

    /// A comma-separated file without quoting: its header's column positions and its rows.
    static func table(_ name: String) throws -> (column: [String: Int], rows: [[String]]) {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        return (Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) }), lines)
    }
}

/// The balanced nested ANOVA (Searle, Casella & McCulloch 1992, §4.3) for rows
/// ordered authority by authority, school by school: a authorities × b schools × n.
private struct NestedANOVA {
    let authority: Double, school: Double, residual: Double, grandMean: Double

    init(scores y: [Double], a: Int, b: Int, n: Int) {
        var schoolMeans = [Double](repeating: 0, count: a * b)
        for s in 0..<(a * b) { schoolMeans[s] = y[(s * n)..<((s + 1) * n)].reduce(0, +) / Double(n) }
        let authorityMeans = (0..<a).map { i in schoolMeans[(i * b)..<((i + 1) * b)].reduce(0, +) / Double(b) }
        grandMean = authorityMeans.reduce(0, +) / Double(a)
        var sse = 0.0, ssb = 0.0, ssa = 0.0
        for (k, v) in y.enumerated() { sse += (v - schoolMeans[k / n]) * (v - schoolMeans[k / n]) }
        for s in 0..<(a * b) { ssb += Double(n) * (schoolMeans[s] - authorityMeans[s / b]) * (schoolMeans[s] - authorityMeans[s / b]) }
        for m in authorityMeans { ssa += Double(b * n) * (m - grandMean) * (m - grandMean) }
        let mse = sse / Double(a * b * (n - 1)), msb = ssb / Double(a * (b - 1)), msa = ssa / Double(a - 1)
        residual = mse
        school = (msb - mse) / Double(n)
        authority = (msa - msb) / Double(b * n)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014) with Box–Muller normals: repeatable test data.
private struct TestGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }
}
