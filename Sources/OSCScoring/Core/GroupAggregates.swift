// Per-school and per-authority aggregates of respondents' scale scores.

/// A school's aggregate on one scale.
package struct SchoolScaleScore: Sendable, Equatable {
    /// Respondents with a score on the scale.
    package let n: Int
    /// Mean of their scores; nil when `n == 0`.
    package let mean: Double?
    /// Sample standard deviation of their scores; nil when `n < 2`.
    package let sd: Double?
}

/// One school: the rows that carry its (authority, school) pair.
package struct SchoolAggregate: Sendable, Equatable {
    package let key: SchoolKey
    /// Data rows in the school, scored or not.
    package let rows: Int
    /// Rows with at least one scale score.
    package let respondents: Int
    /// One entry per scale, in instrument order.
    package let scores: [SchoolScaleScore]
    /// The table rows of the school (indices into the table), in file order.
    package var rowIndices: [Int] { rows32.map(Int.init) }
    /// The same, as stored: 4 bytes per row.
    let rows32: [Int32]
}

/// An authority's aggregate on one scale.
package struct AuthorityScaleScore: Sendable, Equatable {
    /// Included schools with a mean on the scale.
    package let schools: Int
    /// The schools (indices into the schools list) whose respondents enter
    /// the aggregate: those whose verdict on the scale allows aggregation,
    /// or all with `--include-all-schools`.
    package let includedSchools: [Int]
    /// The schools left out of the aggregate because their verdict failed.
    package let excludedSchools: [Int]
    /// Respondents with a score on the scale.
    package let n: Int
    /// The unit-weighted mean of its school means; nil when no school has one.
    package let mean: Double?
    /// The mean over its respondents (respondent-weighted); nil when `n == 0`.
    package let respondentMean: Double?
    /// The sample standard deviation of its school means; nil with fewer than two.
    package let sd: Double?
}

/// One local authority and the schools under it.
package struct AuthorityAggregate: Sendable, Equatable {
    package let id: String
    /// Indices into the schools list.
    package let schoolIndices: [Int]
    /// Rows with at least one scale score, over its schools.
    package let respondents: Int
    /// One entry per scale, in instrument order.
    package let scores: [AuthorityScaleScore]
}

