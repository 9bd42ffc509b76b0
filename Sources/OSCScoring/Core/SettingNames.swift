// How messages name a setting: by the library's name for it (the property of
// `ScoringOptions`, `ReadOptions`, `StatisticsOptions` or
// `AggregationCriteria`, as in JSON `settings`) or by the command line's
// option. The library speaks of its own names; the command line asks for its
// flags through `ReportContext.settingNames` and `ResponseFileError.message(_:)`.

/// A setting that a message may point the reader to.
public enum Setting: String, Sendable, CaseIterable {
    /// `ScoringOptions.minAnswered` (`--min-answered`).
    case minAnswered
    /// `ReadOptions.missingCodes` (`--missing-codes`).
    case missingCodes
    /// `ReadOptions.schoolColumn` (`--school-column`).
    case schoolColumn
    /// `ReadOptions.authorityColumn` (`--authority-column`).
    case authorityColumn
    /// `ReadOptions.idColumn` (`--id-column`).
    case idColumn
    /// `ReadOptions.foldCase` (`--fold-case`).
    case foldCase
    /// `AggregationCriteria.minRespondents` (`--min-respondents`).
    case minRespondents
    /// `AggregationCriteria.rwgThreshold` (`--rwg-threshold`).
    case rwgThreshold
    /// `AggregationCriteria.alphaLevel` (`--alpha-level`).
    case alphaLevel
    /// `AggregationCriteria.icc2Threshold` (`--icc2-threshold`).
    case icc2Threshold
    /// `AggregationCriteria.includeAllSchools` (`--include-all-schools`).
    case includeAllSchools
    /// `AggregationCriteria.suppressBelow` (`--suppress-below`).
    case suppressBelow
    /// `StatisticsOptions.null` set to a fixed variance (`--null-variance`).
    case nullVariance
    /// `StatisticsOptions.missing` set to `.listwise` (`--listwise`).
    case listwise
    /// The norms of a report (`NormsChoice`; `--norms FILE` or `--norms sample`).
    case norms
    /// The scoring key given for a run (`ScoringKey`; `--key FILE`).
    case key
}

/// The names messages give settings: `library` (the default) or `commandLine`.
public struct SettingNames: Sendable, Equatable {
    /// Whether settings are named by their command-line options.
    public let usesCommandLineOptions: Bool

    /// The library's names: `minRespondents`, `missingCodes`, ….
    public static let library = SettingNames(usesCommandLineOptions: false)
    /// The command line's options: `--min-respondents`, `--missing-codes`, ….
    public static let commandLine = SettingNames(usesCommandLineOptions: true)

    /// The name of `setting` in this naming.
    public func name(_ setting: Setting) -> String {
        guard usesCommandLineOptions else { return setting.rawValue }
        switch setting {
        case .minAnswered: return "--min-answered"
        case .missingCodes: return "--missing-codes"
        case .schoolColumn: return "--school-column"
        case .authorityColumn: return "--authority-column"
        case .idColumn: return "--id-column"
        case .foldCase: return "--fold-case"
        case .minRespondents: return "--min-respondents"
        case .rwgThreshold: return "--rwg-threshold"
        case .alphaLevel: return "--alpha-level"
        case .icc2Threshold: return "--icc2-threshold"
        case .includeAllSchools: return "--include-all-schools"
        case .suppressBelow: return "--suppress-below"
        case .nullVariance: return "--null-variance"
        case .listwise: return "--listwise"
        case .norms: return "--norms"
        case .key: return "--key"
        }
    }
}
