import Foundation
import Testing
@testable import OSCScoring

/// The uniform null of five options, σ²_E = 2: the settings of the table.
private let uniformFive = [1, 1, 1, 1, 1]

@Suite("rwg(j) at chance, the table of the default settings and the threaded simulation")
struct RwgJChanceTableTests {
    @Test("the table holds the simulation's values bit for bit: every scale length for small groups, and a spread of larger groups")
    func tableIsTheSimulation() throws {
        #expect(RwgJChance.isTabulated(weights: uniformFive, nullVariance: 2, draws: RwgJChance.defaultDraws, seed: RwgJChance.defaultSeed))
        // Base64 of 8 bytes per entry, 76 characters and a line break per 57 bytes, no line break at the end.
        let bytes = 8 * (RwgJChance.tabulatedRespondents - 1) * RwgJChance.tabulatedLengths
        #expect(RwgJChance.tabulatedText.utf8CodeUnitCount == (bytes + 2) / 3 * 4 + (bytes - 1) / 57)
        #expect(RwgJChance.tabulatedRespondents == RwgJChance.maximumRespondents)
        #expect(RwgJChance.tabulatedLengths >= 51)
        let probes: [(sizes: [Int], lengths: [Int])] = [
            (Array(2...10), Array(1...RwgJChance.tabulatedLengths)),
            ([11, 17, 24, 33, 40], [1, 2, 3, 6, 7, 12, 13, 21, 40, 51]),
            ([57, 98, 150, 211, 288, 365, 432, 499, 500], [1, 2, 3]),
        ]
        var checked = 0
        for probe in probes {
            let simulated = RwgJChance.simulate(sizes: probe.sizes, lengths: probe.lengths, weights: uniformFive, nullVariance: 2,
                                                draws: RwgJChance.defaultDraws, seed: RwgJChance.defaultSeed, threads: 2)
            for n in probe.sizes {
                for j in probe.lengths {
                    let stored = RwgJChance.tabulatedValue(n: n, items: j)
                    let value = try #require(simulated[RwgJChance.Key(n: n, items: j)])
                    #expect(stored.bitPattern == value.bitPattern, "n = \(n), J = \(j): table \(stored), simulation \(value)")
                    checked += 1
                }
            }
        }
        #expect(checked == 9 * RwgJChance.tabulatedLengths + 50 + 27)
    }

