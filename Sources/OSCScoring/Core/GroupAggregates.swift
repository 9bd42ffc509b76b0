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
        // Rows by school index (counting sort, rows stay in file order).
        var rowsBySchool = [[Int]](repeating: [], count: table.distinctSchools.count)
        for r in 0..<table.rowCount where table.rowSchools[r] >= 0 { rowsBySchool[Int(table.rowSchools[r])].append(r) }
        let order = table.distinctSchools.indices.sorted { table.distinctSchools[$0] < table.distinctSchools[$1] }
        return order.map { index in
            let key = table.distinctSchools[index]
            let rows = rowsBySchool[index]
            let scored = rows.filter { scores.hasAnyScore(row: $0) }
            let perScale = (0..<scores.scaleCount).map { s in
                let d = Descriptives(scored.lazy.map { scores.values[$0 * scores.scaleCount + s] })
                return SchoolScaleScore(n: d.n, mean: d.mean, sd: d.sd)
            }
            return SchoolAggregate(key: key, rows: rows.count, respondents: scored.count, scores: perScale, rowIndices: rows)
        }
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
        let authorityOfSchool = authorityIndices(schools: schools)
        var members = [[Int]](repeating: [], count: (authorityOfSchool.max() ?? -1) + 1)
        for (j, a) in authorityOfSchool.enumerated() where a >= 0 { members[a].append(j) }
        return members.map { indices in
            let id = schools[indices[0]].key.authority!
            let perScale = (0..<scores.scaleCount).map { s in
                let included = indices.filter { include($0, s) }
                let schoolMeans = Descriptives(included.compactMap { schools[$0].scores[s].mean })
                let respondents = Descriptives(included.lazy.flatMap { schools[$0].rowIndices }.map { scores.values[$0 * scores.scaleCount + s] })
                return AuthorityScaleScore(schools: schoolMeans.n, includedSchools: included,
                                           excludedSchools: indices.filter { !include($0, s) }, n: respondents.n,
                                           mean: schoolMeans.mean, respondentMean: respondents.mean, sd: schoolMeans.sd)
            }
            return AuthorityAggregate(id: id, schoolIndices: indices,
                                      respondents: indices.reduce(0) { $0 + schools[$1].respondents }, scores: perScale)
        }
    }
}
