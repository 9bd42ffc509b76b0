// One school's (or authority's) results, one value per scale: what a user of
// the library reads, as the JSON `schools[j].scores.<scale>` entry does.

/// One school's results on one scale: its mean and spread, its staff's
/// agreement, whether the mean can stand for them, and where it lies
/// against the norms. The JSON entry `schools[j].scores.<scale>` holds the
/// same numbers under the names given with each property.
public struct SchoolScaleResult: Sendable, Equatable {
    /// Respondents with a score on the scale (JSON `n`).
    public let n: Int
    /// Mean of their scores (JSON `mean`); nil when `n == 0`.
    public let mean: Double?
    /// Sample standard deviation (n − 1) of their scores (JSON `sd`); nil when `n < 2`.
    public let sd: Double?
    /// The agreement indices of the school's staff (JSON `rwgj`, `rwgjStar`,
    /// `rwg`, `awg`, `adMean`, `adMedian`).
    public let agreement: GroupAgreement
    /// Whether the mean can stand for the staff, with the reasons when not
    /// (JSON `aggregate`, `reasons`).
    public let verdict: SchoolVerdict
    /// The T-score and percentile of the mean (JSON `t`, `percentile`); nil
    /// without norms, for a scale without a norm, or without a mean.
    public let norm: NormScore?

    /// Whether the mean can stand for the staff (JSON `aggregate`): `verdict.aggregate`.
    public var aggregate: Bool { verdict.aggregate }
    /// rwg(j) of the staff (JSON `rwgj`): `agreement.rwgJ`.
    public var rwgJ: Double? { agreement.rwgJ }
}

/// One school, the rows that carry its (authority, school) pair, and its
/// results on every scale (JSON `schools[j]`).
public struct SchoolResult: Sendable, Equatable {
    /// The authority and school ids, compared by their bytes.
    public let key: SchoolKey
    /// Data rows in the school, scored or not (JSON `rows`).
    public let rows: Int
    /// Rows with at least one scale score (JSON `respondents`).
    public let respondents: Int
    /// One entry per scale, in instrument order (JSON `scores`).
    public let scores: [SchoolScaleResult]
    /// The culture and climate (or other) profiles, one per profile of the
    /// instrument in its order (JSON `profiles`); nil without norms, and an
    /// entry is nil where a T-score it reads is missing.
    public let profiles: [ProfileResult?]?
    /// The scale ids, in instrument order, for `subscript(_:)`.
    let scaleIDs: [String]
    /// The table rows of the school, 4 bytes each.
    let rows32: [Int32]
    /// The school's display name: the value label of its id in a
    /// statistical data file (SPSS, Stata); nil without one (JSON `name`).
    public internal(set) var name: String?

    /// The school id (JSON `id`).
    public var id: String { key.school }
    /// The authority id (JSON `authority`); nil without one.
    public var authority: String? { key.authority }
    /// The table rows of the school (indices into the table), in file order.
    public var rowIndices: [Int] { rows32.map(Int.init) }

    /// The results on the scale with this id (`school["proficiency"]`),
    /// ignoring letter case; nil for an id the instrument does not have.
    public subscript(scaleID: String) -> SchoolScaleResult? {
        ScaleIDLookup.index(of: scaleID, in: scaleIDs).map { scores[$0] }
    }
}

