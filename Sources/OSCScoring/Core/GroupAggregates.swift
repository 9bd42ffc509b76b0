// Per-school and per-authority aggregates of respondents' scale scores.

/// A school's aggregate on one scale.
public struct SchoolScaleScore: Sendable, Equatable {
    /// Respondents with a score on the scale.
    public let n: Int
    /// Mean of their scores; nil when `n == 0`.
    public let mean: Double?
    /// Sample standard deviation of their scores; nil when `n < 2`.
    public let sd: Double?
}

/// One school: the rows that carry its (authority, school) pair.
public struct SchoolAggregate: Sendable, Equatable {
    public let key: SchoolKey
    /// Data rows in the school, scored or not.
    public let rows: Int
    /// Rows with at least one scale score.
    public let respondents: Int
    /// One entry per scale, in instrument order.
    public let scores: [SchoolScaleScore]
    /// The table rows of the school (indices into the table).
    public let rowIndices: [Int]
}

/// An authority's aggregate on one scale.
public struct AuthorityScaleScore: Sendable, Equatable {
    /// Included schools with a mean on the scale.
    public let schools: Int
    /// The schools (indices into the schools list) whose respondents enter
    /// the aggregate: those whose verdict on the scale allows aggregation,
    /// or all with `--include-all-schools`.
    public let includedSchools: [Int]
    /// The schools left out of the aggregate because their verdict failed.
    public let excludedSchools: [Int]
    /// Respondents with a score on the scale.
    public let n: Int
    /// The unit-weighted mean of its school means; nil when no school has one.
    public let mean: Double?
    /// The mean over its respondents (respondent-weighted); nil when `n == 0`.
    public let respondentMean: Double?
    /// The sample standard deviation of its school means; nil with fewer than two.
    public let sd: Double?
}

/// One local authority and the schools under it.
public struct AuthorityAggregate: Sendable, Equatable {
    public let id: String
    /// Indices into the schools list.
    public let schoolIndices: [Int]
    /// Rows with at least one scale score, over its schools.
    public let respondents: Int
    /// One entry per scale, in instrument order.
    public let scores: [AuthorityScaleScore]
}

/// Groups rows into schools and schools into authorities.
public enum GroupAggregation {
    /// Aggregates scored rows by school. Rows without a school are left out;
    /// schools are ordered by authority, then school id (natural order).
    ///
    /// Complexity: O(rows × scales).
    public static func schools(table: ResponseTable, scores: RespondentScores) -> [SchoolAggregate] {
        schoolsWithMoments(table: table, scores: scores, threads: 1).schools
    }

