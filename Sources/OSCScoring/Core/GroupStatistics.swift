// Reliability and agreement computed for a whole report: per scale over the
// sample, per scale and group level from the one-way ANOVA, and per group
// (school or authority) from its respondents' answers.

/// Within-group agreement of one group (a school or an authority) on one scale.
///
/// Each index is documented with its formula and edge cases on `Agreement`
/// (`Statistics/Rwg.swift`, `Awg.swift`, `AverageDeviation.swift`).
///
/// Validated against: R 4.2.2 with multilevel 2.7 on the shipped example,
/// every school and authority and every scale, listwise with multilevel's
/// own functions and pairwise with the rule written out in R (1e-9;
/// `Tests/OSCScoringTests/Reference/example`).
public struct GroupAgreement: Sendable, Equatable {
    /// rwg(j), James, Demaree & Wolf (1984), mean item variance truncated at the null.
    public let rwgJ: Double?
    /// r*wg(j), Lindell & Brandt (1999), no truncation (may be negative).
    public let rwgJStar: Double?
    /// rwg of the respondents' scale scores (James, Demaree & Wolf 1984).
    public let rwg: Double?
    /// awg, Brown & Hauenstein (2005), mean over items.
    public let awg: Double?
    /// AD about the item means, Burke, Finkelstein & Dusig (1999), mean over items.
    public let adMean: Double?
    /// AD about the item medians, mean over items.
    public let adMedian: Double?

    /// Computes every agreement index for one group.
    /// - Parameters:
    ///   - block: the group's keyed answers to the scale's items.
    ///   - scores: the group's respondents' scale scores (NaN where none).
    public init(block: ItemResponses, scores: [Double], responseScale: ResponseScale, nullVariance: Double, missing: MissingDataRule) {
        rwgJ = Agreement.rwgJ(block, nullVariance: nullVariance, missing: missing)
        rwgJStar = Agreement.rwgJStar(block, nullVariance: nullVariance, missing: missing)
        // Listwise: the scale scores of complete respondents only, as
        // multilevel on a listwise-deleted data frame.
        let usable: [Double]
        if missing == .listwise {
            usable = (0..<block.respondents).filter { block.isComplete(respondent: $0) }.map { scores[$0] }
        } else {
            usable = scores
        }
        rwg = Agreement.rwg(usable, nullVariance: nullVariance)
        awg = Agreement.awg(block, lowest: Double(responseScale.min), highest: Double(responseScale.max), missing: missing)
        adMean = Agreement.averageDeviation(block, about: .mean, missing: missing)
        adMedian = Agreement.averageDeviation(block, about: .median, missing: missing)
    }
}

/// Internal consistency of one scale over the whole sample.
public struct ScaleReliability: Sendable, Equatable {
    /// Cronbach's alpha and its companions (psych `alpha()`); nil for a single item.
    public let alpha: AlphaReliability?
    /// McDonald's omega total from one minimum-residual factor (psych `omega(nfactors = 1)`).
    public let omegaTotal: Double?
}

/// Between-group statistics of one scale at the school and authority levels.
public struct ScaleICC: Sendable, Equatable {
    /// One-way ANOVA of respondents' scale scores by school.
    public let school: OneWayANOVAICC?
    /// One-way ANOVA by authority (nil without an authority column).
    public let authority: OneWayANOVAICC?
    /// Random group resampling by school, when requested.
    public let schoolRGR: RGRAgreement?
    /// Random group resampling by authority, when requested.
    public let authorityRGR: RGRAgreement?
    /// Variance of respondents' scale scores between authorities, between
    /// schools within authorities and within schools, by REML for
    /// `score ~ 1 + (1 | authority/school)` (two-level without authorities).
    public let variance: VariancePartition?
}

/// Every reliability and agreement statistic of a report.
///
/// Validated end to end against psych 2.2.9 and multilevel 2.7 on the
/// shipped example (`ExampleStatisticsTests`): alpha and its companions to
/// 1e-9, omega to 1e-4, ICCs and agreement to 1e-9.
public struct ReportStatistics: Sendable {
    public let options: StatisticsOptions
    /// The null variance used.
    public let nullVariance: Double
    /// Per scale (instrument order).
    public let reliability: [ScaleReliability]
    /// Per scale (instrument order).
    public let icc: [ScaleICC]
    /// `schoolAgreement[j][s]`: school j, scale s.
    public let schoolAgreement: [[GroupAgreement]]
    /// `authorityAgreement[a][s]`: authority a, scale s.
    public let authorityAgreement: [[GroupAgreement]]

    /// Within-group agreement of every school on every scale, from all the
    /// school's rows: each index takes the answers it can use under
    /// `options.missing`; rwg uses the scale scores.
    public static func schoolAgreement(table: ResponseTable, scores: RespondentScores, schools: [SchoolAggregate],
                                       nullVariance: Double, missing: MissingDataRule) -> [[GroupAgreement]] {
        schools.map { school in
            (0..<scores.scaleCount).map { s in
                agreement(table: table, scores: scores, rows: school.rowIndices, scale: s, nullVariance: nullVariance, missing: missing)
            }
        }
    }

