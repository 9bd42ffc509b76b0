// Files as survey tools and spreadsheets write them, end to end: each
// fixture made by an independent writer (Fixtures/exports/make.sh: Python's
// csv module, iconv) gives the report of the clean UTF-8 CSV of the same
// data, apart from the input section, and accounts for every row.

import Foundation
import Testing

let exportsFolder = "Tests/OSCScoreCLITests/Fixtures/exports"
let exports = ["--key", "Examples/demo-key.csv"]

@Suite("Survey exports end to end")
struct SurveyExportCLITests {
    /// The JSON report of a run, parsed.
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let run = try Tool.run(exports + arguments + ["--format", "json"])
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    /// The report without what may differ between two files of the same
    /// data: the input section, the delimiter and missing codes in the
    /// settings, and the key's path.
    static func comparable(_ report: [String: Any]) throws -> Data {
        var report = report
        report["input"] = nil
        var settings = report["settings"] as! [String: Any]
        settings["delimiter"] = nil
        settings["missingCodes"] = nil
        report["settings"] = settings
        var instrument = report["instrument"] as! [String: Any]
        instrument["key"] = nil
        report["instrument"] = instrument
        return try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
    }

    @Test("Each export gives the clean CSV's report apart from the input section, with every row accounted for", arguments: [
        (["windows-1252.csv"], "windows-1252", 0, [Int]()),
        (["utf-16le.txt"], "utf-16le", 0, []),
        (["utf-16be.csv"], "utf-16be", 0, []),
        (["excel-semicolon.csv"], "windows-1252", 0, []),
        (["qualtrics-numeric.csv"], "utf-8", 3, [2, 3]),
        (["qualtrics-text.csv"], "utf-8", 3, [2, 3]),
        (["qualtrics-legacy.csv"], "utf-8", 0, [2]),
        (["google-forms.csv", "--key", "\(exportsFolder)/google-forms-key.csv"], "utf-8", 0, []),
        (["spss-nine.csv", "--missing-codes", "NA,9"], "utf-8", 0, []),
        (["clean.xlsx", "--sheet", "Responses"], "utf-8", 0, []),
        (["clean.xlsx", "--sheet", "2"], "utf-8", 0, []),
        (["microsoft-forms.xlsx", "--key", "\(exportsFolder)/google-forms-key.csv"], "utf-8", 0, []),
    ])
    func sameReport(arguments: [String], encoding: String, screened: Int, headerRows: [Int]) throws {
        let clean = try Self.json(["\(exportsFolder)/clean.csv"])
        let export = try Self.json(["\(exportsFolder)/\(arguments[0])"] + arguments.dropFirst())
        #expect(try Self.comparable(export) == Self.comparable(clean), "\(arguments[0])")
        let input = export["input"] as! [String: Any], cleanInput = clean["input"] as! [String: Any]
        #expect(input["encoding"] as? String == encoding)
        #expect(input["headerRowLines"] as? [Int] == headerRows)
        let rows = input["rows"] as! Int, scored = input["scored"] as! Int, excluded = input["excluded"] as! Int
        #expect(rows == scored + excluded && (input["exclusions"] as! [Any]).count == excluded)
        #expect(rows == (cleanInput["rows"] as! Int) + screened && scored == cleanInput["scored"] as! Int)
        let schools = (export["schools"] as! [[String: Any]]).map { $0["id"] as! String }
        #expect(schools.contains("Ecole Ste-Thérèse") && schools.contains("Ecole Ste-Thèrése"))
    }

    @Test("Standard input that is not UTF-8 is read as Windows-1252, and the summary says so")
    func standardInputWindows1252() throws {
        let run = try Tool.shell("printf 'school,LEAD01,LEAD02,LEAD03,L04\\nTh\\351r\\350se,1,5,1,1\\nTh\\350r\\351se,1,5,1,1\\n' | \"$OSC\" --scale Tests/OSCScoreCLITests/Fixtures/lq-demo.json --format csv -")
        #expect(run.status == 0)
        #expect(run.stdout.contains("Thérèse") && run.stdout.contains("Thèrése"))
        #expect(run.stderr.contains("read as windows-1252 because the file is not valid UTF-8"))
    }
}
