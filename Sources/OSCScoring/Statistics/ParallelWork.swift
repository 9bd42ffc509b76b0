// Sharing independent pieces of work between threads.

import Dispatch

/// Runs independent pieces of work on a few threads.
enum ParallelWork {
    /// Calls `body(k)` for every k in 0..<count, spread over `threads`
    /// threads (interleaved, so uneven pieces balance). Each k must write
    /// only its own results.
    static func run(count: Int, threads: Int, _ body: (Int) -> Void) {
        let workers = max(1, min(threads, count))
        guard workers > 1 else {
            for k in 0..<count { body(k) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendableBox(body)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var k = w
                while k < count {
                    box.value(k)
                    k += workers
                }
            }
        }
    }
}

/// Carries a value the caller guarantees is used safely across threads.
struct UncheckedSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Hands out 0, 1, 2, … to threads, each number once.
final class WorkCounter: @unchecked Sendable {
    private var value = 0
    private let lock = DispatchSemaphore(value: 1)

    init() {}

    /// The next number below `limit`, or nil when all are taken.
    func claim(below limit: Int) -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
