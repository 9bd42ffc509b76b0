// The run loop of `osc-score`: parse, load, read, score, write. Every
// failure becomes one sentence on standard error and a sysexits status.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import OSCScoring

/// Exit statuses (BSD sysexits).
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let usage: Int32 = 64
    public static let dataError: Int32 = 65
    public static let noInput: Int32 = 66
    /// A write failed (full disk, closed standard output, file size limit).
    public static let ioError: Int32 = 74
}

/// The `osc-score` command.
public enum OSCScoreCommand {
    public static let version = "0.1.0"

    /// The responses table and the report of the run, kept until the
    /// process exits: freeing them (at 200,000 respondents some 40 MB in
    /// thousands of blocks, about 7 ms) is work the operating system does
    /// at once when the process ends. `main` runs once per process.
    nonisolated(unsafe) private static var keptUntilExit: [Any] = []

    /// Runs the command and returns its exit status. Call once per process:
    /// it opens any closed standard stream onto /dev/null and ignores SIGPIPE.
    public static func main(arguments: [String]) -> Int32 {
        let console = Console.prepareStandardStreams()
        PhaseTrace.mark("start")
        do {
            var options = try CommandLineOptions(arguments: arguments)
            // Progress of long steps only where a person watches (goldens and pipes see none).
            options.statistics.showsProgress = isatty(2) == 1
            defer { PhaseTrace.mark("memory released") }
            return try run(options, console: console)
        } catch let error as UsageError {
            console.error(error.message)
            return ExitStatus.usage
        } catch let error as FileInputError {
            console.error("Cannot read '\(error.path)': \(error.reason).")
            return ExitStatus.noInput
        } catch let error as InstrumentFileError {
            console.error(error.description)
            return ExitStatus.dataError
        } catch let error as ScoringKeyError {
            console.error(error.description)
            return ExitStatus.dataError
        } catch let error as NormsFileError {
            console.error(error.description)
            return ExitStatus.dataError
        } catch let error as ResponseFileError {
            console.error(error.message(.commandLine))
            if case .unreadable = error { return ExitStatus.noInput }
            return ExitStatus.dataError
        } catch let error as InstrumentProblem {
            if case let .keyRequired(instrument, itemCount) = error {
                console.error(keyRequiredMessage(instrument: instrument, itemCount: itemCount))
                return ExitStatus.usage
            }
            console.error(error.message.prefix(1).uppercased() + error.message.dropFirst() + ".")
            return ExitStatus.dataError
        } catch let error as NullDistributionError {
            console.error(error.description)
            return ExitStatus.usage
        } catch let error as OutputError {
            // A reader that stopped early (`| head`) asked for no more: stop quietly, status 0.
            if error.quiet { return ExitStatus.success }
            console.error(error.message)
            return ExitStatus.ioError
        } catch let error as InputError {
            console.error(error.message)
            return ExitStatus.noInput
        } catch {
            console.error("Unexpected failure: \(error).")
            return ExitStatus.failure
        }
    }

    /// The message when an instrument needs its licensed key and none was
    /// found: the three ways to give one, and the demo key to try the tool.
    static func keyRequiredMessage(instrument: String, itemCount: Int?) -> String {
        let format = "a CSV with header item,column,scale,reverse" + (itemCount.map { ", \($0) rows, one per item" } ?? "")
        let demo = "to try the tool, use the synthetic demo key: --key Examples/demo-key.csv"
        guard instrument == oscID else {
            return "Instrument '\(instrument)' needs a scoring key, which its file does not contain; give it with --key FILE (\(format))."
        }
        return "Instrument '\(instrument)' needs its licensed scoring key, which is not public and not included: give it with --key FILE, set OSC_SCORE_KEY=FILE, or install it once with 'osc-score key install FILE' (\(format)); \(demo)."
    }

    /// The id of the OSC, the instrument whose key OSC_SCORE_KEY and the installed key are.
    static let oscID = "osc"