/// Groups rows into schools and schools into authorities.
package enum GroupAggregation {
    /// Aggregates scored rows by school. Rows without a school are left out;
    /// schools are ordered by authority, then school id (natural order).
    ///
    /// Complexity: O(rows × Σ scale sizes).
    package static func schools(table: ResponseTable, scores: RespondentScores) -> [SchoolAggregate] {
        summaries(table: table, scores: scores, threads: 1).schools
    }

    /// Everything the report needs from the respondents' scores, in one
    /// pass over the rows on up to `threads` threads: the
    /// schools with their summaries per scale (over scored rows and over
    /// complete rows), the sample-wide descriptives of each scale, and each
    /// row's status (scored; complete on which scales). Scores are formed
    /// from the answers as each row is read; nothing is stored per row and
    /// scale.
    ///
    /// Each summary is a `ScoreSums`: exact integer sums while the rows
    /// have the same number of answers (complete rows always do), else sums
    /// about a shift with a bounded error; see there.
    ///
    /// Rows are read in file order (scattering them by school was 7 times
    /// slower at 800,000 rows: a page miss per row). Schools are split into
    /// one range of positions per thread (rows without a school go with the
    /// first): each thread reads every row's school and scores only its own
    /// rows, so a school's sums accumulate in its rows' order whatever the
    /// number of threads. The sample-wide summaries are exact integer sums
    /// per scale and number of answers m (`IntegerSums`), added over the
    /// threads and then pooled over m (`ScoreMoments.pooled`).
    static func summaries(table: ResponseTable, scores: RespondentScores, threads: Int) -> ScoreSummaries {
        // Each school's rows, in file order (each list made at its size).
        let distinct = table.distinctSchools.count
        var schoolSizes = [Int](repeating: 0, count: distinct)
        for j in table.rowSchools where j >= 0 { schoolSizes[Int(j)] += 1 }
        precondition(table.rowCount < Int(Int32.max), "fewer than 2³¹ rows")
        var rowsOf = schoolSizes.map { size -> [Int32] in
            var rows: [Int32] = []
            rows.reserveCapacity(size)
            return rows
        }
        for (r, j) in table.rowSchools.enumerated() where j >= 0 { rowsOf[Int(j)].append(Int32(truncatingIfNeeded: r)) }
        let order = SchoolKey.sortedIndices(table.distinctSchools)
        PhaseTrace.mark("schools: order")
        let scaleCount = scores.scaleCount, schoolCount = order.count, rowCount = table.rowCount
        var positionOf = [Int](repeating: 0, count: distinct)
        for (position, index) in order.enumerated() { positionOf[index] = position }
        let cells = schoolCount * scaleCount
        // One part per thread (at least 2,048 rows a part): the schools split by position.
        let parts = threads > 1 && rowCount >= 4096 ? max(1, min(threads, rowCount / 2048, schoolCount)) : 1
        // Per school and scale, side by side (one or two cache lines): the
        // sums over scored rows and over complete rows. Per part, scale and
        // number of answers m: integer sums over all scored rows.
        let sizes = scores.scaleSizes
        var mStart = [0]
        for size in sizes { mStart.append(mStart.last! + size + 1) }
        let mCells = mStart.last!
        let cellSums = UnsafeMutableBufferPointer<SchoolScaleSums>.allocate(capacity: cells)
        defer { cellSums.deallocate() }
        cellSums.initialize(repeating: SchoolScaleSums())
        let sampleSums = UnsafeMutableBufferPointer<IntegerSums>.allocate(capacity: parts * mCells)
        defer { sampleSums.deallocate() }
        sampleSums.initialize(repeating: IntegerSums())
        let cell = cellSums.baseAddress!, sample = sampleSums.baseAddress!
        var scored = [Int](repeating: 0, count: schoolCount)
        var status = RowStatus(rows: rowCount, scales: scaleCount)
        let words = status.words
        let required = scores.requiredAnswers, offset = scores.codeOffset
        let plan = scores.plan, itemCount = scores.itemCount
        // What the pass reads of each scale, side by side (one pointer for three arrays).
        let scaleInfo = (0..<scaleCount).map { s in (required: required[s], size: sizes[s], mStart: mStart[s]) }
        scores.codes.withUnsafeBufferPointer { codes in
        status.bits.withUnsafeMutableBufferPointer { bits in
        scaleInfo.withUnsafeBufferPointer { info in
        table.rowSchools.withUnsafeBufferPointer { rowSchools in
        positionOf.withUnsafeBufferPointer { positionOf in
        scored.withUnsafeMutableBufferPointer { scored in
            let shared = UncheckedSendableBox((scored, bits))
            ParallelWork.run(count: parts, threads: parts) { part in
                let (scored, bits) = shared.value
                let low = schoolCount * part / parts, high = schoolCount * (part + 1) / parts
                let work = UnsafeMutablePointer<Int>.allocate(capacity: 2 * scaleCount)
                let slots = UnsafeMutablePointer<UInt32>.allocate(capacity: scaleCount)
                // A row keyed sixteen codes at a time (affine keying), and
                // a padded copy for the last rows, where a vector would
                // read past the codes.
                let vectorBytes = plan.rowVectors * 16
                let keyedRow = UnsafeMutableRawPointer.allocate(byteCount: max(16, vectorBytes), alignment: 16)
                let padded = UnsafeMutableRawPointer.allocate(byteCount: max(16, vectorBytes), alignment: 16)
                padded.initializeMemory(as: UInt8.self, repeating: 0, count: max(16, vectorBytes))
                defer { work.deallocate(); slots.deallocate(); keyedRow.deallocate(); padded.deallocate() }
                let keyedBytes = UnsafePointer(keyedRow.bindMemory(to: UInt8.self, capacity: max(16, vectorBytes)))
                let mine = sample + part * mCells
                let affine = plan.isAffine, codeCount = codes.count
                // Row r (of the school at `position`, −1 for none).
                func add(row r: Int, position: Int) {
                    let start = codes.baseAddress! + r &* itemCount
                    if affine {
                        var source = UnsafeRawPointer(start)
                        if r &* itemCount &+ vectorBytes > codeCount {
                            padded.copyMemory(from: source, byteCount: itemCount)
                            source = UnsafeRawPointer(padded)
                        }
                        plan.keyRow(source, into: keyedRow)
                        plan.pack(keyedRow: keyedBytes, work: work, into: slots)
                    } else {
                        plan.pack(row: start, work: work, into: slots)
                    }
                    let base = position &* scaleCount
                    let flags = bits.baseAddress! + r &* words
                    // The row's first status word, written once; whether the
                    // row is complete on a scale is used without a branch
                    // (it varies from row to row: a branch would be mispredicted).
                    var first: UInt32 = 0
                    for s in 0..<scaleCount {
                        let answers = Int(slots[s] & 0xFFF), codeSum = Int(slots[s] >> 12)
                        let scale = info[s]
                        guard answers >= scale.required else { continue }
                        first |= 1
                        mine[scale.mStart &+ answers].add(codeSum)
                        let complete = answers == scale.size ? 1 : 0
                        let (word, bit) = RowStatus.place(scale: s)
                        let mask = bit & UInt32(truncatingIfNeeded: 0 &- complete)
                        if word == 0 { first |= mask } else { flags[word] |= mask }
                        guard position >= 0 else { continue }
                        cell[base &+ s].all.add(codeSum: codeSum, answers: answers, offset: offset)
                        cell[base &+ s].complete.add(codeSum, times: complete)
                    }
                    flags[0] |= first
                    if position >= 0 { scored[position] &+= Int(first & 1) }
                }
                // Rows in file order (the codes stream from memory); a
                // thread scores the rows of its half of the schools.
                for r in 0..<rowCount {
                    let j = Int(rowSchools[r])
                    let position = j >= 0 ? positionOf[j] : -1
                    if position >= 0 ? position < low || position >= high : part != 0 { continue }
                    add(row: r, position: position)
                }
            }
        } } } } } }
        PhaseTrace.mark("schools: pass")
        let allMoments = (0..<cells).map { cell[$0].all.moments(offset: offset) }
        let completeMoments = (0..<cells).map { cell[$0].complete.moments(answers: sizes[$0 % scaleCount], offset: offset) }
        let schools = order.enumerated().map { position, index in
            let perScale = (0..<scaleCount).map { s in
                let d = Descriptives(allMoments[position * scaleCount + s])
                return SchoolScaleScore(n: d.n, mean: d.mean, sd: d.sd)
            }
            return SchoolAggregate(key: table.distinctSchools[index], rows: rowsOf[index].count, respondents: scored[position],
                                   scores: perScale, rows32: rowsOf[index])
        }
        // Each scale's sample: the exact summaries of its rows with m
        // answers (all parts added), pooled over m.
        let descriptives = (0..<scaleCount).map { s in
            Descriptives(ScoreMoments.pooled((required[s]...sizes[s]).map { m in
                var sums = IntegerSums()
                for part in 0..<parts { sums.merge(sample[part * mCells + mStart[s] + m]) }
                return sums.moments(answers: m, offset: offset)
            }))
        }
        return ScoreSummaries(schools: schools, moments: SchoolMoments(scaleCount: scaleCount, all: allMoments, complete: completeMoments),
                              scaleDescriptives: descriptives, status: status)
    }

    /// Each school's summaries (in the order of the schools list) from its rows.
    static func moments(schools: [SchoolAggregate], scores: RespondentScores) -> SchoolMoments {
        let scaleCount = scores.scaleCount
        var all: [ScoreMoments] = [], complete: [ScoreMoments] = []
        for school in schools {
            for s in 0..<scaleCount {
                all.append(ScoreMoments(school.rowIndices.lazy.map { scores.value(row: $0, scale: s) }))
                complete.append(ScoreMoments(school.rowIndices.lazy.filter { scores.isComplete(row: $0, scale: s) }
                    .map { scores.value(row: $0, scale: s) }))
            }
        }
        return SchoolMoments(scaleCount: scaleCount, all: all, complete: complete)
    }

    /// For each school, the index of its authority among the authorities in
    /// order of first appearance (the order of `authorities(...)`), −1 without one.
    /// Authorities are told apart by the UTF-8 bytes of their ids.
    package static func authorityIndices(schools: [SchoolAggregate]) -> [Int] {
        var index: [[UInt8]: Int] = [:]
        return schools.map { school in
            guard let a = school.key.authority.map({ Array($0.utf8) }) else { return -1 }
            if let k = index[a] { return k }
            let k = index.count
            index[a] = k
            return k
        }
    }

    /// Aggregates schools by authority. Schools without an authority are left
    /// out; on each scale, so are the schools for which `include(school, scale)`
    /// is false (their verdict failed).
    package static func authorities(schools: [SchoolAggregate], scores: RespondentScores,
                                   include: (Int, Int) -> Bool = { _, _ in true }) -> [AuthorityAggregate] {
        authorities(schools: schools, moments: moments(schools: schools, scores: scores), include: include)
    }

    /// `authorities(schools:scores:include:)` from the schools' summaries.
    static func authorities(schools: [SchoolAggregate], moments: SchoolMoments,
                            include: (Int, Int) -> Bool = { _, _ in true }) -> [AuthorityAggregate] {
        let scaleCount = moments.scaleCount
        let authorityOfSchool = authorityIndices(schools: schools)
        var members = [[Int]](repeating: [], count: (authorityOfSchool.max() ?? -1) + 1)
        for (j, a) in authorityOfSchool.enumerated() where a >= 0 { members[a].append(j) }
        return members.map { indices in
            let id = schools[indices[0]].key.authority!
            let perScale = (0..<scaleCount).map { s in
                let included = indices.filter { include($0, s) }
                let schoolMeans = Descriptives(included.compactMap { schools[$0].scores[s].mean })
                let respondents = ScoreMoments.pooled(included.lazy.map { moments.all[$0 * scaleCount + s] })
                return AuthorityScaleScore(schools: schoolMeans.n, includedSchools: included,
                                           excludedSchools: indices.filter { !include($0, s) }, n: respondents.n,
                                           mean: schoolMeans.mean, respondentMean: respondents.n > 0 ? respondents.mean : nil,
                                           sd: schoolMeans.sd)
            }
            return AuthorityAggregate(id: id, schoolIndices: indices,
                                      respondents: indices.reduce(0) { $0 + schools[$1].respondents }, scores: perScale)
        }
    }
}

