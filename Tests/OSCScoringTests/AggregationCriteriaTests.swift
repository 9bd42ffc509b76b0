import Testing
@testable import OSCScoring

@Suite("Aggregation verdicts")
struct AggregationCriteriaTests {
    let criteria = AggregationCriteria()

    @Test("A school passes with enough respondents and rwg(j) at the threshold")
    func passesAtThreshold() {
        #expect(criteria.verdict(respondents: 3, rwgJ: 0.70) == SchoolVerdict(aggregate: true, reasons: []))
    }

    @Test("Too few respondents, low agreement and missing rwg(j) each fail with their reason", arguments: [
        (2, 0.9 as Double?, ["fewRespondents"]),
        (10, 0.6999, ["lowAgreement"]),
        (10, nil, ["agreementNotComputable"]),
        (1, nil, ["fewRespondents", "agreementNotComputable"]),
    ])
    func failures(n: Int, rwgJ: Double?, codes: [String]) {
        let verdict = criteria.verdict(respondents: n, rwgJ: rwgJ)
        #expect(!verdict.aggregate)
        #expect(verdict.reasons.map(\.code) == codes)
    }

    @Test("Failure messages quote the value and the setting of the threshold, by its library name or its option")
    func messages() {
        let reasons = criteria.verdict(respondents: 2, rwgJ: 0.655).reasons
        #expect(reasons.map(\.message) == [
            "2 respondents with a score, fewer than 3 (minRespondents)",
            "rwg(j) 0.66 is below 0.70 (rwgThreshold)",
        ])
        #expect(reasons.map { $0.message(.commandLine) } == [
            "2 respondents with a score, fewer than 3 (--min-respondents)",
            "rwg(j) 0.66 is below 0.70 (--rwg-threshold)",
        ])
        #expect(reasons.map(\.setting) == [.minRespondents, .rwgThreshold])
        #expect(Setting.allCases.allSatisfy { SettingNames.commandLine.name($0).hasPrefix("--") && SettingNames.library.name($0) == $0.rawValue })
        #expect(SettingNames.commandLine.name(.icc2Threshold) == "--icc2-threshold")
    }

    func icc(icc1: Double, icc2: Double, p: Double) -> OneWayANOVAICC {
        OneWayANOVAICC(icc1: icc1, icc2: icc2, icc1Lower: 0, icc1Upper: 1, f: 1 / (1 - icc2), df1: 9, df2: 90, p: p,
                       meanSquareBetween: 1, meanSquareWithin: 1, k: 10, groups: 10, n: 100, icc2Lower: 0, icc2Upper: 1)
    }

    @Test("Aggregation is justified when ICC(1) > 0, p < alpha and ICC(2) ≥ the threshold")
    func levelJustified() {
        let v = criteria.verdict(icc: icc(icc1: 0.2, icc2: 0.70, p: 0.049))
        #expect(v.justified && v.icc1Positive && v.fSignificant && v.icc2Reliable && v.reasons.isEmpty)
    }

    @Test("Each failed criterion of the level verdict is named", arguments: [
        (0.0, 0.8, 0.01, ["icc1NotPositive"]),
        (0.1, 0.8, 0.05, ["fNotSignificant"]),
        (0.1, 0.6999, 0.01, ["icc2Low"]),
        (-0.05, 0.2, 0.6, ["icc1NotPositive", "fNotSignificant", "icc2Low"]),
    ])
    func levelFailures(icc1: Double, icc2: Double, p: Double, codes: [String]) {
        let v = criteria.verdict(icc: icc(icc1: icc1, icc2: icc2, p: p))
        #expect(!v.justified)
        #expect(v.reasons.map(\.code) == codes)
    }

    @Test("No ANOVA means no justification")
    func levelWithoutICC() {
        #expect(criteria.verdict(icc: nil).reasons.map(\.code) == ["iccNotComputable"])
    }

    @Test("Authority aggregates leave out failing schools unless told to include all")
    func authoritiesUseSchoolsThatPass() throws {
        // S1: 3 respondents in close agreement; S2: 2 respondents (too few).
        let header = "respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n"
        let csv = header + "r1,S1,A,4,2,4,4\nr2,S1,A,4,2,4,4\nr3,S1,A,5,1,4,4\nr4,S2,A,1,5,1,1\nr5,S2,A,1,5,1,1\n"
        let table = try Fixture.read(csv)
        let strict = try ScoringReport(table: table)
        #expect(strict.schools[0].scores[0].aggregate)
        #expect(strict.schools[1].scores[0].verdict.reasons.map(\.code) == ["fewRespondents"])
        let a = strict.authorities[0].scores[0]
        #expect(a.includedSchools == [0] && a.excludedSchools == [1])
        #expect(a.schools == 1 && a.n == 3)
        #expect(a.mean == strict.schools[0].scores[0].mean)
        let all = try ScoringReport(table: table, criteria: AggregationCriteria(includeAllSchools: true)).authorities[0].scores[0]
        #expect(all.includedSchools == [0, 1] && all.excludedSchools.isEmpty && all.n == 5)
    }

    @Test("Fixed decimals round half away from zero and keep the sign", arguments: [
        (2.875, 2, "2.88"), (-0.054, 2, "-0.05"), (3, 2, "3.00"), (-0.004, 2, "0.00"), (0.0495, 3, "0.050"), (12.5, 0, "13"),
    ])
    func fixedDecimals(x: Double, places: Int, text: String) {
        #expect(DecimalText.fixed(x, places: places) == text)
    }

    @Test("Fixed decimals of a number too large for its decimals give its shortest form instead of a trap", arguments: [
        (-6e51, 1, "-6e+51"), (1e300, 2, "1e+300"), (9.3e18, 0, "9.3e+18"), (0x1p53, 0, "9007199254740992"), (0x1p62, 0, "4611686018427387904"),
        (0x1p53 - 1, 0, "9007199254740991"),
    ])
    func fixedDecimalsOfHugeNumbers(x: Double, places: Int, text: String) {
        #expect(DecimalText.fixed(x, places: places) == text)
    }
}
