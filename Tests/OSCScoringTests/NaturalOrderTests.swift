import Testing
@testable import OSCScoring

@Suite("Natural order of ids")
struct NaturalOrderTests {
    @Test("Digit runs compare by value, other characters by scalar, ties by String's order")
    func examples() {
        let sorted = ["S10", "S2", "S02", "S1", "a", "S", "LA10-S3", "LA2-S10", "LA2-S9", "S2b", "S2a", "é", "S001"]
            .sorted(by: NaturalOrder.less)
        #expect(sorted == ["LA2-S9", "LA2-S10", "LA10-S3", "S", "S001", "S1", "S02", "S2", "S2a", "S2b", "S10", "a", "é"])
        #expect(!NaturalOrder.less("S2", "S2"))
        #expect(NaturalOrder.less("S9", "S10") && !NaturalOrder.less("S10", "S9"))
    }

    @Test("Schools sorted once per key equal schools sorted with <")
    func sortedIndices() {
        var rng = Xoshiro256StarStar(seed: 99)
        let parts = ["S", "s", "LA", "0", "00", "1", "01", "9", "10", "-", "x", "é"]
        func id() -> String { (0..<Int(rng.next() % 4 + 1)).map { _ in parts[Int(rng.next() % UInt64(parts.count))] }.joined() }
        let keys = (0..<300).map { _ in SchoolKey(authority: rng.next() % 5 == 0 ? nil : id(), school: id()) }
        let expected = keys.indices.sorted { keys[$0] < keys[$1] }.map { keys[$0] }
        #expect(SchoolKey.sortedIndices(keys).map { keys[$0] } == expected)
    }
}
