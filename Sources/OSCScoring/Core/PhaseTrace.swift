// Wall-clock times of a run's phases, for profiling (not part of the output).

import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints how long each phase of a run took to standard error when the
/// environment variable `OSC_SCORE_TRACE` is set (to anything). Used by the
/// benchmarks' write-up to see where the wall time goes; costs one branch
/// per phase otherwise.
package enum PhaseTrace {
    package static let enabled = getenv("OSC_SCORE_TRACE") != nil
    nonisolated(unsafe) private static var last = DispatchTime.now().uptimeNanoseconds
    nonisolated(unsafe) private static var start = last
    nonisolated(unsafe) private static var lastCPU = processCPU()

    /// The process's CPU time so far (user and system, every thread), in nanoseconds.
    private static func processCPU() -> UInt64 {
        var t = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) == 0 else { return 0 }
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    private static func write(_ line: String) { FileDescriptorOutput.writeAll(line, to: 2) }

    /// Ends the phase named `name`: prints its time, the total so far, and
    /// the CPU time the process spent in it (on every thread: up to the
    /// number of threads times the phase's time; less where a core sat idle).
    /// Call from one thread only.
    package static func mark(_ name: String) {
        guard enabled else { return }
        let (previous, first, previousCPU) = (last, start, lastCPU)  // (set on first use)
        let now = DispatchTime.now().uptimeNanoseconds, cpu = processCPU()
        let line = "trace: \(name) \(Double(now - previous) / 1e6) ms (total \(Double(now - first) / 1e6) ms, cpu \(Double(cpu &- previousCPU) / 1e6) ms)\(memory())\n"
        last = now
        lastCPU = cpu
        write(line)
    }

    /// Resident and peak resident memory from /proc/self/status (Linux), else "".
    private static func memory() -> String {
        guard let file = fopen("/proc/self/status", "r") else { return "" }
        defer { fclose(file) }
        var found: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while fgets(&buffer, 256, file) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if line.hasPrefix("VmRSS:") || line.hasPrefix("VmHWM:") {
                found.append(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().joined(separator: " ")
                    .trimmingSuffix("\n"))
            }
        }
        return found.count == 2 ? " [peak \(found[0]), now \(found[1])]" : ""
    }

    /// Runs `body` and prints its time under `name` (safe from any thread;
    /// does not move the `mark` clock).
    package static func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let begin = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        let line = "trace:   \(name) \(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6) ms\n"
        write(line)
        return value
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
