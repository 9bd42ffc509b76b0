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

    public init(minAnswered: Double = 0.5) {
        self.minAnswered = minAnswered
    }

    /// The number of answered items a scale of `itemCount` items needs:
    /// `max(1, ⌈minAnswered × itemCount⌉)`.
    public func requiredAnswers(itemCount: Int) -> Int {
        let raw = (minAnswered * Double(itemCount) - 1e-9).rounded(.up)
        return Swift.max(1, Int(raw))
    }
}

/// Every respondent's score on every scale.
///
/// A respondent's score on a scale is the mean of their answered items of
/// that scale, after reverse keying (`(min + max) − x`), provided at least
/// `ScoringOptions.requiredAnswers` items are answered; otherwise there is
/// no score. Nothing is imputed.
///
/// Stored compactly: per row and scale, the sum of the keyed answer codes
/// and the number answered in 4 bytes (a Double per score would be 8, and a
/// completeness flag one more); a score is formed from them when read, as
/// `Double(Σ x) / Double(n)` with Σ x the exact integer sum of the answers,
/// the same value either way.
public struct RespondentScores: Sendable {
    /// The number of rows scored.
    public let rowCount: Int
    /// The number of scales (in instrument order).
    public let scaleCount: Int
    /// The number of answers each scale requires.
    public let requiredAnswers: [Int]
    /// The number of items of each scale.
    let scaleSizes: [Int]
    /// Row-major, per row and scale: (Σ keyed codes) << 12 | answered items.
    let packed: [UInt32]
    /// answer − code (the response scale's minimum − 1).
    let codeOffset: Int
    /// The table's answer codes (shared, not copied), for `answeredItems`.
    private let codes: [UInt8]
    private let itemCount: Int

    /// The most items a scale may have for the packed sums (4,095).
    static let maximumScaleSize = 4095

    /// Row-major scores, NaN where there is no score. Made when read
    /// (8 bytes per row and scale); `score(row:scale:)` reads one.
    public var values: [Double] {
        (0..<rowCount * scaleCount).map { value(at: $0, scale: $0 % scaleCount) }
    }

    /// Per row, the number of items answered (of all the instrument's items). Counted when read.
    public var answeredItems: [Int] { (0..<rowCount).map(answered(row:)) }

    /// Row-major, per row and scale: whether every item of the scale is answered. Made when read.
    public var complete: [Bool] {
        (0..<rowCount * scaleCount).map { isComplete(at: $0, scale: $0 % scaleCount) }
    }

    /// The score at row-major position k (row k / scaleCount) of scale s, NaN when none.
    @inline(__always)
    func value(at k: Int, scale s: Int) -> Double {
        Self.value(packed[k], required: requiredAnswers[s], offset: codeOffset)
    }

    /// The score a packed (sum, count) gives, NaN below `required` answers.
    @inline(__always)
    static func value(_ p: UInt32, required: Int, offset: Int) -> Double {
        let n = Int(p & 0xFFF)
        return n >= required ? Double(Int(p >> 12) + n * offset) / Double(n) : .nan
    }

    /// Whether every item of scale s is answered, at row-major position k.
    @inline(__always)
    func isComplete(at k: Int, scale s: Int) -> Bool { Int(packed[k] & 0xFFF) == scaleSizes[s] }

    /// The number of items row r answered.
    public func answered(row r: Int) -> Int {
        var n = 0
        for i in 0..<itemCount where codes[r * itemCount + i] != 0 { n += 1 }
        return n
    }

