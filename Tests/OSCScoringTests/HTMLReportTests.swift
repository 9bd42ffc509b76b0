// The HTML report and the school pages: structure, text alternatives,
// escaping, self-containment, file names and colour contrast.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import OSCScoring

@Suite struct HTMLReportTests {
    /// The shipped example, with or without the demo norms.
    static func example(norms: Bool) throws -> ScoringReport {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        let table = try ResponseReader.read(path: root + "/Examples/synthetic-responses.csv", instrument: instrument).table
        let choice: NormsChoice? = norms ? .table(try Norms(contentsOf: root + "/Examples/demo-norms.json", instrument: instrument)) : nil
        return try ScoringReport(table: table, norms: choice)
    }

    /// How often `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The levels of the headings in document order.
    static func headingLevels(_ html: String) -> [Int] {
        var levels: [Int] = []
        var rest = Substring(html)
        while let range = rest.range(of: "<h") {
            let after = rest[range.upperBound...]
            if let digit = after.first, let level = Int(String(digit)), after.dropFirst().first == ">" || after.dropFirst().first == " " {
                levels.append(level)
            }
            rest = after
        }
        return levels
    }

    /// Whether `text` parses as well-formed XML.
    static func wellFormed(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse()
    }

    /// The checks every page must pass: a language, one title and one h1,
    /// headings that never skip a level, no script, nothing from elsewhere,
    /// every chart with a text alternative and a table, well-formed XML.
    static func expectSelfContainedPage(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"), sourceLocation: sourceLocation)
        #expect(count("<title>", in: html) == 1 + count("<svg", in: html), sourceLocation: sourceLocation)
        #expect(count("<h1>", in: html) == 1, sourceLocation: sourceLocation)
        let levels = headingLevels(html)
        #expect(levels.first == 1, sourceLocation: sourceLocation)
        for (a, b) in zip(levels, levels.dropFirst()) { #expect(b <= a + 1, "heading h\(a) followed by h\(b)", sourceLocation: sourceLocation) }
        for external in ["http:", "https:", "src=", "<script", "<link", "@import", "<img", "<iframe"] {
            #expect(!html.contains(external), "the page holds \(external)", sourceLocation: sourceLocation)
        }
        // url( only to patterns defined in the same chart.
        #expect(html.components(separatedBy: "url(").dropFirst().allSatisfy { $0.hasPrefix("#") }, sourceLocation: sourceLocation)
        let charts = html.components(separatedBy: "<svg").dropFirst()
        #expect(!charts.isEmpty, sourceLocation: sourceLocation)
        for chart in charts {
            let open = chart.prefix { $0 != ">" }
            #expect(open.contains("role=\"img\"") && open.contains("aria-label=\""), sourceLocation: sourceLocation)
            #expect(chart.dropFirst(open.count + 1).hasPrefix("\n<title>"), sourceLocation: sourceLocation)
            // The numbers behind the chart follow it in a table.
            let after = chart.components(separatedBy: "</svg>")[1]
            #expect(after.range(of: "<table>").map { after[..<$0.lowerBound].count < 400 } ?? false, "a chart without its table", sourceLocation: sourceLocation)
        }
        #expect(wellFormed(html), "not well-formed XML", sourceLocation: sourceLocation)
    }

    @Test("the HTML report of the example is one self-contained page with every section, chart and school")
    func exampleReport() throws {
        for norms in [false, true] {
            let report = try Self.example(norms: norms)
            let html = report.html()
            Self.expectSelfContainedPage(html)
            for heading in ["In brief", "Schools", "Profiles", "Authorities", "Where the variation lies", "Agreement", "Reliability", "Data quality", "How to read this report"] {
                #expect(html.contains(">\(heading)</h2>"), "missing section \(heading)")
            }
            // A caterpillar per dimension, a profile per school, the variance bars and the agreement chart.
            #expect(Self.count("<svg", in: html) == 8 + report.schools.count + 2)
            for school in report.schools {
                #expect(Self.count(">\(school.id)</text>", in: html) >= 8, "\(school.id) missing from a chart")
                #expect(html.contains("<th scope=\"row\" class=\"l\">\(school.id)</th>"))
            }
            #expect(html.contains("cannot stand: 2 respondents"))
            #expect(html.contains("rwg(j) 0.00"))
            #expect(html.contains("1 = Not at all") && html.contains("5 = To a very great extent"))
            #expect(html.contains("Rigidity (ICC(2) 0.65)"))
            #expect(html.contains("@media print") && html.contains("size:A4"))
            #expect(norms == html.contains("norm band T 40–60"))
        }
    }

    @Test("a school whose means cannot stand gets no profile category, with the reason")
    func withheldProfile() throws {
        let report = try Self.example(norms: true)
        let j = try #require(report.schools.firstIndex { $0.id == "LA3-S11" })
        let page = report.schoolPageHTML(j)
        #expect(page.contains("Culture profile: not given, because the school&#39;s mean on Proficiency, Rigidity and Resistance cannot stand for its staff."))
        #expect(!page.contains("Culture profile: average.") && !page.contains("Climate profile: best."))
        let fine = try #require(report.schools.firstIndex { $0.id == "LA1-S01" })
        #expect(report.schoolPageHTML(fine).contains("Culture profile: worst."))
    }

    @Test("schools and authorities below suppressBelow show no means, T-scores or profiles in the report or on their page")
    func suppressed() throws {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        let table = try ResponseReader.read(path: root + "/Examples/synthetic-responses.csv", instrument: instrument).table
        var criteria = AggregationCriteria()
        criteria.suppressBelow = 10
        let norms = try Norms(contentsOf: root + "/Examples/demo-norms.json", instrument: instrument)
        let report = try ScoringReport(table: table, criteria: criteria, norms: .table(norms))
        let j = try #require(report.schools.firstIndex { $0.id == "LA1-S03" })
        #expect(report.schools[j].suppressed)
        let page = report.schoolPageHTML(j)
        Self.expectSelfContainedPage(page)
        #expect(page.contains("fewer than 10: the school&#39;s results are withheld"))
        // Its Proficiency mean 4.32 (T 75.7) and its culture profile are not shown.
        #expect(!page.contains("T 75.7") && !page.contains(">4.32<") && !page.contains("Culture profile: best."))
        let html = report.html()
        Self.expectSelfContainedPage(html)
        #expect(!html.contains("T 75.7"))
        #expect(html.contains("<th scope=\"row\" class=\"l\">LA1-S03</th><td class=\"l\">LA1</td><td>8</td><td>–</td><td>–</td><td>withheld: fewer than 10 respondents</td>"))
        #expect(html.contains("withheld: fewer than 10 respondents"))
    }

    @Test("a school's page names no other school and is self-contained")
    func schoolPagesNameOnlyTheirSchool() throws {
        for norms in [false, true] {
            let report = try Self.example(norms: norms)
            var pages = 0
            report.forEachSchoolPage { j, name, page in
                pages += 1
                #expect(name == report.schoolPageFileNames()[j])
                Self.expectSelfContainedPage(page)
                #expect(page.contains("<title>Organisational Social Context (OSC): \(report.schools[j].id)</title>"))
                for (k, other) in report.schools.enumerated() where k != j {
                    #expect(!page.contains(other.id), "the page of \(report.schools[j].id) names \(other.id)")
                }
            }
            #expect(pages == report.schools.count)
        }
    }

    @Test("the study report links every school page")
    func indexLinksSchoolPages() throws {
        let report = try Self.example(norms: false)
        let names = report.schoolPageFileNames()
        let html = report.html(schoolPages: names)
        for name in names { #expect(html.contains("<a href=\"\(name)\">")) }
        #expect(!report.html().contains("school-01-"))
    }

    /// A report of the leadership fixture whose school and authority ids are `ids`, three respondents each.
    static func report(ids: [(school: [UInt8], authority: [UInt8])]) throws -> ScoringReport {
        var csv = Array("respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n".utf8)
        func quoted(_ field: [UInt8]) -> [UInt8] {
            [0x22] + field.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22]
        }
        var n = 0
        for (school, authority) in ids {
            for answers in ["1,5,2,2", "2,4,2,3", "2,4,3,3"] {
                n += 1
                csv += Array("r\(n),".utf8) + quoted(school) + [0x2C] + quoted(authority) + Array(",\(answers)\n".utf8)
            }
        }
        // Read as UTF-8 so the invalid bytes stay bytes (not Windows-1252 letters).
        var options = ReadOptions()
        options.encoding = "utf-8"
        let table = try ResponseReader.read(csv, instrument: try Fixture.leadership(), options: options, source: "test.csv")
        return try ScoringReport(table: table)
    }

    @Test("ids with markup, quotes, ampersands, control characters and invalid bytes are escaped in the report and the pages")
    func hostileIDs() throws {
        let ids: [(school: [UInt8], authority: [UInt8])] = [
            (Array("<script>alert('x')</script>".utf8), Array("A&B".utf8)),
            (Array("say \"hi\" & <b>".utf8), Array("A&B".utf8)),
            ([0x53, 0xFF, 0xFE, 0x31], Array("<LA>".utf8)),
            (Array("line\u{1B}break]]>".utf8), Array("<LA>".utf8)),
        ]
        let report = try Self.report(ids: ids)
        let html = report.html(schoolPages: report.schoolPageFileNames())
        Self.expectSelfContainedPage(html)
        #expect(!html.contains("<script") && !html.contains("<b>") && !html.contains("<LA>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("say &quot;hi&quot; &amp; &lt;b&gt;"))
        #expect(html.contains("S\\xFF\\xFE1"))
        #expect(html.contains("line\\u{1B}break]]&gt;"))
        #expect(html.contains("A&amp;B"))
        report.forEachSchoolPage { _, _, page in Self.expectSelfContainedPage(page) }
    }

    @Test("escaping turns markup characters into references and shows control characters")
    func escaping() {
        #expect(HTMLText.escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
        #expect(HTMLText.escape("a\nb\u{7}c") == "a\\nb\\u{7}c")
        #expect(HTMLText.escape("\u{FFFE}") == "\\u{FFFE}")
        #expect(HTMLText.escape("plain LA1-S01") == "plain LA1-S01")
    }

    @Test("school page file names are safe and unique for any ids, also where case is ignored")
    func fileNames() throws {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 600)
        let ids: [[UInt8]] = [Array("a/b".utf8), Array("..".utf8), Array("../../etc/passwd".utf8), Array("A B".utf8), Array("a b".utf8),
                              Array("ab".utf8), Array("AB".utf8), Array("a_b".utf8), Array("a-b".utf8), [0xFF, 0x80], [0xFE], long, long + [0x79],
                              Array(".hidden".utf8), Array("école".utf8), Array("CON".utf8)]
        let report = try Self.report(ids: ids.map { ($0, Array("LA".utf8)) })
        let names = report.schoolPageFileNames()
        #expect(names.count == ids.count)
        #expect(Set(names.map { $0.lowercased() }).count == names.count)
        for name in names {
            #expect(name.hasPrefix("school-") && name.hasSuffix(".html"))
            #expect(name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x2E })
            #expect(!name.contains("..") && name.utf8.count <= 60)
        }
        #expect(names.contains { $0.hasSuffix("-ab.html") } && names.contains { $0.hasSuffix("-a-b.html") })
    }