/// Per school (in the order of the schools list) and scale, the summaries
/// of the school's scores: `all[j * scaleCount + s]` over its respondents
/// with a score, `complete[j * scaleCount + s]` over those who answered
/// every item of the scale (the listwise rule).
struct SchoolMoments: Sendable {
    let scaleCount: Int
    let all: [ScoreMoments]
    let complete: [ScoreMoments]
}

/// What `GroupAggregation.summaries` gives: the schools and their
/// summaries, the sample-wide descriptives of each scale, and each row's status.
struct ScoreSummaries {
    let schools: [SchoolAggregate]
    let moments: SchoolMoments
    /// Per scale, over every row with a score on it.
    let scaleDescriptives: [Descriptives]
    let status: RowStatus
}

/// Per row, a few bits: whether the row has a score on some scale, and on
/// which scales it answered every item (the listwise rule). `words` UInt32
/// per row; bit 0 of the first is "scored", bit s + 1 is "complete on scale s".
struct RowStatus: Sendable {
    let words: Int
    var bits: [UInt32]

    init(rows: Int, scales: Int) {
        words = (scales + 1 + 31) / 32
        bits = [UInt32](repeating: 0, count: rows * words)
    }

    /// The plain path (for tests): every row's status from its scores.
    init(scores: RespondentScores) {
        self.init(rows: scores.rowCount, scales: scores.scaleCount)
        for r in 0..<scores.rowCount {
            if scores.hasAnyScore(row: r) { bits[r * words] |= 1 }
            for s in 0..<scores.scaleCount where scores.isComplete(row: r, scale: s) {
                let (word, bit) = Self.place(scale: s)
                bits[r * words + word] |= bit
            }
        }
    }

