// Respondent scale scores: the mean of the answered items of each scale.

/// How respondent scale scores are formed.
public struct ScoringOptions: Sendable, Equatable {
    /// The fraction of a scale's items a respondent must answer for a score
    /// (0 to 1; 0 means at least one answer).
    ///
    /// The default, 0.5, scores a scale when at least half of its items are
    /// answered: the "half rule" common in scale scoring, which keeps
    /// respondents who skipped an item or two while refusing a score that
    /// would rest on a small part of the scale.
    public var minAnswered: Double = 0.5

    /// Options with this fraction of a scale's items to answer for a score (default 0.5, the half rule; JSON `minAnswered` in `settings`).
    public init(minAnswered: Double = 0.5) {
        self.minAnswered = minAnswered
    }

    /// The number of answered items a scale of `itemCount` items needs:
    /// `max(1, ⌈minAnswered × itemCount⌉)`, at most `itemCount` (a
    /// `minAnswered` above 1, which the command line refuses, asks for every item).
    public func requiredAnswers(itemCount: Int) -> Int {
        let raw = (minAnswered * Double(itemCount) - 1e-9).rounded(.up)
        guard raw.isFinite else { return raw > 0 ? Swift.max(1, itemCount) : 1 }
        return Swift.max(1, Swift.min(itemCount, Int(Swift.max(-1, Swift.min(raw, Double(itemCount))))))
    }
}

/// Every respondent's score on every scale.
///
/// A respondent's score on a scale is the mean of their answered items of
/// that scale, after reverse keying (`(min + max) − x`), provided at least
/// `ScoringOptions.requiredAnswers` items are answered; otherwise there is
/// no score. Nothing is imputed.
///
/// Nothing is stored per row: a score is formed from the table's answer
/// codes (shared with the table, not copied) when it is read, as
/// `Double(Σ x) / Double(n)` with Σ x the exact integer sum of the keyed
/// answers, so it is the same value however often it is read. The report's
/// summaries take every row's scores in one pass (`ScoreSummaries`).
public struct RespondentScores: Sendable {
    /// The number of rows scored.
    public let rowCount: Int
    /// The number of scales (in instrument order).
    public let scaleCount: Int
    /// The number of answers each scale requires.
    public let requiredAnswers: [Int]
    /// The number of items of each scale.
    let scaleSizes: [Int]
    /// answer − code (the response scale's minimum − 1).
    let codeOffset: Int
    /// The table's answer codes (shared, not copied).
    let codes: [UInt8]
    let itemCount: Int
    /// How a row's per-scale sums are formed (children before parents).
    let plan: ScoringPlan
    private let scaleItems: [[Int]]

    /// The most items a scale may have for the packed sums (4,095); the
    /// instruments' limit, `Scale.maximumItems`, is lower.
    static let maximumScaleSize = 4095

    /// Row-major scores, NaN where there is no score. Made when read
    /// (8 bytes per row and scale); `score(row:scale:)` reads one.
    public var values: [Double] {
        var out = [Double](repeating: .nan, count: rowCount * scaleCount)
        forEachRow { r, packed in
            for s in 0..<scaleCount { out[r * scaleCount + s] = Self.value(packed[s], required: requiredAnswers[s], offset: codeOffset) }
        }
        return out
    }

    /// Per row, the number of items answered (of all the instrument's items). Counted when read.
    public var answeredItems: [Int] { (0..<rowCount).map(answered(row:)) }

    /// Row-major, per row and scale: whether every item of the scale is answered. Made when read.
    public var complete: [Bool] {
        var out = [Bool](repeating: false, count: rowCount * scaleCount)
        forEachRow { r, packed in
            for s in 0..<scaleCount { out[r * scaleCount + s] = Int(packed[s] & 0xFFF) == scaleSizes[s] }
        }
        return out
    }

    /// The score a packed (sum << 12 | count) gives, NaN below `required` answers.
    @inline(__always)
    static func value(_ p: UInt32, required: Int, offset: Int) -> Double {
        let n = Int(p & 0xFFF)
        return n >= required ? Double(Int(p >> 12) + n * offset) / Double(n) : .nan
    }

    /// Row r's packed sum and count on scale s, from the scale's items.
    func packed(row r: Int, scale s: Int) -> UInt32 {
        codes.withUnsafeBufferPointer { codes in
            scaleItems[s].withUnsafeBufferPointer { items in plan.pack(row: codes.baseAddress! + r * itemCount, items: items) }
        }
    }

    /// Row r's score on scale s, NaN when there is none.
    func value(row r: Int, scale s: Int) -> Double {
        Self.value(packed(row: r, scale: s), required: requiredAnswers[s], offset: codeOffset)
    }

