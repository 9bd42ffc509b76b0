import Foundation
import Testing
@testable import OSCScoring

@Suite("Random group resampling")
struct RandomGroupResamplingTests {
    /// The synthetic school-level A6 scores without missing values, as passed to rgr.agree.
    private func referenceScores() throws -> (scores: [Double], groups: [Int]) {
        let table = try ReferenceTable("icc-input.csv")
        let rows = table.rows.filter { table.text($0, "set") == "synthetic-A6-school" && table.number($0, "score") != nil }
        return (rows.map { table.value($0, "score") }, rows.map { Int(table.value($0, "group")) })
    }

    @Test("the mean real-group variance matches R's AvGrpVar; the random part agrees statistically")
    func matchesRsRgrAgree() throws {
        let (scores, groups) = try referenceScores()
        let table = try ReferenceTable("rgr.csv")
        let row = table.rows[0]
        let replications = Int(table.value(row, "replications"))
        let result = try #require(RandomGroupResampling.agree(scores: scores, groups: groups,
                                                               replications: replications, seed: 2024))
        #expect(result.pseudoGroupCount == Int(table.value(row, "NRanGrp")))
        #expect(isClose(result.averageGroupVariance, table.value(row, "AvGrpVar"), tolerance: 1e-9))
        // Different random streams: the means of 40,000 pseudo-group variances
        // differ by about SD·√(2/40,000) ≈ 0.002.
        let sd = table.value(row, "SDRGRVar")
        #expect(abs(result.averagePseudoGroupVariance - table.value(row, "AvRGRVar")) < 5 * sd * (2.0 / 40_000).squareRoot())
        #expect(abs(result.pseudoGroupVarianceSD - sd) < 0.05 * sd)
        #expect(abs(result.z! - table.value(row, "zvalue")) < 0.5)
    }

    @Test("z is computed from its parts")
    func zFromParts() throws {
        let (scores, groups) = try referenceScores()
        let result = try #require(RandomGroupResampling.agree(scores: scores, groups: groups, replications: 50, seed: 1))
        let expected = (result.averageGroupVariance - result.averagePseudoGroupVariance)
            / (result.pseudoGroupVarianceSD / Double(result.groups).squareRoot())
        #expect(result.z == expected)
        #expect(result.pseudoGroupVariances.count == 50 * 40)
        let mean = result.pseudoGroupVariances.reduce(0, +) / Double(result.pseudoGroupVariances.count)
        #expect(abs(mean - result.averagePseudoGroupVariance) < 1e-12)
        #expect(result.lowerPercentiles.count == 5 && result.upperPercentiles.count == 5)
        #expect(result.lowerPercentiles == result.lowerPercentiles.sorted())
        #expect(result.lowerPercentiles.last! <= result.upperPercentiles.first!)
    }

    @Test("the same seed gives the same result, another seed a different one")
    func seedDeterminesResult() throws {
        let (scores, groups) = try referenceScores()
        let a = RandomGroupResampling.agree(scores: scores, groups: groups, replications: 20, seed: 99)
        let b = RandomGroupResampling.agree(scores: scores, groups: groups, replications: 20, seed: 99)
        let c = RandomGroupResampling.agree(scores: scores, groups: groups, replications: 20, seed: 100)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("pseudo-groups have the real group sizes and use every score once")
    func pseudoGroupsKeepSizes() {
        var generator = Xoshiro256StarStar(seed: 5)
        let scores = (0..<30).map(Double.init)
        let sizes = [2, 7, 5, 16]
        for _ in 0..<10 {
            let groups = RandomGroupResampling.pseudoGroups(scores, sizes: sizes, using: &generator)
            #expect(groups.map(\.count) == sizes)
            #expect(groups.flatMap { $0 }.sorted() == scores)
        }
    }

    @Test("on a large sample the mean pseudo-group variance estimates the total variance")
    func pseudoGroupVarianceEstimatesTotalVariance() throws {
        var generator = Xoshiro256StarStar(seed: 11)
        var scores: [Double] = [], groups: [Int] = []
        for g in 0..<500 {
            let size = 5 + generator.nextBelow(20)
            let effect = Double(generator.nextBelow(100)) / 50
            for _ in 0..<size {
                scores.append(effect + Double(generator.nextBelow(1_000)) / 250)
                groups.append(g * 3)
            }
        }
        let result = try #require(RandomGroupResampling.agree(scores: scores, groups: groups, replications: 40, seed: 3))
        let total = SampleMoments.variance(scores)!
        // Sampling without replacement: E[s²] of a pseudo-group is the total sample variance.
        let standardError = result.pseudoGroupVarianceSD / Double(result.pseudoGroupCount).squareRoot()
        #expect(abs(result.averagePseudoGroupVariance - total) < 4 * standardError)
        // Real groups share an effect, so they vary less than random ones.
        #expect(result.averageGroupVariance < result.averagePseudoGroupVariance)
        #expect(result.z! < -10)
    }

    @Test("groups of one, a single group, or no replications give no result")
    func undefinedCases() {
        #expect(RandomGroupResampling.agree(scores: [1, 2, 3], groups: [0, 0, 1], replications: 5, seed: 1) == nil)
        #expect(RandomGroupResampling.agree(scores: [1, 2, 3], groups: [0, 0, 0], replications: 5, seed: 1) == nil)
        #expect(RandomGroupResampling.agree(scores: [1, 2, 3, 4], groups: [0, 0, 1, 1], replications: 0, seed: 1) == nil)
        // a missing score leaves group 1 with one member
        #expect(RandomGroupResampling.agree(scores: [1, 2, 3, .nan], groups: [0, 0, 1, 1], replications: 5, seed: 1) == nil)
    }

    @Test("quantiles interpolate as R's type 7")
    func quantilesAreType7() {
        let sorted: [Double] = [1, 2, 3, 4, 10]
        #expect(RandomGroupResampling.quantile(sorted: sorted, 0.5) == 3)
        // R 4.2.2: sprintf("%.17g", quantile(c(1, 2, 3, 4, 10), c(0.9, 0.005, 0.995)))
        #expect(RandomGroupResampling.quantile(sorted: sorted, 0.9) == 7.5999999999999979)
        #expect(RandomGroupResampling.quantile(sorted: sorted, 0.005) == 1.02)
        #expect(RandomGroupResampling.quantile(sorted: sorted, 0.995) == 9.8800000000000026)
        #expect(RandomGroupResampling.quantile(sorted: sorted, 0) == 1)
        #expect(RandomGroupResampling.quantile(sorted: sorted, 1) == 10)
    }
}
