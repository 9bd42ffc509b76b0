// Reading an instrument definition from its JSON form (Scales/README.md).

/// An instrument file that cannot be used, with the file's name and what is wrong.
public struct InstrumentFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or bundled name) the definition came from.
    public let source: String
    /// What is wrong, as one sentence.
    public let reason: String
    /// The underlying validation problem, when the JSON was readable.
    public let problem: InstrumentProblem?

    /// One sentence: the source, then the reason.
    public var description: String { Sentence.ended("\(source): \(reason)") }
}

extension Instrument {
    /// Reads and validates an instrument from JSON bytes.
    ///
    /// Required: `id`, `responseScale` (`min`, `max`, optional `labels` and `aliases`),
    /// `scales` (each with `id`, optional `name`, `abbreviation`, `level` and
    /// `favourable` (`"high"` or `"low"`), and either
    /// `items` or `scales`). Optional: `name`, `version`, `items` (each with
    /// `id`, optional `column` defaulting to the id, optional `reverse`
    /// defaulting to false), `requiresKey`, `itemCount`, `profiles` (each
    /// with `id`, optional `name`, `scales` as `{"scale", "favourable":
    /// "high"|"low"}`, optional `cutoff` (50) and `band` (0)). Unknown members are
    /// ignored so that files can carry notes.
    ///
    /// - Parameters:
    ///   - bytes: the file's contents (UTF-8 JSON).
    ///   - source: the file name used in error messages.
    /// - Throws: `InstrumentFileError` naming the file and the JSON position
    ///   or member at fault.
    public init(json bytes: [UInt8], source: String) throws(InstrumentFileError) {
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw InstrumentFileError(source: source, reason: "invalid JSON at line \(error.line), column \(error.column): \(error.reason)", problem: nil)
        }
        let reader = JSONMemberReader { InstrumentFileError(source: source, reason: $0, problem: nil) }
        let id = try reader.string(root, "id", at: "")
        let name = try reader.optionalString(root, "name", at: "") ?? id
        let version = try reader.optionalString(root, "version", at: "") ?? "unversioned"
        guard let scaleValue = root["responseScale"] else { throw reader.fail("the member \"responseScale\" is missing; add for example \"responseScale\": {\"min\": 1, \"max\": 5}") }
        var aliases: [[String]]?
        if scaleValue["aliases"] != nil {
            aliases = try reader.optionalList(scaleValue, "aliases", at: "responseScale").enumerated().map { k, value throws(InstrumentFileError) in
                guard case .array(let names) = value else {
                    throw reader.fail("responseScale.aliases[\(k)] is \(value.typeName), not a list; give one list of other names per answer option, such as [\"A great deal\"] (or [] for none)")
                }
                return try names.map { name throws(InstrumentFileError) in
                    guard case .string(let text) = name else {
                        throw reader.fail("responseScale.aliases[\(k)] holds \(name.typeName); write each alias as a string in quotes")
                    }
                    return text
                }
            }
        }
        let responseScale = ResponseScale(
            min: try reader.integer(scaleValue, "min", at: "responseScale"),
            max: try reader.integer(scaleValue, "max", at: "responseScale"),
            labels: try reader.optionalStrings(scaleValue, "labels", at: "responseScale"),
            aliases: aliases)
        if let aliases, aliases.count != responseScale.options, responseScale.options > 0 {
            throw reader.fail("responseScale has \(aliases.count) lists of aliases but \(responseScale.options) answer options; give one list per option ([] for none), or leave aliases out")
        }

        var items: [Item] = []
        for (i, value) in try reader.optionalList(root, "items", at: "").enumerated() {
            let path = "items[\(i)]"
            items.append(Item(id: try reader.string(value, "id", at: path),
                              column: try reader.optionalString(value, "column", at: path),
                              reverse: try reader.optionalBool(value, "reverse", at: path) ?? false))
        }
        guard root["scales"] != nil else { throw reader.fail("the member \"scales\" is missing; list the instrument's scales") }
        var scales: [Scale] = []
        for (i, value) in try reader.optionalList(root, "scales", at: "").enumerated() {
            let path = "scales[\(i)]"
            var favourable: FavourableDirection?
            if let direction = try reader.optionalString(value, "favourable", at: path) {
                guard let parsed = FavourableDirection(rawValue: direction) else {
                    throw reader.fail("\"favourable\" in \(path) is \(QuotedValue.quote(direction)); write \"high\" (a high score is favourable) or \"low\", or leave it out")
                }
                favourable = parsed
            }
            scales.append(Scale(id: try reader.string(value, "id", at: path),
                                name: try reader.optionalString(value, "name", at: path),
                                abbreviation: try reader.optionalString(value, "abbreviation", at: path),
                                level: try reader.optionalString(value, "level", at: path),
                                itemIDs: try reader.optionalStrings(value, "items", at: path) ?? [],
                                childIDs: try reader.optionalStrings(value, "scales", at: path) ?? [],
                                favourable: favourable))
        }
        var profiles: [Profile] = []
        for (i, value) in try reader.optionalList(root, "profiles", at: "").enumerated() {
            let path = "profiles[\(i)]"
            let id = try reader.string(value, "id", at: path)
            var entries: [Profile.Entry] = []
            for (k, entry) in try reader.optionalList(value, "scales", at: path).enumerated() {
                let entryPath = "\(path).scales[\(k)]"
                let direction = try reader.string(entry, "favourable", at: entryPath)
                guard let favourable = FavourableDirection(rawValue: direction) else {
                    throw reader.fail("\"favourable\" in \(entryPath) is \(QuotedValue.quote(direction)); write \"high\" or \"low\"")
                }
                entries.append(Profile.Entry(scale: try reader.string(entry, "scale", at: entryPath), favourable: favourable))
            }
            profiles.append(Profile(id: id, name: try reader.optionalString(value, "name", at: path), scales: entries,
                                    cutoff: try reader.optionalNumber(value, "cutoff", at: path) ?? 50,
                                    band: try reader.optionalNumber(value, "band", at: path) ?? 0))
        }
        let requiresKey = try reader.optionalBool(root, "requiresKey", at: "") ?? false
        let itemCount: Int? = root["itemCount"] == nil ? nil : try reader.integer(root, "itemCount", at: "")
        do {
            try self.init(id: id, name: name, version: version, responseScale: responseScale, items: items,
                          scales: scales, requiresKey: requiresKey, declaredItemCount: itemCount, profiles: profiles)
        } catch {
            throw InstrumentFileError(source: source, reason: error.message, problem: error)
        }
    }
}
