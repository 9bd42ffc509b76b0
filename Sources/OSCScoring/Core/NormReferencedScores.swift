// T-scores, percentiles and profiles of every school and authority.

/// The norm-referenced view of a report: which norms were used and the norm
/// of each scale for school and for authority means. Each school's and
/// authority's T-scores and profiles are in its results
/// (`SchoolScaleResult.norm`, `SchoolResult.profiles`).
public struct NormReferencedScores: Sendable {
    /// Which norms were used.
    public let choice: NormsChoice
    /// The norms applied to school means, by scale id (for `--norms sample`,
    /// the mean and SD of the school means).
    public let schoolNorms: [String: ScaleNorm]
    /// The norms applied to authority means, by scale id.
    public let authorityNorms: [String: ScaleNorm]
    /// `school[j][s]`: nil where the scale has no norm or the school no mean.
    let school: [[NormScore?]]
    /// `authority[a][s]`.
    let authority: [[NormScore?]]
    /// `schoolProfiles[j][p]` for the instrument's profile p; nil when a T-score is missing.
    let schoolProfiles: [[ProfileResult?]]
    /// `authorityProfiles[a][p]`.
    let authorityProfiles: [[ProfileResult?]]
    /// `schoolProfilesWithheldBy[j][p]`: the scales of profile p on which
    /// school j's mean cannot stand (then `schoolProfiles[j][p]` is nil).
    let schoolProfilesWithheldBy: [[[Int]]]

    /// Places every school and authority mean against the norms.
    ///
    /// `x` is the school's mean of its respondents' scores, or the
    /// authority's mean of its (passing) school means.
    /// `t = 50 + 10 (x − mean) / sd`, percentile `100 Φ((x − mean) / sd)`.
    /// A school's profile is withheld (nil) when its mean cannot stand for
    /// its staff (`schoolStands[j][s]` false) on any scale the profile reads.
    /// Sample-relative norms leave out suppressed schools and authorities
    /// (`suppressedSchools`, `suppressedAuthorities`): the published T-scores
    /// of the others would otherwise reveal their means.
    init(choice: NormsChoice, instrument: Instrument, schools: [SchoolAggregate], authorities: [AuthorityAggregate],
         schoolStands: [[Bool]]? = nil, suppressedSchools: [Bool] = [], suppressedAuthorities: [Bool] = []) {
        let ids = instrument.scales.map(\.id)
        let schoolMeans = schools.map { $0.scores.map(\.mean) }
        let authorityMeans = authorities.map { $0.scores.map(\.mean) }
        switch choice {
        case .table(let norms):
            schoolNorms = norms.scales
            authorityNorms = norms.scales
        case .sample:
            func shown(_ means: [[Double?]], _ suppressed: [Bool]) -> [[Double?]] {
                suppressed.isEmpty ? means : means.indices.filter { !suppressed[$0] }.map { means[$0] }
            }
            schoolNorms = Norms.sampleRelative(means: shown(schoolMeans, suppressedSchools), scaleIDs: ids)
            authorityNorms = Norms.sampleRelative(means: shown(authorityMeans, suppressedAuthorities), scaleIDs: ids)
        }
        func place(_ means: [[Double?]], _ norms: [String: ScaleNorm]) -> [[NormScore?]] {
            means.map { unit in ids.indices.map { s in unit[s].flatMap { x in norms[ids[s]]?.score(x) } } }
        }
        func classify(_ scores: [[NormScore?]]) -> [[ProfileResult?]] {
            scores.map { unit in
                instrument.profiles.map { profile in
                    profile.classify(profile.scales.map { entry in instrument.scaleIndex(of: entry.scale).flatMap { unit[$0]?.t } })
                }
            }
        }
        self.choice = choice
        school = place(schoolMeans, schoolNorms)
        authority = place(authorityMeans, authorityNorms)
        let withheld: [[[Int]]] = schools.indices.map { j in
            instrument.profiles.map { profile in
                guard let stands = schoolStands?[j] else { return [] }
                return profile.scales.compactMap { instrument.scaleIndex(of: $0.scale) }.filter { !stands[$0] }
            }
        }
        schoolProfilesWithheldBy = withheld
        schoolProfiles = zip(classify(school), withheld).map { profiles, blockers in
            zip(profiles, blockers).map { $1.isEmpty ? $0 : nil }
        }
        authorityProfiles = classify(authority)
    }
}
