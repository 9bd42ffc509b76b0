import Foundation
import Testing
@testable import OSCScoring

@Suite("Intraclass correlation from the one-way ANOVA")
struct IntraclassCorrelationTests {
    @Test("ICC(1), ICC(2), F, p, mean squares and the ICC(1) interval match R")
    func oneWayMatchesR() throws {
        let inputs = try ReferenceTable("icc-input.csv")
        let expected = try ReferenceTable("icc.csv")
        #expect(expected.rows.count == 6)
        for row in expected.rows {
            let set = expected.text(row, "set")
            let rows = inputs.rows.filter { inputs.text($0, "set") == set }
            let groups = rows.map { Int(inputs.value($0, "group")) }
            let scores = rows.map { inputs.number($0, "score") ?? .nan }
            let icc = try #require(IntraclassCorrelation.oneWay(scores: scores, groups: groups), "\(set)")
            let pairs: [(String, Double, Double)] = [
                ("icc1", icc.icc1, expected.value(row, "icc1")),
                ("icc2", icc.icc2, expected.value(row, "icc2")),
                ("f", icc.f, expected.value(row, "f")),
                ("msb", icc.meanSquareBetween, expected.value(row, "msb")),
                ("msw", icc.meanSquareWithin, expected.value(row, "msw")),
                ("k", icc.k, expected.value(row, "k")),
                ("icc1_lower", icc.icc1Lower, expected.value(row, "icc1_lower")),
                ("icc1_upper", icc.icc1Upper, expected.value(row, "icc1_upper")),
            ]
            for (name, actual, reference) in pairs {
                #expect(isClose(actual, reference, tolerance: 1e-9), "\(set) \(name): \(actual) vs R \(reference)")
            }
            // p-values reach 1e-189: compare relatively. p is very sensitive to F
            // (d ln p / d ln F is in the hundreds), so the tight check of the
            // tail itself is made at R's F.
            #expect(isRelativelyClose(icc.p, expected.value(row, "p"), tolerance: 1e-9), "\(set) p")
            let tailAtRsF = FDistribution.survival(expected.value(row, "f"), df1: expected.value(row, "df1"),
                                                   df2: expected.value(row, "df2"))
            #expect(isRelativelyClose(tailAtRsF, expected.value(row, "p_pf"), tolerance: 1e-12), "\(set) pf")
            #expect(icc.df1 == Int(expected.value(row, "df1")))
            #expect(icc.df2 == Int(expected.value(row, "df2")))
            #expect(icc.groups == Int(expected.value(row, "groups")))
            #expect(icc.n == Int(expected.value(row, "n")))
        }
    }

    @Test("two groups of three give the hand-computed mean squares and ICCs")
    func handComputedTwoGroups() throws {
        // means 2 and 5, grand mean 3.5: SSB = 2·3·1.5² = 13.5 (df 1), SSW = 4 (df 4)
        let icc = try #require(IntraclassCorrelation.oneWay(scores: [1, 2, 3, 4, 5, 6], groups: [7, 7, 7, 9, 9, 9]))
        #expect(icc.meanSquareBetween == 13.5)
        #expect(icc.meanSquareWithin == 1)
        #expect(icc.f == 13.5)
        #expect(icc.k == 3)
        #expect(abs(icc.icc1 - 12.5 / 15.5) < 1e-15)
        #expect(abs(icc.icc2 - 12.5 / 13.5) < 1e-15)
        #expect(icc.p == FDistribution.survival(13.5, df1: 1, df2: 4))
        #expect(icc.icc1Lower < icc.icc1 && icc.icc1 < icc.icc1Upper)
    }

    @Test("rows with a missing score or a negative group id are dropped")
    func dropsMissingScoresAndNegativeGroups() throws {
        let clean = try #require(IntraclassCorrelation.oneWay(scores: [1, 2, 3, 4, 5, 6], groups: [0, 0, 0, 1, 1, 1]))
        let noisy = try #require(IntraclassCorrelation.oneWay(
            scores: [1, .nan, 2, 3, 99, 4, 5, 6], groups: [0, 0, 0, 0, -1, 1, 1, 1]))
        #expect(clean == noisy)
    }

    @Test("constant groups give ICC(1) = ICC(2) = 1 with an infinite F")
    func constantGroupsGiveICCOne() throws {
        let icc = try #require(IntraclassCorrelation.oneWay(scores: [2, 2, 4, 4, 4], groups: [1, 1, 2, 2, 2]))
        #expect(icc.icc1 == 1 && icc.icc2 == 1)
        #expect(icc.f == .infinity && icc.p == 0)
        #expect(icc.icc1Lower == 1 && icc.icc1Upper == 1)
    }

    @Test("equal group means give F = 0, ICC(2) = −infinity and p = 1, as R")
    func equalGroupMeans() throws {
        let icc = try #require(IntraclassCorrelation.oneWay(scores: [1, 3, 2, 2], groups: [1, 1, 2, 2]))
        #expect(icc.f == 0)
        #expect(icc.icc2 == -.infinity)
        #expect(icc.p == 1)
        #expect(icc.icc1 == -1)  // (0 − MSW)/(0 + (2 − 1)·MSW)
    }

    @Test("no ICC without two groups, within-group replication or any variance")
    func undefinedCases() {
        #expect(IntraclassCorrelation.oneWay(scores: [1, 2, 3], groups: [5, 5, 5]) == nil)
        #expect(IntraclassCorrelation.oneWay(scores: [1, 2, 3], groups: [1, 2, 3]) == nil)
        #expect(IntraclassCorrelation.oneWay(scores: [3, 3, 3, 3], groups: [1, 1, 2, 2]) == nil)
        #expect(IntraclassCorrelation.oneWay(scores: [], groups: []) == nil)
    }

    @Test("200,000 scores in 2,000 groups are handled from group sums")
    func largeSampleFromGroupSums() throws {
        var generator = Xoshiro256StarStar(seed: 7)
        let groups = (0..<200_000).map { $0 % 2_000 * 37 }
        let scores = groups.map { Double($0 % 5) + Double(generator.nextBelow(1_000)) / 1_000 }
        let icc = try #require(IntraclassCorrelation.oneWay(scores: scores, groups: groups))
        #expect(icc.groups == 2_000 && icc.n == 200_000 && icc.k == 100)
        // group effect variance 2 (0…4), uniform noise variance ≈ 1/12: ICC(1) ≈ 2/(2 + 1/12)
        #expect(abs(icc.icc1 - 2 / (2 + 1.0 / 12)) < 0.01)
    }
}
