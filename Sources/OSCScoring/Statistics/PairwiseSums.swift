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
/// path validated against R) on random data with missing answers, 1e-12;
/// the row-tile path (`init(codes:…)`, `RowTiles`) against the column-major
/// one, exactly.
///
/// Complexity: column-major, O(N × pairs) with 16 rows per vector step; row
/// tiles, O(N × (items + pairs / 16)) vector steps plus O(span of partners)
/// per missing answer (`RowTiles`); memory O(items + pairs): only the pairs
/// asked for are kept (`ItemPairs`), so 6,000 single-item scales need no
/// pairs at all and the OSC's domains 2,146.
struct PairwiseSums: Sendable {
    let items: Int
    /// The pairs summed (each item with itself, and the needed pairs).
    let pairs: ItemPairs
    /// The six sums of pair k of `pairs` at `values[6k ..< 6k + 6]`: n_ab,
    /// s_ab, s_ba, q_ab, q_ba, p_ab for its items a ≤ b.
    let values: [Int]

    /// Sums for every pair (a, b) with `needed[a * items + b]` (a ≤ b is
    /// enough; the result is symmetric where defined) and the diagonal.
    /// - Parameters:
    ///   - columns: column-major codes, `rows` per item, each code 0…15
    ///     (0 = missing).
    ///   - threads: how many threads may share the pairs.
    init(columns: [UInt8], rows: Int, items: Int, needed: [Bool], threads: Int = 2) {
        self.init(columns: columns, rows: rows, pairs: ItemPairs(items: items, needed: needed), threads: threads)
    }

    /// Sums for the pairs `pairs` (see `init(columns:rows:items:needed:threads:)`).
    init(columns: [UInt8], rows: Int, pairs: ItemPairs, threads: Int = 2) {
        let items = pairs.items
        precondition(columns.count == rows * items)
        var values = [Int](repeating: 0, count: 6 * pairs.count)
        columns.withUnsafeBufferPointer { data in
            values.withUnsafeMutableBufferPointer { out in
                let base = data.baseAddress!, box = UncheckedSendableBox(out)
                // Items interleaved between the threads; each writes its own pairs.
                ParallelWork.run(count: items, threads: threads) { a in
                    for k in pairs.first[a]..<pairs.first[a + 1] {
                        let r = Self.pairSums(base + a * rows, base + Int(pairs.partner[k]) * rows, rows: rows)
                        let out = box.value.baseAddress! + 6 * k
                        out[0] = r.n; out[1] = r.sa; out[2] = r.sb; out[3] = r.qa; out[4] = r.qb; out[5] = r.p
                    }
                }
            }
        }
        self.items = items
        self.pairs = pairs
        self.values = values
    }

    /// The same sums from row-major codes, without a column-major copy of
    /// the data: from each item's totals and the products of each pair, less
    /// the sums over the few missing cells (n_ab = R − M_a − M_b + Σ m̄_a m̄_b,
    /// s_ab = S_a − Σ x_a m̄_b, q_ab = Q_a − Σ x_a² m̄_b), instead of masking
    /// every pair in every row; see `RowTiles`. Integer sums, so the result is
    /// exactly that of `init(columns:…)`, whatever the order of the rows and
    /// however the tiles are shared between threads.
    /// - Parameters:
    ///   - codes: row-major answer codes, `items` per row (0 = missing).
    ///   - keyed: the code to use for code c of item i at `keyed[i * 16 + c]`
    ///     (reverse keying), each 0…15, 0 for c = 0 (0 = missing).
    ///   - pairs: the pairs to sum (for a report, those within each scale).
    ///   - threads: how many threads may share the tiles of rows.
    init(codes: UnsafeBufferPointer<UInt8>, rows: Int, keyed: [UInt8], pairs: ItemPairs, threads: Int = 2) {
        self.init(codes: codes, rows: rows, keyed: keyed, pairs: pairs, threads: threads, method: .cheaper)
    }

    /// The same for the pairs with `needed[a * items + b]` (tests).
    init(codes: UnsafeBufferPointer<UInt8>, rows: Int, items: Int, keyed: [UInt8], needed: [Bool], threads: Int = 2) {
        self.init(codes: codes, rows: rows, keyed: keyed, pairs: ItemPairs(items: items, needed: needed), threads: threads, method: .cheaper)
    }

    /// The same with `needed` pairs and the sums of n, s and q taken for every
    /// tile by `method` (the tests compare both with the column-major path).
    init(codes: UnsafeBufferPointer<UInt8>, rows: Int, items: Int, keyed: [UInt8], needed: [Bool], threads: Int, method: RowTiles.Method) {
        self.init(codes: codes, rows: rows, keyed: keyed, pairs: ItemPairs(items: items, needed: needed), threads: threads, method: method)
    }

