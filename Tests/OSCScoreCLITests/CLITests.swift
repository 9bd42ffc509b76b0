// End-to-end tests: run the built `osc-score` binary and compare its exit
// status, standard output and standard error with golden files.
//
// To regenerate the golden files after an intended change in output, run
//   OSC_UPDATE_GOLDEN=1 swift test --filter CLITests
// and review the diff before committing it.

import Foundation
import Testing

/// The result of one run of the binary.
struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum Tool {
    /// The repository root (two levels above this file's folder).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let golden = root.appendingPathComponent("Tests/OSCScoreCLITests/Golden")

    /// The `osc-score` binary, built beside the test bundle.
    static let binary: URL = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var candidates = [executable.deletingLastPathComponent().appendingPathComponent("osc-score")]
        if let bundle = Bundle.main.executableURL { candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("osc-score")) }
        for url in Bundle.allBundles.map(\.bundleURL) { candidates.append(url.deletingLastPathComponent().appendingPathComponent("osc-score")) }
        candidates.append(root.appendingPathComponent(".build/debug/osc-score"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// The environment of a run: this process's, without `OSC_SCORE_KEY`,
    /// and with `HOME` and `XDG_CONFIG_HOME` in `folder` (which holds no
    /// configuration), so that no key of the user's is found; then
    /// `overrides` (a nil value removes the variable).
    static func environment(folder: URL, _ overrides: [String: String?]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["OSC_SCORE_KEY"] = nil
        environment["HOME"] = folder.appendingPathComponent("home").path
        environment["XDG_CONFIG_HOME"] = folder.appendingPathComponent("config").path
        // The golden files echo the thread count in `settings`: the same on every machine.
        environment["OSC_SCORE_THREADS"] = "2"
        for (name, value) in overrides { environment[name] = value }
        return environment
    }

    /// Runs `osc-score` in the repository root, in a hermetic environment
    /// (see `environment(folder:_:)`) changed by `environment`.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String?] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        // Standard output and error go to temporary files, so a large output cannot block the pipe.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        process.environment = Self.environment(folder: folder, environment)
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `script` with /bin/sh in the repository root, with `$OSC` set
    /// to the binary: for redirections (`> /dev/full`, `>&-`, `<&-`) and
    /// pipes (`| head`) that a `Process` cannot set up.
    static func shell(_ script: String) throws -> Run {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-sh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The script's own descriptors 1 and 2 go to files named by the
        // wrapper, so that it may close or redirect them itself.
        process.arguments = ["-c", "exec >\"$1\" 2>\"$2\" </dev/null; shift 2; eval \"$0\"", script, outURL.path, errURL.path]
        var environment = Self.environment(folder: folder, [:])
        environment["OSC"] = binary.path
        process.environment = environment
        process.currentDirectoryURL = root
        try process.run()
        process.waitUntilExit()
        let outData = (try? Data(contentsOf: outURL)) ?? Data(), errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static var updating: Bool { ProcessInfo.processInfo.environment["OSC_UPDATE_GOLDEN"] == "1" }

    /// Compares `text` with the golden file `name`, or rewrites it when updating.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = golden.appendingPathComponent(name)
        if updating {
            try Data(text.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(name); run OSC_UPDATE_GOLDEN=1 swift test --filter CLITests", sourceLocation: sourceLocation)
            return
        }
        #expect(text == expected, "output differs from Golden/\(name)", sourceLocation: sourceLocation)
    }
}

/// One end-to-end case: arguments, the expected status, and golden files for
/// standard output (`<name>.out`) and standard error (`<name>.err`).
struct CLICase: CustomTestStringConvertible, Sendable {
    let name: String
    let arguments: [String]
    let status: Int32
    var stdin: String? = nil
    var testDescription: String { name }
}

let example = ["--key", "Examples/demo-key.csv", "Examples/synthetic-responses.csv"]
let leadership = ["--scale", "Tests/OSCScoreCLITests/Fixtures/lq-demo.json"]

let cases: [CLICase] = [
    CLICase(name: "example-table", arguments: example, status: 0),
    CLICase(name: "example-json", arguments: example + ["--format", "json"], status: 0),
    CLICase(name: "example-markdown", arguments: example + ["--format", "markdown"], status: 0),
    CLICase(name: "example-csv-school", arguments: example + ["--format", "csv"], status: 0),
    CLICase(name: "example-csv-authority", arguments: example + ["--format", "csv", "--level", "authority"], status: 0),
    CLICase(name: "example-csv-respondent", arguments: example + ["--format", "csv", "--level", "respondent"], status: 0),
    CLICase(name: "example-validate", arguments: ["validate"] + example, status: 65),
    CLICase(name: "example-strict", arguments: example + ["--strict"], status: 65),
    CLICase(name: "example-norms-table", arguments: example + ["--norms", "Examples/demo-norms.json"], status: 0),
    CLICase(name: "example-html", arguments: example + ["--format", "html"], status: 0),
    CLICase(name: "example-norms-html", arguments: example + ["--norms", "Examples/demo-norms.json", "--format", "html"], status: 0),
    CLICase(name: "invalid-bytes-html", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/invalid-bytes.csv", "--format", "html"], status: 0),
    CLICase(name: "per-school-without-html", arguments: example + ["--per-school", "pages"], status: 64),
    CLICase(name: "per-school-with-output", arguments: example + ["--format", "html", "--per-school", "pages", "-o", "report.html"], status: 64),
    CLICase(name: "validate-html", arguments: ["validate", "--format", "html"] + example, status: 64),
    CLICase(name: "example-norms-json", arguments: example + ["--norms", "Examples/demo-norms.json", "--format", "json"], status: 0),
    CLICase(name: "example-norms-sample-markdown", arguments: example + ["--norms", "sample", "--format", "markdown"], status: 0),
    CLICase(name: "example-norms-sample-csv", arguments: example + ["--norms", "sample", "--format", "csv", "--level", "authority"], status: 0),
    CLICase(name: "example-norms-wrong-instrument", arguments: example + ["--norms", "Tests/OSCScoreCLITests/Fixtures/lq-norms.json"], status: 65),
    CLICase(name: "example-norms-missing", arguments: example + ["--norms", "Examples/no-norms.json"], status: 66),
    CLICase(name: "leadership-norms-table", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/leadership.tsv", "--norms", "Tests/OSCScoreCLITests/Fixtures/lq-norms.json"], status: 0),
    CLICase(name: "example-csv-long", arguments: example + ["--format", "csv", "--long"], status: 0),
    CLICase(name: "example-include-all-table", arguments: example + ["--include-all-schools", "--min-respondents", "2", "--rwg-threshold", "0.5", "--icc2-threshold", "0.6", "--alpha-level", "0.01"], status: 0),
    CLICase(name: "long-without-csv", arguments: example + ["--long"], status: 64),
    CLICase(name: "example-csv-scale", arguments: example + ["--format", "csv", "--level", "scale"], status: 0),
    CLICase(name: "example-listwise-slight-markdown", arguments: example + ["--listwise", "--null", "slight", "--format", "markdown"], status: 0),
    CLICase(name: "leadership-rgr-json", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/leadership.tsv", "--format", "json", "--rgr", "20", "--seed", "7", "--null-variance", "1.5"], status: 0),
    CLICase(name: "three-point-skewed-null", arguments: ["--scale", "Tests/OSCScoreCLITests/Fixtures/three-point.json", "--null", "heavy", "Tests/OSCScoreCLITests/Fixtures/three-point.csv"], status: 64),
    CLICase(name: "three-point-table", arguments: ["--scale", "Tests/OSCScoreCLITests/Fixtures/three-point.json", "Tests/OSCScoreCLITests/Fixtures/three-point.csv"], status: 0),
    CLICase(name: "bad-null", arguments: example + ["--null", "skewed"], status: 64),
    CLICase(name: "bad-null-variance", arguments: example + ["--null-variance", "0"], status: 64),
    // --confidence: the level of the mean intervals, echoed in settings; (0, 1) only, and no effect on scale rows.
    CLICase(name: "example-confidence-csv-authority", arguments: example + ["--confidence", "0.9", "--format", "csv", "--level", "authority"], status: 0),
    CLICase(name: "bad-confidence", arguments: example + ["--confidence", "1"], status: 64),
    CLICase(name: "bad-confidence-percent", arguments: example + ["--confidence", "95"], status: 64),
    CLICase(name: "confidence-with-scale-rows", arguments: example + ["--confidence", "0.9", "--format", "csv", "--level", "scale"], status: 64),
    CLICase(name: "confidence-with-validate", arguments: ["validate", "--confidence", "0.9"] + example, status: 64),
    CLICase(name: "example-template", arguments: ["template", "--key", "Examples/demo-key.csv"], status: 0),
    CLICase(name: "osc-without-key", arguments: ["Examples/synthetic-responses.csv"], status: 64),
    CLICase(name: "leadership-table", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/leadership.tsv", "--id-column", "respondent"], status: 0),
    CLICase(name: "leadership-json", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/leadership.tsv", "--format=json", "--level", "respondent"], status: 0),
    CLICase(name: "leadership-csv-respondent", arguments: leadership + ["--format", "csv", "--level", "respondent", "Tests/OSCScoreCLITests/Fixtures/leadership.tsv"], status: 0),
    CLICase(name: "leadership-min-answered-0", arguments: leadership + ["--min-answered", "0", "--format", "csv", "--level", "respondent", "Tests/OSCScoreCLITests/Fixtures/leadership.tsv"], status: 0),
    CLICase(name: "leadership-stdin", arguments: leadership + ["--format", "csv", "-"], status: 0,
            stdin: "school;LEAD01;LEAD02;LEAD03;L04\nS1;1;5;1;1\nS1;3;3;2;2\n"),
    CLICase(name: "leadership-template", arguments: ["template"] + leadership, status: 0),
    CLICase(name: "invalid-bytes-table", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/invalid-bytes.csv"], status: 0),
    CLICase(name: "invalid-bytes-markdown", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/invalid-bytes.csv", "--format", "markdown"], status: 0),
    CLICase(name: "invalid-bytes-json", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/invalid-bytes.csv", "--format", "json", "--level", "respondent"], status: 0),
    CLICase(name: "invalid-bytes-csv-school", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/invalid-bytes.csv", "--format", "csv"], status: 0),
    CLICase(name: "invalid-bytes-csv-respondent", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/invalid-bytes.csv", "--format", "csv", "--level", "respondent"], status: 0),
    // Files as survey tools and spreadsheets write them (Tests/OSCScoreCLITests/Fixtures/exports/make.sh).
    CLICase(name: "exports-qualtrics-table", arguments: exports + ["\(exportsFolder)/qualtrics-numeric.csv"], status: 0),
    CLICase(name: "exports-qualtrics-validate-json", arguments: ["validate"] + exports + ["\(exportsFolder)/qualtrics-text.csv", "--format", "json"], status: 65),
    CLICase(name: "exports-windows-1252-markdown", arguments: exports + ["\(exportsFolder)/windows-1252.csv", "--format", "markdown"], status: 0),
    CLICase(name: "exports-utf-16le-csv-summary", arguments: exports + ["\(exportsFolder)/utf-16le.txt", "--format", "csv"], status: 0),
    CLICase(name: "exports-excel-semicolon-validate", arguments: ["validate"] + exports + ["\(exportsFolder)/excel-semicolon.csv"], status: 65),
    CLICase(name: "exports-spss-nine-validate", arguments: ["validate"] + exports + ["\(exportsFolder)/spss-nine.csv"], status: 65),
    CLICase(name: "exports-google-forms-wrong-key", arguments: exports + ["\(exportsFolder)/google-forms.csv"], status: 65),
    CLICase(name: "exports-nobody-scored-decimal-comma", arguments: leadership + ["-"], status: 65,
            stdin: "school,LEAD01,LEAD02,LEAD03,L04\nS1,\"3,0\",\"2,0\",\"1,0\",\"4,0\"\nS1,\"3,0\",\"2,0\",\"1,0\",\"4,0\"\n"),
    CLICase(name: "exports-xlsx-first-sheet-not-data", arguments: exports + ["\(exportsFolder)/clean.xlsx"], status: 65),
    CLICase(name: "exports-xlsx-no-such-sheet", arguments: exports + ["\(exportsFolder)/clean.xlsx", "--sheet", "Data"], status: 65),
    CLICase(name: "exports-xlsx-validate", arguments: ["validate"] + exports + ["\(exportsFolder)/clean.xlsx", "--sheet", "Responses"], status: 65),
    CLICase(name: "exports-nobody-scored-no-rows", arguments: leadership + ["-"], status: 65, stdin: "school,LEAD01,LEAD02,LEAD03,L04\n"),
    // School and authority ids that differ only in case or spaces: findings in every format, merged by --fold-case.
    CLICase(name: "similar-ids-table", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/similar-ids.csv"], status: 0),
    CLICase(name: "similar-ids-json", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/similar-ids.csv", "--format", "json"], status: 0),
    CLICase(name: "similar-ids-markdown", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/similar-ids.csv", "--format", "markdown"], status: 0),
    CLICase(name: "similar-ids-csv-school", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/similar-ids.csv", "--format", "csv"], status: 0),
    CLICase(name: "similar-ids-validate", arguments: ["validate"] + leadership + ["Tests/OSCScoreCLITests/Fixtures/similar-ids.csv"], status: 65),
    CLICase(name: "similar-ids-fold-table", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/similar-ids.csv", "--fold-case"], status: 0),
    CLICase(name: "similar-ids-fold-json", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/similar-ids.csv", "--fold-case", "--format", "json"], status: 0),
    CLICase(name: "similar-ids-fold-validate-json", arguments: ["validate", "--fold-case", "--format", "json"] + leadership + ["Tests/OSCScoreCLITests/Fixtures/similar-ids.csv"], status: 0),
    CLICase(name: "unterminated-quote", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/unterminated.csv"], status: 65),
    CLICase(name: "short-row", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/short-row.csv"], status: 65),
    CLICase(name: "missing-columns", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/missing-columns.csv"], status: 65),
    CLICase(name: "file-not-found", arguments: example.dropLast() + ["Examples/no-such-file.csv"], status: 66),
    CLICase(name: "unknown-option", arguments: example + ["--fromat", "json"], status: 64),
    CLICase(name: "bad-format", arguments: example + ["--format", "xml"], status: 64),
    CLICase(name: "bad-min-answered", arguments: example + ["--min-answered", "50%"], status: 64),
    CLICase(name: "example-suppress-markdown", arguments: example + ["--norms", "Examples/demo-norms.json", "--suppress-below", "7", "--format", "markdown"], status: 0),
    CLICase(name: "example-suppress-table", arguments: example + ["--norms", "Examples/demo-norms.json", "--suppress-below", "7"], status: 0),
    CLICase(name: "bad-suppress-below", arguments: example + ["--suppress-below", "0"], status: 64),
    CLICase(name: "bad-suppress-below-fraction", arguments: example + ["--suppress-below", "2.5"], status: 64),
    CLICase(name: "suppress-respondent-level", arguments: example + ["--suppress-below", "5", "--format", "csv", "--level", "respondent"], status: 64),
    CLICase(name: "bad-encoding", arguments: example + ["--encoding", "klingon"], status: 64),
    CLICase(name: "no-file", arguments: ["--key", "Examples/demo-key.csv"], status: 64),
    // Two schools with equal means (8/3): the verdict used to trap (exit 132).
    CLICase(name: "equal-means-table", arguments: ["--scale", "Tests/OSCScoreCLITests/Fixtures/equal-means.json", "Tests/OSCScoreCLITests/Fixtures/equal-means.csv"], status: 0),
    CLICase(name: "equal-means-json", arguments: ["--scale", "Tests/OSCScoreCLITests/Fixtures/equal-means.json", "--format", "json", "Tests/OSCScoreCLITests/Fixtures/equal-means.csv"], status: 0),
    CLICase(name: "equal-means-csv-scale", arguments: ["--scale", "Tests/OSCScoreCLITests/Fixtures/equal-means.json", "--format", "csv", "--level", "scale", "Tests/OSCScoreCLITests/Fixtures/equal-means.csv"], status: 0),
    CLICase(name: "equal-means-markdown", arguments: ["--scale", "Tests/OSCScoreCLITests/Fixtures/equal-means.json", "--format", "markdown", "Tests/OSCScoreCLITests/Fixtures/equal-means.csv"], status: 0),
    // --rgr results in every format, not only JSON.
    CLICase(name: "example-rgr-table", arguments: example + ["--rgr", "20", "--seed", "7"], status: 0),
    CLICase(name: "example-rgr-markdown", arguments: example + ["--rgr", "20", "--seed", "7", "--format", "markdown"], status: 0),
    CLICase(name: "example-rgr-csv-scale", arguments: example + ["--rgr", "20", "--seed", "7", "--format", "csv", "--level", "scale"], status: 0),
    CLICase(name: "leadership-rgr-csv-long", arguments: leadership + ["Tests/OSCScoreCLITests/Fixtures/leadership.tsv", "--rgr", "20", "--seed", "7", "--format", "csv", "--long"], status: 0),
    // Options that would have no effect are usage errors naming what works.
    CLICase(name: "level-with-table", arguments: example + ["--level", "respondent"], status: 64),
    CLICase(name: "level-with-markdown", arguments: example + ["--format", "markdown", "--level", "school"], status: 64),
    CLICase(name: "level-school-with-json", arguments: example + ["--format", "json", "--level", "school"], status: 64),
    CLICase(name: "long-with-level", arguments: example + ["--format", "csv", "--long", "--level", "authority"], status: 64),
    CLICase(name: "seed-without-rgr", arguments: example + ["--seed", "7"], status: 64),
    CLICase(name: "rgr-with-csv-school", arguments: example + ["--format", "csv", "--rgr", "20"], status: 64),
    CLICase(name: "norms-with-csv-respondent", arguments: example + ["--format", "csv", "--level", "respondent", "--norms", "sample"], status: 64),
    CLICase(name: "norms-with-csv-scale", arguments: example + ["--format", "csv", "--level", "scale", "--norms", "sample"], status: 64),
    CLICase(name: "listwise-with-csv-respondent", arguments: example + ["--format", "csv", "--level", "respondent", "--listwise"], status: 64),
    CLICase(name: "null-and-null-variance", arguments: example + ["--null", "slight", "--null-variance", "2"], status: 64),
    CLICase(name: "validate-with-rgr", arguments: ["validate"] + example + ["--rgr", "20"], status: 64),
    CLICase(name: "validate-csv", arguments: ["validate"] + example + ["--format", "csv"], status: 64),
    CLICase(name: "template-with-format", arguments: ["template", "--key", "Examples/demo-key.csv", "--format", "json"], status: 64),
    CLICase(name: "template-with-file", arguments: ["template"] + example, status: 64),
    // Key diagnostics: Q005 entered without its reverse flag is caught (a warning).
    CLICase(name: "flipped-key-validate", arguments: ["validate", "--key", "Tests/OSCScoreCLITests/Fixtures/demo-key-q005-flipped.csv", "Examples/synthetic-responses.csv"], status: 65),
    CLICase(name: "flipped-key-validate-json", arguments: ["validate", "--format", "json", "--key", "Tests/OSCScoreCLITests/Fixtures/demo-key-q005-flipped.csv", "Examples/synthetic-responses.csv"], status: 65),
    CLICase(name: "flipped-key-leadership-validate", arguments: ["validate"] + leadership + ["-"], status: 0,
            stdin: "school;LEAD01;LEAD02;LEAD03;L04\nS1;1;5;1;5\nS1;5;1;5;1\nS1;2;4;2;4\nS1;4;2;4;2\n"),
    // osc-score plan: from an ICC(1) and from a file, every format, and its usage errors.
    CLICase(name: "plan-icc1-table", arguments: ["plan", "--icc1", "0.10"], status: 0),
    CLICase(name: "plan-icc1-json", arguments: ["plan", "--icc1", "0.10", "--schools", "10", "--format", "json"], status: 0),
    CLICase(name: "plan-icc1-markdown", arguments: ["plan", "--icc1", "0.05", "--respondents", "15", "--schools", "50", "--format", "markdown"], status: 0),
    CLICase(name: "plan-icc1-csv", arguments: ["plan", "--icc1", "0.10", "--icc2", "0.8", "--schools", "10", "--alpha", "0.01", "--power", "0.9", "--format", "csv"], status: 0),
    CLICase(name: "plan-file-table", arguments: ["plan"] + example, status: 0),
    CLICase(name: "plan-file-json", arguments: ["plan", "--format", "json"] + example, status: 0),
    CLICase(name: "plan-file-csv", arguments: ["plan", "--format", "csv"] + example, status: 0),
    CLICase(name: "plan-file-negative-icc", arguments: ["plan", "--scale", "Tests/OSCScoreCLITests/Fixtures/equal-means.json", "Tests/OSCScoreCLITests/Fixtures/equal-means.csv"], status: 0),
    CLICase(name: "plan-icc1-outside", arguments: ["plan", "--icc1", "1.2"], status: 64),
    CLICase(name: "plan-icc1-zero", arguments: ["plan", "--icc1", "0"], status: 64),
    CLICase(name: "plan-icc2-outside", arguments: ["plan", "--icc1", "0.1", "--icc2", "1"], status: 64),
    CLICase(name: "plan-icc1-and-file", arguments: ["plan", "--icc1", "0.1"] + example, status: 64),
    CLICase(name: "plan-nothing", arguments: ["plan"], status: 64),
    CLICase(name: "plan-file-with-schools", arguments: ["plan", "--schools", "10"] + example, status: 64),
    CLICase(name: "plan-option-on-score", arguments: example + ["--icc1", "0.1"], status: 64),
    // validate: 65 only for findings that can change a score or an aggregate.
    CLICase(name: "example-validate-json", arguments: ["validate"] + example + ["--format", "json"], status: 65),
    CLICase(name: "example-validate-markdown", arguments: ["validate"] + example + ["--format", "markdown"], status: 65),
    CLICase(name: "validate-notes-only", arguments: ["validate"] + leadership + ["-"], status: 0,
            stdin: "school;LEAD01;LEAD02;LEAD03;L04;comment\nS1;1;5;1;1;ok\n\nS1;3;3;2;2;fine\n"),
    CLICase(name: "validate-duplicate-id", arguments: ["validate"] + leadership + ["-"], status: 65,
            stdin: "respondent;school;LEAD01;LEAD02;LEAD03;L04\nR1;S1;1;5;1;1\nR1;S1;3;3;2;2\n"),
    // Bundled instrument ids ignore case.
    CLICase(name: "scale-upper-case-template", arguments: ["template", "--scale", "OSC", "--key", "Examples/demo-key.csv"], status: 0),
    // The key subcommand's usage errors.
    CLICase(name: "key-without-action", arguments: ["key"], status: 64),
    CLICase(name: "key-misspelt-action", arguments: ["key", "instal", "Examples/demo-key.csv"], status: 64),
    CLICase(name: "key-install-without-file", arguments: ["key", "install"], status: 64),
    CLICase(name: "key-remove-with-option", arguments: ["key", "remove", "--format", "json"], status: 64),
    // SPSS system files (PSPP's, see Tests/OSCScoringTests/Fixtures/spss): declared missing counted, value labels as names.
    CLICase(name: "spss-table", arguments: leadership + ["--id-column", "respondent", "Tests/OSCScoringTests/Fixtures/spss/pspp-bytecode.sav"], status: 0),
    CLICase(name: "spss-json", arguments: leadership + ["--format", "json", "Tests/OSCScoringTests/Fixtures/spss/pspp.zsav"], status: 0),
    CLICase(name: "spss-markdown", arguments: leadership + ["--format", "markdown", "Tests/OSCScoringTests/Fixtures/spss/pspp-1252.sav"], status: 0),
    CLICase(name: "spss-csv-school", arguments: leadership + ["--format", "csv", "Tests/OSCScoringTests/Fixtures/spss/pspp-plain.sav"], status: 0),
    CLICase(name: "spss-csv-authority", arguments: leadership + ["--format", "csv", "--level", "authority", "Tests/OSCScoringTests/Fixtures/spss/readstat.sav"], status: 0),
    CLICase(name: "spss-validate", arguments: ["validate"] + leadership + ["Tests/OSCScoringTests/Fixtures/spss/readstat.zsav"], status: 65),
    CLICase(name: "spss-truncated", arguments: leadership + ["Tests/OSCScoringTests/Fixtures/spss/truncated.sav"], status: 65),
    CLICase(name: "spss-encoding-override", arguments: leadership + ["--encoding", "latin1", "--format", "json", "Tests/OSCScoringTests/Fixtures/spss/pspp-1252.sav"], status: 0),
    // Stata files (see Tests/OSCScoringTests/Fixtures/stata): big-endian with strLs, pandas strLs, ReadStat's UTF-8 in a 117 file.
    CLICase(name: "stata-table", arguments: leadership + ["--id-column", "respondent", "Tests/OSCScoringTests/Fixtures/stata/msf-118.dta"], status: 0),
    CLICase(name: "stata-json", arguments: leadership + ["--format", "json", "Tests/OSCScoringTests/Fixtures/stata/pandas-119-strl.dta"], status: 0),
    CLICase(name: "stata-csv-school", arguments: leadership + ["--format", "csv", "Tests/OSCScoringTests/Fixtures/stata/pyreadstat-117.dta"], status: 0),
    CLICase(name: "stata-truncated", arguments: leadership + ["Tests/OSCScoringTests/Fixtures/stata/truncated.dta"], status: 65),
    CLICase(name: "version", arguments: ["--version"], status: 0),
    CLICase(name: "help", arguments: ["--help"], status: 0),
]

@Suite("osc-score end to end")
struct CLITests {
    @Test("Status, standard output and standard error match the golden files", arguments: cases)
    func matchesGolden(_ c: CLICase) throws {
        let run = try Tool.run(c.arguments, stdin: c.stdin)
        #expect(run.status == c.status, "exit status; stderr: \(run.stderr)")
        try Tool.expectGolden(run.stdout, c.name + ".out")
        try Tool.expectGolden(run.stderr, c.name + ".err")
    }

    @Test("--output writes the report to a file and a summary to standard error")
    func outputToFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-test-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let toFile = try Tool.run(example + ["--format", "csv", "--output", path])
        let toStdout = try Tool.run(example + ["--format", "csv"])
        #expect(toFile.status == 0 && toFile.stdout.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == toStdout.stdout)
        #expect(toFile.stderr.hasPrefix("osc-score: 874 rows read, 873 scored, 1 excluded"))
    }

    @Test("The JSON output accounts for every data row of the example")
    func jsonAccountsForEveryRow() throws {
        let run = try Tool.run(example + ["--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let input = try #require(json["input"] as? [String: Any])
        let rows = input["rows"] as! Int, scored = input["scored"] as! Int, excluded = input["excluded"] as! Int
        let dataLines = try String(contentsOf: Tool.root.appendingPathComponent("Examples/synthetic-responses.csv"), encoding: .utf8)
            .split(separator: "\n").count - 1
        #expect(rows == dataLines)
        #expect(scored + excluded == rows)
        #expect((input["exclusions"] as! [Any]).count == excluded)
        let schools = try #require(json["schools"] as? [[String: Any]])
        let inSchools = schools.reduce(0) { $0 + ($1["respondents"] as! Int) }
        #expect(inSchools + (input["withoutSchool"] as! Int) == scored)
    }
    @Test("--threads changes no number: the JSON of 1, 2, 3 and 7 threads differs only in the echoed count")
    func threadCountChangesNoNumber() throws {
        // 24,000 respondents with missing answers (about 5.5 MB): large enough that the reader splits the file.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-threads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("responses.csv")
        var generator = SplitMix(seed: 20261202)
        var text = "respondent,authority,school," + (1...105).map { String(format: "Q%03d", $0) }.joined(separator: ",") + "\n"
        for r in 0..<24_000 {
            let school = Int(generator.next() % 300)
            text += "R\(r),LA\(school % 7),S\(school)"
            for _ in 0..<105 {
                let u = generator.next() % 100
                text += u < 4 ? ",NA" : u < 6 ? "," : ",\(1 + u % 5)"
            }
            text += "\n"
        }
        try Data(text.utf8).write(to: file)
        let base = ["--key", "Examples/demo-key.csv", "--format", "json", file.path]
        func numbers(_ threads: Int) throws -> String {
            let run = try Tool.run(base + ["--threads", String(threads)])
            #expect(run.status == 0, "--threads \(threads): \(run.stderr)")
            #expect(run.stdout.contains("\"threads\": \(threads),"))
            return run.stdout.replacingOccurrences(of: "\"threads\": \(threads),", with: "")
        }
        let one = try numbers(1)
        #expect(one.contains("\"rows\": 24000,"))
        for threads in [2, 3, 7] { #expect(try numbers(threads) == one, "--threads \(threads) changed the results") }
    }

    @Test("--threads outside 1 to 256 is a usage error naming the range")
    func threadCountOutOfRange() throws {
        for value in ["0", "257", "two"] {
            let run = try Tool.run(example + ["--threads", value])
            #expect(run.status == 64)
            #expect(run.stderr.contains("--threads is '\(value)'; give a whole number of threads from 1 to 256"))
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
