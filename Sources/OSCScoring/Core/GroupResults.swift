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

    // Intervals of means.
    /// The t interval of the mean over the school's respondents, n − 1
    /// degrees of freedom, at `StatisticsOptions.confidence` (JSON `ciLower`,
    /// `ciUpper`; see `MeanInterval.t`); nil with fewer than three respondents.
    public let interval: MeanInterval?

    // Group-mean reliability.
    /// The reliability of this school's mean at its own size,
    /// `n ICC(1) / (1 + (n − 1) ICC(1))` with the scale's ICC(1) between
    /// schools (JSON `groupMeanReliability`; Bliese 2000; see
    /// `GroupMeanReliability.reliability`); nil when ICC(1) ≤ 0 or cannot be
    /// computed, or `n == 0`, with the reason in `groupMeanReliabilityNote`.
    public let groupMeanReliability: Double?
    /// Why `groupMeanReliability` is nil, one sentence (JSON
    /// `groupMeanReliabilityNote`, written only then); nil when there is a value.
    public let groupMeanReliabilityNote: String?

    /// Whether the mean can stand for the staff (JSON `aggregate`): `verdict.aggregate`.
    public var aggregate: Bool { verdict.aggregate }
    /// rwg(j) of the staff (JSON `rwgj`): `agreement.rwgJ`.
    public var rwgJ: Double? { agreement.rwgJ }

    // Chance agreement (Dunlap, Burke & Smith-Crowe 2003), set by `ScoringReport`.
    /// The 95th percentile of rwg(j) when this many respondents answer the
    /// scale's items at random from the null distribution (JSON
    /// `rwgjCritical`; ``RwgJChance``): rwg(j) above it is better than
    /// chance. nil under a null that gives only a variance (a fixed null
    /// variance; the skewed shapes with other than 5 options), with fewer
    /// than 2 respondents or more than `RwgJChance.maximumRespondents`, and
    /// for a scale whose items times the largest school simulated exceed
    /// `RwgJChance.maximumCells`.
    /// n is the school's respondents with a score on the scale (listwise:
    /// who answered every item).
    public internal(set) var rwgJCritical: Double? = nil
    /// Whether rwg(j) is above `rwgJCritical` (JSON `rwgjAboveChance`); nil
    /// when either is nil.
    public var rwgJAboveChance: Bool? {
        guard let rwgJ, let rwgJCritical else { return nil }
        return rwgJ > rwgJCritical
    }
    /// The lower end of the mean's interval (JSON `ciLower`); nil with fewer than three respondents.
    public var ciLower: Double? { interval?.lower }
    /// The upper end of the mean's interval (JSON `ciUpper`); nil with fewer than three respondents.
    public var ciUpper: Double? { interval?.upper }
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
    public internal(set) var scores: [SchoolScaleResult]
    /// The culture and climate (or other) profiles, one per profile of the
    /// instrument in its order (JSON `profiles`); nil without norms, and an
    /// entry is nil where a T-score it reads is missing.
    public let profiles: [ProfileResult?]?
    /// Whether the school has fewer respondents than `AggregationCriteria.suppressBelow`
    /// (JSON `suppressed`): every output format then withholds its means,
    /// spreads, agreement, T-scores and profiles, and it is left out of its
    /// authority's aggregates. The numbers stay here for the library's user.
    public let suppressed: Bool
    /// Per profile of the instrument (same order as `profiles`), the indices
    /// of the scales it reads on which the school's mean cannot stand for its
    /// staff (its verdict fails); the profile is then nil (withheld), as a
    /// profile read from means that cannot stand would be misleading. Empty for a profile that was decided;
    /// nil without norms.
    public let profilesWithheldBy: [[Int]]?
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

    // Intervals of means.
    /// The t interval of `mean` over the included school means, G − 1
    /// degrees of freedom (G = `schools`), at `StatisticsOptions.confidence`
    /// (JSON `ciLower`, `ciUpper`; see `MeanInterval.t`); nil with fewer than
    /// three school means.
    public let interval: MeanInterval?

    /// rwg(j) (JSON `rwgj`): `agreement.rwgJ`.
    public var rwgJ: Double? { agreement.rwgJ }
    /// The lower end of the interval of `mean` (JSON `ciLower`); nil with fewer than three school means.
    public var ciLower: Double? { interval?.lower }
    /// The upper end of the interval of `mean` (JSON `ciUpper`); nil with fewer than three school means.
    public var ciUpper: Double? { interval?.upper }
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
    /// Whether the authority has fewer respondents than `AggregationCriteria.suppressBelow`
    /// (JSON `suppressed`): every output format then withholds its means,
    /// spreads, agreement, T-scores and profiles. The numbers stay here.
    public let suppressed: Bool
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
         profiles: [ProfileResult?]?, scaleIDs: [String], criticalValues: [Int: Double], schoolICC1: [Double?],
         suppressed: Bool = false, profilesWithheldBy: [[Int]]? = nil) {
        self.suppressed = suppressed
        self.profilesWithheldBy = profilesWithheldBy
        key = school.key
        rows = school.rows
        respondents = school.respondents
        scores = school.scores.indices.map { s in
            let v = school.scores[s]
            return SchoolScaleResult(n: v.n, mean: v.mean, sd: v.sd, agreement: agreement[s], verdict: verdicts[s], norm: norms?[s] ?? nil,
                                     interval: MeanInterval.t(mean: v.mean, sd: v.sd, n: v.n, critical: criticalValues[v.n]),
                                     groupMeanReliability: schoolICC1[s].flatMap { GroupMeanReliability.reliability(groupSize: v.n, icc1: $0) },
                                     groupMeanReliabilityNote: GroupMeanReliability.note(groupSize: v.n, icc1: schoolICC1[s]))
        }
        self.profiles = profiles
        self.scaleIDs = scaleIDs
        rows32 = school.rows32
    }
}

extension AuthorityResult {
    /// Joins an authority's aggregate with its agreement, norms and profiles.
    init(_ authority: AuthorityAggregate, agreement: [GroupAgreement], norms: [NormScore?]?, profiles: [ProfileResult?]?, scaleIDs: [String],
         criticalValues: [Int: Double], suppressed: Bool = false) {
        self.suppressed = suppressed
        id = authority.id
        schoolIndices = authority.schoolIndices
        respondents = authority.respondents
        scores = authority.scores.indices.map { s in
            let v = authority.scores[s]
            return AuthorityScaleResult(schools: v.schools, includedSchools: v.includedSchools, excludedSchools: v.excludedSchools,
                                        n: v.n, mean: v.mean, respondentMean: v.respondentMean, sd: v.sd,
                                        agreement: agreement[s], norm: norms?[s] ?? nil,
                                        interval: MeanInterval.t(mean: v.mean, sd: v.sd, n: v.schools, critical: criticalValues[v.schools]))
        }
        self.profiles = profiles
        self.scaleIDs = scaleIDs
    }
}
