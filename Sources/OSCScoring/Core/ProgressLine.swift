// Progress of a long step (random group resampling) on standard error.

import Dispatch

/// One line of progress, such as `osc-score: random group resampling
/// 1200/5000`, rewritten in place (carriage return) on a terminal. Nothing
/// is written for a step that ends within `delay`, and the line is
/// rewritten at most once per `interval`, so that quick runs print nothing
/// and slow ones cost a few writes a second. Used from one thread at a time.
package final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let delay: UInt64, interval: UInt64
    private let clock: () -> UInt64
    private let write: (String) -> Void
    private let start: UInt64
    private var done = 0
    private var shownAt: UInt64?
    private var width = 0

    /// - Parameters:
    ///   - label: what is counted, after "osc-score: ".
    ///   - total: the count at the end.
    ///   - delay, interval: nanoseconds before the first line and between lines.
    ///   - clock: nanoseconds of a monotonic clock.
    ///   - write: the sink (standard error by default).
    package init(label: String, total: Int, delay: UInt64 = 1_000_000_000, interval: UInt64 = 250_000_000,
                 clock: @escaping () -> UInt64 = { DispatchTime.now().uptimeNanoseconds },
                 write: @escaping (String) -> Void = { FileDescriptorOutput.writeAll($0, to: 2) }) {
        self.label = label
        self.total = total
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.write = write
        start = clock()
    }

    /// Counts `n` more steps done; rewrites the line when it is due.
    package func advance(by n: Int = 1) {
        done += n
        let now = clock()
        if let shownAt { guard now &- shownAt >= interval else { return } } else { guard now &- start >= delay else { return } }
        shownAt = now
        show("\(done)/\(total)")
    }

    /// Ends the line (with "done" and a line break) if anything was shown.
    package func finish() {
        guard shownAt != nil else { return }
        show("done")
        write("\n")
        shownAt = nil
    }

    private func show(_ state: String) {
        let text = "osc-score: \(label) \(state)"
        // Blank out the rest of a longer earlier line.
        write("\r" + text + String(repeating: " ", count: max(0, width - text.count)))
        width = max(width, text.count)
    }
}
