// End-to-end tests of what happens around the report: full disks, closed
// and broken streams, -o onto an input, the temporary file behind -o, and
// the bounds of the numeric options.

import Foundation
import Testing

/// A fresh folder for one test's files, removed afterwards.
final class Scratch {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-safety-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    /// The names in the folder, sorted.
    var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
}

/// `text` quoted for /bin/sh.
func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

let exampleShell = "\"$OSC\" --key Examples/demo-key.csv Examples/synthetic-responses.csv"
let leadershipShell = "\"$OSC\" --scale Tests/OSCScoreCLITests/Fixtures/lq-demo.json"
let leadershipData = "Tests/OSCScoreCLITests/Fixtures/leadership.tsv"

@Suite("osc-score output safety, end to end")
struct OutputSafetyTests {
    // MARK: Lost output

    @Test("A full disk on standard output ends the run with status 74 and a sentence naming standard output")
    func fullDiskOnStandardOutput() throws {
        let run = try Tool.shell(exampleShell + " > /dev/full")
        #expect(run.status == 74)
        #expect(run.stderr == "osc-score: Cannot write to standard output: no space left on device; free some disk space or write elsewhere with -o FILE.\n")
    }

    @Test("A full disk under streamed JSON also ends with status 74")
    func fullDiskUnderJSON() throws {
        let run = try Tool.shell(exampleShell + " --format json > /dev/full")
        #expect(run.status == 74)
        #expect(run.stderr.hasPrefix("osc-score: Cannot write to standard output: no space left on device"))
    }

    @Test("A standard output closed at start-up ends the run with status 74, not silent success", arguments: ["", " --format csv", " --version"])
    func closedStandardOutput(_ extra: String) throws {
        let run = try Tool.shell(exampleShell + extra + " >&-")
        #expect(run.status == 74)
        #expect(run.stderr == "osc-score: Cannot write to standard output: it was closed when osc-score started (>&-); redirect it to a file or give -o FILE.\n")
    }

    @Test("A reader that stops early ends the run quietly with status 0, not by SIGPIPE")
    func brokenPipeIsQuiet() throws {
        // 1.3 MB of JSON, far more than a pipe holds, so the writes after `head` exits fail with EPIPE.
        let run = try Tool.shell("{ " + exampleShell + " --format json --level respondent; echo \"status $?\" >&2; } | head -c 1 > /dev/null")
        #expect(run.stderr == "status 0\n")
    }

    @Test("A closed standard error is reopened onto /dev/null and the report still written")
    func closedStandardError() throws {
        let run = try Tool.shell(exampleShell + " --format csv 2>&-")
        let expected = try String(contentsOf: Tool.golden.appendingPathComponent("example-csv-school.out"), encoding: .utf8)
        #expect(run.status == 0)
        #expect(run.stdout == expected)
    }

    // MARK: Standard input closed

    @Test("Reading '-' when standard input was closed at start-up is an error 66, not an empty file read from the instrument")
    func closedStandardInput() throws {
        let run = try Tool.shell(leadershipShell + " - <&-")
        #expect(run.status == 66)
        #expect(run.stderr == "osc-score: Cannot read standard input ('-' as the responses file): it was closed when osc-score started (<&-); give a file path or redirect a file with '< FILE'.\n")
    }

    @Test("With standard input closed a file run is unaffected")
    func closedStandardInputFileRun() throws {
        let run = try Tool.shell(leadershipShell + " --format csv " + leadershipData + " <&-")
        let normal = try Tool.run(["--scale", "Tests/OSCScoreCLITests/Fixtures/lq-demo.json", "--format", "csv", leadershipData])
        #expect(run.status == 0)
        #expect(run.stdout == normal.stdout && !run.stdout.isEmpty)
    }

    // MARK: -o never an input

