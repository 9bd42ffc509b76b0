// Whether a school's mean can stand for its staff, and whether aggregating to
// schools (or authorities) is justified for a scale.

/// The thresholds that decide aggregation.
///
/// Defaults and their sources:
/// - `minRespondents` 3: a school mean needs at least three respondents with
///   a score; with fewer, neither agreement nor the mean is stable.
/// - `rwgThreshold` 0.70: the conventional cut-off for "strong enough"
///   within-group agreement (LeBreton & Senter 2008, who also caution that it
///   is a convention, not a law).
/// - `alphaLevel` 0.05: the ANOVA F test of between-group differences.
/// - `icc2Threshold` 0.70: the reliability of group means that Bliese (2000)
///   treats as adequate for group-level analysis.
public struct AggregationCriteria: Sendable, Equatable {
    /// The fewest respondents with a score on the scale for a school's mean to aggregate (default 3; JSON `minRespondents` in `settings`).
    public var minRespondents = 3
    /// The lowest rwg(j) at which a school's staff agree strongly enough for its mean to aggregate (default 0.70, LeBreton & Senter 2008; JSON `rwgThreshold` in `settings`).
    public var rwgThreshold = 0.70
    /// The significance level below which the ANOVA F test's p-value counts as significant, and random group resampling's p as above chance (default 0.05; JSON `alphaLevel` in `settings`).
    public var alphaLevel = 0.05
    /// The lowest ICC(2), the reliability of group means, at which aggregating to a level is justified (default 0.70, Bliese 2000; JSON `icc2Threshold` in `settings`).
    public var icc2Threshold = 0.70
    /// Whether authority aggregates include schools that fail their verdict (default false; JSON `includeAllSchools` in `settings`).
    public var includeAllSchools = false
    /// Small-number suppression for published reports (default nil, none;
    /// JSON `suppressBelow` in `settings`): a school or authority with fewer
    /// respondents than this is marked `suppressed`, every output format
    /// withholds its means, spreads, agreement, T-scores and profiles (its
    /// counts stay), and a suppressed school is left out of its authority's
    /// aggregates, so that no authority number reveals it. At least 1.
    public var suppressBelow: Int? = nil

    /// Criteria with the given thresholds; each default is the property's default.
    /// - Parameters:
    ///   - minRespondents: the fewest respondents with a score for a school mean (default 3).
    ///   - rwgThreshold: the lowest rwg(j) for a school mean (default 0.70).
    ///   - alphaLevel: the significance level of the ANOVA F test (default 0.05).
    ///   - icc2Threshold: the lowest ICC(2) for aggregating to a level (default 0.70).
    ///   - includeAllSchools: whether authority aggregates include schools that fail their verdict (default false).
    ///   - suppressBelow: withhold the results of schools and authorities with fewer respondents than this (default nil: none).
    public init(minRespondents: Int = 3, rwgThreshold: Double = 0.70, alphaLevel: Double = 0.05,
                icc2Threshold: Double = 0.70, includeAllSchools: Bool = false, suppressBelow: Int? = nil) {
        self.suppressBelow = suppressBelow
        self.minRespondents = minRespondents
        self.rwgThreshold = rwgThreshold
        self.alphaLevel = alphaLevel
        self.icc2Threshold = icc2Threshold
        self.includeAllSchools = includeAllSchools
    }
}

/// Why a verdict is negative: a short code for programs and a sentence for people.
public struct AggregationReason: Sendable, Equatable {
    /// `fewRespondents`, `lowAgreement`, `agreementNotComputable`,
    /// `icc1NotPositive`, `fNotSignificant`, `icc2Low` or `iccNotComputable`
    /// (JSON `code` in a `reasons` entry).
    public let code: String
    /// The sentence without the setting it names.
    let text: String
    /// The setting whose value the criterion used, named after the sentence
    /// in parentheses; nil when none decides it.
    public let setting: Setting?

    /// One sentence for people saying which criterion failed, with the value
    /// and threshold where there are numbers (JSON `message` in a `reasons`
    /// entry), naming the setting by its library name (`minRespondents`).
    public var message: String { message(.library) }

    /// The sentence naming the setting as `names` does (the command line: `--min-respondents`).
    public func message(_ names: SettingNames) -> String {
        setting.map { "\(text) (\(names.name($0)))" } ?? text
    }

    init(code: String, message text: String, setting: Setting? = nil) {
        self.code = code
        self.text = text
        self.setting = setting
    }
}

