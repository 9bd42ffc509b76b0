// The result of a run: what was read, every row accounted for, and the
// scores at respondent, school and authority level.

/// A data row that has no score on any scale, and why.
public struct Exclusion: Sendable, Equatable {
    /// The physical line the row starts on, the header being line 1 (JSON `line` in an `input.exclusions` entry).
    public let line: Int
    /// The respondent id, when the file has one.
    public let respondent: String?
    /// Why the row has no score: no valid answers, or too few for any scale with the count answered (JSON `reason` in an `input.exclusions` entry).
    public let reason: String
}

/// What was read and how every data row was used.
///
/// `rows == scored + excluded.count` always holds; rows without a school are
/// scored (and counted in `scored`) but listed in `withoutSchool` because
/// they are left out of school and authority aggregates.
public struct InputAccount: Sendable, Equatable {
    /// Data rows read (the header and blank lines are not data rows).
    public let rows: Int
    /// Rows with a score on at least one scale.
    public let scored: Int
    /// Rows with no score on any scale.
    public let excluded: [Exclusion]
    /// Lines of scored rows whose school cell is empty.
    public let withoutSchool: [Int]
    /// Lines that were empty.
    public let blankLines: [Int]
    /// Data-quality findings.
    public let problems: [DataProblem]
    /// Header names not used for scoring or grouping.
    public let ignoredColumns: [String]
    /// The encoding the file was read in, and why.
    public var encoding = ResponseEncoding.utf8
    /// Lines after the header that are more header rows, not data rows.
    public var headerRowLines: [Int] = []
    /// Rows whose `Finished` cell is false (kept; the missing-answer rule decides).
    public var unfinished = 0
    /// The sheet read, for an Excel workbook; nil for other files.
    public var sheet: String?
}

/// A whole scoring run, ready to be written in any output format.
public struct ScoringReport: Sendable {
    /// The responses the report was made from.
    public let table: ResponseTable
    /// How the respondents' scale scores were formed (JSON `minAnswered` in `settings`).
    public let options: ScoringOptions
    /// Every data row's score on every scale (JSON `respondents`, written when asked for).
    public let scores: RespondentScores
    /// What was read and how every data row was used (JSON `input`).
    public let input: InputAccount
    /// Sample-wide descriptives of each scale's respondent scores (all scored rows).
    public let scaleDescriptives: [Descriptives]
    /// Every school with its results on every scale, ordered by authority,
    /// then naturally by school id (JSON `schools`): `schools[j].scores[s]`
    /// or `schools[j]["proficiency"]` holds n, mean, sd, agreement, verdict
    /// and T-score of one school on one scale.
    public let schools: [SchoolResult]
    /// Every authority with its results on every scale (JSON `authorities`;
    /// empty without an authority column).
    public let authorities: [AuthorityResult]
    /// The scales' reliability, intraclass correlations and variance partition.
    public let statistics: ReportStatistics
    /// The thresholds of the verdicts.
    public let criteria: AggregationCriteria
    /// The schools and authorities as aggregated, before their results were joined.
    let schoolAggregates: [SchoolAggregate]
    let authorityAggregates: [AuthorityAggregate]
    /// Per scale: whether aggregating to schools is justified.
    public let schoolLevelVerdicts: [LevelVerdict]
    /// Per scale: whether aggregating to authorities is justified (empty without authorities).
    public let authorityLevelVerdicts: [LevelVerdict]
    /// Which norms were used and the norm of each scale; nil without norms.
    /// The T-scores and profiles themselves are in `schools` and `authorities`.
    public let normReferenced: NormReferencedScores?

    /// The instrument scored: `table.instrument` (JSON `instrument`).
    public var instrument: Instrument { table.instrument }