    /// Whether row r has a score on some scale.
    func isScored(row r: Int) -> Bool { bits[r * words] & 1 != 0 }

    /// Whether row r answered every item of scale s.
    @inline(__always)
    func isComplete(row r: Int, scale s: Int) -> Bool { Self.isComplete(bits: bits, at: r * words, scale: s) }

    /// The word (from a row's first) and the bit of "complete on scale s".
    @inline(__always)
    static func place(scale s: Int) -> (word: Int, bit: UInt32) { ((s &+ 1) >> 5, 1 << UInt32((s &+ 1) & 31)) }

    /// Whether the row whose words start at `first` in `bits` (indexed from 0) is complete on scale s.
    @inline(__always)
    static func isComplete<Bits: RandomAccessCollection<UInt32>>(bits: Bits, at first: Int, scale s: Int) -> Bool where Bits.Index == Int {
        let (word, bit) = place(scale: s)
        return bits[first &+ word] & bit != 0
    }
}

/// Exact integer sums of scale scores y = S / m + offset with one number
/// of answers m (S the integer sum of a row's m answered codes): n, Σ S
/// and Σ S². Then `Σ y = (Σ S + n m offset) / m` and
/// `Σ (y − ȳ)² = (n Σ S² − (Σ S)²) / (n m²)`, whose numerator is an exact
/// integer (formed in 128 bits), so both are as close to the true values as
/// a Double allows (two roundings). No overflow below 2³¹ rows: S ≤ 15 × 4,095.
struct IntegerSums {
    var n = 0
    var total = 0
    var totalSquares = 0

