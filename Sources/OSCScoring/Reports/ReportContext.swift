// What a report says about how it was made: the input, the key, the settings.

/// The facts of a run that a report echoes besides the scores.
public struct ReportContext: Sendable {
    /// The responses file as the user named it ("-" for standard input).
    public var source: String
    /// The key file, when one was given.
    public var keySource: String?
    /// How the file was read.
    public var readOptions: ReadOptions
    /// The delimiter found or given.
    public var delimiter: UInt8?
    /// The name and version of the program, for the first line of reports.
    public var generator: String

    public init(source: String, keySource: String? = nil, readOptions: ReadOptions = ReadOptions(),
                delimiter: UInt8? = nil, generator: String = "osc-score") {
        self.source = source
        self.keySource = keySource
        self.readOptions = readOptions
        self.delimiter = delimiter
        self.generator = generator
    }
}

/// The unit of output rows for CSV (and the extra respondent list in JSON).
public enum ReportLevel: String, Sendable, CaseIterable {
    case respondent, school, authority
    /// One row per scale: reliability and between-group statistics.
    case scale
}
