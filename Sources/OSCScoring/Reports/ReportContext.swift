// What a report says about how it was made: the input, the key, the settings.

/// The facts of a run that a report echoes besides the scores.
public struct ReportContext: Sendable {
    /// The responses file as the user named it ("-" for standard input).
    public var source: String
    /// The key file, when one was given (JSON `instrument.key`).
    public var keySource: String?
    /// Where the key file came from (JSON `instrument.keySource`).
    public var keyOrigin: KeyOrigin?
    /// How the file was read.
    public var readOptions: ReadOptions
    /// The delimiter found or given.
    public var delimiter: FieldDelimiter?
    /// The name and version of the program, for the first line of reports.
    public var generator: String
    /// How the report's sentences name settings: the library's names by
    /// default (`minRespondents`); `osc-score` sets `.commandLine`
    /// (`--min-respondents`).
    public var settingNames = SettingNames.library

    /// The facts of one run; every one has a default, so a report renders
    /// without a context as well (`report.tableText()`).
    /// - Parameters:
    ///   - source: the responses file as the user named it; `"responses"`
    ///     when the report is rendered without a context.
    ///   - keySource: the key file, when one was given.
    ///   - keyOrigin: where the key file came from.
    ///   - readOptions: how the file was read.
    ///   - delimiter: the delimiter found or given.
    ///   - generator: the program's name and version.
    public init(source: String = "responses", keySource: String? = nil, keyOrigin: KeyOrigin? = nil, readOptions: ReadOptions = ReadOptions(),
                delimiter: FieldDelimiter? = nil, generator: String = "osc-score") {
        self.source = source
        self.keySource = keySource
        self.keyOrigin = keyOrigin
        self.readOptions = readOptions
        self.delimiter = delimiter
        self.generator = generator
    }
}

/// Where the scoring key of a run came from, in the lookup order of
/// `osc-score`: `--key FILE`, then `OSC_SCORE_KEY`, then the installed key.
public enum KeyOrigin: String, Sendable, CaseIterable {
    /// Given for the run (`--key FILE`, or a key applied in code).
    case option
    /// Named by the `OSC_SCORE_KEY` environment variable.
    case environment
    /// The key installed with `osc-score key install FILE`.
    case installed

    /// How readable reports say where the key came from ("given for the
    /// run"), naming settings by their library names.
    public var label: String { label(.library) }

    /// Where the key came from, naming the setting as `names` does
    /// ("given with --key" on the command line).
    public func label(_ names: SettingNames) -> String {
        switch self {
        case .option: return names.usesCommandLineOptions ? "given with \(names.name(.key))" : "given for the run"
        case .environment: return "named by OSC_SCORE_KEY"
        case .installed: return "installed with 'osc-score key install'"
        }
    }
}

/// The unit of output rows for CSV (and the extra respondent list in JSON).
public enum ReportLevel: String, Sendable, CaseIterable {
    /// One row per respondent (data row), per school, or per authority, each with every scale.
    case respondent, school, authority
    /// One row per scale: reliability and between-group statistics.
    case scale
}
