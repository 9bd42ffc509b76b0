// Instruments shipped inside the library (generated from Scales/ by Scales/embed.sh).

/// The instrument definitions shipped with osc-score, embedded in the binary.
public enum BundledInstruments {
    /// The ids of the bundled instruments (file names without `.json`).
    public static var ids: [String] { files.map { String($0.name.dropLast(5)) } }

    /// The exact JSON text of a bundled instrument, by id (such as "osc").
    public static func json(id: String) -> String? {
        files.first { $0.name == id + ".json" }.map { $0.json + "\n" }
    }

    /// Loads a bundled instrument by id.
    /// - Throws: `InstrumentFileError` when there is no such instrument.
    public static func instrument(id: String) throws(InstrumentFileError) -> Instrument {
        guard let text = json(id: id) else {
            let hint = NameSuggestion.closest(to: id, in: ids).map { "; did you mean \(QuotedValue.quote($0))?" } ?? ""
            throw InstrumentFileError(source: "bundled instruments", reason: "there is no bundled instrument \(QuotedValue.quote(id)) (bundled: \(ids.joined(separator: ", ")))\(hint)", problem: nil)
        }
        return try Instrument(json: Array(text.utf8), source: "bundled \(id).json")
    }

    /// The OSC structure (domains, dimensions, facets; no licensed key).
    public static func osc() -> Instrument {
        // The bundled file is checked by the tests, so loading cannot fail.
        try! instrument(id: "osc")
    }
}