    /// Scores a table, aggregates it by school and authority, computes the
    /// reliability and agreement statistics, and gives the verdicts.
    ///
    /// Order: one pass over the rows for the schools' and the sample's score
    /// summaries; every school's answer counts, with the scales' reliability,
    /// ICCs and variance partition computed alongside; each school's
    /// agreement and its verdict per scale; authorities from the schools that
    /// pass on each scale (all with `criteria.includeAllSchools`) and their
    /// agreement; the level verdicts; T-scores and profiles when `norms` are given.
    /// - Throws: `NullDistributionError` when the chosen null distribution is
    ///   not defined for the instrument's number of response options.
    public init(table: ResponseTable, options: ScoringOptions = ScoringOptions(),
                statistics: StatisticsOptions = StatisticsOptions(),
                criteria: AggregationCriteria = AggregationCriteria(), norms: NormsChoice? = nil) throws(NullDistributionError) {
        let scores = RespondentScores(table: table, options: options)
        let summaries = GroupAggregation.summaries(table: table, scores: scores, threads: statistics.threads)
        let (schools, moments, status) = (summaries.schools, summaries.moments, summaries.status)
        PhaseTrace.mark("scores, schools and descriptives")
        let itemCount = table.instrument.items.count
        var excluded: [Exclusion] = []
        var withoutSchool: [Int] = []
        for r in 0..<table.rowCount {
            if !status.isScored(row: r) {
                let answered = scores.answered(row: r)
                let reason = answered == 0
                    ? "no valid answers"
                    : "too few answers for any scale (\(answered) of \(itemCount) items answered)"
                excluded.append(Exclusion(line: table.line(row: r), respondent: table.respondentID(row: r), reason: reason))
            } else if table.rowSchools[r] < 0 {
                withoutSchool.append(table.line(row: r))
            }
        }
        self.table = table
        self.options = options
        self.scores = scores
        let scored = table.rowCount - excluded.count
        if !table.screenedOut.isEmpty {
            excluded = (table.screenedOut + excluded).enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        }
        self.input = InputAccount(rows: table.rowCount + table.screenedOut.count, scored: scored, excluded: excluded,
                                  withoutSchool: withoutSchool, blankLines: table.blankLines,
                                  problems: table.problems, ignoredColumns: table.ignoredColumns,
                                  encoding: table.encoding, headerRowLines: table.headerRowLines, unfinished: table.unfinishedRows,
                                  sheet: table.sheet)
        self.scaleDescriptives = summaries.scaleDescriptives
        PhaseTrace.mark("accounting")
        let nullVariance = try statistics.nullVariance(for: table.instrument.responseScale)
        // The answer counts of every school, shared by the workers in
        // chunks; first, one of them computes the scales' ICCs and variance
        // partition and another their reliability (each on half the
        // threads), and whichever is free counts. Then the groups' agreement
        // (schools shared by the threads), verdicts and authority aggregates.
        var scaleReliability: [ScaleReliability]?, scaleICCs: [ScaleICC]?
        // The answer counts (tens of MB for thousands of schools) end with
        // this block, before the results are built: of them, only the
        // complete rows per school and scale are needed after it.
        let schoolAgreement: [[GroupAgreement]], verdicts: [[SchoolVerdict]], suppressedSchools: [Bool]
        let authorities: [AuthorityAggregate], authorityAgreement: [[GroupAgreement]], completeRows: [Int]
        do {
            let counts = PhaseTrace.measure("agreement counts, with scale statistics alongside") {
                AgreementCounts(table: table, status: status, groups: schools.map(\.rows32), moments: moments, missing: statistics.missing,
                                threads: statistics.threads,
                                first: {
                                    scaleICCs = ReportStatistics.scaleICCs(table: table, scores: scores, schools: schools, moments: moments,
                                                                           options: statistics, threads: max(1, statistics.threads / 2))
                                },
                                alongside: {
                                    scaleReliability = ReportStatistics.scaleReliability(table: table, threads: max(1, statistics.threads / 2))
                                })
            }
            schoolAgreement = PhaseTrace.measure("school agreement") {
                ReportStatistics.schoolAgreement(table: table, scores: scores, schools: schools, counts: counts, nullVariance: nullVariance, threads: statistics.threads)
            }
            verdicts = schools.indices.map { j in
                (0..<scores.scaleCount).map { s in
                    criteria.verdict(respondents: schools[j].scores[s].n, rwgJ: schoolAgreement[j][s].rwgJ)
                }
            }
            // Small-number suppression: a suppressed school is left out of its
            // authority's aggregates, whatever its verdict, so that no authority
            // number (a mean of school means) reveals its mean.
            suppressedSchools = schools.map { school in criteria.suppressBelow.map { school.respondents < $0 } ?? false }
            authorities = table.hasAuthorityColumn
                ? GroupAggregation.authorities(schools: schools, moments: moments) { j, s in
                    (criteria.includeAllSchools || verdicts[j][s].aggregate) && !suppressedSchools[j]
                }
                : []
            authorityAgreement = PhaseTrace.measure("authority agreement") {
                ReportStatistics.authorityAgreement(table: table, scores: scores, authorities: authorities,
                                                    counts: counts, nullVariance: nullVariance, threads: statistics.threads)
            }
            completeRows = counts.complete
        }
        PhaseTrace.mark("statistics")
        self.schoolAggregates = schools
        self.authorityAggregates = authorities
        self.criteria = criteria
        let computed = ReportStatistics(options: statistics, nullVariance: nullVariance, scales: (scaleReliability!, scaleICCs!),
                                        schoolAgreement: schoolAgreement, authorityAgreement: authorityAgreement)
        self.statistics = computed
        self.schoolLevelVerdicts = computed.icc.map { criteria.verdict(icc: $0.school) }
        self.authorityLevelVerdicts = table.hasAuthorityColumn ? computed.icc.map { criteria.verdict(icc: $0.authority) } : []
        let suppressedAuthorities = authorities.map { authority in criteria.suppressBelow.map { authority.respondents < $0 } ?? false }
        let normed = norms.map {
            NormReferencedScores(choice: $0, instrument: table.instrument, schools: schools, authorities: authorities,
                                 schoolStands: verdicts.map { $0.map(\.aggregate) }, suppressedSchools: suppressedSchools,
                                 suppressedAuthorities: suppressedAuthorities)
        }
        self.normReferenced = normed
        let scaleIDs = table.instrument.scales.map(\.id)
        let schoolICC1 = computed.icc.map { $0.school?.icc1 }
        // One t quantile per distinct number of respondents or school means.
        let criticalValues = MeanInterval.criticalValues(for: schools.lazy.flatMap { $0.scores.lazy.map(\.n) }
                                                         + authorities.lazy.flatMap { $0.scores.lazy.map(\.schools) },
                                                         confidence: statistics.confidence)
        var schoolResults = schools.indices.map { j in
            var result = SchoolResult(schools[j], agreement: schoolAgreement[j], verdicts: verdicts[j], norms: normed?.school[j],
                                      profiles: normed?.schoolProfiles[j], scaleIDs: scaleIDs, criticalValues: criticalValues,
                                      schoolICC1: schoolICC1,
                                      suppressed: suppressedSchools[j], profilesWithheldBy: normed?.schoolProfilesWithheldBy[j])
            result.name = table.dataFile?.schoolNames[result.key.school]
            return result
        }
        // Chance agreement: each school's rwg(j) against its 95th percentile under random answering.
        let scaleCount = scores.scaleCount, listwise = statistics.missing == .listwise
        let critical = PhaseTrace.measure("rwg(j) at chance") {
            RwgJChance.schoolCriticalValues(schools: schools.count, scaleItems: table.instrument.scaleItemIndices.map(\.count),
                                            respondents: { j, s in listwise ? completeRows[j * scaleCount + s] : schools[j].scores[s].n },
                                            null: statistics.null, options: table.instrument.responseScale.options,
                                            nullVariance: nullVariance, threads: statistics.threads)
        }
        for j in schoolResults.indices {
            for s in 0..<scaleCount { schoolResults[j].scores[s].rwgJCritical = critical[j][s] }
        }
        self.schools = schoolResults
        self.authorities = authorities.indices.map { a in
            var result = AuthorityResult(authorities[a], agreement: authorityAgreement[a], norms: normed?.authority[a],
                                         profiles: normed?.authorityProfiles[a], scaleIDs: scaleIDs, criticalValues: criticalValues,
                                         suppressed: suppressedAuthorities[a])
            result.name = table.dataFile?.authorityNames[result.id]
            return result
        }
    }
}