    /// The row-tile sums of `pairs` with n, s and q taken for every tile by `method`.
    init(codes: UnsafeBufferPointer<UInt8>, rows: Int, keyed: [UInt8], pairs: ItemPairs, threads: Int, method: RowTiles.Method) {
        let items = pairs.items
        precondition(codes.count == rows * items && keyed.count == items * 16)
        precondition(keyed.allSatisfy { $0 <= 15 } && (0..<items).allSatisfy { keyed[$0 * 16] == 0 }, "keyed codes are 0…15, 0 for code 0")
        let plan = RowTiles.Plan(pairs: pairs, keyed: keyed)
        let tile = RowTiles.tile
        let tiles = (rows + tile - 1) / tile
        let workers = max(1, min(threads, tiles))
        let stride = plan.sumCount
        let totals = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers * stride)
        defer { totals.deallocate() }
        totals.initialize(repeating: 0)
        let box = UncheckedSendableBox((totals, codes))
        ParallelWork.run(count: workers, threads: workers) { w in
            let (totals, codes) = box.value
            let worker = RowTiles.Worker(plan: plan, sums: totals.baseAddress! + w * stride)
            var t = w
            while t < tiles {
                let start = t * tile
                worker.add(codes.baseAddress! + start * items, rows: min(tile, rows - start), method: method)
                t += workers
            }
            worker.flush()
        }
        for w in 1..<workers { for k in 0..<stride { totals[k] += totals[w * stride + k] } }
        var values = [Int](repeating: 0, count: 6 * pairs.count)
        for a in 0..<items {
            for k in pairs.first[a]..<pairs.first[a + 1] {
                let r = plan.sums(of: (a, Int(pairs.partner[k])), rows: rows, totals: totals.baseAddress!)
                values[6 * k] = r.n; values[6 * k + 1] = r.sa; values[6 * k + 2] = r.sb
                values[6 * k + 3] = r.qa; values[6 * k + 4] = r.qb; values[6 * k + 5] = r.p
            }
        }
        self.items = items
        self.pairs = pairs
        self.values = values
    }

    /// The six sums of items a and b (either order; a = b for an item's
    /// own count, sum and sum of squares), nil for a pair not summed.
    @inline(__always)
    func sums(_ a: Int, _ b: Int) -> (n: Int, sa: Int, sb: Int, qa: Int, qb: Int, p: Int)? {
        guard let k = pairs.index(min(a, b), max(a, b)) else { return nil }
        let v = 6 * k
        return a <= b ? (values[v], values[v + 1], values[v + 2], values[v + 3], values[v + 4], values[v + 5])
                      : (values[v], values[v + 2], values[v + 1], values[v + 4], values[v + 3], values[v + 5])
    }

    /// Dense items × items views, `n[a * items + b]` (0 for a pair not
    /// summed), for the tests: n, s (Σ x_a over rows with both a and b
    /// answered), q (Σ x_a²) and p (Σ x_a x_b).
    var n: [Int] { dense { $0.n } }
    var s: [Int] { dense { $0.sa } }
    var q: [Int] { dense { $0.qa } }
    var p: [Int] { dense { $0.p } }

    private func dense(_ value: ((n: Int, sa: Int, sb: Int, qa: Int, qb: Int, p: Int)) -> Int) -> [Int] {
        var out = [Int](repeating: 0, count: items * items)
        for a in 0..<items { for b in 0..<items { if let r = sums(a, b) { out[a * items + b] = value(r) } } }
        return out
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

/// The row-tile path of `PairwiseSums.init(codes:rows:items:keyed:needed:threads:)`:
/// the six sums from totals and from the few missing cells, instead of
/// masking every pair in every row.
///
/// With x the keyed code (0 when missing), m = 1 when answered and
/// m̄ = 1 − m, the sums of a pair a ≠ b over the rows where both are
/// answered are
/// ```
/// n_ab = R − M_a − M_b + Σ m̄_a m̄_b      s_ab = S_a − Σ x_a m̄_b
/// q_ab = Q_a − Σ x_a² m̄_b                 p_ab = Σ x_a x_b
/// ```
/// with R the rows, M_a = Σ m̄_a, S_a = Σ x_a and Q_a = Σ x_a², since
/// m_a m_b = 1 − m̄_a − m̄_b + m̄_a m̄_b, x_a m_b = x_a − x_a m̄_b and a
/// missing x is 0. The diagonal is (R − M_a, S_a, Q_a, Q_a). Every term is
/// a sum of integers, kept in lanes that cannot overflow (below) and added
/// into `Int`s, so the results are exactly those of the column-major path,
/// in any order of rows, tiles and threads.
///
/// Rows are taken in tiles of 512 (the tiles shared between the threads):
/// - The codes are transposed (16 × 16 bytes at a time, SSE2 unpacks) into
///   columns, keyed sixteen at a time where the table is `offset ± code` on
///   codes 1…options and 0 elsewhere (as `ResponseTable.keyedCodeTable`),
///   else code by code, and transposed back into rows of keyed codes.
/// - p: one column of 16-bit codes against four columns that each hold two
///   items' codes (low and high byte), 8 rows a step: a 16-bit product
///   x_a (x_b + 256 x_c) = x_a x_b + 256 x_a x_c with both at most 225, so
///   the lanes sum the products and, apart, their high bytes; the low
///   bytes' sum is the difference modulo 2¹⁶, exact as it is below 2¹⁶
///   (512 / 8 products of at most 225 a lane).
/// - S, Q and M from the columns; the missing cells as one bit per cell
///   (eight bytes at a time: a code of at most 15 plus 0x7F has its top bit
///   set exactly when it is not 0).
/// - The corrections run over the missing cells only: for every row and
///   each position b missing in it, the row's (x, x²) of b's partners is
///   added to b's row of a matrix, four 32-bit lanes at a time, Σx in bits
///   0–13 and Σx² in bits 14–31 (at most 15 and 225 times 1,024 rows between
///   flushes into the `Int` sums); each pair of missing cells of a row adds
///   1 to Σ m̄_a m̄_b, and a row with every answer missing just 1 to all.
/// - Items are put in Cuthill–McKee order of the needed pairs, so that each
///   item's partners (for the OSC's scales, its domain) lie in a short span
///   of positions and a missing cell corrects only that span.
/// - A tile with so many missing cells that the corrections would cost more
///   than masking (about 17 % missing for the OSC's scales; sparse pairs;
///   not rows with every answer missing) sums n, s and q of its pairs over
///   16-bit masks of the answered cells instead, entered as the difference
///   from the tile's share of R − M_a − M_b, S and Q.
///
/// Complexity: per row, O(items) for the transpositions and totals,
/// O(pairs / 16) vector steps for p, and O(span) per missing cell (O(pairs /
/// 8) steps in a masked tile); memory O(pairs + span + 512 × items) per
/// thread (span: the positions the missing cells correct, Σ over items of
/// the range of its partners' positions).
/// 200,000 rows × 105 items, 2,146 pairs of the OSC's domains, 2 % missing:
/// about 40 ms on one thread of a 2-core EPYC (Zen 4, SSE2 code), against
/// about 300 ms of CPU for masking every pair in every row.
///
/// Validated against: the column-major path (`init(columns:…)` with
/// `pairSums`, itself checked against a plain loop) on random data (tests):
/// 0 to 2,600 rows, 0 to 37 items, codes up to 15 and past the options,
/// 0–60 % missing, rows with every answer missing, items never answered,
/// nested, sparse and complete pairs, regular and irregular keying tables,
/// corrections, masks and the cheaper of the two, on 1, 2 and 3 threads;
/// and the whole report on 200,000 rows byte for byte.
enum RowTiles {
    /// How a tile's n, s and q are summed.
    enum Method {
        /// Corrections or masks, whichever is estimated to be cheaper.
        case cheaper
        /// Totals corrected by the missing cells.
        case corrections
        /// Sums over 16-bit masks of the answered cells.
        case masks
    }

    /// Rows per tile: a multiple of 16, at most `flushRows` (the correction
    /// fields) and 2,048 (the 16-bit lanes: 2,048 / 8 × 225 < 2¹⁶). 512
    /// measured a little faster than 256 and 1,024.
    static let tile = 512
    /// Rows of corrections between flushes: 15 × 1,024 fits the 14-bit
    /// field of Σx, 225 × 1,024 the 18-bit field of Σx².
    static let flushRows = 1_024
    /// Bytes from one column of a tile to the next (16-bit and 8-bit codes):
    /// a cache line more than the column, so that the columns do not crowd
    /// a few cache sets.
    static let columnBytes = tile * 2 + 64
    static let byteColumnBytes = tile + 64
    /// A packed correction: Σx in bits 0–13 and Σx² in bits 14–31.
    static let sumField: UInt32 = (1 << 14) - 1

    typealias Bytes = SIMD16<UInt8>
    typealias Words = SIMD8<UInt16>

    /// The bytes of a and b alternately: their first halves, then their
    /// second halves (`punpcklbw`, `punpckhbw`).
    @inline(__always)
    static func interleave(_ a: Bytes, _ b: Bytes) -> (Bytes, Bytes) {
        (Bytes(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7]),
         Bytes(a[8], b[8], a[9], b[9], a[10], b[10], a[11], b[11], a[12], b[12], a[13], b[13], a[14], b[14], a[15], b[15]))
    }

    /// The 16-bit lanes of a and b alternately.
    @inline(__always)
    static func interleave(_ a: Words, _ b: Words) -> (Words, Words) {
        (Words(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]), Words(a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7]))
    }

    /// The 32-bit lanes of a and b alternately.
    @inline(__always)
    static func interleave(_ a: SIMD4<UInt32>, _ b: SIMD4<UInt32>) -> (SIMD4<UInt32>, SIMD4<UInt32>) {
        (SIMD4(a[0], b[0], a[1], b[1]), SIMD4(a[2], b[2], a[3], b[3]))
    }

    /// The 64-bit lanes of a and b alternately.
    @inline(__always)
    static func interleave(_ a: SIMD2<UInt64>, _ b: SIMD2<UInt64>) -> (SIMD2<UInt64>, SIMD2<UInt64>) {
        (SIMD2(a[0], b[0]), SIMD2(a[1], b[1]))
    }

    /// Transposes sixteen rows of sixteen bytes (`row(i)`), handing column j
    /// to `column(j, bytes)`: bytes of rows 2i and 2i + 1 interleaved, then
    /// 16-bit lanes of row pairs, 32-bit lanes of row quadruples and 64-bit
    /// lanes of row octets. (Four rounds of byte interleaving would do too,
    /// but LLVM merges them into byte shuffles that SSE2 lacks: five times
    /// slower.)
    @inline(__always)
    static func transpose(_ row: (Int) -> Bytes, _ column: (Int, Bytes) -> Void) {
        func words(_ x: Bytes) -> Words { unsafeBitCast(x, to: Words.self) }
        func doubles(_ x: Words) -> SIMD4<UInt32> { unsafeBitCast(x, to: SIMD4<UInt32>.self) }
        func quads(_ x: SIMD4<UInt32>) -> SIMD2<UInt64> { unsafeBitCast(x, to: SIMD2<UInt64>.self) }
        let (a0, a1) = interleave(row(0), row(1)), (a2, a3) = interleave(row(2), row(3))
        let (a4, a5) = interleave(row(4), row(5)), (a6, a7) = interleave(row(6), row(7))
        let (a8, a9) = interleave(row(8), row(9)), (a10, a11) = interleave(row(10), row(11))
        let (a12, a13) = interleave(row(12), row(13)), (a14, a15) = interleave(row(14), row(15))
        let (b0, b1) = interleave(words(a0), words(a2)), (b2, b3) = interleave(words(a1), words(a3))
        let (b4, b5) = interleave(words(a4), words(a6)), (b6, b7) = interleave(words(a5), words(a7))
        let (b8, b9) = interleave(words(a8), words(a10)), (b10, b11) = interleave(words(a9), words(a11))
        let (b12, b13) = interleave(words(a12), words(a14)), (b14, b15) = interleave(words(a13), words(a15))
        let (c0, c1) = interleave(doubles(b0), doubles(b4)), (c2, c3) = interleave(doubles(b1), doubles(b5))
        let (c4, c5) = interleave(doubles(b2), doubles(b6)), (c6, c7) = interleave(doubles(b3), doubles(b7))
        let (c8, c9) = interleave(doubles(b8), doubles(b12)), (c10, c11) = interleave(doubles(b9), doubles(b13))
        let (c12, c13) = interleave(doubles(b10), doubles(b14)), (c14, c15) = interleave(doubles(b11), doubles(b15))
        let (d0, d1) = interleave(quads(c0), quads(c8)), (d2, d3) = interleave(quads(c1), quads(c9))
        let (d4, d5) = interleave(quads(c2), quads(c10)), (d6, d7) = interleave(quads(c3), quads(c11))
        let (d8, d9) = interleave(quads(c4), quads(c12)), (d10, d11) = interleave(quads(c5), quads(c13))
        let (d12, d13) = interleave(quads(c6), quads(c14)), (d14, d15) = interleave(quads(c7), quads(c15))
        func bytes(_ x: SIMD2<UInt64>) -> Bytes { unsafeBitCast(x, to: Bytes.self) }
        column(0, bytes(d0)); column(1, bytes(d1)); column(2, bytes(d2)); column(3, bytes(d3))
        column(4, bytes(d4)); column(5, bytes(d5)); column(6, bytes(d6)); column(7, bytes(d7))
        column(8, bytes(d8)); column(9, bytes(d9)); column(10, bytes(d10)); column(11, bytes(d11))
        column(12, bytes(d12)); column(13, bytes(d13)); column(14, bytes(d14)); column(15, bytes(d15))
    }

    /// Positions, partners, spans and keying, shared by the workers.
    struct Plan {
        let items: Int
        /// The position of each item (Cuthill–McKee order).
        let position: [Int]
        /// The keyed code of code c at position k at `keyed[k * 16 + c]`.
        let keyed: [UInt8]
        /// Whether the keyed codes of position k are `offset[k] ± c` for codes
        /// c in 1...`options[k]` (+ when `ascending[k]`) and 0 otherwise, as
        /// from `ResponseTable.keyedCodeTable`: then keyed sixteen at a time.
        let affine: [Bool], ascending: [Bool], offset: [UInt8], options: [UInt8]
        /// The later partners of position k, ascending, at
        /// `partners[first[k]..<first[k + 1]]`; the pair (k, partners[s]) has slot s.
        let first: [Int], partners: [Int]
        /// The pairs of positions (2i, 2i + 1) that hold later partners of
        /// position k, `pairs[pairFirst[k]..<pairFirst[k + 1]]` = i, with the
        /// slots of (k, 2i) and (k, 2i + 1) (−1 for none) at `pairSlots[2 × that index]` and the next.
        let pairFirst: [Int], pairs: [Int], pairSlots: [Int]
        /// A missing answer at position b corrects positions `low[b]..<high[b]`
        /// (multiples of 4 around every partner of b; empty without partners),
        /// kept from `base[b]` in the correction matrix of `corrections` entries.
        let low: [Int], high: [Int], base: [Int], corrections: Int
        /// Where the corrections of slot (k, j) are: over the rows missing j,
        /// k's (x, x²); over the rows missing k, j's (x, x²) and the rows missing j.
        let lowerEntry: [Int32], higherEntry: [Int32]
        /// Bytes per row of codes: items rounded up to 16.
        let rowBytes: Int
        var slots: Int { partners.count }
        /// Per worker: six sums per slot (p, then the corrections of n, s and
        /// q of the lower and the higher position), then S, Q and M of each position.
        var sumCount: Int { 6 * slots + 3 * items }

        init(pairs: ItemPairs, keyed: [UInt8]) {
            let items = pairs.items
            var neighbours = [[Int]](repeating: [], count: items)
            for a in 0..<items {
                for k in pairs.first[a]..<pairs.first[a + 1] where Int(pairs.partner[k]) != a {
                    let b = Int(pairs.partner[k])
                    neighbours[a].append(b)
                    neighbours[b].append(a)
                }
            }
            // Cuthill–McKee: breadth first from the least connected item left,
            // neighbours in order of degree.
            let byDegree = { (u: Int, v: Int) in (neighbours[u].count, u) < (neighbours[v].count, v) }
            var order: [Int] = [], placed = [Bool](repeating: false, count: items)
            for seed in (0..<items).sorted(by: byDegree) where !placed[seed] {
                placed[seed] = true
                order.append(seed)
                var head = order.count - 1
                while head < order.count {
                    for u in neighbours[order[head]].sorted(by: byDegree) where !placed[u] {
                        placed[u] = true
                        order.append(u)
                    }
                    head += 1
                }
            }
            var position = [Int](repeating: 0, count: items)
            for (k, i) in order.enumerated() { position[i] = k }
            var first = [0], partners: [Int] = [], low: [Int] = [], high: [Int] = [], base: [Int] = []
            var size = 0
            for k in 0..<items {
                let mine = neighbours[order[k]].map { position[$0] }.sorted()
                for j in mine where j > k {
                    partners.append(j)
                }
                first.append(partners.count)
                low.append(mine.isEmpty ? 0 : mine[0] & ~3)
                high.append(mine.isEmpty ? 0 : (mine[mine.count - 1] + 4) & ~3)
                base.append(size)
                size += high[k] - low[k]
            }
            var pairFirst = [0], pairList: [Int] = [], pairSlots: [Int] = [], lowerEntry: [Int32] = [], higherEntry: [Int32] = []
            for k in 0..<items {
                for s in first[k]..<first[k + 1] {
                    let j = partners[s]
                    if pairList.count > pairFirst[k] && pairList[pairList.count - 1] == j / 2 {
                        pairSlots[pairSlots.count - 1] = s
                    } else {
                        pairList.append(j / 2)
                        pairSlots += j % 2 == 0 ? [s, -1] : [-1, s]
                    }
                    lowerEntry.append(Int32(base[j] + k - low[j]))
                    higherEntry.append(Int32(base[k] + j - low[k]))
                }
                pairFirst.append(pairList.count)
            }
            let table = (0..<items * 16).map { keyed[order[$0 / 16] * 16 + $0 % 16] }
            var affine: [Bool] = [], ascending: [Bool] = [], offset: [UInt8] = [], options: [UInt8] = []
            for k in 0..<items {
                let codes = table[k * 16..<k * 16 + 16].map { Int($0) }
                let top = codes.lastIndex { $0 != 0 } ?? 0
                let up = top < 2 || codes[2] == codes[1] + 1
                let start = top == 0 ? 0 : codes[1] - (up ? 1 : -1)
                affine.append((0..<16).allSatisfy { c in codes[c] == (c >= 1 && c <= top ? start + (up ? c : -c) : 0) })
                ascending.append(up)
                offset.append(UInt8(truncatingIfNeeded: start))
                options.append(UInt8(top))
            }
            self.items = items
            self.position = position
            self.keyed = table
            self.affine = affine
            self.ascending = ascending
            self.offset = offset
            self.options = options
            self.first = first
            self.partners = partners
            self.pairFirst = pairFirst
            self.pairs = pairList
            self.pairSlots = pairSlots
            self.low = low
            self.high = high
            self.base = base
            self.corrections = size
            self.lowerEntry = lowerEntry
            self.higherEntry = higherEntry
            self.rowBytes = max(16, (items + 15) & ~15)
        }

        /// The slot of the pair of positions k < j (binary search among k's partners).
        func slot(_ k: Int, _ j: Int) -> Int {
            var low = first[k], high = first[k + 1]
            while low < high {
                let mid = (low + high) / 2
                if partners[mid] < j { low = mid + 1 } else { high = mid }
            }
            precondition(low < first[k + 1] && partners[low] == j, "a planned pair")
            return low
        }

        /// The six sums of items (a, b) from the merged sums of the workers.
        func sums(of pair: (Int, Int), rows: Int, totals: UnsafeMutablePointer<Int>)
            -> (n: Int, sa: Int, sb: Int, qa: Int, qb: Int, p: Int) {
            let s = totals + 6 * slots, q = s + items, m = q + items
            let i = position[pair.0], j = position[pair.1]
            guard i != j else { return (rows - m[i], s[i], s[i], q[i], q[i], q[i]) }
            let out = totals + 6 * slot(min(i, j), max(i, j))
            let (si, sj, qi, qj) = i < j ? (out[2], out[3], out[4], out[5]) : (out[3], out[2], out[5], out[4])
            return (rows - m[i] - m[j] + out[1], s[i] + si, s[j] + sj, q[i] + qi, q[j] + qj, out[0])
        }
    }

    /// One thread's buffers and sums: `add` one tile after another, then `flush`.
    final class Worker {
        let items: Int, slots: Int, rowBytes: Int
        // The plan, as raw buffers (no bounds checks or reference counting in the loops).
        let keyed: UnsafeMutablePointer<UInt8>, affine: UnsafeMutablePointer<Bool>
        /// The position of each item, and the index itself past the items
        /// (the padding bytes of a row go to padding columns).
        let position: UnsafeMutablePointer<Int>
        /// Per position (and past the items): the offset, the sign (0, or 0xFF
        /// for −) and 0x7F − options of its keying, sixteen times each; codes
        /// 1…15 as they are where the table is not affine.
        let maps: UnsafeMutablePointer<Bytes>
        let first: UnsafeMutablePointer<Int>, partners: UnsafeMutablePointer<Int>
        let pairFirst: UnsafeMutablePointer<Int>, pairs: UnsafeMutablePointer<Int>, pairSlots: UnsafeMutablePointer<Int>
        let low: UnsafeMutablePointer<Int>, high: UnsafeMutablePointer<Int>, base: UnsafeMutablePointer<Int>
        let lowerEntry: UnsafeMutablePointer<Int32>, higherEntry: UnsafeMutablePointer<Int32>
        /// The tile's codes row by row, `rowBytes` a row (0 past the items and the rows).
        let rawRows: UnsafeMutablePointer<UInt8>
        /// The tile's keyed codes position by position, `byteColumnBytes` apart.
        let byteColumns: UnsafeMutablePointer<UInt8>
        /// The same row by row in position order, `rowBytes` a row.
        let keyedRows: UnsafeMutablePointer<UInt8>
        /// The same in 16 bits position by position, `columnBytes` apart.
        let columns: UnsafeMutableRawPointer
        /// The codes of positions 2i and 2i + 1 in the low and high byte of
        /// 16-bit lanes, `columnBytes` apart.
        let pairColumns: UnsafeMutableRawPointer
        /// Masks (0xFFFF where answered) and squares, for masked tiles only.
        var masks: UnsafeMutableRawPointer? = nil
        /// One bit per position and row of the tile, set for a missing
        /// answer, `flagBytes` a row; `tops[w]` has 0x80 in the bytes of
        /// 8-byte word w of a row that hold positions.
        let absent: UnsafeMutablePointer<UInt8>, flagBytes: Int, tops: UnsafeMutablePointer<UInt64>
        /// The missing positions of one row.
        let missing: UnsafeMutablePointer<Int32>
        /// Packed (Σx, Σx²) corrections, and one row's packed (x, x²) by position.
        let corrections: UnsafeMutablePointer<UInt32>, rowValues: UnsafeMutablePointer<UInt32>
        /// Rows missing both b and a (b < a) where the corrections of b have a.
        let together: UnsafeMutablePointer<UInt16>
        /// S, Q and M of each position over the current tile.
        let tileSums: UnsafeMutablePointer<Int>
        /// This worker's sums (`Plan.sumCount`).
        let sums: UnsafeMutablePointer<Int>
        let correctionCount: Int
        /// Rows of corrections since the last flush, and rows with every answer missing among them.
        var pending = 0, empty = 0

        init(plan: Plan, sums: UnsafeMutablePointer<Int>) {
            precondition(tile % 16 == 0 && tile <= flushRows && tile <= 2_048, "the lanes and fields hold a tile")
            items = plan.items
            slots = plan.slots
            rowBytes = plan.rowBytes
            func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
                let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
                p.initialize(from: array, count: array.count)
                return p
            }
            // Zeros, 16-byte aligned for the vector loads.
            func zeros<T: FixedWidthInteger>(_ count: Int) -> UnsafeMutablePointer<T> {
                UnsafeMutableRawPointer.allocate(byteCount: max(16, count * MemoryLayout<T>.stride), alignment: 16)
                    .initializeMemory(as: T.self, repeating: 0, count: count)
            }
            keyed = copy(plan.keyed)
            affine = copy(plan.affine)
            position = copy(plan.position + Array(items..<rowBytes))
            maps = copy((0..<rowBytes).flatMap { k -> [Bytes] in
                guard k < plan.items && plan.affine[k] else { return [Bytes(), Bytes(), Bytes(repeating: 0x7F - 15)] }
                return [Bytes(repeating: plan.offset[k]), Bytes(repeating: plan.ascending[k] ? 0 : 0xFF), Bytes(repeating: 0x7F - plan.options[k])]
            })
            first = copy(plan.first)
            partners = copy(plan.partners)
            pairFirst = copy(plan.pairFirst)
            pairs = copy(plan.pairs)
            pairSlots = copy(plan.pairSlots)
            low = copy(plan.low)
            high = copy(plan.high)
            base = copy(plan.base)
            lowerEntry = copy(plan.lowerEntry)
            higherEntry = copy(plan.higherEntry)
            rawRows = zeros(tile * rowBytes)
            byteColumns = zeros(rowBytes * byteColumnBytes)
            keyedRows = zeros(tile * rowBytes)
            columns = .allocate(byteCount: rowBytes * columnBytes, alignment: 16)
            pairColumns = .allocate(byteCount: rowBytes / 2 * columnBytes, alignment: 16)
            flagBytes = (rowBytes / 8 + 7) & ~7
            absent = zeros(tile * flagBytes)
            tops = copy((0..<rowBytes / 8).map { w in
                (0..<8).reduce(UInt64(0)) { bits, b in w * 8 + b < plan.items ? bits | 0x80 << (8 * UInt64(b)) : bits }
            })
            missing = .allocate(capacity: max(1, items))
            correctionCount = plan.corrections
            corrections = zeros(max(4, correctionCount))
            rowValues = zeros(rowBytes)
            together = zeros(max(1, correctionCount))
            tileSums = .allocate(capacity: max(1, 3 * items))
            self.sums = sums
        }

        deinit {
            keyed.deallocate(); affine.deallocate(); position.deallocate(); maps.deallocate()
            first.deallocate(); partners.deallocate(); pairFirst.deallocate(); pairs.deallocate(); pairSlots.deallocate()
            low.deallocate(); high.deallocate(); base.deallocate(); lowerEntry.deallocate(); higherEntry.deallocate()
            for buffer in [UnsafeMutableRawPointer(rawRows), UnsafeMutableRawPointer(byteColumns), UnsafeMutableRawPointer(keyedRows),
                           columns, pairColumns, UnsafeMutableRawPointer(absent), UnsafeMutableRawPointer(corrections),
                           UnsafeMutableRawPointer(rowValues), UnsafeMutableRawPointer(together)] { buffer.deallocate() }
            masks?.deallocate(); tops.deallocate(); missing.deallocate(); tileSums.deallocate()
        }

        /// The 16-bit column of position k.
        @inline(__always)
        func column(_ k: Int) -> UnsafeMutableRawPointer { columns + k &* columnBytes }

        /// Adds the sums of `rows` (1…tile) rows of codes.
        func add(_ codes: UnsafePointer<UInt8>, rows: Int, method: Method) {
            let padded = (rows + 15) & ~15, steps = padded / 8
            transpose(codes, rows: rows, padded: padded)
            let (emptyRows, squares) = findMissing(rows: rows)
            // Totals of the tile (M from the answers counted).
            let s = tileSums, q = s + items, m = q + items
            for k in 0..<items {
                let x = column(k)
                var sum = Words(), squares = Words(), answered = Words()
                var o = 0
                while o < steps &* 16 {
                    let u = x.load(fromByteOffset: o, as: Words.self)
                    sum &+= u
                    squares &+= u &* u
                    answered &+= (u &+ 0x7FFF) &>> 15
                    o &+= 16
                }
                s[k] = PairwiseSums.total(sum)
                q[k] = PairwiseSums.total(squares)
                m[k] = rows - PairwiseSums.total(answered)
            }
            let all = sums + 6 * slots
            for k in 0..<3 * items { all[k] += tileSums[k] }
            products(steps: steps)
            // Correcting costs about one unit per position in the span of
            // each missing answer and two per pair of missing answers in a
            // row, masking about five per pair and step (measured with the
            // OSC's scales: masking is cheaper from about 17 % missing).
            var span = 0
            for k in 0..<items { span &+= (m[k] &- emptyRows) &* (high[k] &- low[k]) }
            if method == .corrections || method == .cheaper && span + 2 * squares <= slots * steps * 5 {
                correct(rows: rows)
            } else {
                mask(rows: rows, steps: steps)
            }
        }

        /// The codes in rows of `rowBytes`, transposed into columns in
        /// position order and keyed (8 and 16 bits), paired, and transposed
        /// back into rows of keyed codes in position order.
        func transpose(_ codes: UnsafePointer<UInt8>, rows: Int, padded: Int) {
            for r in 0..<rows { (rawRows + r &* rowBytes).update(from: codes + r &* items, count: items) }
            for r in rows..<padded { (rawRows + r &* rowBytes).update(repeating: 0, count: items) }
            let zero = Bytes(), half = Bytes(repeating: 0x7F)
            @inline(__always) func widen(_ x: Bytes, into words: UnsafeMutableRawPointer) {
                let (first, second) = interleave(x, zero)
                words.storeBytes(of: first, as: Bytes.self)
                words.storeBytes(of: second, toByteOffset: 16, as: Bytes.self)
            }
            for block in Swift.stride(from: 0, to: padded, by: 16) {
                for lead in Swift.stride(from: 0, to: rowBytes, by: 16) {
                    let corner = UnsafeRawPointer(rawRows + (block &* rowBytes &+ lead))
                    @inline(__always) func row(_ i: Int) -> Bytes { corner.loadUnaligned(fromByteOffset: i &* rowBytes, as: Bytes.self) }
                    @inline(__always) func key(_ j: Int, _ c: Bytes) {
                        let k = position[lead &+ j], map = maps + 3 &* k
                        // Valid codes (1 ≤ c ≤ options) are those where c + 0x7F
                        // has its top bit set and c + 0x7F − options has not;
                        // (c ^ sign) − sign is c or −c.
                        let valid = ((c &+ half) & ~(c &+ map[2])) &>> 7
                        let x = (map[0] &+ ((c ^ map[1]) &- map[1])) & (zero &- valid)
                        widen(x, into: column(k) + block &* 2)
                        UnsafeMutableRawPointer(byteColumns + (k &* byteColumnBytes &+ block)).storeBytes(of: x, as: Bytes.self)
                    }
                    RowTiles.transpose(row, key)
                }
            }
            for k in 0..<items where !affine[k] {
                let bytes = byteColumns + k &* byteColumnBytes, table = keyed + k &* 16
                for r in 0..<padded { bytes[r] = table[Int(bytes[r] & 15)] }
                for o in Swift.stride(from: 0, to: padded, by: 16) { widen(UnsafeRawPointer(bytes + o).load(as: Bytes.self), into: column(k) + o &* 2) }
            }
            for i in 0..<(items + 1) / 2 {
                let low = UnsafeRawPointer(byteColumns + 2 &* i &* byteColumnBytes), high = low + byteColumnBytes
                let out = pairColumns + i &* columnBytes
                for o in Swift.stride(from: 0, to: padded, by: 16) {
                    let (first, second) = interleave(low.load(fromByteOffset: o, as: Bytes.self), high.load(fromByteOffset: o, as: Bytes.self))
                    out.storeBytes(of: first, toByteOffset: o &* 2, as: Bytes.self)
                    out.storeBytes(of: second, toByteOffset: o &* 2 &+ 16, as: Bytes.self)
                }
            }
            for block in Swift.stride(from: 0, to: padded, by: 16) {
                for lead in Swift.stride(from: 0, to: rowBytes, by: 16) {
                    let corner = UnsafeRawPointer(byteColumns + (lead &* byteColumnBytes &+ block))
                    @inline(__always) func row(_ i: Int) -> Bytes { corner.load(fromByteOffset: i &* byteColumnBytes, as: Bytes.self) }
                    @inline(__always) func store(_ j: Int, _ v: Bytes) {
                        UnsafeMutableRawPointer(keyedRows + ((block &+ j) &* rowBytes &+ lead)).storeBytes(of: v, as: Bytes.self)
                    }
                    RowTiles.transpose(row, store)
                }
            }
        }

        /// One bit per missing cell, row by row, eight positions at a time: a
        /// keyed code of at most 15 plus 0x7F has its top bit set exactly when
        /// it is not 0 (without a carry into the next byte); one multiply
        /// gathers the eight bits into the top byte, another adds them up
        /// there (SSE2 machines need not have `popcnt`). Returns the rows with
        /// every answer missing, and the sum of the squared counts of missing
        /// answers of the others (the cost of their pairs).
        func findMissing(rows: Int) -> (empty: Int, squares: Int) {
            let carry = UInt64(0x7F7F_7F7F_7F7F_7F7F)
            var emptyRows = 0, squares = 0
            for r in 0..<rows {
                let row = UnsafeRawPointer(keyedRows + r &* rowBytes), flags = absent + r &* flagBytes
                var w = 0, count = 0
                while w < rowBytes / 8 {
                    let top = tops[w]
                    let bits = ((row.load(fromByteOffset: w &* 8, as: UInt64.self) &+ carry) & top ^ top) >> 7
                    flags[w] = UInt8(truncatingIfNeeded: (bits &* 0x0102_0408_1020_4080) >> 56)
                    count &+= Int((bits &* 0x0101_0101_0101_0101) >> 56)
                    w &+= 1
                }
                if count == items { emptyRows &+= 1 } else { squares &+= count &* count }
            }
            return (emptyRows, squares)
        }

        /// p of every pair of the tile: one column against up to four pair
        /// columns, summing the 16-bit products and their high bytes.
        ///
        /// Measured (issue 17): LLVM keeps these explicit 128-bit types at
        /// 128 bits on every target (`-target-cpu haswell`, `znver4`), while
        /// a plain scalar loop of byte products is vectorised per target
        /// (SSE2 `pmullw`; AVX2 `vpmovzxbw` + `vpmaddwd` on ymm; zmm on
        /// `znver4`). Written with 16-lane types (`SIMD16<UInt16>`, one ymm
        /// with AVX2) this loop was slower on the baseline target: its eight
        /// accumulators then need 16 of the 16 xmm registers and spill.
        func products(steps: Int) {
            let bytes = steps * 16
            @inline(__always) func enter(_ all: Words, _ high: Words, _ block: Int) {
                let low = pairSlots[2 &* block], upper = pairSlots[2 &* block &+ 1]
                if low >= 0 { sums[6 &* low] += PairwiseSums.total(all &- (high &<< 8)) }
                if upper >= 0 { sums[6 &* upper] += PairwiseSums.total(high) }
            }
            for k in 0..<items {
                var b = pairFirst[k]
                let end = pairFirst[k + 1]
                let x = UnsafeRawPointer(column(k))
                func pair(_ b: Int) -> UnsafeRawPointer { UnsafeRawPointer(pairColumns + pairs[b] &* columnBytes) }
                while b + 4 <= end {
                    let y0 = pair(b), y1 = pair(b + 1), y2 = pair(b + 2), y3 = pair(b + 3)
                    var p0 = Words(), p1 = p0, p2 = p0, p3 = p0, h0 = p0, h1 = p0, h2 = p0, h3 = p0
                    var o = 0
                    while o < bytes {
                        let u = x.load(fromByteOffset: o, as: Words.self)
                        let q0 = u &* y0.load(fromByteOffset: o, as: Words.self)
                        let q1 = u &* y1.load(fromByteOffset: o, as: Words.self)
                        let q2 = u &* y2.load(fromByteOffset: o, as: Words.self)
                        let q3 = u &* y3.load(fromByteOffset: o, as: Words.self)
                        p0 &+= q0; h0 &+= q0 &>> 8
                        p1 &+= q1; h1 &+= q1 &>> 8
                        p2 &+= q2; h2 &+= q2 &>> 8
                        p3 &+= q3; h3 &+= q3 &>> 8
                        o &+= 16
                    }
                    enter(p0, h0, b); enter(p1, h1, b + 1); enter(p2, h2, b + 2); enter(p3, h3, b + 3)
                    b += 4
                }
                while b < end {
                    let y = pair(b)
                    var p = Words(), h = p
                    var o = 0
                    while o < bytes {
                        let q = x.load(fromByteOffset: o, as: Words.self) &* y.load(fromByteOffset: o, as: Words.self)
                        p &+= q; h &+= q &>> 8
                        o &+= 16
                    }
                    enter(p, h, b)
                    b += 1
                }
            }
        }

        /// For each row: 1 to `together` for each pair of missing cells, and
        /// the row's packed (x, x²) added to the correction row of each
        /// missing position.
        func correct(rows: Int) {
            if pending + rows > flushRows { flush() }
            pending += rows
            let zero = Bytes(), zeroWords = Words()
            for r in 0..<rows {
                // The missing positions of the row, ascending.
                let flags = UnsafeRawPointer(absent + r &* flagBytes)
                var count = 0
                for w in 0..<flagBytes / 8 {
                    var bits = flags.load(fromByteOffset: w &* 8, as: UInt64.self)
                    while bits != 0 {
                        missing[count] = Int32(truncatingIfNeeded: w &* 64 &+ bits.trailingZeroBitCount)
                        count &+= 1
                        bits &= bits &- 1
                    }
                }
                guard count > 0 else { continue }
                if count == items { empty += 1; continue }
                var lo = rowBytes, hi = 0
                for f in 0..<count {
                    let b = Int(missing[f])
                    lo = min(lo, low[b])
                    hi = max(hi, high[b])
                    for g in f + 1..<count {
                        let a = Int(missing[g])
                        if a >= low[b] && a < high[b] { together[base[b] &+ a &- low[b]] &+= 1 }
                    }
                }
                guard lo < hi else { continue }
                // The row's (x, x²) packed into 32 bits, sixteen at a time.
                let codes = UnsafeRawPointer(keyedRows + r &* rowBytes), values = UnsafeMutableRawPointer(rowValues)
                @inline(__always) func pack(_ x: Bytes, at index: Int) {
                    let u = unsafeBitCast(x, to: Words.self)
                    let (a, b) = interleave(u, zeroWords), (c, d) = interleave(u &* u, zeroWords)
                    func lanes(_ x: Words) -> SIMD4<UInt32> { unsafeBitCast(x, to: SIMD4<UInt32>.self) }
                    let out = values + index &* 4
                    out.storeBytes(of: lanes(a) | lanes(c) &<< 14, as: SIMD4<UInt32>.self)
                    out.storeBytes(of: lanes(b) | lanes(d) &<< 14, toByteOffset: 16, as: SIMD4<UInt32>.self)
                }
                var o = lo & ~15
                while o < hi {
                    let (x0, x1) = interleave(codes.load(fromByteOffset: o, as: Bytes.self), zero)
                    pack(x0, at: o)
                    pack(x1, at: o &+ 8)
                    o &+= 16
                }
                for f in 0..<count {
                    let b = Int(missing[f])
                    let out = UnsafeMutableRawPointer(corrections + base[b]), from = UnsafeRawPointer(rowValues + low[b])
                    var o = 0
                    let stop = (high[b] &- low[b]) &* 4
                    while o < stop {
                        let sum = out.load(fromByteOffset: o, as: SIMD4<UInt32>.self) &+ from.load(fromByteOffset: o, as: SIMD4<UInt32>.self)
                        out.storeBytes(of: sum, toByteOffset: o, as: SIMD4<UInt32>.self)
                        o &+= 16
                    }
                }
            }
        }

        /// Moves the packed corrections into the sums of the slots.
        func flush() {
            guard pending > 0 else { return }
            for s in 0..<slots {
                let lower = corrections[Int(lowerEntry[s])], higher = corrections[Int(higherEntry[s])]
                let out = sums + 6 * s
                out[1] += Int(together[Int(higherEntry[s])]) + empty
                out[2] -= Int(lower & sumField)
                out[3] -= Int(higher & sumField)
                out[4] -= Int(lower >> 14)
                out[5] -= Int(higher >> 14)
            }
            corrections.update(repeating: 0, count: correctionCount)
            together.update(repeating: 0, count: correctionCount)
            pending = 0
            empty = 0
        }

        /// n, s and q of every pair of the tile over 16-bit masks, entered as
        /// the difference from the tile's share of R − M_a − M_b, S and Q.
        func mask(rows: Int, steps: Int) {
            let bytes = steps * 16
            let masks = self.masks ?? .allocate(byteCount: 2 * rowBytes * columnBytes, alignment: 16)
            self.masks = masks
            let squares = masks + rowBytes * columnBytes
            for k in 0..<items {
                let x = column(k), mk = masks + k * columnBytes, qk = squares + k * columnBytes
                var o = 0
                while o < bytes {
                    let u = x.load(fromByteOffset: o, as: Words.self)
                    // 0xFFFF in the lanes of answers (codes are at most 15).
                    mk.storeBytes(of: 0 &- ((u &+ 0x7FFF) &>> 15), toByteOffset: o, as: Words.self)
                    qk.storeBytes(of: u &* u, toByteOffset: o, as: Words.self)
                    o &+= 16
                }
            }
            let s = tileSums, q = s + items, m = q + items
            for k in 0..<items {
                let xk = UnsafeRawPointer(column(k)), mk = UnsafeRawPointer(masks + k * columnBytes)
                let qk = UnsafeRawPointer(squares + k * columnBytes)
                for slot in first[k]..<first[k + 1] {
                    let j = partners[slot]
                    let xj = UnsafeRawPointer(column(j)), mj = UnsafeRawPointer(masks + j * columnBytes)
                    let qj = UnsafeRawPointer(squares + j * columnBytes)
                    var n = Words(), sk = n, sj = n, qqk = n, qqj = n
                    var o = 0
                    while o < bytes {
                        let a = mk.load(fromByteOffset: o, as: Words.self), b = mj.load(fromByteOffset: o, as: Words.self)
                        n &-= a & b
                        sk &+= xk.load(fromByteOffset: o, as: Words.self) & b
                        sj &+= xj.load(fromByteOffset: o, as: Words.self) & a
                        qqk &+= qk.load(fromByteOffset: o, as: Words.self) & b
                        qqj &+= qj.load(fromByteOffset: o, as: Words.self) & a
                        o &+= 16
                    }
                    let out = sums + 6 * slot
                    out[1] += PairwiseSums.total(n) - (rows - m[k] - m[j])
                    out[2] += PairwiseSums.total(sk) - s[k]
                    out[3] += PairwiseSums.total(sj) - s[j]
                    out[4] += PairwiseSums.total(qqk) - q[k]
                    out[5] += PairwiseSums.total(qqj) - q[j]
                }
            }
        }
    }
}