    @Test("-o naming an input of the run is a usage error and leaves the input as it was",
          arguments: [("responses", "the responses file"), ("key", "the scoring key (--key)"),
                      ("norms", "the norms file (--norms)")])
    func outputOntoInput(_ which: String, _ role: String) throws {
        let scratch = try Scratch()
        let files = ["responses": "Examples/synthetic-responses.csv", "key": "Examples/demo-key.csv", "norms": "Examples/demo-norms.json"]
        for (name, source) in files {
            try FileManager.default.copyItem(atPath: Tool.root.appendingPathComponent(source).path, toPath: scratch.path(name))
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.path(which)))
        let run = try Tool.run(["--key", scratch.path("key"), "--norms", scratch.path("norms"), scratch.path("responses"), "-o", scratch.path(which)])
        #expect(run.status == 64)
        #expect(run.stderr == "osc-score: The output file '\(scratch.path(which))' is \(role) '\(scratch.path(which))'; writing there would replace it, so give -o another path.\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path(which))) == before)
    }

    @Test("-o naming the instrument file (--scale) is a usage error, also for template")
    func outputOntoInstrument() throws {
        let scratch = try Scratch()
        try FileManager.default.copyItem(atPath: Tool.root.appendingPathComponent("Tests/OSCScoreCLITests/Fixtures/lq-demo.json").path, toPath: scratch.path("lq.json"))
        let run = try Tool.run(["template", "--scale", scratch.path("lq.json"), "-o", scratch.path("lq.json")])
        #expect(run.status == 64)
        #expect(run.stderr.contains("is the instrument file (--scale)"))
    }

    @Test("-o reaching an input by a hard link, a symbolic link or another spelling of its path is refused too")
    func outputOntoInputByAnotherPath() throws {
        let scratch = try Scratch()
        let data = scratch.path("data.csv")
        try FileManager.default.copyItem(atPath: Tool.root.appendingPathComponent("Examples/synthetic-responses.csv").path, toPath: data)
        try FileManager.default.linkItem(atPath: data, toPath: scratch.path("hard.csv"))
        try FileManager.default.createSymbolicLink(atPath: scratch.path("soft.csv"), withDestinationPath: data)
        let before = try Data(contentsOf: URL(fileURLWithPath: data))
        for output in [scratch.path("hard.csv"), scratch.path("soft.csv"), scratch.url.path + "/./data.csv"] {
            let run = try Tool.run(["--key", "Examples/demo-key.csv", data, "-o", output])
            #expect(run.status == 64, "\(output)")
            #expect(run.stderr == "osc-score: The output file '\(output)' is the responses file '\(data)'; writing there would replace it, so give -o another path.\n")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: data)) == before)
    }

    @Test("Standard output appended to the responses file, or '-' read from the -o file, is refused")
    func standardStreamsOntoInput() throws {
        let scratch = try Scratch()
        let data = scratch.path("data.csv")
        try FileManager.default.copyItem(atPath: Tool.root.appendingPathComponent("Examples/synthetic-responses.csv").path, toPath: data)
        let before = try Data(contentsOf: URL(fileURLWithPath: data))
        let append = try Tool.shell("\"$OSC\" --key Examples/demo-key.csv \(quoted(data)) >> \(quoted(data))")
        #expect(append.status == 64)
        #expect(append.stderr == "osc-score: Standard output is redirected to the responses file '\(data)'; writing there would destroy it, so redirect the output to another file.\n")
        let stdin = try Tool.shell("\"$OSC\" --key Examples/demo-key.csv - -o \(quoted(data)) < \(quoted(data))")
        #expect(stdin.status == 64)
        #expect(stdin.stderr == "osc-score: The output file '\(data)' is the responses file, read from standard input; writing there would replace it, so give -o another path.\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: data)) == before)
    }

    // MARK: -o through a temporary file

    @Test("-o leaves only the finished file, with the permissions of a newly created file under the umask")
    func outputFilePermissions() throws {
        let scratch = try Scratch()
        for (mask, mode) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
            let out = scratch.path("scores-\(mask).csv")
            let run = try Tool.shell("umask \(mask); " + leadershipShell + " --format csv -o \(quoted(out)) " + leadershipData)
            #expect(run.status == 0)
            let attributes = try FileManager.default.attributesOfItem(atPath: out)
            #expect((attributes[.posixPermissions] as? Int) == mode, "umask \(mask)")
        }
        #expect(scratch.names == ["scores-002.csv", "scores-022.csv", "scores-077.csv"])
    }

    @Test("-o replacing a file keeps that file's permissions and replaces its content whole")
    func outputFileReplacement() throws {
        let scratch = try Scratch()
        let out = scratch.path("scores.csv")
        try Data(String(repeating: "old content\n", count: 10_000).utf8).write(to: URL(fileURLWithPath: out))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: out)
        let run = try Tool.run(["--scale", "Tests/OSCScoreCLITests/Fixtures/lq-demo.json", "--format", "csv", "-o", out, leadershipData])
        let expected = try Tool.run(["--scale", "Tests/OSCScoreCLITests/Fixtures/lq-demo.json", "--format", "csv", leadershipData])
        #expect(run.status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == expected.stdout)
        #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) == 0o640)
        #expect(scratch.names == ["scores.csv"])
    }

    @Test("-o onto a file the user may not write is refused, not replaced (not checkable as root)",
          .enabled(if: getuid() != 0))
    func outputOntoReadOnlyFile() throws {
        let scratch = try Scratch()
        let out = scratch.path("kept.csv")
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: out))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: out)
        let run = try Tool.run(example + ["-o", out])
        #expect(run.status == 74)
        #expect(run.stderr == "osc-score: Cannot write '\(out)': permission denied; check the file's permissions or give -o another path.\n")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "kept\n")
    }

    @Test("-o through a symbolic link replaces the link's target and keeps the link")
    func outputThroughSymbolicLink() throws {
        let scratch = try Scratch()
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: scratch.path("target.csv")))
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.csv"), withDestinationPath: "target.csv")
        let run = try Tool.run(["--scale", "Tests/OSCScoreCLITests/Fixtures/lq-demo.json", "--format", "csv", "-o", scratch.path("link.csv"), leadershipData])
        #expect(run.status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.path("link.csv")) == "target.csv")
        let expected = try Tool.run(["--scale", "Tests/OSCScoreCLITests/Fixtures/lq-demo.json", "--format", "csv", leadershipData])
        #expect(try String(contentsOfFile: scratch.path("target.csv"), encoding: .utf8) == expected.stdout)
        #expect(scratch.names == ["link.csv", "target.csv"])
    }

    @Test("-o through a symbolic link whose target does not exist yet creates the target and keeps the link")
    func outputThroughDanglingLink() throws {
        let scratch = try Scratch()
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.csv"), withDestinationPath: "new.csv")
        let run = try Tool.run(["--scale", "Tests/OSCScoreCLITests/Fixtures/lq-demo.json", "--format", "csv", "-o", scratch.path("link.csv"), leadershipData])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.path("link.csv")) == "new.csv")
        let expected = try Tool.run(["--scale", "Tests/OSCScoreCLITests/Fixtures/lq-demo.json", "--format", "csv", leadershipData])
        #expect(try String(contentsOfFile: scratch.path("new.csv"), encoding: .utf8) == expected.stdout)
        #expect(scratch.names == ["link.csv", "new.csv"])
    }

    @Test("A write that fails (file size limit) ends with 74, leaves the old file as it was and no temporary file")
    func failedWriteKeepsOldFile() throws {
        let scratch = try Scratch()
        let out = scratch.path("report.json")
        let old = Data("{\"old\": true}\n".utf8)
        try old.write(to: URL(fileURLWithPath: out))
        let run = try Tool.shell("ulimit -f 2; " + exampleShell + " --format json -o \(quoted(out))")
        #expect(run.status == 74)
        #expect(run.stderr == "osc-score: Cannot write '\(out)': file too large (any file already there is left as it was); raise the file size limit (ulimit -f) or give -o another path.\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == old)
        #expect(scratch.names == ["report.json"])
    }

    @Test("A report of several megabytes written with -o over an existing file (writeback started early, the old file released after the rename) is exactly the text on standard output; cut short by a file size limit, it ends with 74 and leaves the old file")
    func largeReportReplacesFile() throws {
        let scratch = try Scratch()
        // The example seven times over, ids made distinct: about 6.7 MB of respondent JSON.
        let big = scratch.path("big.csv")
        let copies = try Tool.shell("{ head -n 1 Examples/synthetic-responses.csv; for c in 1 2 3 4 5 6 7; do tail -n +2 Examples/synthetic-responses.csv | sed \"s/^/$c-/\"; done; } > \(quoted(big))")
        #expect(copies.status == 0)
        let command = "\"$OSC\" --key Examples/demo-key.csv --format json --level respondent \(quoted(big))"
        let out = scratch.path("report.json")
        let old = Data("{\"old\": true}\n".utf8)
        try old.write(to: URL(fileURLWithPath: out))
        let expected = try Tool.shell(command)
        #expect(expected.status == 0)
        #expect(expected.stdout.utf8.count > 6_000_000)
        let run = try Tool.shell(command + " -o \(quoted(out))")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == expected.stdout)
        #expect(scratch.names == ["big.csv", "report.json"])
        // About 4.6 MB allowed (ulimit -f counts 1024-byte blocks in bash, 512 in dash): past the first early writeback.
        try old.write(to: URL(fileURLWithPath: out))
        let cut = try Tool.shell("if [ -n \"$BASH_VERSION\" ]; then ulimit -f 4500; else ulimit -f 9000; fi; " + command + " -o \(quoted(out))")
        #expect(cut.status == 74)
        #expect(cut.stderr.hasPrefix("osc-score: Cannot write '\(out)': file too large (any file already there is left as it was)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == old)
        #expect(scratch.names == ["big.csv", "report.json"])
    }

    @Test("-o into a missing folder or onto a folder ends with 74 and a sentence naming the path")
    func outputIntoMissingFolder() throws {
        let scratch = try Scratch()
        let missing = scratch.path("no-such-folder/scores.csv")
        let run = try Tool.run(example + ["-o", missing])
        #expect(run.status == 74)
        #expect(run.stderr == "osc-score: Cannot write '\(missing)': no such file or directory; check that its folder exists and is writable.\n")
        let folder = try Tool.run(example + ["-o", scratch.url.path])
        #expect(folder.status == 74)
        #expect(folder.stderr == "osc-score: Cannot write '\(scratch.url.path)': it is a folder; give a file name, for example '\(scratch.url.path)/scores.csv'.\n")
    }

    @Test("-o onto a device writes the device and never replaces it")
    func outputOntoDevice() throws {
        let run = try Tool.run(example + ["--format", "csv", "-o", "/dev/null"])
        #expect(run.status == 0)
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        let full = try Tool.run(example + ["-o", "/dev/full"])
        #expect(full.status == 74)
        #expect(full.stderr == "osc-score: Cannot write '/dev/full': no space left on device; free some disk space or give -o another path.\n")
    }

    @Test("Concurrent runs writing one -o file never interleave: the file is always one run's whole output")
    func concurrentRunsDoNotInterleave() throws {
        let scratch = try Scratch()
        let out = scratch.path("shared.json")
        let base = ["--scale", "Tests/OSCScoreCLITests/Fixtures/lq-demo.json", "--format", "json", leadershipData]
        let a = try Tool.run(base + ["--level", "respondent"]).stdout, b = try Tool.run(base).stdout
        #expect(a != b)
        for _ in 0..<4 {
            let processes = [base + ["--level", "respondent"], base, base + ["--level", "respondent"]].map { arguments in
                let process = Process()
                process.executableURL = Tool.binary
                process.arguments = arguments + ["-o", out]
                process.currentDirectoryURL = Tool.root
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for process in processes { try process.run() }
            for process in processes {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
            }
            let written = try String(contentsOfFile: out, encoding: .utf8)
            #expect(written == a || written == b)
            #expect(scratch.names == ["shared.json"])
        }
    }

    @Test("An interrupt (SIGTERM) while -o is written removes the temporary file and leaves the old file")
    func interruptRemovesTemporaryFile() throws {
        let scratch = try Scratch()
        // The example 30 times over (26,000 respondents): seconds of JSON to write.
        let lines = try String(contentsOf: Tool.root.appendingPathComponent("Examples/synthetic-responses.csv"), encoding: .utf8)
            .split(separator: "\n")
        var big = lines[0] + "\n"
        for k in 0..<30 {
            for line in lines.dropFirst() {
                let comma = line.firstIndex(of: ",")!
                big += line[..<comma] + "-\(k)" + line[comma...] + "\n"
            }
        }
        try Data(big.utf8).write(to: URL(fileURLWithPath: scratch.path("big.csv")))
        let out = scratch.path("out.json")
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: out))
        let process = Process()
        process.executableURL = Tool.binary
        process.arguments = ["--key", "Examples/demo-key.csv", scratch.path("big.csv"), "--format", "json", "--level", "respondent", "-o", out]
        process.currentDirectoryURL = Tool.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var sawTemporary = false
        for _ in 0..<1200 where process.isRunning {
            if scratch.names.contains(where: { $0.hasPrefix(".out.json.osc-score-") }) {
                sawTemporary = true
                process.terminate()
                break
            }
            usleep(50_000)
        }
        process.waitUntilExit()
        if sawTemporary && process.terminationReason == .uncaughtSignal {
            #expect(process.terminationStatus == SIGTERM)
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "old\n")
        }
        #expect(sawTemporary, "the temporary file was never seen")
        #expect(scratch.names == ["big.csv", "out.json"])
    }

    // MARK: Bounded options

    @Test("Non-finite and out-of-range numbers are usage errors for every number option",
          arguments: ["--min-answered", "--null-variance", "--rwg-threshold", "--alpha-level", "--icc2-threshold"])
    func nonFiniteNumbers(_ option: String) throws {
        for value in ["nan", "inf", "-inf", "1e400", "-1e400"] {
            let run = try Tool.run(example + [option, value])
            #expect(run.status == 64, "\(option) \(value)")
            #expect(run.stderr.hasPrefix("osc-score: \(option) is '\(value)'; give "), "\(option) \(value)")
        }
    }

    @Test("--rgr is accepted at its limit of 10000 and refused one past it with the limit named")
    func rgrLimit() throws {
        let data = "school,LEAD01,LEAD02,LEAD03,L04\nS1,1,5,1,1\nS1,3,3,2,2\nS2,4,4,4,5\nS2,2,3,2,2\n"
        let at = try Tool.run(leadership + ["--format", "json", "--rgr", "10000", "-"], stdin: data)
        #expect(at.status == 0)
        #expect(at.stdout.contains("\"replications\": 10000"))
        let past = try Tool.run(example + ["--rgr", "10001"])
        #expect(past.status == 64)
        #expect(past.stderr == "osc-score: --rgr is '10001'; give a whole number of replications from 1 to 10000 (the limit), for example 100.\n")
        let huge = try Tool.run(example + ["--rgr", "1000000000"])
        #expect(huge.status == 64)
    }

    @Test("--min-respondents is accepted at 1000000 and refused one past it")
    func minRespondentsLimit() throws {
        let at = try Tool.run(leadership + ["--min-respondents", "1000000", leadershipData])
        #expect(at.status == 0)
        let past = try Tool.run(leadership + ["--min-respondents", "1000001", leadershipData])
        #expect(past.status == 64)
        #expect(past.stderr == "osc-score: --min-respondents is '1000001'; give a whole number from 1 to 1000000 (the limit), for example 3.\n")
    }

    @Test("--null-variance is accepted from 0.000001 to 1e12 and refused just outside")
    func nullVarianceRange() throws {
        for value in ["0.000001", "1e12"] {
            #expect(try Tool.run(leadership + ["--null-variance", value, leadershipData]).status == 0, "\(value)")
        }
        for value in ["0.0000009", "1.1e12", "0", "-2"] {
            #expect(try Tool.run(leadership + ["--null-variance", value, leadershipData]).status == 64, "\(value)")
        }
    }

    // MARK: Messages

    @Test("A message with a question ends in '?', never '?.'")
    func questionMessages() throws {
        let scratch = try Scratch()
        let instrument = scratch.path("typo.json")
        try Data(#"{"id":"t","responseScale":{"min":1,"max":5},"items":[{"id":"alpha"},{"id":"beta"}],"scales":[{"id":"s","items":["alpha","betta"]}]}"#.utf8)
            .write(to: URL(fileURLWithPath: instrument))
        let run = try Tool.run(["template", "--scale", instrument])
        #expect(run.status == 65)
        #expect(run.stderr.hasSuffix("did you mean 'beta'?\n"))
        let bundled = try Tool.run(["template", "--scale", "os"])
        #expect(!bundled.stderr.contains("?.") && !bundled.stderr.contains(".."))
    }

    @Test("Every line of --help fits 80 columns")
    func helpFitsEightyColumns() throws {
        let run = try Tool.run(["--help"])
        let long = run.stdout.split(separator: "\n").filter { $0.count > 80 }
        #expect(long.isEmpty, "\(long)")
    }
}
