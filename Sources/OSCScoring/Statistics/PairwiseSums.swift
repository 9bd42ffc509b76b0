// Exact pairwise sufficient statistics of integer answers, for the
// covariances and correlations of every item pair in one pass over the data.

/// Integer sums over the rows where both items of a pair are answered.
///
/// Answers are small whole numbers (codes 1…A; 0 for missing), so every sum
/// is exact. For items a and b, over the rows where both are answered:
/// ```
/// n_ab = Σ 1        s_ab = Σ x_a        q_ab = Σ x_a²        p_ab = Σ x_a x_b
/// cov  = (n·p − s_ab·s_ba) / (n (n − 1))
/// cor  = (n·p − s_ab·s_ba) / √((n·q_ab − s_ab²)(n·q_ba − s_ba²))
/// ```
/// which are R's `cov`/`cor` with `use = "pairwise"`; the numerators are
/// exact integers, so the only rounding is in the final division. Covariances
/// and correlations do not change when every answer is shifted, so codes
/// stand in for answers. The diagonal (a = b) holds each item's own count,
/// sum and sum of squares.
///
/// Validated against: `PairwiseMoments(block)` (two-pass sums of doubles, the
/// path validated against R) on random data with missing answers, 1e-12.
///
/// Complexity: O(N × pairs) with 16 rows per vector step; memory O(items²).
struct PairwiseSums: Sendable {
    let items: Int
    /// `n[a * items + b]`.
    let n: [Int]
    /// `s[a * items + b]` = Σ x_a over rows with both a and b answered.
    let s: [Int]
    /// `q[a * items + b]` = Σ x_a² over the same rows.
    let q: [Int]
    /// `p[a * items + b]` = Σ x_a x_b (symmetric).
    let p: [Int]

    /// Sums for every pair (a, b) with `needed[a * items + b]` (a ≤ b is
    /// enough; the result is symmetric where defined) and the diagonal.
    /// - Parameters:
    ///   - columns: column-major codes, `rows` per item, each code 0…15
    ///     (0 = missing).
    ///   - threads: how many threads may share the pairs.
    init(columns: [UInt8], rows: Int, items: Int, needed: [Bool], threads: Int = 2) {
        precondition(columns.count == rows * items && needed.count == items * items)
        let pairs = Self.pairs(items: items, needed: needed)
        let count = pairs.count
        let results = UnsafeMutableBufferPointer<(n: Int, sa: Int, sb: Int, qa: Int, qb: Int, p: Int)>.allocate(capacity: count)
        defer { results.deallocate() }
        columns.withUnsafeBufferPointer { data in
            let base = data.baseAddress!
            let work = { (k: Int) in
                let (a, b) = pairs[k]
                results[k] = Self.pairSums(base + a * rows, base + b * rows, rows: rows)
            }
            ParallelWork.run(count: count, threads: threads, work)
        }
        self.init(items: items, pairs: pairs) { results[$0] }
    }