/// One authority's results on one scale (JSON `authorities[a].scores.<scale>`).
public struct AuthorityScaleResult: Sendable, Equatable {
    /// Included schools with a mean on the scale (JSON `schools`).
    public let schools: Int
    /// The schools (indices into `ScoringReport.schools`) whose respondents
    /// enter the aggregate: those whose mean can stand for their staff on
    /// the scale, or all with `AggregationCriteria.includeAllSchools`.
    public let includedSchools: [Int]
    /// The schools left out because their verdict failed (JSON
    /// `excludedSchools`, by id; `schoolsExcluded` is their number).
    public let excludedSchools: [Int]
    /// Respondents with a score on the scale in the included schools (JSON `n`).
    public let n: Int
    /// The mean of the included school means, each school counting once (JSON `mean`).
    public let mean: Double?
    /// The mean over the included schools' respondents (JSON `respondentMean`).
    public let respondentMean: Double?
    /// The sample standard deviation of the included school means (JSON `sd`).
    public let sd: Double?
    /// Agreement over the included schools' respondents (JSON `rwgj`, …).
    public let agreement: GroupAgreement
    /// The T-score and percentile of `mean` (JSON `t`, `percentile`); nil
    /// without norms, for a scale without a norm, or without a mean.
    public let norm: NormScore?

    /// rwg(j) (JSON `rwgj`): `agreement.rwgJ`.
    public var rwgJ: Double? { agreement.rwgJ }
}

/// One local authority, its schools and its results on every scale (JSON `authorities[a]`).
public struct AuthorityResult: Sendable, Equatable {
    /// The authority id (JSON `id`).
    public let id: String
    /// Its schools, as indices into `ScoringReport.schools` (JSON `schools` is their number).
    public let schoolIndices: [Int]
    /// Rows with at least one scale score, over its schools (JSON `respondents`).
    public let respondents: Int
    /// One entry per scale, in instrument order (JSON `scores`).
    public let scores: [AuthorityScaleResult]
    /// Its profiles (JSON `profiles`); nil without norms.
    public let profiles: [ProfileResult?]?
    let scaleIDs: [String]
    /// The authority's display name: the value label of its id in a
    /// statistical data file (SPSS, Stata); nil without one (JSON `name`).
    public internal(set) var name: String?

    /// The results on the scale with this id, ignoring letter case; nil for
    /// an id the instrument does not have.
    public subscript(scaleID: String) -> AuthorityScaleResult? {
        ScaleIDLookup.index(of: scaleID, in: scaleIDs).map { scores[$0] }
    }
}

/// Finding a scale by id: exactly, else ignoring letter case.
enum ScaleIDLookup {
    static func index(of id: String, in ids: [String]) -> Int? {
        ids.firstIndex(of: id) ?? ids.firstIndex { $0.lowercased() == id.lowercased() }
    }
}

extension SchoolResult {
    /// Joins a school's aggregate with its agreement, verdicts, norms and profiles.
    init(_ school: SchoolAggregate, agreement: [GroupAgreement], verdicts: [SchoolVerdict], norms: [NormScore?]?,
         profiles: [ProfileResult?]?, scaleIDs: [String]) {
        key = school.key
        rows = school.rows
        respondents = school.respondents
        scores = school.scores.indices.map { s in
            let v = school.scores[s]
            return SchoolScaleResult(n: v.n, mean: v.mean, sd: v.sd, agreement: agreement[s], verdict: verdicts[s], norm: norms?[s] ?? nil)
        }
        self.profiles = profiles
        self.scaleIDs = scaleIDs
        rows32 = school.rows32
    }
}

extension AuthorityResult {
    /// Joins an authority's aggregate with its agreement, norms and profiles.
    init(_ authority: AuthorityAggregate, agreement: [GroupAgreement], norms: [NormScore?]?, profiles: [ProfileResult?]?, scaleIDs: [String]) {
        id = authority.id
        schoolIndices = authority.schoolIndices
        respondents = authority.respondents
        scores = authority.scores.indices.map { s in
            let v = authority.scores[s]
            return AuthorityScaleResult(schools: v.schools, includedSchools: v.includedSchools, excludedSchools: v.excludedSchools,
                                        n: v.n, mean: v.mean, respondentMean: v.respondentMean, sd: v.sd,
                                        agreement: agreement[s], norm: norms?[s] ?? nil)
        }
        self.profiles = profiles
        self.scaleIDs = scaleIDs
    }
}