    /// Scores every row of a table.
    ///
    /// Complexity: O(rows × Σ scale sizes); 4 bytes per row and scale.
    public init(table: ResponseTable, options: ScoringOptions) {
        let instrument = table.instrument
        let itemCount = instrument.items.count
        let scaleItems = instrument.scaleItemIndices
        let required = scaleItems.map { options.requiredAnswers(itemCount: $0.count) }
        precondition(scaleItems.allSatisfy { $0.count <= Self.maximumScaleSize }, "at most 4,095 items per scale")
        // A parent whose children's items are disjoint and make up its own
        // items is summed from its children (one pass over the leaves per
        // row); any other scale from its items.
        let plan = Self.plan(instrument)
        // The loop below writes every row's every slot (the plan has one
        // step per scale), so the array starts uninitialised.
        var packed = [UInt32](unsafeUninitializedCapacity: table.rowCount * scaleItems.count) { $1 = $0.count }
        // The keyed code of every (item, code) at item * 16 + code, 0 for a missing code.
        let keyedCode = table.keyedCodeTable()
        let sizes = scaleItems.map(\.count)
        let scaleCount = scaleItems.count
        // The plan flattened: step k scores scale `stepScale[k]` from the
        // sources `sources[stepStarts[k] ..< stepStarts[k + 1]]`, items or
        // (when `fromChildren[k]`) child scales.
        var stepScale: [Int] = [], stepStarts = [0], sources: [Int] = [], fromChildren: [Bool] = []
        for step in plan {
            stepScale.append(step.scale)
            switch step.source {
            case .items(let items): sources += items; fromChildren.append(false)
            case .children(let children): sources += children; fromChildren.append(true)
            }
            stepStarts.append(sources.count)
        }
        let rowCount = table.rowCount
        // Rows in two halves on two threads; each writes only its own rows.
        let threads = rowCount >= 4096 ? 2 : 1
        packed.withUnsafeMutableBufferPointer { packedOut in
            let out = UncheckedSendableBox(packedOut)
            table.answerCodes.withUnsafeBufferPointer { codes in
                keyedCode.withUnsafeBufferPointer { keyed in
                    // Every table the loop reads, as raw buffers (no bounds
                    // checks or reference counting per answer).
                    let planBuffer = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3 * stepScale.count + 1 + sources.count)
                    defer { planBuffer.deallocate() }
                    let scaleOf = planBuffer.baseAddress!, children = scaleOf + stepScale.count, begins = children + stepScale.count
                    let sourceList = begins + stepStarts.count
                    for k in stepScale.indices { scaleOf[k] = stepScale[k]; children[k] = fromChildren[k] ? 1 : 0 }
                    for k in stepStarts.indices { begins[k] = stepStarts[k] }
                    for k in sources.indices { sourceList[k] = sources[k] }
                    let steps = stepScale.count
                    let keyed = keyed.baseAddress!
                    ParallelWork.run(count: threads, threads: threads) { part in
                        let packedOut = out.value
                        let work = UnsafeMutablePointer<Int>.allocate(capacity: 2 * scaleCount)
                        defer { work.deallocate() }
                        let sums = work, counts = work + scaleCount
                        let first = rowCount * part / threads, end = rowCount * (part + 1) / threads
                        for r in first..<end {
                            let row = codes.baseAddress! + r * itemCount
                            let slots = packedOut.baseAddress! + r * scaleCount
                            for k in 0..<steps {
                                var sum = 0, n = 0
                                if children[k] != 0 {
                                    for position in begins[k]..<begins[k + 1] {
                                        let c = sourceList[position]
                                        sum &+= sums[c]
                                        n &+= counts[c]
                                    }
                                } else {
                                    for position in begins[k]..<begins[k + 1] {
                                        let i = sourceList[position]
                                        let code = Int(row[i])
                                        sum &+= Int(keyed[i &<< 4 &+ code])
                                        n &+= code == 0 ? 0 : 1
                                    }
                                }
                                let scale = scaleOf[k]
                                sums[scale] = sum
                                counts[scale] = n
                                slots[scale] = UInt32(truncatingIfNeeded: sum << 12 | n)
                            }
                        }
                    }
                }
            }
        }
        self.rowCount = table.rowCount
        self.scaleCount = scaleItems.count
        self.requiredAnswers = required
        self.scaleSizes = sizes
        self.packed = packed
        self.codeOffset = instrument.responseScale.min - 1
        self.codes = table.answerCodes
        self.itemCount = itemCount
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
        let v = value(at: r * scaleCount + s, scale: s)
        return v.isNaN ? nil : v
    }

    /// Whether row `r` has a score on at least one scale.
    public func hasAnyScore(row r: Int) -> Bool {
        for s in 0..<scaleCount where Int(packed[r * scaleCount + s] & 0xFFF) >= requiredAnswers[s] { return true }
        return false
    }

    /// The descriptives of every scale's scores over all rows: the same two
    /// passes as `Descriptives` on each scale's column, row by row; the
    /// scales split between two threads (each column's sums in row order).
    func scaleDescriptives() -> [Descriptives] {
        let scaleCount = self.scaleCount, rowCount = self.rowCount, offset = codeOffset
        var n = [Int](repeating: 0, count: scaleCount)
        var sum = [Double](repeating: 0, count: scaleCount), squares = sum
        let parts = rowCount >= 4096 && scaleCount >= 2 ? 2 : 1
        n.withUnsafeMutableBufferPointer { n in
            sum.withUnsafeMutableBufferPointer { sum in
                squares.withUnsafeMutableBufferPointer { squares in
                    let out = UncheckedSendableBox((n, sum, squares))
                    packed.withUnsafeBufferPointer { packed in
                        requiredAnswers.withUnsafeBufferPointer { required in
                            ParallelWork.run(count: parts, threads: parts) { part in
                                let (n, sum, squares) = out.value
                                let scales = (scaleCount * part / parts)..<(scaleCount * (part + 1) / parts)
                                for r in 0..<rowCount {
                                    for s in scales {
                                        let v = Self.value(packed[r * scaleCount + s], required: required[s], offset: offset)
                                        if !v.isNaN { n[s] += 1; sum[s] += v }
                                    }
                                }
                                var mean = [Double](repeating: 0, count: scaleCount)
                                for s in scales { mean[s] = sum[s] / Double(n[s]) }
                                for r in 0..<rowCount {
                                    for s in scales {
                                        let v = Self.value(packed[r * scaleCount + s], required: required[s], offset: offset)
                                        if !v.isNaN { squares[s] += (v - mean[s]) * (v - mean[s]) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<scaleCount).map { Descriptives(ScoreMoments(n: n[$0], sum: sum[$0], squares: squares[$0])) }
    }
}