    /// Whether row r answered every item of scale s.
    func isComplete(row r: Int, scale s: Int) -> Bool { Int(packed(row: r, scale: s) & 0xFFF) == scaleSizes[s] }

    /// The number of items row r answered.
    public func answered(row r: Int) -> Int {
        var n = 0
        for i in 0..<itemCount where codes[r * itemCount + i] != 0 { n += 1 }
        return n
    }

    /// Prepares the scoring of every row of a table (no pass over the rows).
    ///
    /// Complexity: O(items + Σ scale sizes); each score read costs O(its scale's size).
    public init(table: ResponseTable, options: ScoringOptions) {
        let instrument = table.instrument
        let scaleItems = instrument.scaleItemIndices
        precondition(scaleItems.allSatisfy { $0.count <= Self.maximumScaleSize }, "at most 4,095 items per scale")
        self.rowCount = table.rowCount
        self.scaleCount = scaleItems.count
        self.requiredAnswers = scaleItems.map { options.requiredAnswers(itemCount: $0.count) }
        self.scaleSizes = scaleItems.map(\.count)
        self.codeOffset = instrument.responseScale.min - 1
        self.codes = table.answerCodes
        self.itemCount = instrument.items.count
        self.scaleItems = scaleItems
        self.plan = ScoringPlan(instrument: instrument, keyedCode: table.keyedCodeTable())
    }

    /// Calls `body(r, packed)` for rows `rows` in order, with the row's
    /// packed sums (`scaleCount` of them, valid during the call).
    func forEachRow(_ rows: Range<Int>? = nil, _ body: (Int, UnsafePointer<UInt32>) throws -> Void) rethrows {
        let work = UnsafeMutablePointer<Int>.allocate(capacity: 2 * scaleCount)
        let slots = UnsafeMutablePointer<UInt32>.allocate(capacity: scaleCount)
        defer { work.deallocate(); slots.deallocate() }
        try codes.withUnsafeBufferPointer { codes in
            for r in rows ?? 0..<rowCount {
                plan.pack(row: codes.baseAddress! + r * itemCount, work: work, into: slots)
                try body(r, slots)
            }
        }
    }

    /// How one scale's sum and count are formed.
    struct Step {
        enum Source { case items([Int]), children([Int]) }
        let scale: Int
        let source: Source
    }

    /// Steps in an order where children come before their parents.
    static func plan(_ instrument: Instrument) -> [Step] {
        var done = [Bool](repeating: false, count: instrument.scales.count)
        var steps: [Step] = []
        func visit(_ s: Int) {
            guard !done[s] else { return }
            done[s] = true
            let children = instrument.scales[s].childIDs.compactMap { instrument.scaleIndex(of: $0) }
            children.forEach(visit)
            let childItems = children.flatMap { instrument.scaleItemIndices[$0] }
            let disjoint = Set(childItems).count == childItems.count && childItems.count == instrument.scaleItemIndices[s].count
            steps.append(Step(scale: s, source: !children.isEmpty && disjoint ? .children(children) : .items(instrument.scaleItemIndices[s])))
        }
        instrument.scales.indices.forEach(visit)
        return steps
    }

    /// The score of row `r` on scale `s`, nil when there is none.
    public func score(row r: Int, scale s: Int) -> Double? {
        let v = value(row: r, scale: s)
        return v.isNaN ? nil : v
    }

    /// Whether row `r` has a score on at least one scale.
    public func hasAnyScore(row r: Int) -> Bool {
        for s in 0..<scaleCount where Int(packed(row: r, scale: s) & 0xFFF) >= requiredAnswers[s] { return true }
        return false
    }
}

/// The scoring steps of `RespondentScores.plan` flattened into raw buffers,
/// so that packing a row (once per row in a pass) reads no arrays: a parent
/// whose children's items are disjoint and make up its own items is summed
/// from its children (one pass over the leaves per row); any other scale
/// from its items.
final class ScoringPlan: @unchecked Sendable {
    let scaleCount: Int
    private let steps: Int
    private let buffer: UnsafeMutableBufferPointer<Int>
    private let keyed: UnsafeMutableBufferPointer<UInt8>
    /// Step k scores scale `scaleOf[k]` from `sources[begins[k] ..< begins[k + 1]]`,
    /// items, or child scales when `children[k] != 0`.
    private let scaleOf: UnsafeMutablePointer<Int>, children: UnsafeMutablePointer<Int>
    private let begins: UnsafeMutablePointer<Int>, sources: UnsafeMutablePointer<Int>

