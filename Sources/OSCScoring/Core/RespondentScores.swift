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
public struct RespondentScores: Sendable {
    /// The number of rows scored.
    public let rowCount: Int
    /// The number of scales (in instrument order).
    public let scaleCount: Int
    /// Row-major scores, NaN where there is no score.
    public let values: [Double]
    /// Per row, the number of items answered (of all the instrument's items).
    public let answeredItems: [Int]
    /// The number of answers each scale requires.
    public let requiredAnswers: [Int]
    /// Row-major, per row and scale: whether every item of the scale is answered.
    public let complete: [Bool]

    /// Scores every row of a table.
    ///
    /// Complexity: O(rows × Σ scale sizes).
    public init(table: ResponseTable, options: ScoringOptions) {
        let instrument = table.instrument
        let itemCount = instrument.items.count
        let scaleItems = instrument.scaleItemIndices
        let low = instrument.responseScale.min
        let reverseSum = instrument.responseScale.min + instrument.responseScale.max
        // Keyed value of each code per item: code 0 is missing.
        let reversed = instrument.items.map(\.reverse)
        let required = scaleItems.map { options.requiredAnswers(itemCount: $0.count) }
        // A parent whose children's items are disjoint and make up its own
        // items is summed from its children (one pass over the leaves per
        // row); any other scale from its items.
        let plan = Self.plan(instrument)
        // The loop below writes every row's every slot (the plan has one
        // step per scale), so these start uninitialised: filling 40 MB with
        // NaN first would cost a pass of its own at 200,000 rows.
        var values = [Double](unsafeUninitializedCapacity: table.rowCount * scaleItems.count) { $1 = $0.count }
        var answered = [Int](unsafeUninitializedCapacity: table.rowCount) { $1 = $0.count }
        // The keyed answer of every (item, code), 0 for a missing code.
        let width = instrument.responseScale.options + 1
        var keyedValue = [Int](repeating: 0, count: itemCount * width)
        for i in 0..<itemCount {
            for code in 1..<width {
                let x = code - 1 + low
                keyedValue[i * width + code] = reversed[i] ? reverseSum - x : x
            }
        }
        var complete = [Bool](unsafeUninitializedCapacity: table.rowCount * scaleItems.count) { buffer, count in
            buffer.initialize(repeating: false)  // Bool: initialised before the loop overwrites it
            count = buffer.count
        }
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
        values.withUnsafeMutableBufferPointer { valuesOut in
            answered.withUnsafeMutableBufferPointer { answeredOut in
                complete.withUnsafeMutableBufferPointer { completeOut in
                    let out = UncheckedSendableBox((valuesOut, answeredOut, completeOut))
                    table.answerCodes.withUnsafeBufferPointer { codes in
                        keyedValue.withUnsafeBufferPointer { keyedValue in
                            // Every table the loop reads, as raw buffers (no bounds
                            // checks or reference counting per answer).
                            let plan = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * stepScale.count + 2 + sources.count + 2 * scaleCount)
                            defer { plan.deallocate() }
                            let scaleOf = plan.baseAddress!, children = scaleOf + stepScale.count, begins = children + stepScale.count
                            let sourceList = begins + stepStarts.count, sizeOf = sourceList + sources.count, requiredOf = sizeOf + scaleCount
                            for k in stepScale.indices { scaleOf[k] = stepScale[k]; children[k] = fromChildren[k] ? 1 : 0 }
                            for k in stepStarts.indices { begins[k] = stepStarts[k] }
                            for k in sources.indices { sourceList[k] = sources[k] }
                            for k in 0..<scaleCount { sizeOf[k] = sizes[k]; requiredOf[k] = required[k] }
                            let steps = stepScale.count
                            let keyed = keyedValue.baseAddress!
                            ParallelWork.run(count: threads, threads: threads) { part in
                                let (valuesOut, answeredOut, completeOut) = out.value
                                let work = UnsafeMutablePointer<Int>.allocate(capacity: 2 * scaleCount)
                                defer { work.deallocate() }
                                let sums = work, counts = work + scaleCount
                                let first = rowCount * part / threads, end = rowCount * (part + 1) / threads
                                for r in first..<end {
                                    let row = codes.baseAddress! + r * itemCount
                                    var count = 0
                                    for i in 0..<itemCount { count &+= row[i] != 0 ? 1 : 0 }
                                    answeredOut[r] = count
                                    let scores = valuesOut.baseAddress! + r * scaleCount, complete = completeOut.baseAddress! + r * scaleCount
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
                                                sum &+= keyed[i &* width &+ code]
                                                n &+= code == 0 ? 0 : 1
                                            }
                                        }
                                        let scale = scaleOf[k]
                                        sums[scale] = sum
                                        counts[scale] = n
                                        complete[scale] = n == sizeOf[scale]
                                        scores[scale] = n >= requiredOf[scale] ? Double(sum) / Double(n) : .nan
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        self.rowCount = table.rowCount
        self.scaleCount = scaleItems.count
        self.values = values
        self.answeredItems = answered
        self.requiredAnswers = required
        self.complete = complete
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
        let v = values[r * scaleCount + s]
        return v.isNaN ? nil : v
    }

    /// Whether row `r` has a score on at least one scale.
    public func hasAnyScore(row r: Int) -> Bool {
        for s in 0..<scaleCount where !values[r * scaleCount + s].isNaN { return true }
        return false
    }
}