    static func run(_ options: CommandLineOptions, console: Console) throws -> Int32 {
        switch options.subcommand {
        case .help:
            try console.write(helpText + "\n")
            return ExitStatus.success
        case .version:
            try console.write("osc-score \(version)\n")
            return ExitStatus.success
        case .key:
            return try runKey(options, console: console)
        case .plan:
            return try runPlan(options, console: console)
        case .template:
            try checkStreams(options, console: console)
            let (instrument, _) = try loadInstrument(options)
            try instrument.requireScorable()
            let read = options.read
            let header = [read.idColumn, read.schoolColumn, read.authorityColumn] + instrument.items.map(\.column)
            try console.emit(header.map(ScoringReport.quoted).joined(separator: ",") + "\n", to: options.output)
            return ExitStatus.success
        case .score, .validate:
            guard let file = options.file else {
                throw UsageError(message: "No responses file given; run 'osc-score [options] FILE' (see 'osc-score --help').")
            }
            try checkStreams(options, console: console)
            let (instrument, key) = try loadInstrument(options)
            try instrument.requireScorable()
            PhaseTrace.mark("instrument and key")
            let (table, delimiter) = try ResponseReader.read(path: file, instrument: instrument, options: options.read)
            PhaseTrace.mark("read")
            let norms: NormsChoice? = try options.norms.map { value in
                value == "sample" ? .sample : .table(try Norms(contentsOf: value, instrument: instrument))
            }
            let report = try ScoringReport(table: table, options: options.scoring, statistics: options.statistics,
                                           criteria: options.criteria, norms: norms)
            keptUntilExit = [table, report]
            var context = ReportContext(source: file == "-" ? "standard input" : file, keySource: key?.path, keyOrigin: key?.origin,
                                        readOptions: options.read, delimiter: delimiter, generator: "osc-score \(version)")
            // The library names settings by its own names; the command line by its options.
            context.settingNames = .commandLine
            let nobodyScored = report.nobodyScoredReason(source: context.source, names: .commandLine)
            if options.subcommand == .validate {
                let status = try validate(report, context: context, options: options, console: console)
                if let nobodyScored { console.error(nobodyScored) }
                return nobodyScored == nil ? status : ExitStatus.dataError
            }
            // A run that scores nobody fails with its likeliest cause, not an empty report.
            if let nobodyScored {
                console.error(nobodyScored)
                return ExitStatus.dataError
            }
            switch options.format {
            case .table: try console.emit(report.tableText(context: context), to: options.output)
            case .markdown: try console.emit(report.markdown(context: context), to: options.output)
            case .html:
                if let folder = options.perSchool {
                    let pages = try writeSchoolPages(report, context: context, folder: folder, console: console)
                    console.error(summary(report, key: key))
                    console.error("Wrote \(folder)/index.html and \(pages) school page\(pages == 1 ? "" : "s") beside it.")
                    return ExitStatus.success
                }
                try console.emit(report.html(context: context), to: options.output)
                PhaseTrace.mark("html, rendered and written")
            case .json:
                PhaseTrace.mark("report")
                // Written block by block while later blocks are rendered.
                try console.emitting(to: options.output) { write in
                    try report.writeJSON(context: context, includeRespondents: options.level == .respondent, to: write)
                    try [UInt8(0x0A)].withUnsafeBufferPointer { try write($0) }
                }
                PhaseTrace.mark("json, rendered and written")
            case .csv:
                if options.long {
                    try console.emit(report.csvLong(), to: options.output)
                } else {
                    try console.emitting(to: options.output) { write in try report.writeCSV(level: options.level ?? .school, to: write) }
                }
            }
            if options.format == .csv || options.output != nil {
                console.error(summary(report, key: key))
            }
            return ExitStatus.success
        }
    }

