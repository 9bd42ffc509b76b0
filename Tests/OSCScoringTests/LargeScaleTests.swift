// The stated size limits hold: a scale at the item limit is scored with its
// reliability, one item more is refused before any data is read, many
// single-item scales need no item pairs, and the O(J²) paths used for large
// scales give the results of the direct ones.

import Testing
@testable import OSCScoring

@Suite("Large scales and instruments")
struct LargeScaleTests {
    /// An instrument of `items` items answered 1–5 in `scales` scales of
    /// consecutive items (the last may be shorter).
    static func instrument(items: Int, scaleSize: Int) throws -> Instrument {
        let ids = (0..<items).map { "i\($0)" }
        let scales = stride(from: 0, to: items, by: scaleSize).map { start in
            Scale(id: "s\(start)", itemIDs: Array(ids[start..<min(items, start + scaleSize)]))
        }
        return try Instrument(id: "big", name: "big", version: "1", responseScale: ResponseScale(min: 1, max: 5),
                              items: ids.map { Item(id: $0) }, scales: scales)
    }

    /// `rows` respondents in three schools answering from one common factor
    /// (loadings 0.3–0.8), about 2% of answers missing.
    static func table(_ instrument: Instrument, rows: Int, seed: UInt64) throws -> ResponseTable {
        var rng = Xoshiro256StarStar(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        // Nearly normal: the sum of twelve uniforms less 6 (mean 0, variance 1).
        func normal() -> Double { (0..<12).reduce(-6.0) { total, _ in total + uniform() } }
        let items = instrument.items.count
        let loadings = (0..<items).map { _ in 0.3 + 0.5 * uniform() }
        var csv = Array("school,".utf8) + Array(instrument.items.map(\.id).joined(separator: ",").utf8) + [10]
        for r in 0..<rows {
            let level = normal()
            csv += Array("S\(r % 3)".utf8)
            for k in 0..<items {
                csv.append(44)
                if uniform() < 0.02 { continue }
                let x = 3 + 1.2 * (loadings[k] * level + (1 - loadings[k] * loadings[k]).squareRoot() * normal())
                csv.append(UInt8(48 + max(1, min(5, Int(x.rounded())))))
            }
            csv.append(10)
        }
        return try ResponseReader.read(csv, instrument: instrument, options: ReadOptions(), source: "large.csv")
    }

    @Test("A scale at the item limit (1,000) is scored with alpha and omega; one item more is refused when the instrument is made")
    func scaleAtTheItemLimit() throws {
        #expect(Scale.maximumItems == 1_000)
        let atLimit = try Self.instrument(items: Scale.maximumItems, scaleSize: Scale.maximumItems)
        try atLimit.requireScorable()
        let report = try ScoringReport(table: try Self.table(atLimit, rows: 30, seed: 7))
        let reliability = try #require(report.statistics.reliability.first)
        let alpha = try #require(reliability.alpha)
        #expect(alpha.itemsUsed == 1_000 && alpha.items.count == 1_000)
        // One factor with loadings 0.3–0.8 over 1,000 items: both near 1.
        #expect(alpha.alpha > 0.95 && alpha.alpha < 1)
        let omega = try #require(reliability.omegaTotal)
        #expect(omega > 0.95 && omega < 1)

        #expect(throws: InstrumentProblem.scaleTooLarge(scale: "s0", items: 1_001)) {
            try Self.instrument(items: Scale.maximumItems + 1, scaleSize: Scale.maximumItems + 1)
        }
        #expect(InstrumentProblem.scaleTooLarge(scale: "s0", items: 1_001).message
                == "scale 's0' has 1001 items; osc-score scores scales of up to 1000 items (its reliability reads every pair of them); split it into smaller scales")
    }

    @Test("A parent scale counts the items below it against the limit")
    func parentScaleCountsItsChildrensItems() throws {
        let ids = (0..<(Scale.maximumItems + 1)).map { "i\($0)" }
        #expect(throws: InstrumentProblem.scaleTooLarge(scale: "all", items: 1_001)) {
            try Instrument(id: "nested", name: "nested", version: "1", responseScale: ResponseScale(min: 1, max: 5),
                           items: ids.map { Item(id: $0) },
                           scales: [Scale(id: "a", itemIDs: Array(ids[..<500])), Scale(id: "b", itemIDs: Array(ids[500...])),
                                    Scale(id: "all", childIDs: ["a", "b"])])
        }
    }

    @Test("A key that puts 1,001 items in one scale is refused naming the key file")
    func keyPastTheLimit() throws {
        let instrument = try Instrument(id: "keyed", name: "keyed", version: "1", responseScale: ResponseScale(min: 1, max: 5),
                                        items: [], scales: [Scale(id: "all")], requiresKey: true)
        let entries = (0..<1_001).map { ScoringKey.Entry(item: "i\($0)", scale: "all", line: $0 + 2) }
        #expect(throws: ScoringKeyError(source: "key.csv", line: nil, reason: InstrumentProblem.scaleTooLarge(scale: "all", items: 1_001).message)) {
            try instrument.applying(ScoringKey(source: "key.csv", entries: entries))
        }
        let atLimit = try instrument.applying(ScoringKey(source: "key.csv", entries: Array(entries.prefix(1_000))))
        #expect(atLimit.scaleItemIndices[0].count == 1_000)
    }

    @Test("6,000 single-item scales need no item pairs: only each item's own sums are kept")
    func manySingleItemScales() throws {
        let instrument = try Self.instrument(items: 6_000, scaleSize: 1)
        let pairs = ItemPairs(items: 6_000, scales: instrument.scaleItemIndices)
        #expect(pairs.count == 6_000)
        let report = try ScoringReport(table: try Self.table(instrument, rows: 12, seed: 8))
        #expect(report.statistics.reliability.count == 6_000)
        #expect(report.statistics.reliability.allSatisfy { $0.alpha == nil && $0.omegaTotal == nil })
    }

    @Test("The pairs of nested and overlapping scales are the union of the pairs within each, each once")
    func pairsWithinScales() {
        // Items 0–5: a = {0, 1, 2}, b = {2, 3}, parent {0, 1, 2, 3}, single {5}; item 4 in no scale.
        let pairs = ItemPairs(items: 6, scales: [[0, 1, 2], [2, 3], [0, 1, 2, 3], [5]])
        var expected: [(Int, Int)] = (0..<6).map { ($0, $0) }
        for a in 0..<4 { for b in (a + 1)..<4 { expected.append((a, b)) } }
        #expect(pairs.count == expected.count)
        for (a, b) in expected { #expect(pairs.index(a, b) != nil, "(\(a), \(b))") }
        #expect(pairs.index(3, 5) == nil && pairs.index(4, 5) == nil && pairs.index(0, 4) == nil)
        // The same as the dense description of the pairs.
        var needed = [Bool](repeating: false, count: 36)
        for (a, b) in expected { needed[a * 6 + b] = true }
        #expect(ItemPairs(items: 6, needed: needed) == pairs)
    }

    @Test("Alpha's r.drop and alpha if deleted from row sums equal those summed afresh", arguments: [(11 as UInt64, 0.0), (12, 0.1), (13, 0.4)])
    func alphaFromRowSums(seed: UInt64, missingRate: Double) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let rows = (0..<60).map { _ -> [Double?] in
            let level = uniform() * 3
            return (0..<40).map { k in uniform() < missingRate ? nil : Double(max(1, min(5, Int(1 + level + uniform() * 2 + Double(k % 3))))) }
        }
        let block = ItemResponses(rows: rows)
        let statistics = (0..<block.items).map { item -> (n: Int, mean: Double?, sd: Double?) in
            let values = block.answers(item: item)
            return (values.count, values.isEmpty ? nil : SampleMoments.mean(values), SampleMoments.variance(values).map { $0.squareRoot() })
        }
        let direct = try #require(Reliability.alpha(itemStatistics: statistics, respondents: 60, fromRowSums: false) { PairwiseMoments(block.selectingItems($0)) })
        let summed = try #require(Reliability.alpha(itemStatistics: statistics, respondents: 60, fromRowSums: true) { PairwiseMoments(block.selectingItems($0)) })
        #expect(direct.alpha == summed.alpha && direct.itemsUsed == summed.itemsUsed)
        for (d, s) in zip(direct.items, summed.items) {
            #expect(d.excluded == s.excluded)
            #expect(OptimisedPathsTests.close(s.rDrop, d.rDrop) && OptimisedPathsTests.close(s.alphaIfDeleted, d.alphaIfDeleted))
        }
        #expect(direct.items.contains { $0.alphaIfDeleted != nil })
    }

    @Test("The matrix-free one-factor fit (large scales) finds the dense fit's omega on the R reference sets and on random one-factor data")
    func matrixFreeFitEqualsDenseFit() throws {
        var matrices: [(name: String, r: [Double], items: Int)] = []
        for (name, block) in try reliabilityBlocks() where block.items >= 3 {
            if let r = PairwiseMoments(block).completeCorrelation() { matrices.append((name, r, block.items)) }
        }
        // A Heywood case (λ₁² = 1.2 unconstrained) and random one-factor matrices, one with an item loading 0.999.
        matrices.append(("heywood", [1, 0.9, 0.8, 0.9, 1, 0.6, 0.8, 0.6, 1], 3))
        var rng = Xoshiro256StarStar(seed: 21)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        for j in [20, 60, 130] {
            var lambda = (0..<j).map { _ in 0.2 + 0.7 * uniform() }
            if j == 60 { lambda[7] = 0.999 }
            var r = [Double](repeating: 1, count: j * j)
            for a in 0..<j { for b in 0..<j where a != b { r[a * j + b] = lambda[a] * lambda[b] + 0.1 * (uniform() - 0.5) } }
            for a in 0..<j { for b in 0..<a { r[a * j + b] = r[b * j + a] } }
            matrices.append(("random \(j)", r, j))
        }
        #expect(matrices.count > 5)
        for (name, r, j) in matrices {
            let dense = Reliability.omegaTotal(correlation: r, items: j, matrixFree: false)
            let free = Reliability.omegaTotal(correlation: r, items: j, matrixFree: true)
            #expect(dense != nil || name.hasPrefix("synthetic"), "\(name): a fit")
            #expect(OptimisedPathsTests.close(free, dense, 1e-9), "\(name): \(String(describing: free)) vs \(String(describing: dense))")
        }
    }
}
