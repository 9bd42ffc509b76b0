// The licensed key given once: `osc-score key install | show | remove` and
// the lookup order --key FILE, OSC_SCORE_KEY, installed key. Every run has
// its own temporary HOME and XDG_CONFIG_HOME; the real ~/.config is never read.

import Foundation
import Testing

/// A temporary folder holding a configuration home and a home, removed at the end.
final class KeyScratch {
    let folder: URL
    var config: String { folder.appendingPathComponent("config").path }
    var home: String { folder.appendingPathComponent("home").path }
    /// The installed key under the configuration home.
    var installed: String { config + "/osc-score/key.csv" }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Runs osc-score with this folder's HOME and XDG_CONFIG_HOME, plus `environment`.
    func run(_ arguments: [String], environment: [String: String?] = [:]) throws -> Run {
        var all: [String: String?] = ["HOME": home, "XDG_CONFIG_HOME": config]
        for (name, value) in environment { all[name] = value }
        return try Tool.run(arguments, environment: all)
    }

    /// `text` with this folder's path written as `$TMP`, for golden files.
    func portable(_ text: String) -> String {
        text.replacingOccurrences(of: folder.path, with: "$TMP")
    }

    func expectGolden(_ run: Run, _ name: String, status: Int32, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(run.status == status, "exit status of \(name); stderr: \(run.stderr)", sourceLocation: sourceLocation)
        try Tool.expectGolden(portable(run.stdout), name + ".out", sourceLocation: sourceLocation)
        try Tool.expectGolden(portable(run.stderr), name + ".err", sourceLocation: sourceLocation)
    }
}

/// The `instrument` member of a JSON report.
func instrumentMember(_ run: Run) throws -> [String: Any] {
    let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    return try #require(json["instrument"] as? [String: Any])
}

/// The first line of a table report, unwrapped: the lines before the one that names the responses file.
func header(_ run: Run) -> String {
    run.stdout.split(separator: "\n").prefix { !$0.hasPrefix(responses + ":") }.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
}

/// A table report from the line that names the responses file on.
func afterHeader(_ run: Run) -> Substring {
    guard let range = run.stdout.range(of: "\n" + responses + ":") else { return "" }
    return run.stdout[range.upperBound...]
}

let responses = "Examples/synthetic-responses.csv"
let demoKey = "Examples/demo-key.csv"

