// Respondents' scores in schools nested in authorities, reduced in one pass
// to what the REML criterion needs: per-school counts, means and
// within-school sums of squares (Welford 1962), schools grouped by authority.

import Foundation

/// Respondents' scores reduced to per-school counts, means and within-school sums of squares, schools grouped by authority.
///
/// One pass over the rows with Welford's update per school (no cancellation
/// in the sums of squares). A school is an (authority, school) pair, as in
/// lme4's `authority/school`. Rows with a non-finite score or a negative id
/// are skipped. Authorities, and schools within them, keep the order in which
/// they first appear.
///
/// Complexity: O(N). School ids below 4N + 4096 are looked up in an array
/// (O(N) memory); larger ids, and a school id already taken by another
/// authority, are hashed. A row of the same school as the row before needs no lookup.
struct NestedDesign {
    /// The reduced data as the REML criterion needs them.
    let criterion: ProfiledREMLCriterion
    /// N, rows kept.
    var respondents: Int { criterion.respondents }
    /// Schools (authority–school pairs) with a kept row.
    var schools: Int { criterion.schools }
    /// Authorities with a kept row (1 when there are none).
    var authorityCount: Int { criterion.authorities }

    private struct AuthoritySchool: Hashable {
        let authority: Int
        let school: Int
    }

    /// nil when no row is kept. `authorities` nil puts every school in one authority.
    init?(scores: [Double], authorities: [Int]?, schools: [Int]) {
        // School id → slot by direct addressing when the ids are small (O(N)
        // memory), by hashing otherwise; an (authority, school) pair whose school
        // id another authority took first is hashed in either case.
        let largestSchool = schools.max() ?? -1
        let direct = largestSchool < 4 * schools.count + 4096
        var slotOfSchoolId = [Int](repeating: -1, count: direct ? largestSchool + 1 : 0)
        var slotOfSchool: [AuthoritySchool: Int] = [:]
        var slotOfAuthority: [Int: Int] = [:]
        var authorityIdOfSchool: [Int] = []
        var authorityOfSchool: [Int] = []
        var counts: [Int] = []
        var means: [Double] = []
        var squares: [Double] = []
        var lastKey = AuthoritySchool(authority: -1, school: -1)
        var lastSlot = -1
        for i in scores.indices {
            let y = scores[i], s = schools[i], a = authorities?[i] ?? 0
            guard y.isFinite, s >= 0, a >= 0 else { continue }
            let key = AuthoritySchool(authority: a, school: s)
            var slot: Int
            if key == lastKey {
                slot = lastSlot
            } else {
                slot = direct ? slotOfSchoolId[s] : -1
                if slot < 0 || authorityIdOfSchool[slot] != a { slot = slotOfSchool[key] ?? -1 }
                if slot < 0 {
                    slot = counts.count
                    if direct && slotOfSchoolId[s] < 0 {
                        slotOfSchoolId[s] = slot
                    } else {
                        slotOfSchool[key] = slot
                    }
                    if let authoritySlot = slotOfAuthority[a] {
                        authorityOfSchool.append(authoritySlot)
                    } else {
                        authorityOfSchool.append(slotOfAuthority.count)
                        slotOfAuthority[a] = slotOfAuthority.count
                    }
                    authorityIdOfSchool.append(a)
                    counts.append(0)
                    means.append(0)
                    squares.append(0)
                }
            }
            lastKey = key
            lastSlot = slot
            counts[slot] += 1
            let delta = y - means[slot]
            means[slot] += delta / Double(counts[slot])
            squares[slot] += delta * (y - means[slot])
        }
        guard !counts.isEmpty else { return nil }
        self.init(counts: counts, means: means, squares: squares, authorityOfSchool: authorityOfSchool,
                  authorityTotal: slotOfAuthority.count)
    }