    /// Whether the keying is `c` or `options + 1 − c` on codes 1…options
    /// and 0 elsewhere for every item (as `ResponseTable.keyedCodeTable`
    /// makes it): then `keyRow` keys a row sixteen codes at a time.
    let isAffine: Bool
    /// 16-byte vectors per row (items rounded up to 16).
    let rowVectors: Int
    /// Per item, then 0 up to `rowVectors × 16`: 0xFF for a reversed
    /// item, else 0; and options + 1 where reversed, else 0.
    private let flips: UnsafeMutablePointer<UInt8>, tops: UnsafeMutablePointer<UInt8>
    private let options: UInt8
    /// log2 of the weight W that `keyRow` adds to every answered code, or
    /// 0 for none: a power of two above `options` × the items of the
    /// largest scale scored from its items, so that over a scale's items
    /// Σ (W + code) = W n + S with S < W, and one sum gives both n
    /// (the high bits) and S (the low bits). 0 when W + options would not
    /// fit a byte, or the keying is not affine.
    let answerShift: Int

    init(instrument: Instrument, keyedCode: [UInt8]) {
        let itemCount = instrument.items.count, options = instrument.responseScale.options
        rowVectors = (itemCount + 15) / 16
        flips = .allocate(capacity: max(1, rowVectors * 16))
        flips.initialize(repeating: 0, count: max(1, rowVectors * 16))
        tops = .allocate(capacity: max(1, rowVectors * 16))
        tops.initialize(repeating: 0, count: max(1, rowVectors * 16))
        var affine = options >= 1 && options <= 15 && keyedCode.count == itemCount * 16
        for i in 0..<itemCount where affine {
            let codes = keyedCode[i * 16..<i * 16 + 16].map(Int.init)
            let forward = (0..<16).allSatisfy { c in codes[c] == (c >= 1 && c <= options ? c : 0) }
            let reversed = (0..<16).allSatisfy { c in codes[c] == (c >= 1 && c <= options ? options + 1 - c : 0) }
            // Either reading does for one option; forward then.
            if forward { continue }
            if reversed {
                flips[i] = 0xFF
                tops[i] = UInt8(options + 1)
            } else {
                affine = false
            }
        }
        self.isAffine = affine
        self.options = UInt8(truncatingIfNeeded: max(0, min(options, 255)))
        var stepScale: [Int] = [], stepStarts = [0], sourceList: [Int] = [], fromChildren: [Int] = []
        var largestFromItems = 0
        for step in RespondentScores.plan(instrument) {
            stepScale.append(step.scale)
            switch step.source {
            case .items(let items): sourceList += items; fromChildren.append(0); largestFromItems = max(largestFromItems, items.count)
            case .children(let children): sourceList += children; fromChildren.append(1)
            }
            stepStarts.append(sourceList.count)
        }
        var shift = 1
        while shift < 8 && 1 << shift <= options * largestFromItems { shift += 1 }
        answerShift = affine && shift < 8 && (1 << shift) + options <= 255 ? shift : 0
        scaleCount = instrument.scales.count
        steps = stepScale.count
        buffer = .allocate(capacity: 3 * steps + 1 + sourceList.count)
        _ = buffer.initialize(from: stepScale + fromChildren + stepStarts + sourceList)
        scaleOf = buffer.baseAddress!
        children = scaleOf + steps
        begins = children + steps
        sources = begins + steps + 1
        keyed = .allocate(capacity: keyedCode.count)
        _ = keyed.initialize(from: keyedCode)
    }

    deinit {
        buffer.deallocate()
        keyed.deallocate()
        flips.deallocate()
        tops.deallocate()
    }

    /// Writes the keyed codes of a row to `out` (`rowVectors × 16` bytes;
    /// past the items, bytes of no meaning), reading `rowVectors × 16`
    /// bytes from `row`. Only when `isAffine`. A reversed item's code c
    /// becomes (c ^ 0xFF) − 0xFF + top = top − c; an answered code gets
    /// the weight 2^`answerShift` added (none when that is 0); a code
    /// outside 1…options becomes 0, as in the table.
    @inline(__always)
    func keyRow(_ row: UnsafeRawPointer, into out: UnsafeMutableRawPointer) {
        typealias Bytes = SIMD16<UInt8>
        let zero = Bytes(), top = Bytes(repeating: options)
        let weighted = Bytes(repeating: answerShift == 0 ? 0 : UInt8(truncatingIfNeeded: 1 << answerShift))
        for v in 0..<rowVectors {
            let o = v &* 16
            let c = row.loadUnaligned(fromByteOffset: o, as: Bytes.self)
            let m = UnsafeRawPointer(flips).loadUnaligned(fromByteOffset: o, as: Bytes.self)
            let t = UnsafeRawPointer(tops).loadUnaligned(fromByteOffset: o, as: Bytes.self)
            let keyedCodes = ((c ^ m) &- m) &+ t &+ weighted
            let valid = (c .!= zero) .& (c .<= top)
            out.storeBytes(of: zero.replacing(with: keyedCodes, where: valid), toByteOffset: o, as: Bytes.self)
        }
    }