@Suite("The licensed key, installed once")
struct KeyCLITests {
    @Test("Without any key the OSC stops with 64 and names --key, OSC_SCORE_KEY, key install and the demo key")
    func noKey() throws {
        let scratch = try KeyScratch()
        try scratch.expectGolden(try scratch.run([responses]), "key-none-score", status: 64)
        try scratch.expectGolden(try scratch.run(["key", "show"]), "key-none-show", status: 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.config), "nothing is created by looking")
    }

    @Test("key install checks the key, keeps a 0600 copy in $XDG_CONFIG_HOME/osc-score, and runs then need no --key")
    func installThenScore() throws {
        let scratch = try KeyScratch()
        try scratch.expectGolden(try scratch.run(["key", "install", demoKey]), "key-install", status: 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.installed)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: scratch.config + "/osc-score")
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.installed)) == Data(contentsOf: Tool.root.appendingPathComponent(demoKey)))
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.config + "/osc-score") == ["key.csv"])
        try scratch.expectGolden(try scratch.run(["key", "show"]), "key-installed-show", status: 0)

        // The same scores as with --key; the header says where the key came from.
        let installed = try scratch.run([responses])
        let flagged = try scratch.run(["--key", demoKey, responses])
        #expect(installed.status == 0 && flagged.status == 0)
        #expect(header(installed) == "Organisational Social Context (OSC), version 1.0.0 Scoring key: \(scratch.installed), installed with 'osc-score key install'")
        #expect(header(flagged) == "Organisational Social Context (OSC), version 1.0.0 Scoring key: Examples/demo-key.csv, given with --key")
        #expect(afterHeader(installed) == afterHeader(flagged))
        let json = try instrumentMember(try scratch.run([responses, "--format", "json"]))
        #expect(json["key"] as? String == scratch.installed)
        #expect(json["keySource"] as? String == "installed")
        let markdown = try scratch.run([responses, "--format", "markdown"])
        #expect(markdown.stdout.contains("- Scoring key: \(scratch.installed), installed with 'osc-score key install'\n"))
        // The summary beside CSV output names it too.
        let csv = try scratch.run([responses, "--format", "csv"])
        #expect(csv.stderr.hasSuffix("; scoring key \(scratch.installed), installed with 'osc-score key install'.\n"), "\(csv.stderr)")
        // -o may not replace the installed key, an input of the run.
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.installed))
        let overwrite = try scratch.run([responses, "-o", scratch.installed])
        #expect(overwrite.status == 64)
        #expect(overwrite.stderr == "osc-score: The output file '\(scratch.installed)' is the installed scoring key '\(scratch.installed)'; writing there would replace it, so give -o another path.\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.installed)) == before)
        // template finds it too.
        #expect(try scratch.run(["template"]).stdout == Tool.run(["template", "--key", demoKey]).stdout)

        try scratch.expectGolden(try scratch.run(["key", "remove"]), "key-remove", status: 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.installed))
        try scratch.expectGolden(try scratch.run(["key", "remove"]), "key-remove-none", status: 0)
        #expect(try scratch.run([responses]).status == 64)
    }

    @Test("Lookup order: --key, then OSC_SCORE_KEY, then the installed key; an empty OSC_SCORE_KEY is unset")
    func lookupOrder() throws {
        let scratch = try KeyScratch()
        #expect(try scratch.run(["key", "install", demoKey]).status == 0)
        // A second copy of the demo key elsewhere, named by the environment.
        let other = scratch.folder.appendingPathComponent("other-key.csv").path
        try FileManager.default.copyItem(atPath: Tool.root.appendingPathComponent(demoKey).path, toPath: other)
        func source(_ arguments: [String], _ environment: [String: String?]) throws -> (String?, String?) {
            let run = try scratch.run(arguments + [responses, "--format", "json"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            let member = try instrumentMember(run)
            return (member["key"] as? String, member["keySource"] as? String)
        }
        #expect(try source([], [:]) == (scratch.installed, "installed"))
        #expect(try source([], ["OSC_SCORE_KEY": other]) == (other, "environment"))
        #expect(try source(["--key", demoKey], ["OSC_SCORE_KEY": other]) == (demoKey, "option"))
        #expect(try source([], ["OSC_SCORE_KEY": ""]) == (scratch.installed, "installed"))
        let shown = try scratch.run(["key", "show"], environment: ["OSC_SCORE_KEY": other])
        try scratch.expectGolden(shown, "key-environment-show", status: 0)
        try scratch.expectGolden(try scratch.run(["key", "show", "--key", demoKey], environment: ["OSC_SCORE_KEY": other]), "key-option-show", status: 0)
        let table = try scratch.run([responses], environment: ["OSC_SCORE_KEY": other])
        #expect(header(table) == "Organisational Social Context (OSC), version 1.0.0 Scoring key: \(other), named by OSC_SCORE_KEY")
        // The removal says that OSC_SCORE_KEY still applies.
        try scratch.expectGolden(try scratch.run(["key", "remove"], environment: ["OSC_SCORE_KEY": other]), "key-remove-environment", status: 0)
    }

    @Test("OSC_SCORE_KEY naming a missing file is an input error (66) that names the variable")
    func environmentKeyMissing() throws {
        let scratch = try KeyScratch()
        try scratch.expectGolden(try scratch.run([responses], environment: ["OSC_SCORE_KEY": "no-such-key.csv"]), "key-environment-missing", status: 66)
    }

    @Test("OSC_SCORE_KEY and the installed key apply only to the OSC: other instruments ignore them")
    func otherInstrumentsIgnoreTheKey() throws {
        let scratch = try KeyScratch()
        #expect(try scratch.run(["key", "install", demoKey]).status == 0)
        let arguments = leadership + ["Tests/OSCScoreCLITests/Fixtures/leadership.tsv", "--format", "json"]
        let run = try scratch.run(arguments, environment: ["OSC_SCORE_KEY": "no-such-key.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let member = try instrumentMember(run)
        #expect(member["key"] is NSNull && member["keySource"] is NSNull)
        #expect(run.stdout == (try Tool.run(arguments)).stdout)
    }

    @Test("A key that does not fit the OSC is refused (65) and the key installed before stays")
    func invalidKeyIsNotInstalled() throws {
        let scratch = try KeyScratch()
        #expect(try scratch.run(["key", "install", demoKey]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.installed))
        // The demo key without its last item: 104 items instead of 105.
        let lines = try String(contentsOf: Tool.root.appendingPathComponent(demoKey), encoding: .utf8).split(separator: "\n")
        let short = scratch.folder.appendingPathComponent("short-key.csv")
        try Data((lines.dropLast().joined(separator: "\n") + "\n").utf8).write(to: short)
        try scratch.expectGolden(try scratch.run(["key", "install", short.path]), "key-install-short", status: 65)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.installed)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.config + "/osc-score") == ["key.csv"])
        try scratch.expectGolden(try scratch.run(["key", "install", "no-such-key.csv"]), "key-install-missing", status: 66)
    }

    @Test("Without XDG_CONFIG_HOME (or with a relative one) the key is installed in ~/.config/osc-score")
    func homeFallback() throws {
        let scratch = try KeyScratch()
        for xdg: String? in [nil, "relative/config"] {
            let install = try scratch.run(["key", "install", demoKey], environment: ["XDG_CONFIG_HOME": xdg])
            #expect(install.status == 0, "\(install.stderr)")
            let path = scratch.home + "/.config/osc-score/key.csv"
            #expect(install.stdout.contains("as '\(path)'"))
            #expect(FileManager.default.fileExists(atPath: path))
            let json = try instrumentMember(try scratch.run([responses, "--format", "json"], environment: ["XDG_CONFIG_HOME": xdg]))
            #expect(json["key"] as? String == path && json["keySource"] as? String == "installed")
            #expect(try scratch.run(["key", "remove"], environment: ["XDG_CONFIG_HOME": xdg]).status == 0)
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.config))
        // Neither HOME nor XDG_CONFIG_HOME: nothing to install into (74), and no key to find.
        let nowhere = try scratch.run(["key", "install", demoKey], environment: ["XDG_CONFIG_HOME": nil, "HOME": nil])
        #expect(nowhere.status == 74)
        #expect(nowhere.stderr == "osc-score: Cannot install the key: neither XDG_CONFIG_HOME nor HOME names an absolute folder; set one of them (for example export XDG_CONFIG_HOME=\"$HOME/.config\").\n")
    }
}
