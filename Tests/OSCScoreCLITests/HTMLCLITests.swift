// End-to-end tests of --format html and --per-school: the files written,
// failures to write them, and the pages rendered in a real browser.

import Foundation
import Testing

/// A browser for the rendering tests: Debian's `chromium`.
enum Browser {
    /// The first chromium on the usual paths or `PATH`, nil when none is installed.
    static let path: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) { return folder + "/" + name }
        }
        return nil
    }()

    /// `xmllint` (libxml2-utils), nil when not installed.
    static let xmllint: String? = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether the browser checks must run: in CI (`CI` set, or
    /// `OSC_REQUIRE_BROWSER=1` as `.ci/run` sets it) a missing browser fails.
    static var required: Bool {
        let environment = ProcessInfo.processInfo.environment
        let ci = environment["CI"].map { !$0.isEmpty && $0 != "0" && $0.lowercased() != "false" } ?? false
        return ci || environment["OSC_REQUIRE_BROWSER"] == "1"
    }

    /// Runs `executable` with `arguments`, at most `seconds`; returns status and standard output.
    static func run(_ executable: String, _ arguments: [String], seconds: Double = 120) throws -> (status: Int32, stdout: Data) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        try out.close()
        return (process.terminationStatus, try Data(contentsOf: outURL))
    }

    /// Chromium's headless arguments, with a profile folder of its own.
    static func arguments(profile: String) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-dev-shm-usage",
         "--user-data-dir=" + profile]
    }
}

@Suite("osc-score --format html and --per-school, end to end")
struct HTMLCLITests {
    /// Writes the example's school pages into a fresh folder; returns it and the run.
    static func writePages(_ extra: [String] = []) throws -> (Scratch, Run) {
        let scratch = try Scratch()
        let run = try Tool.run(example + ["--format", "html", "--per-school", scratch.path("pages")] + extra)
        return (scratch, run)
    }

