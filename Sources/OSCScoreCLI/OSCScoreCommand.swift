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
            console.error(error.message)
            return ExitStatus.dataError
        } catch let error as InstrumentProblem {
            console.error(error.message.prefix(1).uppercased() + error.message.dropFirst() + ".")
            return isKeyRequired(error) ? ExitStatus.usage : ExitStatus.dataError
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

    static func isKeyRequired(_ problem: InstrumentProblem) -> Bool {
        if case .keyRequired = problem { return true }
        return false
    }

    static func run(_ options: CommandLineOptions, console: Console) throws -> Int32 {
        switch options.subcommand {
        case .help:
            try console.write(helpText + "\n")
            return ExitStatus.success
        case .version:
            try console.write("osc-score \(version)\n")
            return ExitStatus.success
        case .template:
            try checkStreams(options, console: console)
            let instrument = try loadInstrument(options)
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
            let instrument = try loadInstrument(options)
            try instrument.requireScorable()
            PhaseTrace.mark("instrument and key")
            let (table, delimiter) = try ResponseReader.read(path: file, instrument: instrument, options: options.read)
            PhaseTrace.mark("read")
            let norms: NormsChoice? = try options.norms.map { value in
                value == "sample" ? .sample : .table(try Norms(contentsOf: value, instrument: instrument))
            }
            let report = try ScoringReport(table: table, options: options.scoring, statistics: options.statistics,
                                           criteria: options.criteria, norms: norms)
            let context = ReportContext(source: file == "-" ? "standard input" : file, keySource: options.key,
                                        readOptions: options.read, delimiter: delimiter, generator: "osc-score \(version)")
            if options.subcommand == .validate { return try validate(report, context: context, options: options, console: console) }
            switch options.format {
            case .table: try console.emit(report.tableText(context: context), to: options.output)
            case .markdown: try console.emit(report.markdown(context: context), to: options.output)
            case .json:
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
                console.error(summary(report))
            }
            return ExitStatus.success
        }
    }

    /// `validate`: the accounting and findings only; status 65 when there are findings.
    static func validate(_ report: ScoringReport, context: ReportContext, options: CommandLineOptions, console: Console) throws -> Int32 {
        let findings = report.findingLines()
        let text: String
        switch options.format {
        case .json:
            text = JSONValue.object([
                ("instrument", .object([("id", .string(report.instrument.id)), ("version", .string(report.instrument.version))])),
                ("settings", .object([("minAnswered", .number(report.options.minAnswered))])),
                ("input", report.inputJSON(context: context)),
            ]).text() + "\n"
        case .markdown:
            text = "# Data quality: \(context.source)\n\n" + report.summaryLines(context: context).map { "- \($0)\n" }.joined()
                + "\n" + (findings.isEmpty ? "No problems found.\n" : findings.map { "- \($0)\n" }.joined())
        case .table, .csv:
            text = report.summaryLines(context: context).joined(separator: "\n") + "\n\n"
                + (findings.isEmpty ? "Data quality: no problems found\n" : "Data quality: \(findings.count) finding\(findings.count == 1 ? "" : "s")\n" + findings.map { "  \($0)\n" }.joined())
        }
        try console.emit(text, to: options.output)
        let hasProblems = !report.input.problems.isEmpty || !report.input.excluded.isEmpty || !report.input.withoutSchool.isEmpty
        return hasProblems ? ExitStatus.dataError : ExitStatus.success
    }

    /// One line for standard error when the report itself goes elsewhere.
    static func summary(_ report: ScoringReport) -> String {
        let input = report.input
        var line = "\(input.rows) rows read, \(input.scored) scored, \(input.excluded.count) excluded"
        let findings = report.findingLines().count
        if findings > 0 { line += "; \(findings) data-quality finding\(findings == 1 ? "" : "s") (see 'osc-score validate')" }
        return line + "; min answered \(JSONValue.format(report.options.minAnswered))."
    }

    /// Whether `--scale VALUE` names a bundled instrument rather than a file.
    static func isBundled(scale: String) -> Bool {
        BundledInstruments.ids.contains(scale) && !scale.contains("/") && !scale.hasSuffix(".json")
    }

    /// The files the run reads, each with what it is for messages.
    static func inputs(_ options: CommandLineOptions) -> [(path: String, role: String)] {
        var inputs: [(String, String)] = []
        if options.subcommand != .template, let file = options.file { inputs.append((file, "the responses file")) }
        if let scale = options.scale, !isBundled(scale: scale) { inputs.append((scale, "the instrument file (--scale)")) }
        if let key = options.key { inputs.append((key, "the scoring key (--key)")) }
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

    static func loadInstrument(_ options: CommandLineOptions) throws -> Instrument {
        var instrument: Instrument
        if let scale = options.scale {
            if isBundled(scale: scale) {
                instrument = try BundledInstruments.instrument(id: scale)
            } else {
                instrument = try Instrument(contentsOf: scale)
            }
        } else {
            instrument = BundledInstruments.osc()
        }
        if let key = options.key {
            instrument = try instrument.applying(ScoringKey(contentsOf: key))
        }
        return instrument
    }
}
