import Testing
import OSCScoring

@Suite("awg")
struct AwgTests {
    @Test("awg divides by the largest variance possible at the mean")
    func awgDividesByLargestPossibleVariance() throws {
        // 2, 3, 4: M = 3, s² = 1, max = (6·3 − 9 − 5)·3/2 = 6
        let middle = ItemResponses(rows: [[2], [3], [4]])
        let awg = try #require(Agreement.awg(middle, lowest: 1, highest: 5))
        #expect(abs(awg - 2.0 / 3.0) < 1e-15)
    }

    @Test("awg is one at the ends of the scale and undefined beyond its bounds")
    func awgBoundRules() {
        #expect(Agreement.awg(ItemResponses(rows: [[5], [5]]), lowest: 1, highest: 5) == 1)
        #expect(Agreement.awg(ItemResponses(rows: [[1], [1], [1]]), lowest: 1, highest: 5) == 1)
        // M = 4.8 > (5·4 + 1)/5 = 4.2
        #expect(Agreement.awg(ItemResponses(rows: [[5], [5], [5], [5], [4]]), lowest: 1, highest: 5) == nil)
        // M = 1.8, exactly the lower bound: defined, and −1 (maximal disagreement)
        let atBound = Agreement.awg(ItemResponses(rows: [[1], [1], [1], [1], [5]]), lowest: 1, highest: 5)
        #expect(atBound.map { abs($0 + 1) < 1e-15 } == true)
    }

    @Test("awg averages only the items within the bounds")
    func awgAveragesDefinedItems() throws {
        // item 1: 2,3,4 → 2/3; item 2: 5,5,4 → M = 14/3 > 13/3 → undefined
        let block = ItemResponses(rows: [[2, 5], [3, 5], [4, 4]])
        let awg = try #require(Agreement.awg(block, lowest: 1, highest: 5))
        #expect(abs(awg - 2.0 / 3.0) < 1e-15)
    }
}
