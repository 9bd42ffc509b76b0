// Parsing the command line of `osc-score`. No dependencies: a small parser
// that knows every option, accepts `--name value` and `--name=value`, and
// answers a misspelt option with the closest real one.

import OSCScoring

/// What the user asked `osc-score` to do.
public enum Subcommand: String, Sendable {
    case score, validate, template, help, version
    /// `key install FILE`, `key show`, `key remove`: the installed scoring key.
    case key
}

/// What `osc-score key` does with the installed scoring key.
public enum KeyAction: String, Sendable, CaseIterable {
    case install, show, remove
}

/// The output format of `score` and `validate`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json, markdown
}

/// A usage error: one sentence, with the fix.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The parsed command line.
public struct CommandLineOptions: Sendable {
    public var subcommand = Subcommand.score
    public var file: String?
    public var scale: String?
    public var key: String?
    public var format = OutputFormat.table
    public var output: String?
    public var level: ReportLevel?
    /// CSV in long form: one row per level, unit, scale and statistic.
    public var long = false
    /// How the file is read; its findings name settings by their options (`--fold-case`).
    public var read: ReadOptions = {
        var options = ReadOptions()
        options.settingNames = .commandLine
        return options
    }()
    public var scoring = ScoringOptions()
    public var statistics = StatisticsOptions()
    public var criteria = AggregationCriteria()
    /// `--norms FILE` or `--norms sample`.
    public var norms: String?
    /// With `key`: what to do.
    public var keyAction: KeyAction?
    /// The options given on the command line (long names), for the checks
    /// of options that would have no effect.
    public var given: Set<String> = []

    /// The largest `--min-respondents` accepted (larger values could only
    /// fail every school, and the count is printed in every report).
    static let maximumMinRespondents = 1_000_000
    /// The range of `--null-variance`: a variance of answers on a response
    /// scale (at most 4,095 options) lies well within it, and rwg = 1 − s²/σ²
    /// stays finite.
    static let minimumNullVariance = 1e-6, maximumNullVariance = 1e12

    /// Options that take a value, and flags that do not.
    static let valueOptions = ["--scale", "--key", "--format", "--output", "--level", "--delimiter", "--school-column",
                               "--authority-column", "--id-column", "--missing-codes", "--encoding", "--sheet", "--min-answered",
                               "--null", "--null-variance", "--rgr", "--seed",
                               "--min-respondents", "--rwg-threshold", "--alpha-level", "--icc2-threshold", "--norms"]
    static let flags = ["--strict", "--fold-case", "--listwise", "--include-all-schools", "--long", "--help", "--version"]
    static let shortOptions = ["-o": "--output", "-f": "--format", "-h": "--help", "-V": "--version"]

    public init() {}

