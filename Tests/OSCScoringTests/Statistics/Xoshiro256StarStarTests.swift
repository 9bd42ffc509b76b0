import Testing
@testable import OSCScoring

@Suite("Seeded generator")
struct Xoshiro256StarStarTests {
    @Test("xoshiro256** reproduces the reference implementation from state (1, 2, 3, 4)")
    func matchesReferenceImplementation() {
        // Worked by hand from Blackman & Vigna's C code.
        var generator = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect(generator.next() == 11520)
        #expect(generator.next() == 0)
        #expect(generator.next() == 1_509_978_240)
    }

    @Test("bounded integers stay in range and cover it evenly")
    func boundedIntegersAreUniform() {
        var generator = Xoshiro256StarStar(seed: 42)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[generator.nextBelow(7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    }
}
