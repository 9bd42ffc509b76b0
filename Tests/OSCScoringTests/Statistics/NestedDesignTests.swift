import Foundation
import Testing
@testable import OSCScoring

@Suite("Per-school summaries of a nested design")
struct NestedDesignTests {
    @Test("counts, centred means and the within-school sum of squares, schools grouped by authority")
    func summaries() throws {
        // Authority 7: schools 1 {1, 3} and 3 {6}; authority 2: school 2 {2, 4, 9}. Rows interleaved.
        let design = try #require(NestedDesign(
            scores: [1, 2, 6, 3, 4, .nan, 9, 5], authorities: [7, 2, 7, 7, 2, 2, 2, -1], schools: [1, 2, 3, 1, 2, 2, 2, 1]))
        let c = design.criterion
        #expect(c.respondents == 6 && c.schools == 3 && c.authorities == 2)
        #expect(c.authorityStarts == [0, 2, 3])
        #expect(c.schoolSizes == [2, 1, 3])
        #expect(c.centre == 25.0 / 6)
        #expect(zip(c.schoolMeans, [2.0, 6, 5]).allSatisfy { abs($0 - ($1 - 25.0 / 6)) < 1e-15 })
        #expect(abs(c.withinSumOfSquares - (2 + 26)) < 1e-13)
    }

    @Test("large or reused school ids are told apart by authority")
    func largeAndReusedIds() throws {
        let small = try #require(NestedDesign(scores: [1, 2, 3, 4], authorities: [1, 2, 1, 2], schools: [5, 5, 5, 5]))
        let large = try #require(NestedDesign(scores: [1, 2, 3, 4], authorities: [1, 2, 1, 2],
                                              schools: [1 << 40, 1 << 40, 1 << 40, 1 << 40]))
        for d in [small, large] {
            #expect(d.schools == 2 && d.authorityCount == 2)
            #expect(d.criterion.schoolSizes == [2, 2])
            #expect(abs(d.criterion.withinSumOfSquares - 4) < 1e-14)
        }
    }

    @Test("nil when no row is kept")
    func nothingKept() {
        #expect(NestedDesign(scores: [.nan, 1], authorities: [1, -1], schools: [1, 1]) == nil)
    }
}