    /// The same sums from row-major codes, without a column-major copy of
    /// the data: rows are taken in tiles of 512 (the best of 256 to 8,192
    /// measured on a 2-core EPYC), each tile's keyed codes transposed into a
    /// small column buffer (which stays in cache while every pair is summed
    /// over it), tiles shared between `threads` threads. Integer sums, so
    /// the result does not depend on the order.
    /// - Parameters:
    ///   - codes: row-major answer codes, `items` per row (0 = missing).
    ///   - keyed: the code to use for code c of item i at `keyed[i * 16 + c]`
    ///     (reverse keying), each 0…15, 0 for c = 0.
    init(codes: UnsafeBufferPointer<UInt8>, rows: Int, items: Int, keyed: [UInt8], needed: [Bool], threads: Int = 2) {
        precondition(codes.count == rows * items && needed.count == items * items && keyed.count == items * 16)
        let pairs = Self.pairs(items: items, needed: needed)
        let count = pairs.count
        let tile = 512
        let tiles = (rows + tile - 1) / tile
        let workers = max(1, min(threads, tiles))
        // Per worker: six sums per pair.
        let totals = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers * count * 6)
        defer { totals.deallocate() }
        totals.initialize(repeating: 0)
        let box = UncheckedSendableBox((totals, codes))
        pairs.withUnsafeBufferPointer { pairs in
            keyed.withUnsafeBufferPointer { keyed in
                ParallelWork.run(count: workers, threads: workers) { w in
                    let (totals, codes) = box.value
                    let columns = UnsafeMutablePointer<UInt8>.allocate(capacity: items * tile)
                    defer { columns.deallocate() }
                    let mine = totals.baseAddress! + w * count * 6
                    var t = w
                    while t < tiles {
                        let start = t * tile, length = min(tile, rows - start)
                        for r in 0..<length {
                            let row = codes.baseAddress! + (start + r) * items
                            for i in 0..<items { columns[i * tile + r] = keyed[i * 16 + Int(row[i])] }
                        }
                        for k in 0..<count {
                            let (a, b) = pairs[k]
                            let sums = Self.pairSums(columns + a * tile, columns + b * tile, rows: length)
                            let out = mine + k * 6
                            out[0] += sums.n; out[1] += sums.sa; out[2] += sums.sb
                            out[3] += sums.qa; out[4] += sums.qb; out[5] += sums.p
                        }
                        t += workers
                    }
                }
            }
        }
        self.init(items: items, pairs: pairs) { k in
            var r = [Int](repeating: 0, count: 6)
            for w in 0..<workers { for m in 0..<6 { r[m] += totals[(w * count + k) * 6 + m] } }
            return (r[0], r[1], r[2], r[3], r[4], r[5])
        }
    }

    /// The pairs (a ≤ b) to sum: every diagonal and every needed pair.
    private static func pairs(items: Int, needed: [Bool]) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        for a in 0..<items { for b in a..<items where a == b || needed[a * items + b] || needed[b * items + a] { pairs.append((a, b)) } }
        return pairs
    }

    /// The symmetric matrices from the six sums of each pair (`sums(k)` for `pairs[k]`).
    private init(items: Int, pairs: [(Int, Int)], sums: (Int) -> (n: Int, sa: Int, sb: Int, qa: Int, qb: Int, p: Int)) {
        var n = [Int](repeating: 0, count: items * items)
        var s = n, q = n, p = n
        for (k, (a, b)) in pairs.enumerated() {
            let r = sums(k)
            n[a * items + b] = r.n; n[b * items + a] = r.n
            s[a * items + b] = r.sa; s[b * items + a] = r.sb
            q[a * items + b] = r.qa; q[b * items + a] = r.qb
            p[a * items + b] = r.p; p[b * items + a] = r.p
        }
        self.items = items
        self.n = n
        self.s = s
        self.q = q
        self.p = p
    }

    /// The sum of the lanes, widened first: eight lanes of up to 65,535
    /// overflow 16 bits (`wrappedSum()` would wrap).
    @inline(__always)
    static func total(_ lanes: SIMD8<UInt16>) -> Int {
        Int(SIMD8<UInt32>(truncatingIfNeeded: lanes).wrappedSum())
    }

    /// The six sums of one pair, sixteen rows at a time. Per-lane 16-bit
    /// accumulators are flushed every 2048 rows (at most 128 adds of at most
    /// 225 each), so nothing overflows for codes up to 15.
    static func pairSums(_ x: UnsafePointer<UInt8>, _ y: UnsafePointer<UInt8>, rows: Int)
        -> (n: Int, sa: Int, sb: Int, qa: Int, qb: Int, p: Int) {
        var n = 0, sa = 0, sb = 0, qa = 0, qb = 0, p = 0
        var start = 0
        let zero = SIMD16<UInt8>(repeating: 0)
        while start + 16 <= rows {
            let end = min(rows - (rows - start) % 16, start + 2048)
            var an = SIMD8<UInt16>(), asa = SIMD8<UInt16>(), asb = SIMD8<UInt16>()
            var aqa = SIMD8<UInt16>(), aqb = SIMD8<UInt16>(), ap = SIMD8<UInt16>()
            var r = start
            while r < end {
                let u = UnsafeRawPointer(x + r).loadUnaligned(as: SIMD16<UInt8>.self)
                let v = UnsafeRawPointer(y + r).loadUnaligned(as: SIMD16<UInt8>.self)
                let both = (u .!= zero) .& (v .!= zero)
                let xu = zero.replacing(with: u, where: both)
                let xv = zero.replacing(with: v, where: both)
                let one = zero.replacing(with: 1, where: both)
                let ul = SIMD8<UInt16>(truncatingIfNeeded: xu.lowHalf), uh = SIMD8<UInt16>(truncatingIfNeeded: xu.highHalf)
                let vl = SIMD8<UInt16>(truncatingIfNeeded: xv.lowHalf), vh = SIMD8<UInt16>(truncatingIfNeeded: xv.highHalf)
                an &+= SIMD8<UInt16>(truncatingIfNeeded: one.lowHalf) &+ SIMD8<UInt16>(truncatingIfNeeded: one.highHalf)
                asa &+= ul &+ uh
                asb &+= vl &+ vh
                aqa &+= ul &* ul &+ uh &* uh
                aqb &+= vl &* vl &+ vh &* vh
                ap &+= ul &* vl &+ uh &* vh
                r += 16
            }
            n += total(an); sa += total(asa); sb += total(asb)
            qa += total(aqa); qb += total(aqb); p += total(ap)
            start = end
        }
        for r in start..<rows {
            let u = Int(x[r]), v = Int(y[r])
            guard u != 0 && v != 0 else { continue }
            n += 1; sa += u; sb += v; qa += u * u; qb += v * v; p += u * v
        }
        return (n, sa, sb, qa, qb, p)
    }
}