    /// From per-school summaries (`ScoreMoments`, two-pass sums of squares):
    /// school j belongs to authority `authorityOfSchool[j]` (any id; −1
    /// leaves the school out; pass 0 for every school in two-level data).
    /// Schools without a score are left out; nil when none is left.
    init?(schools: [ScoreMoments], authorityOfSchool: [Int]) {
        precondition(schools.count == authorityOfSchool.count, "one authority per school")
        var slotOfAuthority: [Int: Int] = [:]
        var counts: [Int] = [], means: [Double] = [], squares: [Double] = [], authority: [Int] = []
        for (j, school) in schools.enumerated() where school.n > 0 && authorityOfSchool[j] >= 0 {
            let id = authorityOfSchool[j]
            let slot = slotOfAuthority[id] ?? slotOfAuthority.count
            slotOfAuthority[id] = slot
            counts.append(school.n)
            means.append(school.mean)
            squares.append(school.squares)
            authority.append(slot)
        }
        guard !counts.isEmpty else { return nil }
        self.init(counts: counts, means: means, squares: squares, authorityOfSchool: authority,
                  authorityTotal: slotOfAuthority.count)
    }

    /// Groups the schools by authority (slots 0..<authorityTotal) and centres their means.
    private init(counts: [Int], means: [Double], squares: [Double], authorityOfSchool: [Int], authorityTotal: Int) {
        // Schools of one authority together, authorities and schools in order of first appearance.
        var starts = [Int](repeating: 0, count: authorityTotal + 1)
        for a in authorityOfSchool { starts[a + 1] += 1 }
        for a in 0..<authorityTotal { starts[a + 1] += starts[a] }
        var next = starts
        var order = [Int](repeating: 0, count: counts.count)
        for (school, a) in authorityOfSchool.enumerated() {
            order[next[a]] = school
            next[a] += 1
        }
        let n = counts.reduce(0, +)
        var weightedSum = 0.0
        for (c, m) in zip(counts, means) { weightedSum += Double(c) * m }
        let centre = weightedSum / Double(n)
        var within = 0.0
        for s in squares { within += s }
        criterion = ProfiledREMLCriterion(
            respondents: n,
            schoolSizes: order.map { Double(counts[$0]) },
            schoolMeans: order.map { means[$0] - centre },
            authorityStarts: starts,
            withinSumOfSquares: within,
            centre: centre)
    }

    /// Rough method-of-moments starting ratios θ = σ²/σ̂²_w for the REML search,
    /// each at least 0.01.
    ///
    /// ```
    /// σ̂²_w = SSW/(N − S)
    /// σ̂²_s = var(school means about their authority's mean) − σ̂²_w · mean(1/n_j)
    /// σ̂²_a = var(authority means of school means) − (σ̂²_s + σ̂²_w · mean(1/n_j)) · mean(1/S_a)
    /// ```
    /// (unweighted means, negative values set to 0). Only the number of Newton
    /// steps depends on them.
    func momentStart() -> (authority: Double, school: Double) {
        let c = criterion
        let within = c.withinSumOfSquares / Double(c.respondents - c.schools)
        var meanInverseSize = 0.0
        for n in c.schoolSizes { meanInverseSize += 1 / n }
        meanInverseSize /= Double(c.schools)

        var schoolSquares = 0.0
        var authorityMeans: [Double] = []
        var meanInverseSchools = 0.0
        for a in 0..<c.authorities {
            let range = c.authorityStarts[a]..<c.authorityStarts[a + 1]
            var m = 0.0
            for j in range { m += c.schoolMeans[j] }
            m /= Double(range.count)
            for j in range { schoolSquares += (c.schoolMeans[j] - m) * (c.schoolMeans[j] - m) }
            authorityMeans.append(m)
            meanInverseSchools += 1 / Double(range.count)
        }
        meanInverseSchools /= Double(c.authorities)
        let schoolDf = c.schools - c.authorities
        let school = schoolDf > 0 ? max(0, schoolSquares / Double(schoolDf) - within * meanInverseSize) : 0
        var authority = 0.0
        if c.authorities >= 2 {
            let grand = authorityMeans.reduce(0, +) / Double(c.authorities)
            var squares = 0.0
            for m in authorityMeans { squares += (m - grand) * (m - grand) }
            authority = max(0, squares / Double(c.authorities - 1)
                               - (school + within * meanInverseSize) * meanInverseSchools)
        }
        return (max(authority / within, 0.01), max(school / within, 0.01))
    }
}