    /// `--format html --per-school DIR`: creates DIR when missing, writes
    /// every school's page, then `DIR/index.html` linking them, each file
    /// through a temporary file renamed over it (as `-o`). Returns the
    /// number of school pages.
    /// - Throws: `OutputError` (status 74) when DIR cannot be made or a page cannot be written.
    static func writeSchoolPages(_ report: ScoringReport, context: ReportContext, folder: String, console: Console) throws -> Int {
        var info = stat()
        if stat(folder, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw OutputError(message: "Cannot write the school pages to '\(folder)': it is not a folder; give --per-school a folder's path (it is created when missing).")
            }
        } else if mkdir(folder, 0o777) != 0 {
            let code = errno
            throw OutputError(message: "Cannot create the folder '\(folder)' for the school pages: \(Console.reason(code)); check that its parent folder exists and is writable, or give --per-school another path.")
        }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        let names = report.schoolPageFileNames()
        // Each page is renamed into place unsynced; one flush of the folder's
        // file system follows, before the index that links them is written.
        try report.forEachSchoolPage(context: context) { _, name, page in
            try console.emit(page, to: prefix + name, syncing: false)
        }
        try Console.syncFileSystem(of: folder)
        PhaseTrace.mark("school pages, rendered and written")
        try console.emit(report.html(context: context, schoolPages: names), to: prefix + "index.html")
        return names.count
    }

    /// `validate`: the accounting and findings only; status 65 when there are findings.
    static func validate(_ report: ScoringReport, context: ReportContext, options: CommandLineOptions, console: Console) throws -> Int32 {
        let findings = report.findingLines(.commandLine)
        let text: String
        switch options.format {
        case .json:
            text = JSONValue.object([
                ("instrument", .object([("id", .string(report.instrument.id)), ("version", .string(report.instrument.version)),
                                        ("key", .string(context.keySource)), ("keySource", .string(context.keyOrigin?.rawValue))])),
                ("settings", .object([("minAnswered", .number(report.options.minAnswered)), ("foldCase", .bool(options.read.foldCase))])),
                ("input", report.inputJSON(context: context)),
            ]).text() + "\n"
        case .markdown:
            text = "# Data quality: \(context.source)\n\n" + report.summaryLines(context: context).map { "- \($0)\n" }.joined()
                + "\n" + (findings.isEmpty ? "No problems found.\n" : findings.map { "- \($0)\n" }.joined() + "\n" + validateVerdict(report) + "\n")
        case .table, .csv, .html:
            text = report.summaryLines(context: context).joined(separator: "\n") + "\n\n"
                + (findings.isEmpty ? "Data quality: no problems found\n" : "Data quality: \(findings.count) finding\(findings.count == 1 ? "" : "s")\n" + findings.map { "  \($0)\n" }.joined() + validateVerdict(report) + "\n")
        }
        try console.emit(text, to: options.output)
        return scoreChangingFindings(report) > 0 ? ExitStatus.dataError : ExitStatus.success
    }

    /// The findings that could change a score or an aggregate, which make
    /// `validate` end with status 65: invalid cells (scored as missing),
    /// excluded rows, and the findings about respondents and groups
    /// (a repeated respondent id, a school under two authorities, a row
    /// without authority, school or authority ids that differ only in case
    /// or spaces and are kept as two groups) and scored rows without a
    /// school. Blank lines, unused columns, ids merged by `--fold-case`
    /// (the groups the user asked for) and ids with bytes that are not UTF-8
    /// (kept apart by their bytes either way, only shown escaped) are notes.
    static func scoreChangingFindings(_ report: ScoringReport) -> Int {
        // The cells of a value that is most of the invalid cells are one finding line.
        let collapsed = report.dominantInvalidValue.map { $0.count - 1 } ?? 0
        return report.input.problems.count { $0.kind != .mergedIds && $0.kind != .notUTF8 } - collapsed
            + report.input.excluded.count + report.input.withoutSchool.count
    }

    /// The sentence under `validate`'s findings that says which of them set its exit status.
    /// Suspected keying errors (`suspectedKeying`) are warnings: they are
    /// listed but leave the status as the data findings set it, since a
    /// negative item-rest correlation can also come from a poor item or
    /// chance, and only the user can check the licensed key.
    static func validateVerdict(_ report: ScoringReport) -> String {
        let k = scoreChangingFindings(report)
        let keying = report.keyFindings.count
        let warning = keying == 0 ? "" : " The \(keying == 1 ? "suspected keying error is a warning, which does" : "\(keying) suspected keying errors are warnings, which do") not set the exit status: check \(keying == 1 ? "it" : "them") against your key."
        guard k > 0 else { return (keying == 0 ? "Only notes, which change no score or aggregate: exit status 0." : "No finding about the data changes a score or an aggregate: exit status 0.") + warning }
        return "\(k) of them can change a score or an aggregate: exit status 65." + warning
    }

    /// One line for standard error when the report itself goes elsewhere.
    /// It names the key and where it came from, as the reports' header does.
    static func summary(_ report: ScoringReport, key: FoundKey? = nil) -> String {
        let input = report.input
        var line = "\(input.rows) rows read, \(input.scored) scored, \(input.excluded.count) excluded"
        if let note = input.encoding.note { line += "; \(note)" }
        let findings = report.findingLines(.commandLine).count
        if let file = report.table.dataFile, file.declaredMissingTotal > 0 { line += "; \(file.declaredMissingTotal) cells declared missing in the file" }
        if findings > 0 { line += "; \(findings) data-quality finding\(findings == 1 ? "" : "s") (see 'osc-score validate')" }
        line += "; min answered \(JSONValue.format(report.options.minAnswered))"
        if let key { line += "; scoring key \(key.path), \(key.origin.label(.commandLine))" }
        return line + "."
    }

    /// The bundled instrument that `--scale VALUE` names (ids ignore case:
    /// `OSC` is `osc`), or nil for a file.
    static func bundledID(scale: String) -> String? {
        guard !scale.contains("/") && !scale.lowercased().hasSuffix(".json") else { return nil }
        return BundledInstruments.ids.first { $0.lowercased() == scale.lowercased() }
    }

    /// The files the run reads, each with what it is for messages.
    static func inputs(_ options: CommandLineOptions) -> [(path: String, role: String)] {
        var inputs: [(String, String)] = []
        if options.subcommand != .template, let file = options.file { inputs.append((file, "the responses file")) }
        if let scale = options.scale, bundledID(scale: scale) == nil { inputs.append((scale, "the instrument file (--scale)")) }
        if let key = KeyStore.find(option: options.key, licensed: true) {
            let role: String
            switch key.origin {
            case .option: role = "the scoring key (--key)"
            case .environment: role = "the scoring key (OSC_SCORE_KEY)"
            case .installed: role = "the installed scoring key"
            }
            inputs.append((key.path, role))
        }
        if let norms = options.norms, norms != "sample" { inputs.append((norms, "the norms file (--norms)")) }
        return inputs
    }

    /// Before anything is read: '-' needs an open standard input, and the
    /// output (a `-o` file, or standard output redirected to a file) must
    /// not be one of the inputs, compared by device and inode, so that no
    /// other path or hard link to an input slips through.
    /// - Throws: `InputError` (66) or `UsageError` (64).
    static func checkStreams(_ options: CommandLineOptions, console: Console) throws {
        let inputs = inputs(options)
        if console.standardInputWasClosed, let input = inputs.first(where: { $0.path == "-" }) {
            throw InputError(message: "Cannot read standard input ('-' as \(input.role)): it was closed when osc-score started (<&-); give a file path or redirect a file with '< FILE'.")
        }
        func identity(path: String?, fd: Int32) -> (dev_t, ino_t)? {
            var info = stat()
            if let path {
                guard stat(path, &info) == 0 else { return nil }
            } else {
                guard fstat(fd, &info) == 0 else { return nil }
            }
            return (info.st_mode & S_IFMT) == S_IFREG ? (info.st_dev, info.st_ino) : nil
        }
        let writesFile = options.output != nil && options.output != "-"
        guard let output = writesFile ? identity(path: options.output, fd: -1)
                : (console.standardOutputWasClosed ? nil : identity(path: nil, fd: 1)) else { return }
        for input in inputs {
            guard let id = identity(path: input.path == "-" ? nil : input.path, fd: 0), id == output else { continue }
            let what = input.path == "-" ? "\(input.role), read from standard input" : "\(input.role) '\(input.path)'"
            if writesFile {
                throw UsageError(message: "The output file '\(options.output!)' is \(what); writing there would replace it, so give -o another path.")
            }
            throw UsageError(message: "Standard output is redirected to \(what); writing there would destroy it, so redirect the output to another file.")
        }
    }

    /// The instrument of the run with its key applied, and the key found.
    /// `OSC_SCORE_KEY` and the installed key apply only to the OSC while it
    /// has no key (the key is the OSC's); `--key` applies to any instrument.
    static func loadInstrument(_ options: CommandLineOptions) throws -> (Instrument, FoundKey?) {
        var instrument: Instrument
        if let scale = options.scale {
            if let id = bundledID(scale: scale) {
                instrument = try BundledInstruments.instrument(id: id)
            } else {
                instrument = try Instrument(contentsOf: scale)
            }
        } else {
            instrument = BundledInstruments.osc()
        }
        let licensed = instrument.id == oscID && instrument.requiresKey && instrument.items.isEmpty
        let key = KeyStore.find(option: options.key, licensed: licensed)
        if let key {
            instrument = try instrument.applying(KeyStore.load(key))
        }
        return (instrument, key)
    }
}
