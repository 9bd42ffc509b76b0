import Foundation
import Testing
@testable import OSCScoring

/// Degenerate ANOVAs (equal group means, constant groups) and numbers that
/// are not finite: defined results, and outputs that never contain inf or nan.
@Suite("Equal group means, infinite F and numbers that are not finite")
struct NonFiniteOutputTests {
    /// The instrument and data of issue 15: two schools whose means are both
    /// exactly 8/3, which used to make ICC(2) about −1e19 and trap the verdict.
    static let instrument = #"{"id":"t","responseScale":{"min":1,"max":5},"items":[{"id":"a"},{"id":"b"},{"id":"c"}],"scales":[{"id":"s","items":["a","b","c"]}]}"#
    static let equalMeans = "school,a,b,c\nS1,1,2,4\nS1,3,3,2\nS1,3,1,5\nS2,1,1,5\nS2,3,4,3\nS2,4,2,4\nS2,4,1,2\nS2,5,3,3\nS2,2,1,1\nS2,3,2,2\n"

    static func report(_ csv: String) throws -> ScoringReport {
        let instrument = try Instrument(json: Array(Self.instrument.utf8), source: "t.json")
        let table = try ResponseReader.read(Array(csv.utf8), instrument: instrument, options: ReadOptions(), source: "test.csv")
        return try ScoringReport(table: table)
    }

    /// Every output of the report: JSON, the four CSV levels, the long CSV,
    /// the table and Markdown reports.
    static func outputs(_ report: ScoringReport) -> [String: String] {
        let context = ReportContext(source: "test.csv")
        var out = ["json": report.json(context: context, includeRespondents: true).text(),
                   "jsonBytes": String(decoding: report.jsonBytes(context: context, includeRespondents: true), as: UTF8.self),
                   "long": report.csvLong(), "table": report.tableText(context: context), "markdown": report.markdown(context: context)]
        for level in [ReportLevel.respondent, .school, .authority, .scale] { out["csv-\(level)"] = report.csv(level: level) }
        return out
    }

    @Test("Equal school means give F = 0, p = 1, ICC(1) = −1/(k − 1) and an undefined ICC(2), decided from the exact sums")
    func equalMeansAreAnExactZero() throws {
        let report = try Self.report(Self.equalMeans)
        let icc = try #require(report.statistics.icc[0].school)
        // k = 10/2 = 5: ICC(1) = −MSW / ((k − 1) MSW) = −0.25 exactly.
        #expect(icc.meanSquareBetween == 0 && icc.f == 0 && icc.p == 1)
        #expect(icc.icc1 == -0.25 && icc.icc1Lower == -0.25 && icc.icc1Upper == -0.25)
        #expect(icc.icc2 == -.infinity)
        #expect(icc.meanSquareWithin > 0)
        let verdict = report.schoolLevelVerdicts[0]
        #expect(!verdict.justified && !verdict.icc1Positive && !verdict.fSignificant && !verdict.icc2Reliable)
        #expect(verdict.reasons.map(\.code) == ["icc1NotPositive", "fNotSignificant", "icc2Low"])
        #expect(verdict.reasons[2].message.contains("not defined because every group has the same mean"))
    }

    @Test("Means equal up to rounding (scores as doubles) also give F = 0; means that differ by one answer do not")
    func equalMeansFromDoubles() throws {
        // 1/3 + 1/3 + 1/3 in one group against 1/3 three times summed differently.
        let third = 1.0 / 3.0
        let scores = [third * 7, third * 8, third * 9, third * 8, third * 8, third * 8, third * 7, third * 9, third * 9, third * 7]
        let groups = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
        let icc = try #require(IntraclassCorrelation.oneWay(scores: scores, groups: groups))
        #expect(icc.f == 0 && icc.p == 1 && icc.icc2 == -.infinity)
        // One answer more in one group (1/3 of an answer on one score): a real difference.
        var shifted = scores
        shifted[0] += third
        let real = try #require(IntraclassCorrelation.oneWay(scores: shifted, groups: groups))
        #expect(real.f > 0 && real.icc2.isFinite)
    }

