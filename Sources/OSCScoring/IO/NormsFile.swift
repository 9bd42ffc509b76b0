// Reading a norms file: the normative mean and SD of each scale (JSON).

/// A norms file that cannot be used, naming the file and the entry at fault.
public struct NormsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The norms file: its path, or the `source` name given with its bytes.
    public let source: String
    /// The entry at fault ("scales.stress.sd"), when there is one.
    public let entry: String?
    /// What is wrong and how to fix it, as a clause without the file and entry.
    public let reason: String

    /// One sentence: the file, the entry when there is one, and the reason.
    public var description: String { Sentence.ended("\(source)\(entry.map { ", \($0)" } ?? ""): \(reason)") }
}

extension Norms {
    /// Reads and checks a norms file for `instrument`.
    ///
    /// ```json
    /// {"instrument": "osc", "description": "...", "citation": "...", "level": "organisation",
    ///  "scales": {"proficiency": {"mean": 3.61, "sd": 0.29}, "stress": {"mean": 2.40, "sd": 0.31}}}
    /// ```
    /// `instrument` must equal the instrument's id; `level` is `organisation`
    /// or `respondent`; every scale named must exist in the instrument and
    /// have a numeric mean and a positive SD. `description` and `citation`
    /// are optional; other members are ignored.
    /// - Throws: `NormsFileError` naming the file and the entry.
    public init(json bytes: [UInt8], source: String, instrument: Instrument) throws(NormsFileError) {
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw NormsFileError(source: source, entry: nil, reason: "invalid JSON at line \(error.line), column \(error.column): \(error.reason)")
        }
        let reader = JSONMemberReader { NormsFileError(source: source, entry: nil, reason: $0) }
        let id = try reader.string(root, "instrument", at: "")
        guard id == instrument.id else {
            throw NormsFileError(source: source, entry: "instrument", reason: "the norms are for instrument \(QuotedValue.quote(id)) but the scores are for \(QuotedValue.quote(instrument.id)); use norms made for \(QuotedValue.quote(instrument.id))")
        }
        let levelText = try reader.string(root, "level", at: "")
        guard let level = NormLevel(rawValue: levelText) else {
            throw NormsFileError(source: source, entry: "level", reason: "level is \(QuotedValue.quote(levelText)); write \"organisation\" (norms of organisations' means) or \"respondent\" (norms of individual staff)")
        }
        guard case .object(let members)? = root["scales"] else {
            throw NormsFileError(source: source, entry: "scales", reason: "\"scales\" must be an object mapping scale ids to {\"mean\": …, \"sd\": …}")
        }
        guard !members.isEmpty else {
            throw NormsFileError(source: source, entry: "scales", reason: "no scale has norms; give at least one scale's mean and sd")
        }
        let known = instrument.scales.map(\.id)
        var scales: [String: ScaleNorm] = [:]
        for (scale, value) in members {
            let shown = QuotedValue.quote(scale)
            let entry = "scales." + (shown == "'\(scale)'" ? scale : shown)
            guard known.contains(scale) else {
                let hint = NameSuggestion.closest(to: scale, in: known).map { "; did you mean \(QuotedValue.quote($0))?" } ?? "; give norms only for the instrument's scales"
                throw NormsFileError(source: source, entry: entry, reason: "\(shown) is not a scale of \(QuotedValue.quote(instrument.id))\(hint)")
            }
            guard scales[scale] == nil else {
                throw NormsFileError(source: source, entry: entry, reason: "\(shown) has norms twice; keep one")
            }
            let at = JSONMemberReader { NormsFileError(source: source, entry: entry, reason: $0) }
            guard let mean = try at.optionalNumber(value, "mean", at: ""), mean.isFinite else {
                throw NormsFileError(source: source, entry: entry + ".mean", reason: "a numeric normative mean is needed")
            }
            guard let sd = try at.optionalNumber(value, "sd", at: ""), sd.isFinite, sd > 0 else {
                throw NormsFileError(source: source, entry: entry + ".sd", reason: "the normative SD must be a positive number")
            }
            scales[scale] = ScaleNorm(mean: mean, sd: sd)
        }
        self.init(source: source, instrument: id,
                  description: try reader.optionalString(root, "description", at: ""),
                  citation: try reader.optionalString(root, "citation", at: ""), level: level, scales: scales)
    }

    /// Loads a norms file.
    /// - Throws: `FileInputError` or `NormsFileError`.
    public init(contentsOf path: String, instrument: Instrument) throws {
        try self.init(json: try FileInput.readAll(path: path), source: path, instrument: instrument)
    }
}
