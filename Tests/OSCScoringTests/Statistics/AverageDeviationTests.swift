import Testing
import OSCScoring

@Suite("Average deviation")
struct AverageDeviationTests {
    @Test("AD averages absolute deviations from the mean or median with denominator n")
    func averageDeviationUsesDenominatorN() throws {
        let block = ItemResponses(rows: [[1], [1], [2], [5]])
        let aboutMean = try #require(Agreement.averageDeviation(block, about: .mean))
        let aboutMedian = try #require(Agreement.averageDeviation(block, about: .median))
        #expect(abs(aboutMean - 1.375) < 1e-15)   // mean 2.25
        #expect(abs(aboutMedian - 1.25) < 1e-15)  // median 1.5
    }
}