extension PairwiseMoments {
    /// The covariance and correlation matrices of the items `subset` from
    /// exact pairwise sums (see `PairwiseSums`).
    init(sums: PairwiseSums, subset: [Int]) {
        let j = subset.count, width = sums.items
        var cov = [Double?](repeating: nil, count: j * j)
        var cor = [Double?](repeating: nil, count: j * j)
        for (i, a) in subset.enumerated() {
            for (k, b) in subset.enumerated() where k >= i {
                let ab = a * width + b, ba = b * width + a
                let n = sums.n[ab]
                guard n >= 2 else { continue }
                let centred = n * sums.p[ab] - sums.s[ab] * sums.s[ba]
                let value = Double(centred) / (Double(n) * Double(n - 1))
                cov[i * j + k] = value
                cov[k * j + i] = value
                let va = n * sums.q[ab] - sums.s[ab] * sums.s[ab]
                let vb = n * sums.q[ba] - sums.s[ba] * sums.s[ba]
                if va > 0 && vb > 0 {
                    let r = i == k ? 1 : Double(centred) / (Double(va).squareRoot() * Double(vb).squareRoot())
                    cor[i * j + k] = r
                    cor[k * j + i] = r
                }
            }
        }
        self.init(items: j, covariance: cov, correlation: cor)
    }
}

extension Reliability {
    /// Alpha of the items `subset` from exact pairwise sums; the same
    /// computation as `alpha(_:)` on the block of those items' answers.
    /// - Parameters:
    ///   - valueShift: answer − code (the response scale's minimum − 1), for item means.
    ///   - respondents: the number of data rows (n of Feldt's interval).
    static func alpha(sums: PairwiseSums, subset: [Int], valueShift: Double, respondents: Int) -> AlphaReliability? {
        let statistics = subset.map { a -> (n: Int, mean: Double?, sd: Double?) in
            let aa = a * sums.items + a
            let n = sums.n[aa], s = sums.s[aa], q = sums.q[aa]
            let mean: Double? = n > 0 ? Double(s) / Double(n) + valueShift : nil
            let sd: Double? = n > 1 ? (Double(n * q - s * s) / (Double(n) * Double(n - 1))).squareRoot() : nil
            return (n, mean, sd)
        }
        return alpha(itemStatistics: statistics, respondents: respondents) { used in
            PairwiseMoments(sums: sums, subset: used.map { subset[$0] })
        }
    }

    /// Omega total of the items `subset` from exact pairwise sums.
    static func omegaTotal(sums: PairwiseSums, subset: [Int]) -> Double? {
        omegaTotal(correlation: PairwiseMoments(sums: sums, subset: subset).completeCorrelation(), items: subset.count)
    }
}