extension PairwiseMoments {
    /// The covariance and correlation matrices of the items `subset`
    /// (ascending) from exact pairwise sums (see `PairwiseSums`); entries
    /// of pairs not summed are nil.
    init(sums: PairwiseSums, subset: [Int]) {
        let j = subset.count, pairs = sums.pairs
        var cov = [Double?](repeating: nil, count: j * j)
        var cor = [Double?](repeating: nil, count: j * j)
        sums.values.withUnsafeBufferPointer { values in
        pairs.partner.withUnsafeBufferPointer { partner in
            for (i, a) in subset.enumerated() {
                // a's partners ascend, as do the later items of the subset: one walk.
                var slot = pairs.first[a]
                let end = pairs.first[a + 1]
                for k in i..<j {
                    let b = subset[k]
                    while slot < end && Int(partner[slot]) < b { slot += 1 }
                    guard slot < end && Int(partner[slot]) == b else { continue }
                    let v = values.baseAddress! + 6 * slot
                    let n = v[0]
                    guard n >= 2 else { continue }
                    let centred = n * v[5] - v[1] * v[2]
                    let value = Double(centred) / (Double(n) * Double(n - 1))
                    cov[i * j + k] = value
                    cov[k * j + i] = value
                    let va = n * v[3] - v[1] * v[1]
                    let vb = n * v[4] - v[2] * v[2]
                    if va > 0 && vb > 0 {
                        let r = i == k ? 1 : Double(centred) / (Double(va).squareRoot() * Double(vb).squareRoot())
                        cor[i * j + k] = r
                        cor[k * j + i] = r
                    }
                }
            }
        } }
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
            let (n, s, _, q, _, _) = sums.sums(a, a)!
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

/// Item pairs (a, b) with a ≤ b: each item with itself, then its later
/// partners ascending, item after item. Memory O(items + pairs).
struct ItemPairs: Sendable, Equatable {
    let items: Int
    /// Item a's pairs are `first[a] ..< first[a + 1]`; the first is (a, a).
    let first: [Int]
    /// The partner b of each pair.
    let partner: [Int32]
    /// The number of pairs, the diagonal included.
    var count: Int { partner.count }

    /// Every pair of items that share one of `scales` (lists of distinct
    /// item indices, ascending), and each item with itself: the pairs the
    /// scales' covariances read. A single-item scale adds no pair.
    ///
    /// Complexity: O(items + Σ over scales of items²) time, O(items + pairs) memory.
    init(items: Int, scales: [[Int]]) {
        var scalesOf = [[Int]](repeating: [], count: items)
        for (s, list) in scales.enumerated() where list.count > 1 { for a in list { scalesOf[a].append(s) } }
        var first = [0], partner: [Int32] = [], found: [Int] = []
        var marked = [Bool](repeating: false, count: items)
        for a in 0..<items {
            partner.append(Int32(a))
            found.removeAll(keepingCapacity: true)
            for s in scalesOf[a] {
                let list = scales[s]
                // The scale's items after a (ascending lists).
                var low = 0, high = list.count
                while low < high { let mid = (low + high) / 2; if list[mid] <= a { low = mid + 1 } else { high = mid } }
                for b in list[low...] where !marked[b] { marked[b] = true; found.append(b) }
            }
            found.sort()
            for b in found { marked[b] = false; partner.append(Int32(b)) }
            first.append(partner.count)
        }
        self.items = items
        self.first = first
        self.partner = partner
    }

    /// The pairs with `needed[a * items + b]` or `needed[b * items + a]`, and the diagonal.
    init(items: Int, needed: [Bool]) {
        precondition(needed.count == items * items)
        var first = [0], partner: [Int32] = []
        for a in 0..<items {
            for b in a..<items where a == b || needed[a * items + b] || needed[b * items + a] { partner.append(Int32(b)) }
            first.append(partner.count)
        }
        self.items = items
        self.first = first
        self.partner = partner
    }

    /// The index of the pair (a, b), a ≤ b, or nil when it is not one of them.
    func index(_ a: Int, _ b: Int) -> Int? {
        var low = first[a], high = first[a + 1]
        while low < high {
            let mid = (low + high) / 2
            if Int(partner[mid]) < b { low = mid + 1 } else { high = mid }
        }
        return low < first[a + 1] && Int(partner[low]) == b ? low : nil
    }
}
