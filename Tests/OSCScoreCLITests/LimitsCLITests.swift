// The documented limits at the command line: at the limit the run goes on,
// one past it the instrument is refused before any data is read.

import Foundation
import Testing

@Suite("Limits at the command line")
struct LimitsCLITests {
    /// Writes an instrument with one scale of `items` items answered 1–5 and returns its path.
    static func instrument(items: Int) throws -> String {
        let ids = (0..<items).map { "\"i\($0)\"" }
        let json = """
            {"id": "big", "name": "big", "version": "1", "responseScale": {"min": 1, "max": 5},
             "items": [\(ids.map { "{\"id\": \($0)}" }.joined(separator: ", "))],
             "scales": [{"id": "all", "items": [\(ids.joined(separator: ", "))]}]}
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-limit-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("A scale of 1,000 items is accepted and one of 1,001 refused at load time with the limit (exit 65)")
    func itemsPerScale() throws {
        let atLimit = try Self.instrument(items: 1_000), past = try Self.instrument(items: 1_001)
        defer { try? FileManager.default.removeItem(atPath: atLimit); try? FileManager.default.removeItem(atPath: past) }
        let accepted = try Tool.run(["template", "--scale", atLimit])
        #expect(accepted.status == 0 && accepted.stdout.hasPrefix("respondent,school,authority,i0,i1,") && accepted.stderr.isEmpty)
        // The responses are never read: standard input has only a header.
        let refused = try Tool.run(["--scale", past, "-"], stdin: "school,i0\n")
        #expect(refused.status == 65)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == "osc-score: \(past): scale 'all' has 1001 items; osc-score scores scales of up to 1000 items (its reliability reads every pair of them); split it into smaller scales.\n")
    }
}