    @inline(__always)
    mutating func add(_ codeSum: Int) {
        n &+= 1
        total &+= codeSum
        totalSquares &+= codeSum &* codeSum
    }

    /// Adds `codeSum` `times` times (0 or 1: a conditional add without a branch).
    @inline(__always)
    mutating func add(_ codeSum: Int, times: Int) {
        n &+= times
        total &+= codeSum &* times
        totalSquares &+= codeSum &* codeSum &* times
    }

    mutating func merge(_ other: IntegerSums) {
        n += other.n
        total += other.total
        totalSquares += other.totalSquares
    }

    /// n Σ S² − (Σ S)², exact in 128 bits, as a Double (at most two roundings).
    static func centredNumerator(n: Int, total: Int, totalSquares: Int) -> Double {
        let a = n.multipliedFullWidth(by: totalSquares), b = total.multipliedFullWidth(by: total)
        // a − b in 128 bits (two's complement), never negative.
        let (low, borrow) = a.low.subtractingReportingOverflow(b.low)
        let high = a.high &- b.high &- (borrow ? 1 : 0)
        return Double(high) * 18_446_744_073_709_551_616.0 + Double(low)
    }

    /// n, Σ y and Σ (y − ȳ)² of the scores, for m answers each.
    func moments(answers m: Int, offset: Int) -> ScoreMoments {
        guard n > 0 else { return ScoreMoments(n: 0, sum: 0, squares: 0) }
        let centred = n > 1 ? Self.centredNumerator(n: n, total: total, totalSquares: totalSquares) / Double(n) / Double(m * m) : 0
        let exactTotal = total + n * m * offset
        return ScoreMoments(n: n, sum: Double(exactTotal) / Double(m), squares: centred,
                            exact: ScoreMoments.ExactTotal(total: exactTotal, answers: m))
    }
}