/// Whether one school's mean on one scale can stand for its staff.
public struct SchoolVerdict: Sendable, Equatable {
    /// True when every criterion holds.
    public let aggregate: Bool
    /// Empty when `aggregate`; otherwise every criterion that failed.
    public let reasons: [AggregationReason]
}

/// Whether aggregating a scale to one level (schools or authorities) is
/// justified, criterion by criterion (Bliese 2000).
public struct LevelVerdict: Sendable, Equatable {
    /// True when ICC(1) > 0 with a significant F and ICC(2) ≥ the threshold.
    public let justified: Bool
    /// Whether ICC(1) is above zero (JSON `icc1Positive` in `criteria`).
    public let icc1Positive: Bool
    /// Whether the ANOVA F test's p-value is below `alphaLevel` (JSON `fSignificant` in `criteria`).
    public let fSignificant: Bool
    /// Whether ICC(2) is at least `icc2Threshold` (JSON `icc2Reliable` in `criteria`).
    public let icc2Reliable: Bool
    /// One entry per failed criterion.
    public let reasons: [AggregationReason]
}

extension AggregationCriteria {
    /// The verdict on a school's scale mean.
    ///
    /// Fails when fewer than `minRespondents` respondents have a score, when
    /// rwg(j) is below `rwgThreshold`, or when rwg(j) cannot be computed;
    /// every failing criterion is listed.
    public func verdict(respondents n: Int, rwgJ: Double?) -> SchoolVerdict {
        var reasons: [AggregationReason] = []
        if n < minRespondents {
            reasons.append(AggregationReason(code: "fewRespondents",
                message: "\(n) respondent\(n == 1 ? "" : "s") with a score, fewer than \(minRespondents)", setting: .minRespondents))
        }
        if let r = rwgJ {
            if r < rwgThreshold {
                reasons.append(AggregationReason(code: "lowAgreement",
                    message: "rwg(j) \(Self.twoDecimals(r)) is below \(Self.twoDecimals(rwgThreshold))", setting: .rwgThreshold))
            }
        } else {
            reasons.append(AggregationReason(code: "agreementNotComputable",
                message: "rwg(j) cannot be computed (fewer than two respondents with usable answers)"))
        }
        return SchoolVerdict(aggregate: reasons.isEmpty, reasons: reasons)
    }

    /// The verdict on aggregating a scale to a level, from its one-way ANOVA;
    /// not justified (with the reason) when the ANOVA could not be computed.
    public func verdict(icc: OneWayANOVAICC?) -> LevelVerdict {
        guard let icc else {
            return LevelVerdict(justified: false, icc1Positive: false, fSignificant: false, icc2Reliable: false,
                                reasons: [AggregationReason(code: "iccNotComputable", message: "the ICCs cannot be computed (fewer than two groups with respondents)")])
        }
        let positive = icc.icc1 > 0
        let significant = icc.p < alphaLevel
        let reliable = icc.icc2 >= icc2Threshold
        var reasons: [AggregationReason] = []
        // All group means equal (F = 0): ICC(2) is −infinity, which no
        // report prints as a number; say what it means instead.
        let equalMeans = icc.f == 0
        if !positive {
            reasons.append(AggregationReason(code: "icc1NotPositive", message: "ICC(1) \(Self.twoDecimals(icc.icc1)) is not above zero"
                + (equalMeans ? " (every group has the same mean)" : "")))
        }
        if !significant {
            reasons.append(AggregationReason(code: "fNotSignificant",
                message: "F(\(icc.df1), \(icc.df2)) = \(Self.twoDecimals(icc.f)), p = \(Self.threeDecimals(icc.p)), not below \(DecimalText.shortest(alphaLevel))", setting: .alphaLevel))
        }
        if !reliable {
            reasons.append(AggregationReason(code: "icc2Low",
                message: icc.icc2.isFinite
                    ? "ICC(2) \(Self.twoDecimals(icc.icc2)) is below \(Self.twoDecimals(icc2Threshold))"
                    : "ICC(2) is not defined because every group has the same mean (F = 0), so the group means are not reliable",
                setting: icc.icc2.isFinite ? .icc2Threshold : nil))
        }
        return LevelVerdict(justified: reasons.isEmpty, icc1Positive: positive, fSignificant: significant, icc2Reliable: reliable, reasons: reasons)
    }

    static func twoDecimals(_ x: Double) -> String { DecimalText.fixed(x, places: 2) }
    static func threeDecimals(_ x: Double) -> String { DecimalText.fixed(x, places: 3) }
}
