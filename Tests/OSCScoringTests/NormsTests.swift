import Testing
@testable import OSCScoring

@Suite("Norms, T-scores and profiles")
struct NormsTests {
    func load(_ json: String, instrument: Instrument? = nil) throws -> Norms {
        try Norms(json: Fixture.bytes(json), source: "norms.json", instrument: instrument ?? Fixture.leadership())
    }

    func problem(_ json: String) -> String? {
        do { _ = try load(json); return nil } catch { return "\(error)" }
    }

    @Test("A norms file loads with its description, citation, level and scales")
    func loads() throws {
        let norms = try load(#"{"instrument": "lq-demo", "description": "d", "citation": "c", "level": "respondent", "scales": {"leadership": {"mean": 3.5, "sd": 0.5}}}"#)
        #expect(norms.level == .respondent && norms.description == "d" && norms.citation == "c")
        #expect(norms.scales == ["leadership": ScaleNorm(mean: 3.5, sd: 0.5)])
    }

    @Test("Loading errors name the file and the entry", arguments: [
        (#"{"instrument": "osc", "level": "organisation", "scales": {"leadership": {"mean": 3, "sd": 1}}}"#,
         "norms.json, instrument: the norms are for instrument 'osc' but the scores are for 'lq-demo'; use norms made for 'lq-demo'."),
        (#"{"instrument": "lq-demo", "level": "organisation", "scales": {"leadershp": {"mean": 3, "sd": 1}}}"#,
         "norms.json, scales.leadershp: 'leadershp' is not a scale of 'lq-demo'; did you mean 'leadership'?"),
        (#"{"instrument": "lq-demo", "level": "organisation", "scales": {"support": {"mean": 3, "sd": 0}}}"#,
         "norms.json, scales.support.sd: the normative SD must be a positive number."),
        (#"{"instrument": "lq-demo", "level": "organisation", "scales": {"support": {"sd": 1}}}"#,
         "norms.json, scales.support.mean: a numeric normative mean is needed."),
        (#"{"instrument": "lq-demo", "level": "school", "scales": {"support": {"mean": 3, "sd": 1}}}"#,
         "norms.json, level: level is 'school'; write \"organisation\" (norms of organisations' means) or \"respondent\" (norms of individual staff)."),
        (#"{"instrument": "lq-demo", "level": "organisation", "scales": {}}"#,
         "norms.json, scales: no scale has norms; give at least one scale's mean and sd."),
        ("{\"instrument\": \"lq-demo\",\n \"level\" \"organisation\"}",
         "norms.json: invalid JSON at line 2, column 10: expected ':' after the member name 'level', found '\"'."),
    ])
    func errors(json: String, message: String) {
        #expect(problem(json) == message)
    }

    @Test("T-scores and percentiles follow t = 50 + 10 z and 100 Φ(z) (hand-computed)", arguments: [
        (3.9, 60.0, 84.13447460685429),   // z = 1: pnorm(1) = 0.8413447460685429
        (3.6, 50.0, 50.0),
        (3.0, 30.0, 2.275013194817921),   // z = -2: pnorm(-2)
        (4.38, 76.0, 99.53388119762813),  // z = 2.6: pnorm(2.6)
    ])
    func tScores(x: Double, t: Double, percentile: Double) {
        let score = ScaleNorm(mean: 3.6, sd: 0.3).score(x)
        #expect(abs(score.t - t) < 1e-12)
        #expect(abs(score.percentile - percentile) < 1e-12)
    }

    let culture = Profile(id: "culture", scales: [.init(scale: "proficiency", favourable: .high), .init(scale: "rigidity", favourable: .low)])

    @Test("Profiles: best when every scale is favourable, worst when every scale is not, average otherwise", arguments: [
        ([50.01, 49.99], ProfileClass.best),
        ([49.99, 50.01], .worst),
        ([50.0, 40.0], .average),    // exactly at the cut-off is at the norm
        ([60.0, 50.0], .average),
        ([60.0, 60.0], .average),
        ([40.0, 40.0], .average),
    ])
    func classes(t: [Double], expected: ProfileClass) {
        #expect(culture.classify(t)?.profileClass == expected)
    }

    @Test("With a band, T within cut-off ± band is at the norm; just beyond it counts", arguments: [
        ([55.0, 45.0], ProfileClass.average),
        ([55.001, 44.999], .best),
        ([44.999, 55.001], .worst),
        ([54.999, 30.0], .average),
    ])
    func band(t: [Double], expected: ProfileClass) {
        let banded = Profile(id: "c", scales: culture.scales, cutoff: 50, band: 5)
        #expect(banded.classify(t)?.profileClass == expected)
    }

    @Test("A profile reason names the scale, its T and its side")
    func reasons() {
        #expect(culture.classify([56.24, 50])?.reasons == [
            "proficiency T 56.2 is above 50 (favourable: high)",
            "rigidity T 50.0 is at the norm (50)",
        ])
    }

    @Test("A missing T-score gives no profile")
    func missingT() {
        #expect(culture.classify([55, nil]) == nil)
    }

    @Test("The OSC defines the culture and climate profiles of the published papers")
    func oscProfiles() {
        let osc = BundledInstruments.osc()
        #expect(osc.profiles.map(\.id) == ["culture", "climate"])
        #expect(osc.profiles[0].scales == [.init(scale: "proficiency", favourable: .high), .init(scale: "rigidity", favourable: .low), .init(scale: "resistance", favourable: .low)])
        #expect(osc.profiles[1].scales == [.init(scale: "engagement", favourable: .high), .init(scale: "functionality", favourable: .high), .init(scale: "stress", favourable: .low)])
        #expect(osc.profiles.allSatisfy { $0.cutoff == 50 && $0.band == 0 })
    }

    @Test("Sample-relative T-scores use the mean and SD (n − 1) of the school means (known means 2, 3, 4)")
    func sampleRelative() throws {
        // leadership scores (L02 reversed): S1 = 2, S2 = 3, S3 = 4 → mean 3, SD 1.
        let csv = "school,authority,LEAD01,LEAD02,LEAD03,L04\nS1,A,2,4,1,1\nS1,A,2,4,1,1\nS1,A,2,4,1,1\nS2,A,3,3,1,1\nS2,A,3,3,1,1\nS2,A,3,3,1,1\nS3,B,4,2,1,1\nS3,B,4,2,1,1\nS3,B,4,2,1,1\n"
        let report = try ScoringReport(table: Fixture.read(csv), norms: .sample)
        let reference = try #require(report.normReferenced)
        #expect(reference.schoolNorms["leadership"] == ScaleNorm(mean: 3, sd: 1))
        #expect(reference.school.map { $0[0]?.t } == [40, 50, 60])
        // Authorities A (mean of 2 and 3 = 2.5) and B (4): mean 3.25, SD √1.125.
        let sd = (1.125).squareRoot()
        #expect(abs(reference.authority[0][0]!.t - (50 + 10 * (2.5 - 3.25) / sd)) < 1e-12)
        // support is constant (1) in every school: no SD, so no sample-relative T.
        #expect(reference.schoolNorms["support"] == nil)
        #expect(reference.school[0][1] == nil)
    }

    @Test("Norms far from the data give T-scores beyond Int's range, which the readable reports write without a trap (found by Fuzz/)")
    func hugeTScores() throws {
        let norms = try load(#"{"instrument": "lq-demo", "level": "organisation", "scales": {"climate": {"mean": 3.0e50, "sd": 0.5}}}"#)
        let report = try ScoringReport(table: Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nS1,1,2,3,4\nS1,2,2,3,3\n"), norms: .table(norms))
        let t = try #require(report.normReferenced?.school[0][2]?.t)
        #expect(t == 50 + 10 * (try #require(report.schools[0].scores[2].mean) - 3.0e50) / 0.5)
        #expect(report.tableText(context: ReportContext(source: "x")).contains("-6e+51"))
        #expect(report.markdown(context: ReportContext(source: "x")).contains("-6e+51"))
    }

    @Test("Without norms there are no T-scores")
    func withoutNorms() throws {
        let report = try ScoringReport(table: Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nS1,1,2,3,4\n"))
        #expect(report.normReferenced == nil)
        let json = report.json(context: ReportContext(source: "x")).text()
        #expect(!json.contains("\"t\":"))
        #expect(json.contains("\"norms\": null"))
    }

    @Test("Profile definitions are checked when the instrument loads")
    func profileValidation() {
        func load(_ profiles: String) -> String? {
            let json = #"{"id": "p", "responseScale": {"min": 1, "max": 5}, "items": [{"id": "a"}], "scales": [{"id": "s", "items": ["a"]}], "profiles": \#(profiles)}"#
            do { _ = try Instrument(json: Fixture.bytes(json), source: "p.json"); return nil } catch { return error.description }
        }
        #expect(load(#"[{"id": "x", "scales": [{"scale": "t", "favourable": "high"}]}]"#) == "p.json: profile 'x' reads unknown scale 't'; did you mean 's'?")
        #expect(load(#"[{"id": "x", "scales": [{"scale": "s", "favourable": "up"}]}]"#) == "p.json: \"favourable\" in profiles[0].scales[0] is 'up'; write \"high\" or \"low\".")
        #expect(load(#"[{"id": "x", "scales": []}]"#) == "p.json: profile 'x' reads no scales; list at least one scale with its favourable direction.")
        #expect(load(#"[{"id": "x", "band": -1, "scales": [{"scale": "s", "favourable": "low"}]}]"#)?.contains("cannot be negative") == true)
        #expect(load(#"[{"id": "x", "scales": [{"scale": "s", "favourable": "low"}]}, {"id": "x", "scales": [{"scale": "s", "favourable": "low"}]}]"#)?.contains("used more than once") == true)
        #expect(load(#"[{"id": "x", "cutoff": 60, "band": 2.5, "scales": [{"scale": "s", "favourable": "low"}]}]"#) == nil)
    }

    @Test("A norms entry giving sd twice is refused with its line, not read as the first")
    func duplicateSD() {
        #expect(problem("{\"instrument\": \"lq-demo\", \"level\": \"organisation\",\n \"scales\": {\"support\": {\"mean\": 3, \"sd\": 1,\n   \"sd\": 0.5}}}")
                == "norms.json: invalid JSON at line 3, column 4: the member 'sd' appears twice in one object (first on line 2); keep one.")
    }

    @Test("A megabyte-long scale name is quoted in 60 characters with its length")
    func longScaleNameIsCut() throws {
        let long = String(repeating: "z", count: 1 << 20)
        let message = try #require(problem(#"{"instrument": "lq-demo", "level": "organisation", "scales": {"\#(long)": {"mean": 3, "sd": 1}}}"#))
        let quoted = "'\(String(repeating: "z", count: 60))…' (1,048,576 characters)"
        #expect(message == "norms.json, scales.\(quoted): \(quoted) is not a scale of 'lq-demo'; give norms only for the instrument's scales.")
    }
}