    /// `schools(table:scores:)` with each school's summaries per scale, on
    /// up to `threads` threads (schools are independent).
    static func schoolsWithMoments(table: ResponseTable, scores: RespondentScores, threads: Int) -> (schools: [SchoolAggregate], moments: SchoolMoments) {
        // Rows by school index (counting sort, rows stay in file order).
        let distinct = table.distinctSchools.count
        var starts = [Int](repeating: 0, count: distinct + 1)
        for j in table.rowSchools where j >= 0 { starts[Int(j) + 1] += 1 }
        for j in 0..<distinct { starts[j + 1] += starts[j] }
        var next = starts
        var flat = [Int](repeating: 0, count: starts[distinct])
        for (r, j) in table.rowSchools.enumerated() where j >= 0 {
            flat[next[Int(j)]] = r
            next[Int(j)] += 1
        }
        let order = SchoolKey.sortedIndices(table.distinctSchools)
        PhaseTrace.mark("schools: order")
        let scaleCount = scores.scaleCount, schoolCount = order.count
        var positionOf = [Int](repeating: 0, count: distinct)
        for (position, index) in order.enumerated() { positionOf[index] = position }
        // Two passes over the rows in file order (a school's rows are
        // scattered through the file; its sums stay in cache), each school's
        // sums accumulating in its rows' order as `Descriptives` would:
        // n, sum over scored rows and over complete rows, then the squares.
        let cells = schoolCount * scaleCount
        // Six accumulators per school and scale: n, sum, squares over scored
        // rows, then the same over complete rows (counts exact in Doubles).
        let accumulators = UnsafeMutableBufferPointer<Double>.allocate(capacity: 6 * cells)
        defer { accumulators.deallocate() }
        accumulators.initialize(repeating: 0)
        let n = accumulators.baseAddress!, sum = n + cells, squares = n + 2 * cells
        let nc = n + 3 * cells, sumc = n + 4 * cells, squaresc = n + 5 * cells
        let mean = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * cells)
        defer { mean.deallocate() }
        var scored = [Int](repeating: 0, count: schoolCount)
        // Schools split in two halves by position, one per thread: each
        // thread reads every row and keeps its half's sums (half the cache).
        let parts = threads > 1 && schoolCount >= 2 ? 2 : 1
        // Scores decoded from the packed sums and counts as they are read.
        let required = scores.requiredAnswers, sizes = scores.scaleSizes, offset = scores.codeOffset
        scores.packed.withUnsafeBufferPointer { packed in
            required.withUnsafeBufferPointer { required in sizes.withUnsafeBufferPointer { sizes in
                table.rowSchools.withUnsafeBufferPointer { rowSchools in
                    positionOf.withUnsafeBufferPointer { positionOf in
                        scored.withUnsafeMutableBufferPointer { scored in
                            let scoredOut = UncheckedSendableBox(scored)
                            ParallelWork.run(count: parts, threads: parts) { part in
                                let low = schoolCount * part / parts, high = schoolCount * (part + 1) / parts
                                for r in 0..<rowSchools.count where rowSchools[r] >= 0 {
                                    let position = positionOf[Int(rowSchools[r])]
                                    guard position >= low && position < high else { continue }
                                    let base = position * scaleCount, row = r * scaleCount
                                    var any = false
                                    for s in 0..<scaleCount {
                                        let v = RespondentScores.value(packed[row + s], required: required[s], offset: offset)
                                        guard !v.isNaN else { continue }
                                        any = true
                                        n[base + s] += 1
                                        sum[base + s] += v
                                        if Int(packed[row + s] & 0xFFF) == sizes[s] {
                                            nc[base + s] += 1
                                            sumc[base + s] += v
                                        }
                                    }
                                    if any { scoredOut.value[position] += 1 }
                                }
                                for k in low * scaleCount..<high * scaleCount {
                                    mean[k] = sum[k] / n[k]
                                    mean[cells + k] = sumc[k] / nc[k]
                                }
                                for r in 0..<rowSchools.count where rowSchools[r] >= 0 {
                                    let position = positionOf[Int(rowSchools[r])]
                                    guard position >= low && position < high else { continue }
                                    let base = position * scaleCount, row = r * scaleCount
                                    for s in 0..<scaleCount {
                                        let v = RespondentScores.value(packed[row + s], required: required[s], offset: offset)
                                        guard !v.isNaN else { continue }
                                        let d = v - mean[base + s]
                                        squares[base + s] += d * d
                                        if Int(packed[row + s] & 0xFFF) == sizes[s] {
                                            let dc = v - mean[cells + base + s]
                                            squaresc[base + s] += dc * dc
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
        PhaseTrace.mark("schools: passes")
        let all = (0..<cells).map { ScoreMoments(n: Int(n[$0]), sum: sum[$0], squares: n[$0] > 1 ? squares[$0] : 0) }
        let complete = (0..<cells).map { ScoreMoments(n: Int(nc[$0]), sum: sumc[$0], squares: nc[$0] > 1 ? squaresc[$0] : 0) }
        let schools = order.enumerated().map { position, index in
            let perScale = (0..<scaleCount).map { s in
                let d = Descriptives(all[position * scaleCount + s])
                return SchoolScaleScore(n: d.n, mean: d.mean, sd: d.sd)
            }
            return SchoolAggregate(key: table.distinctSchools[index], rows: starts[index + 1] - starts[index], respondents: scored[position],
                                   scores: perScale, rowIndices: Array(flat[starts[index]..<starts[index + 1]]))
        }
        return (schools, SchoolMoments(scaleCount: scaleCount, all: all, complete: complete))
    }

    /// Each school's summaries (in the order of the schools list) from its rows.
    static func moments(schools: [SchoolAggregate], scores: RespondentScores) -> SchoolMoments {
        let scaleCount = scores.scaleCount
        var all: [ScoreMoments] = [], complete: [ScoreMoments] = []
        for school in schools {
            for s in 0..<scaleCount {
                all.append(ScoreMoments(school.rowIndices.lazy.map { scores.value(at: $0 * scaleCount + s, scale: s) }))
                complete.append(ScoreMoments(school.rowIndices.lazy.filter { scores.isComplete(at: $0 * scaleCount + s, scale: s) }
                    .map { scores.value(at: $0 * scaleCount + s, scale: s) }))
            }
        }
        return SchoolMoments(scaleCount: scaleCount, all: all, complete: complete)
    }

    /// For each school, the index of its authority among the authorities in
    /// order of first appearance (the order of `authorities(...)`), −1 without one.
    public static func authorityIndices(schools: [SchoolAggregate]) -> [Int] {
        var index: [String: Int] = [:]
        return schools.map { school in
            guard let a = school.key.authority else { return -1 }
            if let k = index[a] { return k }
            let k = index.count
            index[a] = k
            return k
        }
    }

    /// Aggregates schools by authority. Schools without an authority are left
    /// out; on each scale, so are the schools for which `include(school, scale)`
    /// is false (their verdict failed).
    public static func authorities(schools: [SchoolAggregate], scores: RespondentScores,
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