/// One-pass sums of scale scores y = S / m + offset (S the integer sum of a
/// row's m answered codes) whose rows may differ in m, in 32 bytes.
///
/// While every row added has the same m, as when every respondent answered
/// every item, the sums are `IntegerSums` (exact). At the first row with
/// another m they turn into sums about a shift K, the mean so far: n,
/// Σ (y − K), Σ (y − K)², with Σ (y − K) = 0 and Σ (y − K)² = the exact
/// squared deviations for the rows so far, then
/// `Σ (y − ȳ)² = Σ (y − K)² − (Σ (y − K))² / n` (Chan, Golub & LeVeque 1983,
/// "shifted data"). As K is the mean of some of the values,
/// n_K (K − ȳ)² ≤ Σ (y − ȳ)², so the relative rounding error of the squares
/// is of order n × 2⁻⁵³ at worst (about 1e-13 for 1,000 values) and
/// typically a few units in the last place: the values of `Descriptives`'
/// two passes to that precision (tested).
struct ScoreSums {
    var n: Int32 = 0
    /// The common m while exact; −1 once shifted.
    var answers: Int32 = 0
    /// Exact: Σ S, Σ S² (as Int bit patterns). Shifted: K, Σ (y − K), Σ (y − K)².
    var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0

    /// Adds the score formed from an answer-code sum over `m` answers.
    @inline(__always)
    mutating func add(codeSum: Int, answers m: Int, offset: Int) {
        // Shifted already (the common case once rows differ in m): checked first.
        if answers < 0 {
            addShifted(codeSum: codeSum, answers: m, offset: offset)
            return
        }
        if answers == Int32(truncatingIfNeeded: m) || n == 0 {
            answers = Int32(truncatingIfNeeded: m)
            n &+= 1
            a = UInt64(bitPattern: Int64(Int(bitPattern: UInt(a)) &+ codeSum))
            b = UInt64(bitPattern: Int64(Int(bitPattern: UInt(b)) &+ codeSum &* codeSum))
            return
        }
        // Into the shifted form, about the exact mean so far.
        let exact = exactSums.moments(answers: Int(answers), offset: offset)
        answers = -1
        a = exact.mean.bitPattern
        b = 0.0.bitPattern
        c = exact.squares.bitPattern
        addShifted(codeSum: codeSum, answers: m, offset: offset)
    }

    @inline(__always)
    private mutating func addShifted(codeSum: Int, answers m: Int, offset: Int) {
        let y = Double(codeSum &+ m &* offset) / Double(m)  // (small integers: no overflow check)
        let d = y - Double(bitPattern: a)
        n &+= 1
        b = (Double(bitPattern: b) + d).bitPattern
        c = (Double(bitPattern: c) + d * d).bitPattern
    }

    /// Whether every row so far had the same number of answers (the sums are exact).
    var isExact: Bool { answers >= 0 }

    /// The sums while exact: n, Σ S and Σ S².
    private var exactSums: IntegerSums {
        IntegerSums(n: Int(n), total: Int(bitPattern: UInt(a)), totalSquares: Int(bitPattern: UInt(b)))
    }

    /// n, Σ y and Σ (y − ȳ)² (0 for fewer than two values; never negative);
    /// `offset` is y − S / m.
    func moments(offset: Int) -> ScoreMoments {
        guard n > 0 else { return ScoreMoments(n: 0, sum: 0, squares: 0) }
        if answers >= 0 { return exactSums.moments(answers: Int(answers), offset: offset) }
        let count = Double(n), shift = Double(bitPattern: a), sum = Double(bitPattern: b), squares = Double(bitPattern: c)
        let centred = n > 1 ? max(0, squares - sum * sum / count) : 0
        return ScoreMoments(n: Int(n), sum: count * shift + sum, squares: centred)
    }
}

/// A school's sums on one scale: over its scored rows, and over its rows
/// complete on the scale (which all have every item answered).
struct SchoolScaleSums {
    var all = ScoreSums()
    var complete = IntegerSums()
}