    /// Parses the arguments after the program name.
    /// - Throws: `UsageError` for an unknown option, a missing or invalid value, or a stray argument.
    public init(arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        if let first = rest.first, let sub = Subcommand(rawValue: first), sub == .validate || sub == .template || sub == .key {
            subcommand = sub
            rest = rest.dropFirst()
        }
        if subcommand == .key {
            guard let word = rest.first, !word.hasPrefix("-") else {
                if rest.contains("--help") || rest.contains("-h") { subcommand = .help; return }
                throw UsageError(message: "'osc-score key' needs what to do: 'osc-score key install FILE', 'osc-score key show' or 'osc-score key remove'.")
            }
            guard let action = KeyAction(rawValue: word) else {
                let hint = NameSuggestion.closest(to: word, in: KeyAction.allCases.map(\.rawValue)).map { " Did you mean 'osc-score key \($0)'?" }
                    ?? " Use 'osc-score key install FILE', 'osc-score key show' or 'osc-score key remove'."
                throw UsageError(message: "Unknown key command '\(word)'.\(hint)")
            }
            keyAction = action
            rest = rest.dropFirst()
        }
        var sawHelp = false, sawVersion = false
        while let argument = rest.popFirst() {
            if argument == "-" || !argument.hasPrefix("-") {
                guard file == nil else {
                    throw UsageError(message: "Unexpected argument '\(argument)' after the file '\(file!)'; give one responses file (quote paths that contain spaces).")
                }
                file = argument
                continue
            }
            if argument == "--" {
                if let next = rest.popFirst() { file = next }
                continue
            }
            var name = Self.shortOptions[argument] ?? argument
            var inlineValue: String?
            if let eq = name.firstIndex(of: "="), name.hasPrefix("--") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if Self.flags.contains(name) || Self.valueOptions.contains(name) { given.insert(name) }
            if Self.flags.contains(name) {
                guard inlineValue == nil else { throw UsageError(message: "Option '\(name)' takes no value; write it alone.") }
                switch name {
                case "--strict": read.strict = true
                case "--fold-case": read.foldCase = true
                case "--listwise": statistics.missing = .listwise
                case "--include-all-schools": criteria.includeAllSchools = true
                case "--long": long = true
                case "--help": sawHelp = true
                default: sawVersion = true
                }
                continue
            }
            guard Self.valueOptions.contains(name) else {
                let known = Self.valueOptions + Self.flags
                let hint = NameSuggestion.closest(to: name, in: known).map { " Did you mean '\($0)'?" } ?? " Run 'osc-score --help' for the options."
                throw UsageError(message: "Unknown option '\(argument)'.\(hint)")
            }
            guard let value = inlineValue ?? rest.popFirst() else {
                throw UsageError(message: "Option '\(name)' needs a value, for example \(Self.example(for: name)).")
            }
            try apply(name, value)
        }
        if sawHelp { subcommand = .help } else if sawVersion { subcommand = .version }
        try checkCombinations()
    }

    /// Options that would have no effect with the chosen command, format or
    /// level are usage errors, each naming the combination that works.
    mutating func checkCombinations() throws(UsageError) {
        switch subcommand {
        case .help, .version: return
        case .key:
            try checkKeyCommand()
            return
        case .template:
            let allowed: Set<String> = ["--scale", "--key", "--school-column", "--authority-column", "--id-column", "--output", "--help", "--version"]
            if let extra = Self.ordered(given.subtracting(allowed)).first {
                throw UsageError(message: "\(extra) has no effect on 'osc-score template', which prints only the header row; it takes --scale, --key, the column options and -o.")
            }
            if let file {
                throw UsageError(message: "'osc-score template' reads no responses file, but '\(file)' was given; leave it out (template prints the header row the instrument expects).")
            }
            return
        case .validate:
            if let extra = Self.ordered(given.intersection(Self.statisticsOptions)).first {
                throw UsageError(message: "\(extra) has no effect on 'osc-score validate', which reports only how the file was read and scored; use it with 'osc-score [options] FILE'.")
            }
            if format == .csv {
                throw UsageError(message: "'osc-score validate' writes its findings as table, markdown or json, not csv; use --format table, markdown or json.")
            }
            return
        case .score:
            break
        }
        if given.contains("--seed") && statistics.rgrReplications == nil {
            throw UsageError(message: "--seed sets the random group resampling, which runs only with --rgr; add --rgr N (for example --rgr 100) or leave out --seed.")
        }
        if given.contains("--null") && given.contains("--null-variance") {
            throw UsageError(message: "--null and --null-variance both set the null variance of rwg; give only one of them.")
        }
        if long {
            guard format == .csv else { throw UsageError(message: "--long shapes CSV output; add --format csv.") }
            if let level {
                throw UsageError(message: "--long writes every level in one table, so --level \(level.rawValue) has no effect; give either --long or --level \(level.rawValue).")
            }
            return
        }
        switch format {
        case .table, .markdown:
            if let level {
                throw UsageError(message: "--level \(level.rawValue) has no effect with --format \(format.rawValue), which reports schools, authorities and scales together; use --format csv --level \(level.rawValue)" + (level == .respondent ? " (or --format json --level respondent)" : "") + ".")
            }
        case .json:
            if let level, level != .respondent {
                throw UsageError(message: "--level \(level.rawValue) has no effect with --format json, which always holds schools, authorities and scales; --level respondent adds every respondent's scores, and --format csv --level \(level.rawValue) writes one table.")
            }
        case .csv:
            let level = self.level ?? .school
            if level == .respondent, let extra = Self.ordered(given.intersection(Self.statisticsOptions).subtracting(["--level"])).first {
                let levels = extra == "--norms" ? "--level school or authority" : extra == "--rgr" || extra == "--seed" ? "--level scale" : "--level school, authority or scale"
                throw UsageError(message: "\(extra) has no effect on --format csv --level respondent, whose rows hold only each respondent's scale scores; use it with \(levels), or --long.")
            }
            if norms != nil && level == .scale {
                throw UsageError(message: "--norms has no effect on --format csv --level \(level.rawValue); T-scores and profiles are written with --level school or authority (or --long).")
            }
            if statistics.rgrReplications != nil && level != .scale {
                throw UsageError(message: "--rgr has no effect on --format csv --level \(level.rawValue); its results are written with --level scale (or --long).")
            }
        }
    }