    @Test("the report's colours reach WCAG contrast on white: 4.5:1 for text, 3:1 for chart marks")
    func contrast() {
        // The WCAG formula on known values (#767676 is the lightest grey with
        // 4.5:1 on white; the others computed by the formula in Python 3).
        #expect(abs(HTMLPalette.contrast("#000000", "#FFFFFF") - 21) < 1e-9)
        #expect(abs(HTMLPalette.contrast("#FFFFFF", "#FFFFFF") - 1) < 1e-9)
        #expect(abs(HTMLPalette.contrast("#767676", "#FFFFFF") - 4.54) < 0.01)
        #expect(abs(HTMLPalette.contrast("#0072B2", "#FFFFFF") - 5.185) < 0.001)
        #expect(abs(HTMLPalette.contrast("#D55E00", "#FFFFFF") - 3.867) < 0.001)
        for colour in HTMLPalette.used {
            let ratio = HTMLPalette.contrast(colour.hex, HTMLPalette.background)
            #expect(ratio >= colour.minimumContrast, "\(colour.name) \(colour.hex): \(ratio)")
        }
        // Table header cells are shaded: text on them still reaches 4.5:1.
        #expect(HTMLPalette.contrast(HTMLPalette.text, "#F2F2F2") >= 4.5)
        // Orange, sky blue and yellow of Okabe–Ito fall below 3:1 on white: not used.
        for weak in ["#E69F00", "#56B4E9", "#F0E442"] {
            #expect(HTMLPalette.contrast(weak, HTMLPalette.background) < 3)
        }
    }

    @Test("every colour in the report is one whose contrast is tested")
    func onlyTestedColours() throws {
        let html = try Self.example(norms: true).html()
        let known = Set(HTMLPalette.used.map(\.hex) + [HTMLPalette.background, HTMLPalette.band, "#F2F2F2"])
        var found = Set<String>()
        var rest = Substring(html)
        while let hash = rest.firstIndex(of: "#") {
            let candidate = rest[hash...].prefix(7)
            if candidate.count == 7, candidate.dropFirst().allSatisfy({ $0.isHexDigit }) { found.insert(String(candidate).uppercased()) }
            rest = rest[rest.index(after: hash)...]
        }
        #expect(!found.isEmpty)
        #expect(found.subtracting(known).isEmpty, "untested colours: \(found.subtracting(known).sorted())")
    }
}
