import Foundation
import Testing
@testable import OSCScoring

@Suite("Within-group agreement")
struct AgreementTests {
    // MARK: Reference values from R (multilevel 2.7 and explicit pairwise code)

    @Test("every agreement index matches R for every school, scale, rule and null variance")
    func agreementMatchesR() throws {
        let table = try ReferenceTable("agreement.csv")
        let data = [
            "synthetic": try ReferenceResponses("synthetic-responses.csv"),
            "edge": try ReferenceResponses("edge-responses.csv"),
        ]
        var failures: [String] = []
        var compared = 0, undefined = 0
        for row in table.rows {
            let dataset = table.text(row, "dataset"), scale = table.text(row, "scale")
            let statistic = table.text(row, "statistic"), rule = table.text(row, "rule")
            let school = Int(table.value(row, "school"))
            let expected = table.number(row, "value")
            let responses = data[dataset]!
            let actual: Double?
            if statistic == "rwg" {
                let values = zip(responses.school, responses.answers[scale]!).filter { $0.0 == school }.map(\.1)
                actual = Agreement.rwg(values, nullVariance: table.value(row, "parameter"))
            } else {
                let block = responses.block(school: school, items: ReferenceResponses.scales[scale]!)
                let missing = MissingDataRule(rawValue: rule)!
                switch statistic {
                case "rwg.j":
                    actual = Agreement.rwgJ(block, nullVariance: table.value(row, "parameter"), missing: missing)
                case "rwg.j.lindell":
                    actual = Agreement.rwgJStar(block, nullVariance: table.value(row, "parameter"), missing: missing)
                case "awg":
                    actual = Agreement.awg(block, lowest: 1, highest: 5, missing: missing)
                case "ad.mean":
                    actual = Agreement.averageDeviation(block, about: .mean, missing: missing)
                case "ad.median":
                    actual = Agreement.averageDeviation(block, about: .median, missing: missing)
                default:
                    Issue.record("unknown statistic \(statistic)")
                    continue
                }
            }
            compared += 1
            if expected == nil { undefined += 1 }
            let ok: Bool
            switch (actual, expected) {
            case (nil, nil): ok = true
            case let (a?, e?): ok = isClose(a, e, tolerance: 1e-9)
            default: ok = false
            }
            if !ok {
                failures.append("\(dataset) \(scale) \(statistic) \(rule) \(table.text(row, "parameter")) school \(school): \(String(describing: actual)) vs R \(String(describing: expected))")
            }
        }
        #expect(compared > 9000)
        #expect(undefined > 100, "the edge cases must include undefined results")
        #expect(failures.isEmpty, "\(failures.count) of \(compared) differ:\n\(failures.prefix(25).joined(separator: "\n"))")
    }
}