    @Test("--per-school writes index.html and one page per school, each whole, with no temporary file left")
    func perSchoolWritesPages() throws {
        let (scratch, run) = try Self.writePages(["--norms", "Examples/demo-norms.json"])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasSuffix("osc-score: Wrote \(scratch.path("pages"))/index.html and 52 school pages beside it.\n"))
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.path("pages")).sorted()
        #expect(names.count == 53)
        #expect(names.first == "index.html" && names.dropFirst().allSatisfy { $0.hasPrefix("school-") && $0.hasSuffix(".html") })
        let index = try String(contentsOfFile: scratch.path("pages/index.html"), encoding: .utf8)
        for name in names.dropFirst() { #expect(index.contains("<a href=\"\(name)\">")) }
        let page = try String(contentsOfFile: scratch.path("pages/school-01-la1-s01.html"), encoding: .utf8)
        #expect(page.contains("<h1>Organisational Social Context (OSC): LA1-S01</h1>"))
        #expect(!page.contains("LA1-S02") && page.hasSuffix("</html>\n"))
        // The study report in the folder is the same report as --format html, with the links.
        let single = try Tool.run(example + ["--format", "html", "--norms", "Examples/demo-norms.json"])
        #expect(single.status == 0)
        #expect(index.count > single.stdout.count)
    }

    @Test("--per-school into an existing folder replaces the pages and keeps other files")
    func perSchoolExistingFolder() throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path("pages"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: scratch.path("pages/notes.txt")))
        try Data("old".utf8).write(to: URL(fileURLWithPath: scratch.path("pages/index.html")))
        let run = try Tool.run(example + ["--format", "html", "--per-school", scratch.path("pages")])
        #expect(run.status == 0)
        #expect(try String(contentsOfFile: scratch.path("pages/notes.txt"), encoding: .utf8) == "mine")
        #expect(try String(contentsOfFile: scratch.path("pages/index.html"), encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    }

    @Test("--per-school onto a file or under a missing folder ends with 74 and a sentence naming the path")
    func perSchoolCannotWrite() throws {
        let scratch = try Scratch()
        try Data("x".utf8).write(to: URL(fileURLWithPath: scratch.path("file")))
        let onFile = try Tool.run(example + ["--format", "html", "--per-school", scratch.path("file")])
        #expect(onFile.status == 74)
        #expect(onFile.stderr == "osc-score: Cannot write the school pages to '\(scratch.path("file"))': it is not a folder; give --per-school a folder's path (it is created when missing).\n")
        let missing = try Tool.run(example + ["--format", "html", "--per-school", scratch.path("no/such")])
        #expect(missing.status == 74)
        #expect(missing.stderr == "osc-score: Cannot create the folder '\(scratch.path("no/such"))' for the school pages: no such file or directory; check that its parent folder exists and is writable, or give --per-school another path.\n")
    }

    @Test("a page that cannot be written (file size limit) ends with 74, never 0, and leaves no temporary file")
    func perSchoolWriteFails() throws {
        let scratch = try Scratch()
        let run = try Tool.shell("ulimit -f 8; " + exampleShell + " --format html --per-school " + quoted(scratch.path("pages")))
        #expect(run.status == 74)
        #expect(run.stderr.contains("Cannot write '\(scratch.path("pages"))/"))
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.path("pages"))
        #expect(!names.contains { $0.hasPrefix(".") })
        #expect(!names.contains("index.html"))
    }

    @Test("the HTML report and a school page render in a real browser: not blank, with their charts",
          .enabled(if: Browser.path != nil, "chromium is not installed: install it (apt-get install -y chromium libxml2-utils) to render the HTML in a real browser"))
    func rendersInBrowser() throws {
        let browser = try #require(Browser.path)
        let (scratch, run) = try Self.writePages(["--norms", "Examples/demo-norms.json"])
        #expect(run.status == 0)
        for (page, charts) in [("index.html", 8 + 52 + 2), ("school-01-la1-s01.html", 1)] {
            let file = scratch.path("pages/" + page)
            let dom = try Browser.run(browser, Browser.arguments(profile: scratch.path("profile-dom")) + ["--dump-dom", "file://" + file])
            #expect(dom.status == 0)
            let text = String(decoding: dom.stdout, as: UTF8.self)
            #expect(text.components(separatedBy: "<svg").count - 1 == charts, "\(page): charts in the rendered DOM")
            #expect(text.contains("<title>") && text.contains("</table>"))
            let png = scratch.path(page + ".png")
            let shot = try Browser.run(browser, Browser.arguments(profile: scratch.path("profile-shot")) + ["--screenshot=" + png, "--window-size=1100,1600", "file://" + file])
            #expect(shot.status == 0)
            let image = try Data(contentsOf: URL(fileURLWithPath: png))
            // A PNG of 1100 × 1600 pixels; a blank page compresses to a few kilobytes.
            #expect(Array(image.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            let size = image.count >= 24 ? (Array(image[16..<20]), Array(image[20..<24])) : ([], [])
            #expect(size.0 == [0, 0, 0x04, 0x4C] && size.1 == [0, 0, 0x06, 0x40])
            #expect(image.count > 40_000, "\(page): the screenshot looks blank (\(image.count) bytes)")
        }
    }

    @Test("the pages are well-formed XML by xmllint",
          .enabled(if: Browser.xmllint != nil, "xmllint is not installed: install it (apt-get install -y libxml2-utils) to check the SVG and XHTML"))
    func wellFormedByXmllint() throws {
        let xmllint = try #require(Browser.xmllint)
        let (scratch, run) = try Self.writePages()
        #expect(run.status == 0)
        for page in ["index.html", "school-01-la1-s01.html", "school-52-la5-s10.html"] {
            #expect(try Browser.run(xmllint, ["--noout", scratch.path("pages/" + page)]).status == 0, "\(page) is not well-formed")
        }
    }

    @Test("in CI the browser and xmllint are installed, so the rendering checks ran", .enabled(if: Browser.required))
    func browserPresentInCI() {
        #expect(Browser.path != nil, "chromium is missing: .ci/run installs it (apt-get install -y chromium libxml2-utils)")
        #expect(Browser.xmllint != nil, "xmllint is missing: .ci/run installs it (apt-get install -y libxml2-utils)")
    }

    @Test("without a browser the suite says that it skipped the rendering check")
    func saysWhenSkipped() {
        if Browser.path == nil {
            print("osc-score tests: SKIPPED the real-browser check of the HTML report: chromium is not installed (apt-get install -y chromium libxml2-utils; CI requires it).")
        }
        #expect(Browser.path != nil || !Browser.required)
    }
}