    /// As `pack(row:work:into:)` from a row keyed by `keyRow` (0 for missing):
    /// the same sums without a table look-up per answer; with an answer
    /// weight (`answerShift` > 0), one addition per answer.
    @inline(__always)
    func pack(keyedRow row: UnsafePointer<UInt8>, work: UnsafeMutablePointer<Int>, into slots: UnsafeMutablePointer<UInt32>) {
        let sums = work, counts = work + scaleCount
        let steps = self.steps, shift = answerShift
        let scaleOf = self.scaleOf, children = self.children, begins = self.begins, sources = self.sources
        // The positions walked by pointer (a `Range` loop costs a check of
        // its bounds and its own counter per answer).
        var position = sources + begins[0]
        for k in 0..<steps {
            var sum = 0, n = 0
            let end = sources + begins[k &+ 1]
            if children[k] != 0 {
                while position < end {
                    let c = position.pointee
                    sum &+= sums[c]
                    n &+= counts[c]
                    position += 1
                }
            } else if shift != 0 {
                // Σ (W + code) over the answered items: W n + S, S < W.
                var total = 0
                while position < end {
                    total &+= Int(row[position.pointee])
                    position += 1
                }
                n = total &>> shift
                sum = total & (1 &<< shift &- 1)
            } else {
                while position < end {
                    let x = Int(row[position.pointee])
                    sum &+= x
                    n &+= (x &+ 255) &>> 8  // 1 when answered (x in 1...255)
                    position += 1
                }
            }
            let scale = scaleOf[k]
            sums[scale] = sum
            counts[scale] = n
            slots[scale] = UInt32(truncatingIfNeeded: sum << 12 | n)
        }
    }

    /// Adds to `sum` a row's keyed codes over `items[positions]`, and to
    /// `answered` how many of them are answered.
    @inline(__always)
    private static func add(row: UnsafePointer<UInt8>, items: UnsafePointer<Int>, _ positions: Range<Int>, keyed: UnsafePointer<UInt8>,
                            sum: inout Int, answered n: inout Int) {
        // Walked by pointer, as in `pack(keyedRow:work:into:)`.
        var position = items + positions.lowerBound
        let end = items + positions.upperBound
        while position < end {
            let i = position.pointee
            let code = Int(row[i])
            sum &+= Int(keyed[i &<< 4 &+ code])
            n &+= code == 0 ? 0 : 1
            position += 1
        }
    }

    /// A row's (Σ keyed codes) << 12 | answered over `items` (one scale's).
    func pack(row: UnsafePointer<UInt8>, items: UnsafeBufferPointer<Int>) -> UInt32 {
        var sum = 0, n = 0
        Self.add(row: row, items: items.baseAddress!, 0..<items.count, keyed: keyed.baseAddress!, sum: &sum, answered: &n)
        return UInt32(truncatingIfNeeded: sum << 12 | n)
    }

    /// Writes row `row`'s (Σ keyed codes) << 12 | answered of every scale
    /// to `slots` (`scaleCount` of them); `work` holds 2 × `scaleCount` Ints.
    @inline(__always)
    func pack(row: UnsafePointer<UInt8>, work: UnsafeMutablePointer<Int>, into slots: UnsafeMutablePointer<UInt32>) {
        // Everything in locals: stores through `work` and `slots` could
        // otherwise alias this object's fields, which would then be reloaded
        // on every answer.
        let sums = work, counts = work + scaleCount
        let keyed = self.keyed.baseAddress!, steps = self.steps
        let scaleOf = self.scaleOf, children = self.children, begins = self.begins, sources = self.sources
        for k in 0..<steps {
            var sum = 0, n = 0
            let first = begins[k], end = begins[k + 1]
            if children[k] != 0 {
                var position = sources + first
                while position < sources + end {
                    let c = position.pointee
                    sum &+= sums[c]
                    n &+= counts[c]
                    position += 1
                }
            } else {
                Self.add(row: row, items: sources, first..<end, keyed: keyed, sum: &sum, answered: &n)
            }
            let scale = scaleOf[k]
            sums[scale] = sum
            counts[scale] = n
            slots[scale] = UInt32(truncatingIfNeeded: sum << 12 | n)
        }
    }
}
