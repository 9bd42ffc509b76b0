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
    /// The seed of the simulation; item position k of block b of the draws reads the stream seeded `seed + 4k + b`.
    public static let defaultSeed: UInt64 = 20_030_101
    /// The percentile reported: 0.95.
    public static let probability = 0.95
    /// The largest group simulated (500 respondents): the cost grows with the
    /// largest group, and a larger group's rwg(j) at chance is near 0
    /// (below .2 for J ≥ 5 at n = 500); larger groups get no critical value.
    public static let maximumRespondents = 500
    /// The most respondents × items simulated (50,000: at 10,000 draws about
    /// 5 × 10⁸ answers, a second or two): scales longer than this over the
    /// largest group simulated get no critical value (the OSC's longest
    /// scale, 51 items, fits with groups of up to 500).
    public static let maximumCells = 50_000

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
    /// For the default settings (the uniform null of a five-point scale,
    /// σ²_E = 2, ``defaultDraws`` and ``defaultSeed``) the values come from a
    /// table computed once by this simulation (every n from 2 to 500 and J
    /// from 1 to 105, every scale of a 105-item instrument such as the OSC;
    /// the same numbers bit for bit, tested); anything else is simulated.
    ///
    /// - Parameters:
    ///   - sizes: group sizes n (each from 2 to ``maximumRespondents``; others get no entry).
    ///   - lengths: scale lengths J ≥ 1.
    ///   - weights: the answer probabilities as weights (``answerWeights(_:options:)``): 2 to 254 options, 4,096 outcomes at most.
    ///   - nullVariance: σ²_E of rwg(j) (the variance of `weights`' distribution for the built-in nulls).
    ///   - draws: simulated groups per (n, J), a multiple of 4 (at least 20).
    ///   - seed: item position k of block b of the draws reads the stream seeded `seed + 4k + b`.
    ///   - threads: threads sharing the streams (item positions × blocks of draws); the result does not depend on it.
    /// - Returns: (n, J) → critical value; none for J with max(sizes) × J above ``maximumCells``.
    /// - Complexity: O(max(sizes) × max(lengths) × draws) answers, plus a selection over `draws` values per (n, J);
    ///   O(1) per (n, J) from the table.
    public static func criticalValues(sizes: Set<Int>, lengths: Set<Int>, weights: [Int], nullVariance: Double,
                                      draws: Int = defaultDraws, seed: UInt64 = defaultSeed, threads: Int = 1) -> [Key: Double] {
        let wanted = sizes.filter { $0 >= 2 && $0 <= maximumRespondents }.sorted()
        guard let largest = wanted.last else { return [:] }
        let scaleLengths = lengths.filter { $0 >= 1 && largest * $0 <= maximumCells }.sorted()
        guard isTabulated(weights: weights, nullVariance: nullVariance, draws: draws, seed: seed) else {
            return simulate(sizes: wanted, lengths: scaleLengths, weights: weights, nullVariance: nullVariance,
                            draws: draws, seed: seed, threads: threads)
        }
        var result: [Key: Double] = [:]
        var rest: [Int] = []
        for j in scaleLengths {
            guard j <= tabulatedLengths, largest <= tabulatedRespondents else { rest.append(j); continue }
            for n in wanted { result[Key(n: n, items: j)] = tabulatedValue(n: n, items: j) }
        }
        if !rest.isEmpty {
            let simulated = simulate(sizes: wanted, lengths: rest, weights: weights, nullVariance: nullVariance,
                                     draws: draws, seed: seed, threads: threads)
            result.merge(simulated) { table, _ in table }
        }
        return result
    }

    /// Whether the settings are those the table was computed for (it holds n from 2 to
    /// ``tabulatedRespondents`` and J from 1 to ``tabulatedLengths``).
    static func isTabulated(weights: [Int], nullVariance: Double, draws: Int, seed: UInt64) -> Bool {
        weights == [Int](repeating: 1, count: tabulatedOptions) && nullVariance.bitPattern == tabulatedNullVariance.bitPattern
            && draws == defaultDraws && seed == defaultSeed
    }

    /// The table's critical value of n respondents and J items (2 ≤ n ≤ ``tabulatedRespondents``, 1 ≤ J ≤ ``tabulatedLengths``),
    /// decoded where it lies in the text: nothing is decoded ahead, so a lookup costs the same from any thread.
    static func tabulatedValue(n: Int, items j: Int) -> Double {
        tabulatedText.withUTF8Buffer { tableEntry((j - 1) * (tabulatedRespondents - 1) + n - 2, of: $0) }
    }

    /// Entry e of base64 text of little-endian Float64 bit patterns written 57 bytes (76 characters and a line break) a line.
    static func tableEntry(_ e: Int, of text: UnsafeBufferPointer<UInt8>) -> Double {
        var pattern: UInt64 = 0
        for i in 0..<8 {
            let p = 8 * e + i, line = p / 57, inLine = p % 57
            let start = line * 77 + inLine / 3 * 4
            var group: UInt32 = 0
            for c in text[start..<start + 4] { group = group << 6 | UInt32(sextet(c)) }
            let byte = UInt8(truncatingIfNeeded: group >> UInt32(16 - 8 * (inLine % 3)))
            pattern |= UInt64(byte) << UInt64(8 * i)
        }
        return Double(bitPattern: pattern)
    }

    /// The value of a base64 character (0 for `=`).
    static func sextet(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return 0
        }
    }

    /// The table's text: base64 of the little-endian Float64 bit patterns, 76 characters a line.
    static func encodeTable(_ values: [Double]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var bytes: [UInt8] = []
        for v in values { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v.bitPattern >> UInt64(8 * i))) } }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let chunk = bytes[i..<min(i + 3, bytes.count)]
            var bits: UInt32 = 0
            for (k, b) in chunk.enumerated() { bits |= UInt32(b) << UInt32(16 - 8 * k) }
            for k in 0..<4 {
                out.append(k <= chunk.count ? alphabet[Int(bits >> UInt32(18 - 6 * k) & 63)] : UInt8(ascii: "="))
            }
            i += 3
            if i % 57 == 0 && i < bytes.count { out.append(UInt8(ascii: "\n")) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The simulation behind ``criticalValues(sizes:lengths:weights:nullVariance:draws:seed:threads:)``
    /// (never the table): `sizes` ascending within 2…``maximumRespondents``, `lengths` ascending with
    /// max(sizes) × J ≤ ``maximumCells``.
    ///
    /// Each stream (item position k, block b) is one task; every step of J
    /// (the items between two lengths asked for) shares its tasks over the
    /// threads in contiguous runs, and a thread adds its streams' sums into
    /// the block's columns of the accumulator, or into a private copy of them
    /// when another thread writes that block too (at most threads − 1 copies,
    /// each a quarter of the accumulator), added in afterwards. The sums are
    /// integers, so the result is the same for every thread count.
    static func simulate(sizes wanted: [Int], lengths scaleLengths: [Int], weights: [Int], nullVariance: Double,
                         draws: Int, seed: UInt64, threads: Int) -> [Key: Double] {
        let total = weights.reduce(0, +)
        guard let largest = wanted.last, draws >= 20, draws % blocks == 0,
              weights.count >= 2, weights.count < 255, weights.allSatisfy({ $0 >= 0 }), total > 0, total <= 4096,
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
        // The option of every 16-bit chunk u: outcome[u % total] below `limit`, 255 (drawn again) from it.
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 65_536)
        for u in 0..<65_536 { (table + u).initialize(to: u < limit ? UInt8(outcome[u % total]) : 255) }
        defer { table.deallocate() }
        let isWanted = (0...largest).map { n in wanted.contains(n) }
        let shared = UncheckedSendableBox((acc, table, isWanted))
        var result: [Key: Double] = [:]
        var done = 0
        for j in scaleLengths {
            // Tasks t of items done..<j: block t / items, item done + t % items; thread w runs tasks tasks·w/workers ..< tasks·(w + 1)/workers.
            let items = j - done, tasks = blocks * items
            let workers = max(1, min(threads, tasks))
            let first = (0..<workers).map { w in tasks * w / workers }
            // The private copies: (thread, block) for each block a thread shares with an earlier one.
            var copies: [(worker: Int, block: Int)] = []
            for w in 0..<workers where tasks * (w + 1) / workers > first[w] && first[w] % items != 0 {
                copies.append((w, first[w] / items))
            }
            let copySize = sizeCount * perBlock
            let copyBase = UnsafeMutablePointer<Int>.allocate(capacity: max(1, copies.count * copySize))
            copyBase.initialize(repeating: 0, count: max(1, copies.count * copySize))
            defer { copyBase.deallocate() }
            let work = UncheckedSendableBox((copyBase, copies))
            ParallelWork.run(count: workers, threads: workers) { w in
                let (acc, table, isWanted) = shared.value
                let (copyBase, copies) = work.value
                let s = UnsafeMutablePointer<Int>.allocate(capacity: 2 * perBlock)
                defer { s.deallocate() }
                let q = s + perBlock
                for t in tasks * w / workers ..< tasks * (w + 1) / workers {
                    let b = t / items, k = done + t % items
                    // This thread's columns of block b: its private copy, or the accumulator's.
                    let row0: UnsafeMutablePointer<Int>, stride: Int
                    if let c = copies.firstIndex(where: { $0.worker == w && $0.block == b }) {
                        row0 = copyBase + c * copySize
                        stride = perBlock
                    } else {
                        row0 = acc + b * perBlock
                        stride = draws
                    }
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
                                let code = table[u]
                                if code != 255 { x = Int(code); break }
                            }
                            s[d] &+= x
                            q[d] &+= x &* x
                        }
                        guard isWanted[n] else { continue }
                        let row = row0 + i * stride
                        for d in 0..<perBlock { row[d] &+= n &* q[d] &- s[d] &* s[d] }
                        i &+= 1
                    }
                }
            }
            // The private copies added into the accumulator (integers: any order gives the same sums).
            if !copies.isEmpty {
                ParallelWork.run(count: sizeCount, threads: threads) { i in
                    let (acc, _, _) = shared.value
                    let (copyBase, copies) = work.value
                    for (c, copy) in copies.enumerated() {
                        let from = copyBase + c * copySize + i * perBlock, to = acc + i * draws + copy.block * perBlock
                        for d in 0..<perBlock { to[d] &+= from[d] }
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
