// Parsing the command line of `osc-score`. No dependencies: a small parser
// that knows every option, accepts `--name value` and `--name=value`, and
// answers a misspelt option with the closest real one.

import OSCScoring

/// What the user asked `osc-score` to do.
public enum Subcommand: String, Sendable {
    case score, validate, template, help, version
    /// `key install FILE`, `key show`, `key remove`: the installed scoring key.
    case key
    /// `plan --icc1 X …` or `plan FILE`: respondents and schools a study needs.
    case plan
}

/// The settings of `osc-score plan`.
public struct PlanSettings: Sendable {
    /// `--icc1 X`: plan from this ICC(1) instead of a file.
    public var icc1: Double?
    /// `--icc2 T`: the ICC(2) a school mean should reach (default 0.70, Bliese 2000).
    public var icc2Target = 0.70
    /// `--respondents N`: respondents per school of the planned design.
    public var respondents: Int?
    /// `--schools G`: schools of the planned design.
    public var schools: Int?
    /// `--alpha A`: the significance level of the F test (default 0.05).
    public var alpha = 0.05
    /// `--power P`: the power wanted (default 0.80).
    public var power = 0.80
}

/// What `osc-score key` does with the installed scoring key.
public enum KeyAction: String, Sendable, CaseIterable {
    case install, show, remove
}