    static func agreement(table: ResponseTable, scores: RespondentScores, rows: [Int], scale s: Int,
                          nullVariance: Double, missing: MissingDataRule) -> GroupAgreement {
        GroupAgreement(block: table.itemResponses(rows: rows, items: table.instrument.scaleItemIndices[s]),
                       scores: rows.map { scores.values[$0 * scores.scaleCount + s] },
                       responseScale: table.instrument.responseScale, nullVariance: nullVariance, missing: missing)
    }

    /// Computes the statistics of scored data.
    ///
    /// - Reliability uses every data row read (rows without a school
    ///   included), with pairwise-complete covariances as psych `alpha()`.
    /// - ICCs use the respondents with a score on the scale and a group (at
    ///   the authority level, every respondent in a school of the authority,
    ///   whatever the schools' verdicts: the ICC describes the design).
    /// - An authority's agreement on a scale uses the rows of the schools
    ///   its aggregate includes on that scale.
    public init(table: ResponseTable, scores: RespondentScores, schools: [SchoolAggregate], schoolAgreement: [[GroupAgreement]],
                authorities: [AuthorityAggregate], options: StatisticsOptions, nullVariance: Double) {
        let instrument = table.instrument
        let allRows = 0..<table.rowCount
        let scaleCount = instrument.scales.count

        // Every scale's covariances from one pass of exact integer sums over
        // the item pairs that share a scale.
        let itemCount = instrument.items.count
        var needed = [Bool](repeating: false, count: itemCount * itemCount)
        for items in instrument.scaleItemIndices { for a in items { for b in items { needed[a * itemCount + b] = true } } }
        let sums = PairwiseSums(columns: table.keyedColumns(), rows: table.rowCount, items: itemCount, needed: needed)
        let shift = Double(instrument.responseScale.min - 1)
        reliability = (0..<scaleCount).map { s in
            let items = instrument.scaleItemIndices[s]
            return ScaleReliability(alpha: Reliability.alpha(sums: sums, subset: items, valueShift: shift, respondents: table.rowCount),
                                    omegaTotal: Reliability.omegaTotal(sums: sums, subset: items))
        }

        // Group ids per row: school index, and authority index for rows in a school with an authority.
        var schoolOfRow = [Int](repeating: -1, count: table.rowCount)
        for (j, school) in schools.enumerated() { for r in school.rowIndices { schoolOfRow[r] = j } }
        var authorityOfRow = [Int](repeating: -1, count: table.rowCount)
        for (a, authority) in authorities.enumerated() {
            for j in authority.schoolIndices { for r in schools[j].rowIndices { authorityOfRow[r] = a } }
        }
        func column(_ s: Int) -> [Double] { allRows.map { scores.values[$0 * scaleCount + s] } }
        func resample(_ values: [Double], _ groups: [Int], salt: UInt64) -> RGRAgreement? {
            guard let replications = options.rgrReplications else { return nil }
            // multilevel's rgr.agree needs at least two members per group: leave smaller groups out.
            var size: [Int: Int] = [:]
            for (v, g) in zip(values, groups) where !v.isNaN && g >= 0 { size[g, default: 0] += 1 }
            let kept = zip(values, groups).map { v, g in (size[g] ?? 0) >= 2 ? g : -1 }
            return RandomGroupResampling.agree(scores: values, groups: kept, replications: replications, seed: options.seed &+ salt)
        }
        // The variance partition: respondents with a score and a school (and,
        // in three-level data, a school with an authority).
        let nestedSchool = table.hasAuthorityColumn ? zip(schoolOfRow, authorityOfRow).map { $1 >= 0 ? $0 : -1 } : schoolOfRow
        icc = (0..<scaleCount).map { s in
            let y = column(s)
            return ScaleICC(
                school: IntraclassCorrelation.oneWay(scores: y, groups: schoolOfRow),
                authority: table.hasAuthorityColumn ? IntraclassCorrelation.oneWay(scores: y, groups: authorityOfRow) : nil,
                schoolRGR: resample(y, schoolOfRow, salt: UInt64(2 * s)),
                authorityRGR: table.hasAuthorityColumn ? resample(y, authorityOfRow, salt: UInt64(2 * s + 1)) : nil,
                variance: table.hasAuthorityColumn
                    ? VariancePartitioning.threeLevel(scores: y, authorities: authorityOfRow, schools: nestedSchool)
                    : VariancePartitioning.twoLevel(scores: y, schools: schoolOfRow))
        }
        self.schoolAgreement = schoolAgreement
        authorityAgreement = authorities.map { authority in
            (0..<scaleCount).map { s in
                Self.agreement(table: table, scores: scores, rows: authority.scores[s].includedSchools.flatMap { schools[$0].rowIndices },
                               scale: s, nullVariance: nullVariance, missing: options.missing)
            }
        }
        self.options = options
        self.nullVariance = nullVariance
    }
}
