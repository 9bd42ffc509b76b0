// Is a group's rwg(j) better than chance? The 95th percentile of rwg(j)
// when every respondent answers every item at random from the null
// distribution, by simulation. Dunlap, Burke & Smith-Crowe (2003); as
// multilevel's `rwg.j.sim` (Bliese 2016).

/// The distribution of rwg(j) under random answering, and its critical values.
///
/// Under the null, each of n respondents answers each of J items
/// independently with the probabilities of the null distribution; rwg(j) is
/// computed from those answers exactly as ``Agreement/rwgJ(_:nullVariance:missing:)``
/// does (mean item variance truncated at σ²_E). Its 95th percentile is the
/// value a group's rwg(j) must exceed to be better than chance (Dunlap,
/// Burke & Smith-Crowe 2003, who show that a fixed cut-off such as .70 is
/// reached by chance in small groups).
///
/// The simulation: `draws` groups per (n, J) (10,000, as the tables of
/// Dunlap et al. and the examples of `rwg.j.sim`), answers drawn without
/// bias (16-bit chunks, rejection) from xoshiro256** streams, one per item
/// position and block of draws. All sizes and lengths are simulated
/// together: group d of size n + 1 is group d of size n plus one more
/// respondent, and its first J items are those of J − 1 plus one, so each
/// (n, J) has its own `draws` independent groups (correlated across sizes
/// and lengths) while everything costs one pass over the largest size and
/// the longest scale. The percentile is R's `quantile` type 7. The result
/// depends only on the null, n, J, `draws` and `seed`: not on the data, on
/// the other groups or on the number of threads.
///
/// Citation: Dunlap, Burke & Smith-Crowe (2003); James, Demaree & Wolf
/// (1984) for rwg(j); Bliese (2016), multilevel `rwg.j.sim`.
///
/// Validated against: R 4.2.2, multilevel `rwg.j.sim` quantiles (uniform
/// null) and an R simulation from the skewed nulls' probabilities, as a
/// statistical comparison (Tests/OSCScoringTests/Reference/chance).
public enum RwgJChance {
    /// Simulated groups per (n, J): 10,000.
    public static let defaultDraws = 10_000
    /// The seed of the simulation; the stream of scale length J starts from `seed + J`.
    public static let defaultSeed: UInt64 = 20_030_101
    /// The percentile reported: 0.95.
    public static let probability = 0.95
    /// The largest group simulated (500 respondents): the cost grows with the
    /// largest group, and a larger group's rwg(j) at chance is near 0
    /// (below .2 for J ≥ 5 at n = 500); larger groups get no critical value.
    public static let maximumRespondents = 500

    /// The probabilities of random answering under a null, as whole-number
    /// weights over the A options (lowest option first); nil when the null
    /// gives only a variance.
    ///
    /// ```
    /// uniform:     1 each (A options)
    /// A = 5 only (James, Demaree & Wolf 1984, as tabulated by LeBreton & Senter 2008):
    ///   slight     .05 .15 .20 .35 .25   (σ² = 1.34)
    ///   moderate   .00 .10 .15 .40 .35   (σ² = 0.90)
    ///   heavy      .00 .00 .10 .40 .50   (σ² = 0.44)
    ///   triangular .11 .22 .34 .22 .11   (σ² = 1.32)
    ///   normal     .07 .24 .38 .24 .07   (σ² = 1.04)
    /// ```
    /// Each shape's variance is exactly its σ²_E in ``NullDistribution``.
    /// The skewed shapes' probabilities for 6 to 11 options are not given
    /// here, and a fixed null variance (`NullVariance.fixed`) has no
    /// distribution: both give nil (no critical value).
    public static func answerWeights(_ null: NullVariance, options: Int) -> [Int]? {
        guard case .distribution(let shape) = null, options >= 2 else { return nil }
        if shape == .uniform { return [Int](repeating: 1, count: options) }
        guard options == 5 else { return nil }
        switch shape {
        case .slight: return [5, 15, 20, 35, 25]
        case .moderate: return [0, 10, 15, 40, 35]
        case .heavy: return [0, 0, 10, 40, 50]
        case .triangular: return [11, 22, 34, 22, 11]
        case .normal: return [7, 24, 38, 24, 7]
        case .uniform: return nil
        }
    }

