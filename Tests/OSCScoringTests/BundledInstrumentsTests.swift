import Foundation
import Testing
@testable import OSCScoring

@Suite("Bundled instruments")
struct BundledInstrumentsTests {
    @Test("Every embedded instrument equals its file in Scales/ (run Scales/embed.sh after editing)")
    func embeddedCopiesEqualFiles() throws {
        #expect(!BundledInstruments.ids.isEmpty)
        for id in BundledInstruments.ids {
            let file = try FileInput.readAll(path: Fixture.repositoryRoot + "/Scales/\(id).json")
            #expect(Array(BundledInstruments.json(id: id)!.utf8) == file, "Scales/\(id).json differs from the embedded copy; run Scales/embed.sh")
        }
    }

    @Test("Every file in Scales/ is embedded")
    func everyFileIsEmbedded() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixture.repositoryRoot + "/Scales")
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        #expect(files.contains("osc"))
        #expect(BundledInstruments.ids.sorted() == files)
    }

    @Test("The OSC structure has the published domains, dimensions and facets")
    func oscStructure() {
        let osc = BundledInstruments.osc()
        func children(_ id: String) -> [String] { osc.scales.first { $0.id == id }!.childIDs }
        #expect(osc.scales.filter { $0.level == "domain" }.map(\.id) == ["culture", "climate", "work_attitudes"])
        #expect(children("culture") == ["proficiency", "rigidity", "resistance"])
        #expect(children("climate") == ["engagement", "functionality", "stress"])
        #expect(children("work_attitudes") == ["job_satisfaction", "organisational_commitment"])
        #expect(children("proficiency") == ["responsiveness", "competence"])
        #expect(children("rigidity") == ["centralization", "formalization"])
        #expect(children("resistance") == ["apathy", "suppression"])
        #expect(children("engagement") == ["personalization", "personal_accomplishment"])
        #expect(children("functionality") == ["growth_advancement", "role_clarity", "cooperation"])
        #expect(children("stress") == ["emotional_exhaustion", "role_conflict", "role_overload"])
        #expect(osc.scales.filter(\.isLeaf).count == 16)
        #expect(osc.responseScale == ResponseScale(min: 1, max: 5, labels: ["Not at all", "To a slight extent", "To a moderate extent", "To a great extent", "To a very great extent"]))
        #expect(osc.declaredItemCount == 105)
    }

    @Test("An unknown bundled id suggests the closest")
    func unknownBundledID() {
        #expect(throws: InstrumentFileError.self) { try BundledInstruments.instrument(id: "ocs") }
    }
}