    @Test("Identical answers within every school give F = infinity, ICC(1) = ICC(2) = 1 and p = 0")
    func constantGroupsGiveInfiniteF() throws {
        let report = try Self.report("school,a,b,c\nS1,1,2,4\nS1,1,2,4\nS1,1,2,4\nS2,5,5,5\nS2,5,5,5\nS2,5,5,5\n")
        let icc = try #require(report.statistics.icc[0].school)
        #expect(icc.f == .infinity && icc.icc1 == 1 && icc.icc2 == 1 && icc.p == 0)
        let table = Self.outputs(report)["table"]!
        #expect(table.contains("F is infinite (shown as –) because within every group all scores are equal"))
    }

    @Test("No output contains inf or nan; JSON parses, with null for the undefined ICC(2) and the infinite F")
    func outputsStayValid() throws {
        for csv in [Self.equalMeans, "school,a,b,c\nS1,1,2,4\nS1,1,2,4\nS1,1,2,4\nS2,5,5,5\nS2,5,5,5\nS2,5,5,5\n"] {
            let report = try Self.report(csv)
            // "inf" or "nan" as a word of its own (not "infinite").
            let word = try Regex("(?i)(^|[^a-z])(inf|infinity|nan)([^a-z]|$)")
            for (name, text) in Self.outputs(report) {
                #expect(text.firstMatch(of: word) == nil, "\(name) contains a number that is not finite")
            }
            let outputs = Self.outputs(report)
            #expect(outputs["json"] == outputs["jsonBytes"])
            let parsed = try JSONSerialization.jsonObject(with: Data(outputs["json"]!.utf8)) as? [String: Any]
            let scale = try #require((parsed?["scales"] as? [[String: Any]])?.first)
            let school = try #require((scale["icc"] as? [String: Any])?["school"] as? [String: Any])
            let icc = try #require(report.statistics.icc[0].school)
            if icc.f == 0 { #expect(school["icc2"] is NSNull && (school["f"] as? Double) == 0) }
            if icc.f == .infinity { #expect(school["f"] is NSNull && (school["icc2"] as? Double) == 1) }
        }
    }

    @Test("The JSON writer writes null for any value that is not finite, also through the plain number case")
    func jsonNumbersAreGuarded() {
        let value = JSONValue.array([.number(.infinity), .number(-.infinity), .number(.nan), .number(1.5), .number(Double?.none)])
        #expect(value.text() == "[null, null, null, 1.5, null]")
        var cell: [UInt8] = []
        JSONValue.appendNumber(.nan, to: &cell, nonFinite: "")
        #expect(cell.isEmpty)
        #expect(ScoringReport.cell(.infinity) == "" && ScoringReport.cell(-.infinity) == "")
    }

    @Test("Fixed-decimal and shortest text are total: any Double formats without trapping")
    func decimalTextIsTotal() {
        #expect(DecimalText.fixed(2.875, places: 2) == "2.88")
        #expect(DecimalText.fixed(-0.049, places: 2) == "-0.05")
        #expect(DecimalText.fixed(-0.001, places: 2) == "0.00")
        #expect(DecimalText.fixed(3, places: 0) == "3")
        #expect(DecimalText.fixed(-1.3e19, places: 2) == "-1.3e+19")
        #expect(DecimalText.fixed(9.3e16, places: 2) == "9.3e+16")
        #expect(DecimalText.fixed(9.1e16, places: 2) == "91000000000000000.00")
        #expect(DecimalText.fixed(.greatestFiniteMagnitude, places: 3) == "\(Double.greatestFiniteMagnitude)")
        #expect(DecimalText.fixed(.leastNonzeroMagnitude, places: 2) == "0.00")
        #expect(DecimalText.fixed(0.5, places: 40) == "0.500000000000000")
        #expect(DecimalText.fixed(1, places: -3) == "1")
        #expect(DecimalText.fixed(.infinity, places: 2) == "∞")
        #expect(DecimalText.fixed(-.infinity, places: 2) == "−∞")
        #expect(DecimalText.fixed(.nan, places: 2) == "–")
        #expect(DecimalText.shortest(-.infinity) == "−∞" && DecimalText.shortest(.nan) == "–")
        #expect(DecimalText.shortest(1e300) == "1e+300" && DecimalText.shortest(-2) == "-2")
        #expect(ScoringReport.readable(.infinity) == "–" && ScoringReport.readableP(.nan) == "–")
    }
}