    /// The 95th percentile of rwg(j) under random answering, for every group size in `sizes` and scale length in `lengths`.
    ///
    /// - Parameters:
    ///   - sizes: group sizes n (each from 2 to ``maximumRespondents``; others get no entry).
    ///   - lengths: scale lengths J ≥ 1.
    ///   - weights: the answer probabilities as weights (``answerWeights(_:options:)``), 2 to 4,096 outcomes.
    ///   - nullVariance: σ²_E of rwg(j) (the variance of `weights`' distribution for the built-in nulls).
    ///   - draws: simulated groups per (n, J), a multiple of 4 (at least 20).
    ///   - seed: item position k of block b of the draws reads the stream seeded `seed + 4k + b`.
    ///   - threads: threads sharing the four blocks of draws (the result does not depend on it).
    /// - Returns: (n, J) → critical value.
    /// - Complexity: O(max(sizes) × max(lengths) × draws) answers, plus a selection over `draws` values per (n, J).
    public static func criticalValues(sizes: Set<Int>, lengths: Set<Int>, weights: [Int], nullVariance: Double,
                                      draws: Int = defaultDraws, seed: UInt64 = defaultSeed, threads: Int = 1) -> [Key: Double] {
        let wanted = sizes.filter { $0 >= 2 && $0 <= maximumRespondents }.sorted()
        let scaleLengths = lengths.filter { $0 >= 1 }.sorted()
        let total = weights.reduce(0, +)
        guard let largest = wanted.last, let longest = scaleLengths.last, draws >= 20, draws % blocks == 0,
              weights.count >= 2, weights.allSatisfy({ $0 >= 0 }), total > 0, total <= 4096,
              nullVariance > 0, nullVariance.isFinite else { return [:] }
        // Option code of each of the `total` equally likely outcomes of a 16-bit chunk below `limit`.
        var outcome: [Int] = []
        for (code, w) in weights.enumerated() { outcome += [Int](repeating: code, count: w) }
        let limit = 65_536 - 65_536 % total
        let perBlock = draws / blocks, sizeCount = wanted.count
        // acc[i * draws + d]: Σ over the items so far of n q − s² (n(n − 1) × the item's variance) of group d of size wanted[i].
        let acc = UnsafeMutablePointer<Int>.allocate(capacity: sizeCount * draws)
        acc.initialize(repeating: 0, count: sizeCount * draws)
        defer { acc.deallocate() }
        let table = UnsafeMutablePointer<Int>.allocate(capacity: outcome.count)
        table.initialize(from: outcome, count: outcome.count)
        defer { table.deallocate() }
        let isWanted = (0...largest).map { n in wanted.contains(n) }
        let shared = UncheckedSendableBox((acc, table))
        var result: [Key: Double] = [:]
        var done = 0
        for j in scaleLengths {
            // Items done..<j, each block of draws on its own.
            ParallelWork.run(count: blocks, threads: threads) { b in
                let (acc, table) = shared.value
                let s = UnsafeMutablePointer<Int>.allocate(capacity: 2 * perBlock)
                defer { s.deallocate() }
                let q = s + perBlock
                for k in done..<j {
                    var generator = Xoshiro256StarStar(seed: seed &+ UInt64(4 * k + b))
                    s.initialize(repeating: 0, count: 2 * perBlock)
                    var chunks: UInt64 = 0, left = 0, i = 0
                    for n in 1...largest {
                        for d in 0..<perBlock {
                            var x = 0
                            while true {
                                if left == 0 { chunks = generator.next(); left = 4 }
                                let u = Int(truncatingIfNeeded: chunks & 0xFFFF)
                                chunks >>= 16
                                left &-= 1
                                if u < limit { x = table[u % total]; break }
                            }
                            s[d] &+= x
                            q[d] &+= x &* x
                        }
                        guard isWanted[n] else { continue }
                        let row = acc + i * draws + b * perBlock
                        for d in 0..<perBlock { row[d] &+= n &* q[d] &- s[d] &* s[d] }
                        i &+= 1
                    }
                }
            }
            done = j
            // The percentile of every size at this J.
            var values = [Double](repeating: .nan, count: sizeCount)
            values.withUnsafeMutableBufferPointer { values in
                let out = UncheckedSendableBox(values)
                ParallelWork.run(count: sizeCount, threads: threads) { i in
                    out.value[i] = percentile(sums: shared.value.0 + i * draws, draws: draws, n: wanted[i], items: j, nullVariance: nullVariance)
                }
            }
            for (i, n) in wanted.enumerated() { result[Key(n: n, items: j)] = values[i] }
        }
        _ = longest
        return result
    }

    /// A group size and scale length.
    public struct Key: Hashable, Sendable {
        /// Respondents n.
        public let n: Int
        /// Items J.
        public let items: Int
        /// The key of n respondents and J items.
        public init(n: Int, items: Int) {
            self.n = n
            self.items = items
        }
    }

    /// Blocks of the draws, each with its own streams (any thread count gives the same result).
    static let blocks = 4

    /// The type-7 95th percentile of rwg(j) over the draws, from T_d = Σ_k (n q − s²):
    /// rwg(j) falls as T grows, so its order statistics are those of T reversed
    /// (found by selection, not by sorting).
    static func percentile(sums: UnsafeMutablePointer<Int>, draws: Int, n: Int, items: Int, nullVariance: Double) -> Double {
        let scratch = UnsafeMutablePointer<Int>.allocate(capacity: draws)
        defer { scratch.deallocate() }
        scratch.update(from: sums, count: draws)
        // Ascending rwg r[i] = g(T_asc[draws − 1 − i]); h = (draws − 1) p.
        let h = Double(draws - 1) * probability
        let low = Int(h.rounded(.down)), fraction = h - Double(low)
        let high = min(low + 1, draws - 1)
        let a = draws - 1 - low, b = draws - 1 - high      // a ≥ b
        select(scratch, count: draws, k: a)
        let tA = scratch[a]
        var tB = scratch[0]
        for i in 0..<a where scratch[i] > tB { tB = scratch[i] }
        if b == a { tB = tA }
        let j = Double(items), scale = Double(n) * Double(n - 1) * j
        func rwg(_ t: Int) -> Double {
            let ratio = min(Double(t) / scale, nullVariance) / nullVariance
            return j * (1 - ratio) / (j * (1 - ratio) + ratio)
        }
        let rLow = rwg(tA), rHigh = rwg(tB)
        return rLow + fraction * (rHigh - rLow)
    }

    /// Rearranges x so that x[k] is the k-th smallest, smaller ones before it (Hoare's selection).
    static func select(_ x: UnsafeMutablePointer<Int>, count: Int, k: Int) {
        var lo = 0, hi = count - 1
        while lo < hi {
            let pivot = x[lo + (hi - lo) / 2]
            var i = lo, j = hi
            while i <= j {
                while x[i] < pivot { i += 1 }
                while x[j] > pivot { j -= 1 }
                if i <= j { (x[i], x[j]) = (x[j], x[i]); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }

    /// R's `quantile(x, p, type = 7)` of sorted values.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let low = Int(h.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }
}