    /// `key install FILE`, `key show [--key FILE]`, `key remove`: nothing else.
    private func checkKeyCommand() throws(UsageError) {
        let allowed: Set<String> = keyAction == .show ? ["--key"] : []
        if let extra = Self.ordered(given.subtracting(allowed)).first {
            let what = keyAction == .show ? "takes only --key FILE (to show what a run with it would use)" : "takes no options"
            throw UsageError(message: "\(extra) has no effect on 'osc-score key \(keyAction!.rawValue)', which \(what).")
        }
        switch keyAction! {
        case .install:
            guard file != nil else {
                throw UsageError(message: "'osc-score key install' needs the key file; run 'osc-score key install FILE' with your licensed key (a CSV with header item,column,scale,reverse).")
            }
        case .show, .remove:
            if let file {
                throw UsageError(message: "'osc-score key \(keyAction!.rawValue)' takes no file, but '\(file)' was given; to install a key run 'osc-score key install \(file)'.")
            }
        }
    }

    /// The options that shape only the statistics or their layout, which
    /// `validate` never shows.
    static let statisticsOptions: Set<String> = ["--null", "--null-variance", "--listwise", "--rgr", "--seed", "--norms",
                                                  "--min-respondents", "--rwg-threshold", "--alpha-level", "--icc2-threshold",
                                                  "--include-all-schools", "--level", "--long"]

    /// Option names in the order of the option lists, for a stable message.
    static func ordered(_ names: Set<String>) -> [String] {
        (valueOptions + flags).filter(names.contains)
    }

    static func example(for option: String) -> String {
        switch option {
        case "--format": return "--format json"
        case "--level": return "--level school"
        case "--delimiter": return "--delimiter tab"
        case "--min-answered": return "--min-answered 0.5"
        case "--missing-codes": return "--missing-codes NA,-9"
        case "--encoding": return "--encoding windows-1252"
        case "--sheet": return "--sheet Data"
        case "--null": return "--null slight"
        case "--null-variance": return "--null-variance 2"
        case "--rgr": return "--rgr 100"
        case "--seed": return "--seed 42"
        case "--min-respondents": return "--min-respondents 3"
        case "--rwg-threshold": return "--rwg-threshold 0.7"
        case "--alpha-level": return "--alpha-level 0.05"
        case "--icc2-threshold": return "--icc2-threshold 0.7"
        case "--key": return "--key my-key.csv"
        case "--scale": return "--scale my-instrument.json"
        case "--norms": return "--norms my-norms.json (or --norms sample)"
        case "--output": return "--output scores.csv"
        default: return "\(option) NAME"
        }
    }

