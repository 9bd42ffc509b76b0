import Testing
import OSCScoring

@Suite("Missing-data rule")
struct MissingDataRuleTests {
    @Test("missing-data rules, AD centres and null shapes read their raw values")
    func rawValues() {
        #expect(MissingDataRule(rawValue: "pairwise") == .pairwise)
        #expect(MissingDataRule(rawValue: "listwise") == .listwise)
        #expect(MissingDataRule(rawValue: "complete") == nil)
        #expect(ADCentre(rawValue: "median") == .median)
        #expect(NullDistribution(rawValue: "moderate") == .moderate)
    }
}
