// The favourable direction of each scale as instrument data, and the
// "In brief" sentences read from a report.

import Testing
@testable import OSCScoring

@Suite("Favourable direction and In brief")
struct InBriefTests {
    static func exampleTable() throws -> ResponseTable {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        return try ResponseReader.read(path: root + "/Examples/synthetic-responses.csv", instrument: instrument).table
    }

    static func normed(_ table: ResponseTable, criteria: AggregationCriteria = AggregationCriteria()) throws -> ScoringReport {
        let norms = try Norms(contentsOf: Fixture.repositoryRoot + "/Examples/demo-norms.json", instrument: table.instrument)
        return try ScoringReport(table: table, criteria: criteria, norms: .table(norms))
    }

    func instrument(_ scale: String) throws(InstrumentFileError) -> Instrument {
        try Instrument(json: Fixture.bytes(#"{"id": "t", "responseScale": {"min": 1, "max": 5}, "items": [{"id": "A"}], "scales": [\#(scale)]}"#), source: "t.json")
    }

    @Test("A scale's favourable direction is read from the instrument file, and absent means unsaid")
    func favourableIsRead() throws {
        #expect(try instrument(#"{"id": "s", "items": ["A"], "favourable": "high"}"#).scales[0].favourable == .high)
        #expect(try instrument(#"{"id": "s", "items": ["A"], "favourable": "low"}"#).scales[0].favourable == .low)
        #expect(try instrument(#"{"id": "s", "items": ["A"]}"#).scales[0].favourable == nil)
    }

    @Test("Any other favourable direction is refused with the scale's path and the fix")
    func otherDirectionsAreRefused() {
        #expect(throws: InstrumentFileError.self) { try instrument(#"{"id": "s", "items": ["A"], "favourable": "up"}"#) }
        do {
            _ = try instrument(#"{"id": "s", "items": ["A"], "favourable": "High"}"#)
        } catch {
            #expect(error.description == #"t.json: "favourable" in scales[0] is 'High'; write "high" (a high score is favourable) or "low", or leave it out."#)
        }
        do {
            _ = try instrument(#"{"id": "s", "items": ["A"], "favourable": 1}"#)
        } catch {
            #expect(error.description.contains("must be a string"))
        }
    }

    @Test("A profile that reads a scale against its declared direction is refused")
    func profileMustAgree() {
        let text = #"{"id": "t", "responseScale": {"min": 1, "max": 5}, "items": [{"id": "A"}], "scales": [{"id": "s", "items": ["A"], "favourable": "low"}], "profiles": [{"id": "p", "scales": [{"scale": "s", "favourable": "high"}]}]}"#
        do {
            _ = try Instrument(json: Fixture.bytes(text), source: "t.json")
            Issue.record("accepted")
        } catch {
            #expect(error.problem == .profileDirectionConflict(profile: "p", scale: "s", profileDirection: .high, scaleDirection: .low))
            #expect(error.description == #"t.json: profile 'p' reads scale 's' as favourable 'high' but the scale declares "favourable": 'low'; make the two agree."#)
        }
    }

    @Test("The OSC sets the published directions on its eight dimensions, and keeps them when a key is applied")
    func oscDirections() throws {
        let osc = try BundledInstruments.osc().applying(ScoringKey(contentsOf: Fixture.repositoryRoot + "/Examples/demo-key.csv"))
        let directions = Dictionary(uniqueKeysWithValues: osc.scales.map { ($0.id, $0.favourable) })
        for id in ["proficiency", "engagement", "functionality", "job_satisfaction", "organisational_commitment"] { #expect(directions[id] == .high, "\(id)") }
        for id in ["rigidity", "resistance", "stress"] { #expect(directions[id] == .low, "\(id)") }
        #expect(directions["culture"] == .some(nil) && directions["responsiveness"] == .some(nil))
    }

    @Test("In brief names the scales schools cannot be told apart on, with ICC(2), and those they can")
    func inBriefLevels() throws {
        let report = try ScoringReport(table: Self.exampleTable())
        let lines = report.inBrief(context: ReportContext())
        #expect(lines[0].hasPrefix("Schools differ reliably on Proficiency, Resistance, Engagement, Functionality, Job satisfaction and Organisational commitment"))
        #expect(lines[1] == "Schools cannot be told apart reliably on Rigidity (ICC(2) 0.65) and Stress (ICC(2) 0.67), so their school means on these scales should not be compared (0.70 is the usual minimum ICC(2)).")
        #expect(lines[2].hasPrefix("Authorities cannot be told apart reliably on Engagement (ICC(2) 0.68)"))
        #expect(lines[3].hasPrefix("2 of 52 schools have a mean that cannot stand for their staff on at least one scale: 1 has fewer than 3 respondents and in 1 the staff disagree too much"))
        #expect(lines.last == "Data quality: 873 of 874 rows scored; 1 row was not scored (no usable answers), 5 answers were not on the answer scale and counted as missing and 1 scored row has no school (see Data quality).")
        // No school is named: the sentences can go to every school.
        for school in report.schools { #expect(!lines.joined().contains(school.id)) }
    }

    @Test("In brief gives the strongest and weakest dimension by favourable direction against the norms")
    func inBriefAgainstNorms() throws {
        let report = try Self.normed(Self.exampleTable())
        let line = try #require(report.inBrief().first { $0.hasPrefix("Against the norms") })
        // The average over schools whose mean can stand, placed against the norm, per dimension;
        // the most favourable: T − 50 for "high", 50 − T for "low".
        let norms = try Norms(contentsOf: Fixture.repositoryRoot + "/Examples/demo-norms.json", instrument: report.instrument)
        var favourability: [(String, Double, Double)] = []
        for s in report.instrument.summaryScaleIndices {
            let scale = report.instrument.scales[s]
            let means = report.schools.filter { $0.scores[s].aggregate }.compactMap { $0.scores[s].mean }
            let t = norms.scales[scale.id]!.score(means.reduce(0, +) / Double(means.count)).t
            favourability.append((scale.name, scale.favourable == .high ? t - 50 : 50 - t, t))
        }
        let best = favourability.max { $0.1 < $1.1 }!, worst = favourability.min { $0.1 < $1.1 }!
        #expect(line.contains("strongest on \(best.0) (T \(DecimalText.fixed(best.2, places: 1));"))
        #expect(line.contains("weakest on \(worst.0) (T \(DecimalText.fixed(worst.2, places: 1));"))
    }

    @Test("A scale without a favourable direction is described neutrally")
    func inBriefNeutral() throws {
        let table = try Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nA,1,2,3,4\nA,2,2,3,3\nA,1,1,4,4\nB,4,4,1,2\nB,5,4,2,1\nB,4,5,1,1\n")
        let lines = try ScoringReport(table: table).inBrief()
        let line = try #require(lines.first { $0.hasPrefix("On the answer scale") })
        #expect(line.contains("highest on") && line.contains("lowest on") && !line.contains("favourable"))
    }

    @Test("Every school passing is said plainly, and a clean file in one line")
    func inBriefAllGood() throws {
        // LEAD02 is reverse-keyed: every item runs with its scale, so the key raises no finding either.
        let table = try Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nA,1,5,1,1\nA,1,5,1,1\nA,1,5,1,1\nB,4,2,4,4\nB,4,2,4,4\nB,4,2,4,4\n")
        let lines = try ScoringReport(table: table).inBrief()
        #expect(lines.contains("Every school's mean can stand for its staff on every scale (at least 3 respondents and staff who agree, rwg(j) 0.70 or more)."))
        #expect(lines.last == "Data quality: 6 of 6 rows scored, no problems found.")
    }

    @Test("Findings that the key may be wrong reach the data-quality line")
    func inBriefKeying() throws {
        // LEAD03 runs against L04 in 'support' (and against the rest of 'climate').
        let table = try Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nA,1,5,4,1\nA,2,4,5,2\nA,1,5,4,1\nB,4,2,1,4\nB,5,1,2,5\nB,4,2,1,4\n")
        let report = try ScoringReport(table: table)
        #expect(!report.keyFindings.isEmpty)
        let line = try #require(report.inBrief().last)
        #expect(line.hasPrefix("Data quality: 6 of 6 rows scored; "))
        #expect(line.contains("\(report.keyFindings.count) finding\(report.keyFindings.count == 1 ? "" : "s") that the scoring key may be wrong"))
    }
}