    private mutating func apply(_ name: String, _ value: String) throws(UsageError) {
        switch name {
        case "--scale": scale = value
        case "--norms": norms = value
        case "--key": key = value
        case "--output": output = value
        case "--format":
            guard let f = OutputFormat(rawValue: value.lowercased()) else {
                throw UsageError(message: "Unknown format '\(value)'; use one of table, csv, json, markdown.")
            }
            format = f
        case "--level":
            guard let l = ReportLevel(rawValue: value.lowercased()) else {
                throw UsageError(message: "Unknown level '\(value)'; use one of respondent, school, authority, scale.")
            }
            level = l
        case "--delimiter":
            switch value.lowercased() {
            case ",", "comma": read.delimiter = .comma
            case ";", "semicolon": read.delimiter = .semicolon
            case "\t", "\\t", "tab": read.delimiter = .tab
            default: throw UsageError(message: "Unknown delimiter '\(value)'; use comma, tab or semicolon.")
            }
        case "--encoding":
            guard let canonical = ReadOptions.canonicalEncodingName(value) else {
                throw UsageError(message: "Unknown encoding '\(value)'; use one of \(ReadOptions.encodingNames.joined(separator: ", ")) (case, '-' and '_' are ignored: cp1252 and latin1 work too).")
            }
            read.encoding = canonical
        case "--sheet": read.sheet = try nonEmpty(name, value)
        case "--school-column": read.schoolColumn = try nonEmpty(name, value)
        case "--authority-column":
            read.authorityColumn = try nonEmpty(name, value)
            read.requireAuthorityColumn = true
        case "--id-column":
            read.idColumn = try nonEmpty(name, value)
            read.requireIDColumn = true
        case "--missing-codes":
            read.missingCodes = value.split(separator: ",", omittingEmptySubsequences: true).map { ColumnName.trimmed(String($0)) }
        case "--min-answered":
            guard let f = Double(value), f.isFinite, f >= 0, f <= 1 else {
                throw UsageError(message: "--min-answered is '\(value)'; give a fraction from 0 to 1, for example 0.5 for half of a scale's items.")
            }
            scoring.minAnswered = f
        case "--null":
            guard let shape = NullDistribution(rawValue: value.lowercased()) else {
                throw UsageError(message: "Unknown null distribution '\(value)'; use one of \(NullDistribution.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            statistics.null = .distribution(shape)
        case "--null-variance":
            guard let v = Double(value), v.isFinite, v >= Self.minimumNullVariance, v <= Self.maximumNullVariance else {
                throw UsageError(message: "--null-variance is '\(value)'; give a finite positive number from 0.000001 to 1000000000000, for example 2 for the uniform null of a five-point scale.")
            }
            statistics.null = .fixed(v)
        case "--rgr":
            let most = StatisticsOptions.maximumRGRReplications
            guard let n = Int(value), n >= 1, n <= most else {
                throw UsageError(message: "--rgr is '\(value)'; give a whole number of replications from 1 to \(most) (the limit), for example 100.")
            }
            statistics.rgrReplications = n
        case "--seed":
            guard let seed = UInt64(value) else {
                throw UsageError(message: "--seed is '\(value)'; give a whole number from 0 to 18446744073709551615.")
            }
            statistics.seed = seed
        case "--min-respondents":
            guard let n = Int(value), n >= 1, n <= Self.maximumMinRespondents else {
                throw UsageError(message: "--min-respondents is '\(value)'; give a whole number from 1 to \(Self.maximumMinRespondents) (the limit), for example 3.")
            }
            criteria.minRespondents = n
        case "--rwg-threshold":
            criteria.rwgThreshold = try fraction(name, value, example: "0.7")
        case "--alpha-level":
            let a = try fraction(name, value, example: "0.05")
            guard a > 0 && a < 1 else { throw UsageError(message: "--alpha-level is '\(value)'; give a significance level between 0 and 1, for example 0.05.") }
            criteria.alphaLevel = a
        case "--icc2-threshold":
            criteria.icc2Threshold = try fraction(name, value, example: "0.7")
        default:
            throw UsageError(message: "Unknown option '\(name)'.")
        }
    }

    private func fraction(_ name: String, _ value: String, example: String) throws(UsageError) -> Double {
        guard let v = Double(value), v.isFinite, v >= 0, v <= 1 else {
            throw UsageError(message: "\(name) is '\(value)'; give a number from 0 to 1, for example \(example).")
        }
        return v
    }

    private func nonEmpty(_ name: String, _ value: String) throws(UsageError) -> String {
        let v = ColumnName.trimmed(value)
        guard !v.isEmpty else { throw UsageError(message: "Option '\(name)' needs a column name, not an empty value.") }
        return v
    }
}