    @Test("criticalValues and schoolCriticalValues give the simulation's values for the default settings, through the table and past it")
    func lookupEqualsSimulation() throws {
        let sizes: Set<Int> = [1, 2, 3, 8, 45, 60, RwgJChance.maximumRespondents + 1]
        // 105 is in the table, 106 and 120 are not.
        let lengths: Set<Int> = [0, 1, 5, 12, RwgJChance.tabulatedLengths, RwgJChance.tabulatedLengths + 1, 120]
        let looked = RwgJChance.criticalValues(sizes: sizes, lengths: lengths, weights: uniformFive, nullVariance: 2, threads: 2)
        let simulated = RwgJChance.simulate(sizes: [2, 3, 8, 45, 60], lengths: [1, 5, 12, RwgJChance.tabulatedLengths, RwgJChance.tabulatedLengths + 1, 120],
                                            weights: uniformFive, nullVariance: 2, draws: RwgJChance.defaultDraws,
                                            seed: RwgJChance.defaultSeed, threads: 2)
        #expect(looked.count == 5 * 6)
        #expect(looked.keys.sorted { ($0.n, $0.items) < ($1.n, $1.items) } == simulated.keys.sorted { ($0.n, $0.items) < ($1.n, $1.items) })
        for (key, value) in simulated { #expect(looked[key]?.bitPattern == value.bitPattern, "\(key)") }
        // A scale too long for the largest group gets nothing, from the table as from the simulation.
        let past = RwgJChance.criticalValues(sizes: [2, 500], lengths: [100, 101], weights: uniformFive, nullVariance: 2)
        #expect(Set(past.keys) == [RwgJChance.Key(n: 2, items: 100), RwgJChance.Key(n: 500, items: 100)])

        // Schools: sizes per scale, through the table, equal the simulation's value of each school's size.
        let respondents = [[2, 7, 30], [45, 3, 1], [60, 501, 8]]
        let scaleItems = [6, 13, 51]
        let critical = RwgJChance.schoolCriticalValues(schools: 3, scaleItems: scaleItems, respondents: { respondents[$0][$1] },
                                                       null: .distribution(.uniform), options: 5, nullVariance: 2, threads: 2)
        let reference = RwgJChance.simulate(sizes: [2, 3, 7, 8, 30, 45, 60], lengths: [6, 13, 51], weights: uniformFive, nullVariance: 2,
                                            draws: RwgJChance.defaultDraws, seed: RwgJChance.defaultSeed, threads: 1)
        for g in 0..<3 {
            for s in 0..<3 {
                let expected = reference[RwgJChance.Key(n: respondents[g][s], items: scaleItems[s])]
                #expect(critical[g][s]?.bitPattern == expected?.bitPattern, "school \(g) scale \(s)")
            }
        }
        #expect(critical[1][2] == nil && critical[2][1] == nil)
    }

    @Test("other nulls, draws and seeds are simulated, not read from the table")
    func otherSettingsAreSimulated() {
        #expect(!RwgJChance.isTabulated(weights: uniformFive, nullVariance: 2, draws: 400, seed: RwgJChance.defaultSeed))
        #expect(!RwgJChance.isTabulated(weights: uniformFive, nullVariance: 2, draws: RwgJChance.defaultDraws, seed: 7))
        #expect(!RwgJChance.isTabulated(weights: uniformFive, nullVariance: 1.5, draws: RwgJChance.defaultDraws, seed: RwgJChance.defaultSeed))
        #expect(!RwgJChance.isTabulated(weights: [1, 1, 1, 1, 1, 1, 1], nullVariance: 2, draws: RwgJChance.defaultDraws, seed: RwgJChance.defaultSeed))
        #expect(!RwgJChance.isTabulated(weights: [11, 22, 34, 22, 11], nullVariance: 2, draws: RwgJChance.defaultDraws, seed: RwgJChance.defaultSeed))
        let seven = RwgJChance.criticalValues(sizes: [4, 9], lengths: [3], weights: [1, 1, 1, 1, 1, 1, 1], nullVariance: 4, draws: 400)
        let simulated = RwgJChance.simulate(sizes: [4, 9], lengths: [3], weights: [1, 1, 1, 1, 1, 1, 1], nullVariance: 4, draws: 400,
                                            seed: RwgJChance.defaultSeed, threads: 1)
        #expect(seven.count == 2 && seven == simulated)
    }

    @Test("the simulation gives the same bits for 1, 2, 3 and 7 threads and equals a plain simulation written out in full")
    func threadsAndPlainSimulation() {
        let cases: [(weights: [Int], variance: Double, sizes: [Int], lengths: [Int], draws: Int, seed: UInt64)] = [
            ([11, 22, 34, 22, 11], 1.32, [2, 3, 5, 9, 16, 17, 40], [1, 2, 5, 6, 7, 11], 400, 20_030_101),
            ([0, 3, 0, 5, 1, 1], 1.1, [2, 4, 30], [3, 4, 9], 120, 99),
            ([1, 1], 0.25, [2, 7, 8, 25], [1, 13], 36, 5),
        ]
        for c in cases {
            let plain = plainSimulation(sizes: c.sizes, lengths: c.lengths, weights: c.weights, nullVariance: c.variance, draws: c.draws, seed: c.seed)
            for threads in [1, 2, 3, 7] {
                let values = RwgJChance.simulate(sizes: c.sizes, lengths: c.lengths, weights: c.weights, nullVariance: c.variance,
                                                 draws: c.draws, seed: c.seed, threads: threads)
                #expect(values.count == c.sizes.count * c.lengths.count)
                for (key, value) in plain {
                    #expect(values[key]?.bitPattern == value.bitPattern, "\(c.weights) \(key), \(threads) threads: \(String(describing: values[key])) vs \(value)")
                }
            }
        }
    }

    /// Writes Sources/OSCScoring/Statistics/RwgJChanceTable.swift from the simulation
    /// (`OSC_UPDATE_CHANCE_TABLE=1 swift test --filter RwgJChanceTableTests`).
    @Test("the table's source file is regenerated from the simulation when OSC_UPDATE_CHANCE_TABLE=1",
          .enabled(if: ProcessInfo.processInfo.environment["OSC_UPDATE_CHANCE_TABLE"] == "1"))
    func regenerate() throws {
        let n = RwgJChance.maximumRespondents, lengths = 105
        let simulated = RwgJChance.simulate(sizes: Array(2...n), lengths: Array(1...lengths), weights: uniformFive, nullVariance: 2,
                                            draws: RwgJChance.defaultDraws, seed: RwgJChance.defaultSeed,
                                            threads: ProcessInfo.processInfo.activeProcessorCount)
        var values: [Double] = []
        for j in 1...lengths { for size in 2...n { values.append(simulated[RwgJChance.Key(n: size, items: j)]!) } }
        let text = RwgJChance.encodeTable(values)
        let decoded = Array(text.utf8).withUnsafeBufferPointer { utf8 in values.indices.map { RwgJChance.tableEntry($0, of: utf8) } }
        #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern))
        let source = """
        // GENERATED: do not edit. The 95th percentile of rwg(j) under random answering for the default
        // settings, a cache of RwgJChance.simulate: the uniform null of 5 options (σ²_E = 2),
        // \(RwgJChance.defaultDraws) draws, seed \(RwgJChance.defaultSeed), every n from 2 to \(n) and J from 1 to \(lengths).
        // Entry (J − 1) × \(n - 1) + n − 2 of the little-endian Float64 bit patterns in base64.
        // Regenerate (after any change to the simulation; the tests compare a sample with it) with
        //   OSC_UPDATE_CHANCE_TABLE=1 swift test --filter RwgJChanceTableTests
        // in a debug build (a minute or two).

        extension RwgJChance {
            /// The largest group in the table.
            static let tabulatedRespondents = \(n)
            /// The longest scale in the table (every scale of a 105-item instrument such as the OSC).
            static let tabulatedLengths = \(lengths)
            /// The table's null: uniform over this many options.
            static let tabulatedOptions = 5
            /// The table's σ²_E.
            static let tabulatedNullVariance = 2.0
            /// The table: base64 of the little-endian Float64 bit patterns.
            static let tabulatedText: StaticString = \"\"\"
        \(text)
        \"\"\"
        }

        """
        let path = Fixture.repositoryRoot + "/Sources/OSCScoring/Statistics/RwgJChanceTable.swift"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// The simulation as plainly as it can be written: every stream (item k, block b) drawn in full, every group's
/// rwg(j) computed, sorted, and R's type-7 quantile taken.
private func plainSimulation(sizes: [Int], lengths: [Int], weights: [Int], nullVariance: Double, draws: Int, seed: UInt64) -> [RwgJChance.Key: Double] {
    let total = weights.reduce(0, +), limit = 65_536 - 65_536 % total
    var outcome: [Int] = []
    for (code, w) in weights.enumerated() { outcome += Array(repeating: code, count: w) }
    let largest = sizes.max()!, longest = lengths.max()!, perBlock = draws / 4
    // answers[k][d][r]: item k of respondent r in group d.
    var answers = Array(repeating: Array(repeating: [Int](), count: draws), count: longest)
    for k in 0..<longest {
        for b in 0..<4 {
            var generator = Xoshiro256StarStar(seed: seed &+ UInt64(4 * k + b))
            var pending: [Int] = []
            func next() -> Int {
                while true {
                    if pending.isEmpty {
                        let word = generator.next()
                        pending = (0..<4).map { Int((word >> UInt64(16 * $0)) & 0xFFFF) }
                    }
                    let u = pending.removeFirst()
                    if u < limit { return outcome[u % total] }
                }
            }
            for _ in 1...largest { for d in 0..<perBlock { answers[k][b * perBlock + d].append(next()) } }
        }
    }
    var result: [RwgJChance.Key: Double] = [:]
    for n in sizes {
        for j in lengths {
            let rwg = (0..<draws).map { d -> Double in
                var t = 0
                for k in 0..<j {
                    let x = answers[k][d].prefix(n)
                    let s = x.reduce(0, +), q = x.reduce(0) { $0 + $1 * $1 }
                    t += n * q - s * s
                }
                let ratio = min(Double(t) / (Double(n) * Double(n - 1) * Double(j)), nullVariance) / nullVariance
                return Double(j) * (1 - ratio) / (Double(j) * (1 - ratio) + ratio)
            }.sorted()
            result[RwgJChance.Key(n: n, items: j)] = RwgJChance.quantile(rwg, RwgJChance.probability)
        }
    }
    return result
}