/// The output format of `score` and `validate`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json, markdown
    /// One self-contained HTML page with charts (`--per-school DIR`: also one page per school).
    case html
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
    /// `--per-school DIR`: the folder for `index.html` and one page per school (HTML only).
    public var perSchool: String?
    /// With `key`: what to do.
    public var keyAction: KeyAction?
    /// With `plan`: the planning settings.
    public var plan = PlanSettings()
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
                               "--min-respondents", "--rwg-threshold", "--alpha-level", "--icc2-threshold", "--norms",
                               "--icc1", "--icc2", "--respondents", "--schools", "--alpha", "--power",
                               "--suppress-below", "--confidence", "--per-school", "--threads"]
    static let flags = ["--strict", "--fold-case", "--listwise", "--include-all-schools", "--long", "--help", "--version"]
    static let shortOptions = ["-o": "--output", "-f": "--format", "-h": "--help", "-V": "--version"]

    public init() {}

    /// Parses the arguments after the program name.
    /// - Throws: `UsageError` for an unknown option, a missing or invalid value, or a stray argument.
    public init(arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        if let first = rest.first, let sub = Subcommand(rawValue: first), sub == .validate || sub == .template || sub == .key || sub == .plan {
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
        if subcommand != .plan, subcommand != .help, subcommand != .version, let extra = Self.ordered(given.intersection(Self.planOptions)).first {
            if extra == "--alpha" {
                throw UsageError(message: "--alpha is the significance level of 'osc-score plan'; for the F test of a scoring run use --alpha-level (for example --alpha-level 0.05).")
            }
            throw UsageError(message: "\(extra) is an option of 'osc-score plan' (for example 'osc-score plan --icc1 0.10'); it has no effect here.")
        }
        switch subcommand {
        case .help, .version: return
        case .plan:
            if format == .html {
                throw UsageError(message: "'osc-score plan' writes its plan as table, markdown, json or csv, not html; use --format table, markdown, json or csv.")
            }
            try checkPlanCommand()
            return
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
            if format == .csv || format == .html {
                throw UsageError(message: "'osc-score validate' writes its findings as table, markdown or json, not \(format.rawValue); use --format table, markdown or json.")
            }
            if perSchool != nil {
                throw UsageError(message: "--per-school has no effect on 'osc-score validate'; use it with 'osc-score --format html --per-school DIR FILE'.")
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
        if criteria.suppressBelow != nil && level == .respondent {
            throw UsageError(message: "--suppress-below withholds small schools and authorities in published reports, but --level respondent writes every respondent's own scores, which no suppression can make publishable; leave out --level respondent.")
        }
        if long {
            guard format == .csv else { throw UsageError(message: "--long shapes CSV output; add --format csv.") }
            if let level {
                throw UsageError(message: "--long writes every level in one table, so --level \(level.rawValue) has no effect; give either --long or --level \(level.rawValue).")
            }
            return
        }
        if let perSchool {
            guard format == .html else {
                throw UsageError(message: "--per-school writes HTML pages; add --format html (osc-score --format html --per-school \(perSchool) FILE).")
            }
            if let output {
                throw UsageError(message: "--per-school writes \(perSchool)/index.html and one page per school itself, so -o \(output) has no effect; leave out -o, or leave out --per-school for one HTML file.")
            }
        }
        switch format {
        case .table, .markdown, .html:
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
                let levels = extra == "--norms" || extra == "--confidence" ? "--level school or authority" : extra == "--rgr" || extra == "--seed" ? "--level scale" : "--level school, authority or scale"
                throw UsageError(message: "\(extra) has no effect on --format csv --level respondent, whose rows hold only each respondent's scale scores; use it with \(levels), or --long.")
            }
            if norms != nil && level == .scale {
                throw UsageError(message: "--norms has no effect on --format csv --level \(level.rawValue); T-scores and profiles are written with --level school or authority (or --long).")
            }
            if given.contains("--confidence") && level == .scale {
                throw UsageError(message: "--confidence has no effect on --format csv --level scale; the intervals of school and authority means are written with --level school or authority (or --long).")
            }
            if statistics.rgrReplications != nil && level != .scale {
                throw UsageError(message: "--rgr has no effect on --format csv --level \(level.rawValue); its results are written with --level scale (or --long).")
            }
        }
    }

    /// The options of `osc-score plan` only.
    static let planOptions: Set<String> = ["--icc1", "--icc2", "--respondents", "--schools", "--alpha", "--power"]

    /// `plan --icc1 X [--icc2 T] [--respondents N] [--schools G] [--alpha A] [--power P]`
    /// or `plan [reading options] FILE [--icc2 T] [--alpha A] [--power P]`, with --format and -o.
    private func checkPlanCommand() throws(UsageError) {
        if let file, plan.icc1 != nil {
            throw UsageError(message: "'osc-score plan' plans either from --icc1 or from a responses file, but both --icc1 and '\(file)' were given; leave out one of them.")
        }
        if level != nil || long {
            throw UsageError(message: "\(level != nil ? "--level" : "--long") has no effect on 'osc-score plan', which writes one plan; use --format table, csv, json or markdown.")
        }
        let output: Set<String> = ["--format", "--output", "--help", "--version", "--icc2", "--alpha", "--power"]
        if plan.icc1 != nil {
            if let extra = Self.ordered(given.subtracting(output.union(["--icc1", "--respondents", "--schools"]))).first {
                throw UsageError(message: "\(extra) has no effect on 'osc-score plan --icc1', which reads no file; it takes --icc2, --respondents, --schools, --alpha, --power, --format and -o.")
            }
            return
        }
        guard file != nil else {
            throw UsageError(message: "'osc-score plan' needs an ICC(1) or a responses file: run 'osc-score plan --icc1 0.10' (see 'osc-score --help') or 'osc-score plan [options] FILE'.")
        }
        if let extra = Self.ordered(given.intersection(["--respondents", "--schools"])).first {
            throw UsageError(message: "\(extra) has no effect on 'osc-score plan FILE', which takes the respondents and schools of the file; use it with 'osc-score plan --icc1 X'.")
        }
        let reading: Set<String> = ["--scale", "--key", "--school-column", "--authority-column", "--id-column", "--delimiter",
                                    "--missing-codes", "--strict", "--fold-case", "--min-answered"]
        if let extra = Self.ordered(given.subtracting(output.union(reading))).first {
            throw UsageError(message: "\(extra) has no effect on 'osc-score plan FILE', which takes the instrument and reading options, --min-answered, --icc2, --alpha, --power, --format and -o.")
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
                                                  "--include-all-schools", "--level", "--long", "--suppress-below", "--confidence"]

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
        case "--threads": return "--threads 4"
        case "--null": return "--null slight"
        case "--null-variance": return "--null-variance 2"
        case "--rgr": return "--rgr 100"
        case "--seed": return "--seed 42"
        case "--min-respondents": return "--min-respondents 3"
        case "--suppress-below": return "--suppress-below 5"
        case "--rwg-threshold": return "--rwg-threshold 0.7"
        case "--alpha-level": return "--alpha-level 0.05"
        case "--icc2-threshold": return "--icc2-threshold 0.7"
        case "--confidence": return "--confidence 0.95"
        case "--key": return "--key my-key.csv"
        case "--scale": return "--scale my-instrument.json"
        case "--norms": return "--norms my-norms.json (or --norms sample)"
        case "--output": return "--output scores.csv"
        case "--icc1": return "--icc1 0.10"
        case "--icc2": return "--icc2 0.70"
        case "--respondents": return "--respondents 21"
        case "--schools": return "--schools 50"
        case "--alpha": return "--alpha 0.05"
        case "--power": return "--power 0.80"
        case "--per-school": return "--per-school pages"
        default: return "\(option) NAME"
        }
    }

    private mutating func apply(_ name: String, _ value: String) throws(UsageError) {
        switch name {
        case "--scale": scale = value
        case "--norms": norms = value
        case "--key": key = value
        case "--output": output = value
        case "--per-school":
            guard !value.isEmpty else { throw UsageError(message: "--per-school needs a folder, for example --per-school pages.") }
            perSchool = value
        case "--format":
            guard let f = OutputFormat(rawValue: value.lowercased()) else {
                throw UsageError(message: "Unknown format '\(value)'; use one of table, csv, json, markdown, html.")
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
        case "--threads":
            let most = StatisticsOptions.maximumThreads
            guard let n = Int(value), n >= 1, n <= most else {
                throw UsageError(message: "--threads is '\(value)'; give a whole number of threads from 1 to \(most), for example --threads 4 (the default is the machine's active processors, \(StatisticsOptions.defaultThreads) here).")
            }
            read.threads = n
            statistics.threads = n
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
        case "--suppress-below":
            guard let n = Int(value), n >= 1, n <= Self.maximumMinRespondents else {
                throw UsageError(message: "--suppress-below is '\(value)'; give a whole number of respondents from 1 to \(Self.maximumMinRespondents), for example 5 (schools and authorities with fewer are withheld).")
            }
            criteria.suppressBelow = n
        case "--rwg-threshold":
            criteria.rwgThreshold = try fraction(name, value, example: "0.7")
        case "--alpha-level":
            let a = try fraction(name, value, example: "0.05")
            guard a > 0 && a < 1 else { throw UsageError(message: "--alpha-level is '\(value)'; give a significance level between 0 and 1, for example 0.05.") }
            criteria.alphaLevel = a
        case "--icc2-threshold":
            criteria.icc2Threshold = try fraction(name, value, example: "0.7")
        case "--icc1":
            plan.icc1 = try openFraction(name, value, what: "an intraclass correlation ICC(1)", example: "0.10")
        case "--icc2":
            plan.icc2Target = try openFraction(name, value, what: "the ICC(2) a school mean should reach", example: "0.70")
        case "--alpha":
            plan.alpha = try openFraction(name, value, what: "a significance level", example: "0.05")
        case "--power":
            plan.power = try openFraction(name, value, what: "the power wanted", example: "0.80")
        case "--respondents", "--schools":
            let most = StudyPlanning.maximumCount
            guard let n = Int(value), n >= 2, n <= most else {
                throw UsageError(message: "\(name) is '\(value)'; give a whole number from 2 to \(most) (the F test needs two \(name == "--schools" ? "schools" : "respondents per school")), for example \(name == "--schools" ? "50" : "21").")
            }
            if name == "--schools" { plan.schools = n } else { plan.respondents = n }
        case "--confidence":
            guard let c = Double(value), c > 0, c < 1 else {
                throw UsageError(message: "--confidence is '\(value)'; give a confidence level between 0 and 1 (not 0 or 1 themselves), for example 0.95 for 95% intervals of the means.")
            }
            statistics.confidence = c
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

    /// A number strictly between 0 and 1 (0 and 1 would divide by zero in the plan).
    private func openFraction(_ name: String, _ value: String, what: String, example: String) throws(UsageError) -> Double {
        guard let v = Double(value), v.isFinite, v > 0, v < 1 else {
            throw UsageError(message: "\(name) is '\(value)'; give \(what) strictly between 0 and 1, for example \(example) (at 0 or 1 no plan exists: the formulas divide by ICC(1), 1 − ICC(1) or 1 − the target).")
        }
        return v
    }

    private func nonEmpty(_ name: String, _ value: String) throws(UsageError) -> String {
        let v = ColumnName.trimmed(value)
        guard !v.isEmpty else { throw UsageError(message: "Option '\(name)' needs a column name, not an empty value.") }
        return v
    }
}
