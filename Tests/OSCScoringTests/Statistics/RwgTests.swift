import Testing
import OSCScoring

@Suite("rwg, rwg(j) and r*wg(j)")
struct RwgTests {
    @Test("rwg is one minus the variance over the null")
    func rwgIsOneMinusVarianceOverNull() {
        #expect(Agreement.rwg([1, 2, 3], nullVariance: 2) == 0.5)
        #expect(Agreement.rwg([3, 3, .nan, 3], nullVariance: 2) == 1)
    }

    @Test("rwg is zero when the variance exceeds the null")
    func rwgIsZeroWhenVarianceExceedsTheNull() {
        #expect(Agreement.rwg([1, 5], nullVariance: 2) == 0)
    }

    @Test("rwg needs two answers")
    func rwgNeedsTwoAnswers() {
        #expect(Agreement.rwg([4], nullVariance: 2) == nil)
        #expect(Agreement.rwg([4, .nan], nullVariance: 2) == nil)
        #expect(Agreement.rwg([], nullVariance: 2) == nil)
    }

    @Test("rwg(j) follows the Spearman–Brown form of the mean item variance")
    func rwgJFollowsSpearmanBrownForm() throws {
        // item 1: 1,2,3 (s² = 1); item 2: 2,2,2 (s² = 0); s̄² = 0.5, ratio 0.25
        let block = ItemResponses(rows: [[1, 2], [2, 2], [3, 2]])
        let rwgJ = try #require(Agreement.rwgJ(block, nullVariance: 2, missing: .listwise))
        #expect(abs(rwgJ - 1.5 / 1.75) < 1e-15)
        #expect(Agreement.rwgJStar(block, nullVariance: 2, missing: .listwise) == 0.75)
    }

    @Test("rwg(j) is zero and r*wg(j) negative when the variance exceeds the null")
    func rwgJIsZeroWhenVarianceExceedsTheNull() {
        let block = ItemResponses(rows: [[1, 1], [5, 5], [1, 1], [5, 5]])
        #expect(Agreement.rwgJ(block, nullVariance: 2) == 0)
        // s² = 16/3 for both items: 1 − (16/3)/2
        #expect(abs(Agreement.rwgJStar(block, nullVariance: 2)! - (1 - 8.0 / 3.0)) < 1e-15)
    }

    @Test("pairwise uses each item's answers, listwise only complete respondents")
    func pairwiseAndListwiseDiffer() {
        let block = ItemResponses(rows: [[1, 2], [2, nil], [3, 4]])
        // pairwise: s² = 1 and 2 → 1.5; listwise rows 1 and 3: s² = 2 and 2 → 2
        #expect(Agreement.rwgJStar(block, nullVariance: 2, missing: .pairwise) == 0.25)
        #expect(Agreement.rwgJStar(block, nullVariance: 2, missing: .listwise) == 0)
    }

    @Test("pairwise leaves out an item with one answer but keeps J at the scale's item count")
    func pairwiseLeavesOutItemsWithOneAnswer() throws {
        let block = ItemResponses(rows: [[1, 5, nil], [2, nil, nil], [3, nil, 4]])
        // only item 1 is usable: s̄² = 1, ratio 0.5, J = 3 → 1.5 / 2
        let rwgJ = try #require(Agreement.rwgJ(block, nullVariance: 2, missing: .pairwise))
        #expect(rwgJ == 0.75)
        #expect(Agreement.rwgJ(block, nullVariance: 2, missing: .listwise) == nil)
    }

    @Test("a group with fewer than two usable respondents has no agreement")
    func groupsOfOneHaveNoAgreement() {
        let one = ItemResponses(rows: [[3, 4]])
        let disjoint = ItemResponses(rows: [[3, nil], [nil, 4]])
        for block in [one, disjoint] {
            #expect(Agreement.rwgJ(block, nullVariance: 2) == nil)
            #expect(Agreement.rwgJStar(block, nullVariance: 2) == nil)
            #expect(Agreement.awg(block, lowest: 1, highest: 5) == nil)
            #expect(Agreement.averageDeviation(block) == nil)
        }
        #expect(Agreement.rwgJ(ItemResponses(respondents: 3, items: 0, values: []), nullVariance: 2) == nil)
    }
}
