import Testing
@testable import OSCScoring

/// A clock and a sink for `ProgressLine`, driven by the test.
private final class FakeTerminal: @unchecked Sendable {
    var now: UInt64 = 0
    var written = ""
}

@Suite("Progress line")
struct ProgressLineTests {
    private func line(_ terminal: FakeTerminal, total: Int) -> ProgressLine {
        ProgressLine(label: "random group resampling", total: total, delay: 1_000, interval: 250,
                     clock: { terminal.now }, write: { terminal.written += $0 })
    }

    @Test("A step that ends within the delay writes nothing")
    func quickStepIsSilent() {
        let terminal = FakeTerminal()
        let progress = line(terminal, total: 100)
        for _ in 0..<100 { terminal.now += 5; progress.advance() }
        progress.finish()
        #expect(terminal.written == "")
    }

    @Test("A slow step rewrites one line at most once per interval and ends it with done and a line break")
    func slowStepIsThrottled() {
        let terminal = FakeTerminal()
        let progress = line(terminal, total: 5000)
        for _ in 0..<5000 { terminal.now += 1; progress.advance() }
        progress.finish()
        // Shown at 1000, then every 250 steps of the clock: 1250, 1500, … 5000.
        let updates = terminal.written.split(separator: "\r", omittingEmptySubsequences: true)
        #expect(updates.first == "osc-score: random group resampling 1000/5000")
        #expect(updates.count == 1 + 16 + 1)
        #expect(updates.last == "osc-score: random group resampling done     \n")
    }

    @Test("Random group resampling reports each replication to its progress callback, with the same result")
    func resamplingCallsProgress() throws {
        let scores: [Double] = [1, 2, 3, 4, 2, 5, 3, 1]
        let groups = [0, 0, 0, 0, 1, 1, 1, 1]
        var calls = 0
        let with = RandomGroupResampling.agree(scores: scores, groups: groups, replications: 37, seed: 5, progress: { calls += 1 })
        let without = RandomGroupResampling.agree(scores: scores, groups: groups, replications: 37, seed: 5)
        #expect(calls == 37)
        #expect(with == without)
        #expect(with?.pseudoGroupCount == 74)
    }

    @Test("The in-place pseudo-group variances equal those of pseudoGroups for the same seed")
    func inPlaceEqualsPseudoGroups() throws {
        let scores: [Double] = [1, 2, 3, 4, 2, 5, 3, 1, 4, 4, 2]
        let groups = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
        let result = try #require(RandomGroupResampling.agree(scores: scores, groups: groups, replications: 9, seed: 11))
        var generator = Xoshiro256StarStar(seed: 11)
        var expected: [Double] = []
        for _ in 0..<9 {
            for group in RandomGroupResampling.pseudoGroups(scores, sizes: [3, 4, 4], using: &generator) {
                expected.append(SampleMoments.variance(group)!)
            }
        }
        #expect(result.pseudoGroupVariances == expected)
        let lean = try #require(RandomGroupResampling.agree(scores: scores, groups: groups, replications: 9, seed: 11, keepingVariances: false))
        #expect(lean.pseudoGroupVariances.isEmpty)
        #expect(lean.pseudoGroupCount == result.pseudoGroupCount)
        #expect(lean.lowerPercentiles == result.lowerPercentiles && lean.upperPercentiles == result.upperPercentiles)
        #expect(lean.averagePseudoGroupVariance == result.averagePseudoGroupVariance && lean.z == result.z)
    }
}
