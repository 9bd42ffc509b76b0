// Stata .dta files through the whole pipeline: each fixture of an
// independent writer (Fixtures/stata, make_fixtures.py) gives the JSON
// report of the CSV of the same data (Fixtures/stata/same-data.csv) outside
// the input section, with its declared missing values counted there and its
// ids, school names and accented text as written.

import Foundation
import Testing
@testable import OSCScoring

@Suite("Stata files as responses")
struct StataDatasetTests {
    static let folder = Fixture.folder + "/stata"
    static let files = ["pyreadstat-117.dta", "pyreadstat-118.dta", "pyreadstat-119.dta",
                        "pandas-117.dta", "pandas-118.dta", "pandas-119.dta",
                        "pandas-117-strl.dta", "pandas-118-strl.dta", "pandas-119-strl.dta",
                        "msf-117.dta", "msf-118.dta", "msf-119.dta", "readstat-118.dta"]

    static func options() -> ReadOptions {
        var options = ReadOptions()
        options.idColumn = "respondent"
        options.requireIDColumn = true
        return options
    }

    static func report(_ file: String, options: ReadOptions = options()) throws -> (ScoringReport, [String: Any]) {
        let (table, delimiter) = try ResponseReader.read(path: folder + "/" + file, instrument: try Fixture.leadership(), options: options)
        let report = try ScoringReport(table: table)
        let context = ReportContext(source: file, readOptions: options, delimiter: delimiter)
        let json = try JSONSerialization.jsonObject(with: Data(report.jsonBytes(context: context))) as! [String: Any]
        return (report, json)
    }

    @Test("Every .dta fixture gives the JSON report of the CSV of the same data, outside the input section", arguments: files)
    func sameReportAsCSV(_ file: String) throws {
        let (_, csv) = try Self.report("same-data.csv")
        let (_, dta) = try Self.report(file)
        #expect(Fixture.comparable(dta) == Fixture.comparable(csv))
    }

    @Test("`.` and `.a` to `.z` are missing answers counted per column, with no finding", arguments: files)
    func declaredMissing(_ file: String) throws {
        let (report, _) = try Self.report(file)
        let facts = try #require(report.table.dataFile)
        // pandas writes every NaN as `.`; pyreadstat, readstat and the MSF writer keep `.a` and `.b`.
        let pandas = file.hasPrefix("pandas")
        #expect(facts.declaredMissing == [
            DeclaredMissingCount(column: "LEAD01", userMissing: 0, systemMissing: 1),
            DeclaredMissingCount(column: "LEAD02", userMissing: pandas ? 0 : 1, systemMissing: pandas ? 1 : 0),
            DeclaredMissingCount(column: "LEAD03", userMissing: pandas ? 0 : 1, systemMissing: pandas ? 2 : 1),
            DeclaredMissingCount(column: "L04", userMissing: pandas ? 0 : 1, systemMissing: pandas ? 1 : 0),
        ])
        // The only findings are the CSV's (schools 1 and 2 are under both authorities): no missing cell is a finding.
        let (csvReport, _) = try Self.report("same-data.csv")
        // (their lines differ: a case's line is its number, a CSV row's is one more for the header)
        #expect(report.input.problems.map { "\($0.kind) \($0.value ?? "")" } == csvReport.input.problems.map { "\($0.kind) \($0.value ?? "")" })
        #expect(report.input.problems.map(\.line) == csvReport.input.problems.map { $0.line - 1 })
        #expect(report.input.problems.map(\.kind) == [.schoolInSeveralAuthorities, .schoolInSeveralAuthorities])
        #expect(report.input.rows == 12)
    }

    @Test("Ids (str# or strL), school names from value labels and accented text come out as written", arguments: files)
    func idsAndLabels(_ file: String) throws {
        let (report, json) = try Self.report(file)
        #expect(report.table.respondentIDs == ["T01", "T02", "T03", "Zoë-04", "T05", "T06", "T07", "T08", "T09", "T10", "Renée-11", "T12"])
        #expect(report.schools.map(\.id).sorted() == ["1", "1", "2", "2", "3"])
        let names = Set(report.schools.map { "\($0.id) \($0.name ?? "-")" })
        #expect(names == ["1 St Mary's Primary", "2 École Sainte-Thérèse", "3 Oakfield Academy"])
        #expect(Set(report.authorities.map(\.id)) == ["LA1", "LA2"])
        let release = ["117", "118", "119"].first { file.contains($0) }!
        #expect(report.table.dataFile?.format == "Stata \(release)")
        #expect(report.table.dataFile?.encoding == (release == "117" ? "windows-1252 (utf-8 where valid)" : "utf-8"))
        let schools = try #require(json["schools"] as? [[String: Any]])
        #expect(schools.contains { $0["id"] as? String == "2" && $0["name"] as? String == "École Sainte-Thérèse" })
    }

    @Test("--encoding reads a 117 file's text in that encoding alone")
    func encodingOverride() throws {
        var options = Self.options()
        options.encoding = "windows-1252"
        let (report, _) = try Self.report("pyreadstat-117.dta", options: options)
        #expect(report.table.respondentIDs[3] == "ZoÃ«-04")
        #expect(report.table.dataFile?.encoding == "windows-1252")
    }

    @Test("A damaged .dta file stops the read with its sentence")
    func damagedFile() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/pandas-118.dta")))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("osc-score-damaged-\(getpid()).dta").path
        try Data(bytes[0..<(bytes.count / 2)]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ResponseReader.read(path: path, instrument: try Fixture.leadership(), options: Self.options())
            Issue.record("a truncated file was read")
        } catch let error as ResponseFileError {
            #expect(error.message.hasPrefix(path + ", byte "), "\(error.message)")
            #expect(error.message.contains("the file is truncated"), "\(error.message)")
        }
    }
}
