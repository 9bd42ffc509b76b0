import Foundation
import Testing
@testable import OSCScoring

/// Random group resampling in every format, and the key's origin in the reports.
@Suite("Random group resampling and the key's origin in the reports")
struct RGRReportingTests {
    static let instrument = #"{"id":"t","responseScale":{"min":1,"max":5},"items":[{"id":"a"},{"id":"b"}],"scales":[{"id":"s","items":["a","b"]}]}"#
    /// Two schools that agree within and differ between: agreement above chance.
    static let agreeing = "school,a,b\nS1,1,1\nS1,1,2\nS1,2,1\nS1,1,1\nS2,5,5\nS2,5,4\nS2,4,5\nS2,5,5\n"

    static func report(_ csv: String, criteria: AggregationCriteria = AggregationCriteria()) throws -> ScoringReport {
        let instrument = try Instrument(json: Array(Self.instrument.utf8), source: "t.json")
        let table = try ResponseReader.read(Array(csv.utf8), instrument: instrument, options: ReadOptions(), source: "test.csv")
        return try ScoringReport(table: table, statistics: StatisticsOptions(rgrReplications: 50, seed: 3), criteria: criteria)
    }

    @Test("Agreement is above chance exactly when the one-tailed p = Φ(z) is below the significance level")
    func aboveChanceFollowsP() throws {
        let report = try Self.report(Self.agreeing)
        let rgr = try #require(report.statistics.icc[0].schoolRGR)
        let z = try #require(rgr.z)
        let p = try #require(ScoringReport.rgrP(rgr))
        #expect(z < 0 && p == NormalDistribution.cdf(z))
        #expect(p < 0.05 && report.rgrAboveChance(rgr))
        var strict = AggregationCriteria()
        strict.alphaLevel = p / 2
        #expect(!(try Self.report(Self.agreeing, criteria: strict)).rgrAboveChance(rgr))
    }

    @Test("The table, Markdown, CSV (scale level and long) and JSON all carry the resampling with the same values")
    func everyFormat() throws {
        let report = try Self.report(Self.agreeing)
        let rgr = try #require(report.statistics.icc[0].schoolRGR)
        let context = ReportContext(source: "test.csv")
        #expect(report.tableText(context: context).contains("Random group resampling (50 replications, seed 3"))
        #expect(report.markdown(context: context).contains("| school | s | 2 |"))
        let csv = report.csv(level: .scale).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let z = try #require(csv[0].firstIndex(of: "school_rgr_z")), above = try #require(csv[0].firstIndex(of: "school_rgr_aboveChance"))
        #expect(Double(csv[1][z]) == rgr.z && csv[1][above] == "1")
        #expect(report.csvLong().contains("sample,all,,s,schoolRgrAboveChance,1\n"))
        let json = report.json(context: context, includeRespondents: false).text()
        #expect(json.contains("\"aboveChance\": true"))
        // Without --rgr nothing is added.
        let plain = try ScoringReport(table: report.table)
        #expect(!plain.tableText(context: context).contains("Random group resampling") && !plain.csv(level: .scale).contains("rgr"))
    }

    @Test("JSON instrument.keySource and the readable header say where the key came from")
    func keyOrigin() throws {
        let report = try Self.report(Self.agreeing)
        for origin in KeyOrigin.allCases {
            let context = ReportContext(source: "test.csv", keySource: "/k/key.csv", keyOrigin: origin)
            #expect(report.json(context: context, includeRespondents: false).text().contains("\"key\": \"/k/key.csv\", \"keySource\": \"\(origin.rawValue)\""))
            #expect(report.summaryLines(context: context)[1] == "Scoring key: /k/key.csv, \(origin.label)")
        }
        let none = report.json(context: ReportContext(source: "test.csv"), includeRespondents: false).text()
        #expect(none.contains("\"key\": null, \"keySource\": null"))
    }
}
