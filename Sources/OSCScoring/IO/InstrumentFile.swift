// Reading an instrument definition from its JSON form (Scales/README.md).

/// An instrument file that cannot be used, with the file's name and what is wrong.
public struct InstrumentFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or bundled name) the definition came from.
    public let source: String
    /// What is wrong, as one sentence.
    public let reason: String
    /// The underlying validation problem, when the JSON was readable.
    public let problem: InstrumentProblem?

    public var description: String { "\(source): \(reason)." }
}

extension Instrument {
    /// Reads and validates an instrument from JSON bytes.
    ///
    /// Required: `id`, `responseScale` (`min`, `max`, optional `labels`),
    /// `scales` (each with `id`, optional `name`, `abbreviation` and `level`, and either
    /// `items` or `scales`). Optional: `name`, `version`, `items` (each with
    /// `id`, optional `column` defaulting to the id, optional `reverse`
    /// defaulting to false), `requiresKey`, `itemCount`. Unknown members are
    /// ignored so that files can carry notes.
    ///
    /// - Parameter source: the file name used in error messages.
    /// - Throws: `InstrumentFileError` naming the file and the JSON position
    ///   or member at fault.
    public init(json bytes: [UInt8], source: String) throws(InstrumentFileError) {
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw InstrumentFileError(source: source, reason: "invalid JSON at line \(error.line), column \(error.column): \(error.reason)", problem: nil)
        }
        let reader = MemberReader(source: source)
        let id = try reader.string(root, "id", at: "")
        let name = try reader.optionalString(root, "name", at: "") ?? id
        let version = try reader.optionalString(root, "version", at: "") ?? "unversioned"
        guard let scaleValue = root["responseScale"] else { throw reader.fail("the member \"responseScale\" is missing; add for example \"responseScale\": {\"min\": 1, \"max\": 5}") }
        let responseScale = ResponseScale(
            min: try reader.integer(scaleValue, "min", at: "responseScale"),
            max: try reader.integer(scaleValue, "max", at: "responseScale"),
            labels: try reader.optionalStrings(scaleValue, "labels", at: "responseScale"))

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
            scales.append(Scale(id: try reader.string(value, "id", at: path),
                                name: try reader.optionalString(value, "name", at: path),
                                abbreviation: try reader.optionalString(value, "abbreviation", at: path),
                                level: try reader.optionalString(value, "level", at: path),
                                itemIDs: try reader.optionalStrings(value, "items", at: path) ?? [],
                                childIDs: try reader.optionalStrings(value, "scales", at: path) ?? []))
        }
        let requiresKey = try reader.optionalBool(root, "requiresKey", at: "") ?? false
        let itemCount: Int? = root["itemCount"] == nil ? nil : try reader.integer(root, "itemCount", at: "")
        do {
            try self.init(id: id, name: name, version: version, responseScale: responseScale, items: items,
                          scales: scales, requiresKey: requiresKey, declaredItemCount: itemCount)
        } catch {
            throw InstrumentFileError(source: source, reason: error.message, problem: error)
        }
    }
}

/// Reads typed members from JSON objects, with errors that name the member's path.
private struct MemberReader {
    let source: String

    func fail(_ reason: String) -> InstrumentFileError {
        InstrumentFileError(source: source, reason: reason, problem: nil)
    }

    func where_(_ path: String, _ key: String) -> String { path.isEmpty ? "\"\(key)\"" : "\"\(key)\" in \(path)" }

    func member(_ object: JSONValue, _ key: String, at path: String) throws(InstrumentFileError) -> JSONValue? {
        guard case .object = object else { throw fail("\(path.isEmpty ? "the file" : path) must be an object {…}, found \(object.typeName)") }
        return object[key]
    }

    func string(_ object: JSONValue, _ key: String, at path: String) throws(InstrumentFileError) -> String {
        guard let value = try member(object, key, at: path) else { throw fail("the member \(where_(path, key)) is missing") }
        guard case .string(let s) = value, !s.isEmpty else { throw fail("\(where_(path, key)) must be a non-empty string, found \(value.typeName)") }
        return s
    }

    func optionalString(_ object: JSONValue, _ key: String, at path: String) throws(InstrumentFileError) -> String? {
        guard let value = try member(object, key, at: path), value != .null else { return nil }
        guard case .string(let s) = value else { throw fail("\(where_(path, key)) must be a string, found \(value.typeName)") }
        return s
    }

    func optionalBool(_ object: JSONValue, _ key: String, at path: String) throws(InstrumentFileError) -> Bool? {
        guard let value = try member(object, key, at: path), value != .null else { return nil }
        guard case .bool(let b) = value else { throw fail("\(where_(path, key)) must be true or false, found \(value.typeName)") }
        return b
    }

    func integer(_ object: JSONValue, _ key: String, at path: String) throws(InstrumentFileError) -> Int {
        guard let value = try member(object, key, at: path) else { throw fail("the member \(where_(path, key)) is missing") }
        guard case .number(let d) = value, d == d.rounded(), abs(d) < 1e9 else {
            throw fail("\(where_(path, key)) must be a whole number, found \(value.typeName == "a number" ? "a fraction" : value.typeName)")
        }
        return Int(d)
    }

    func optionalList(_ object: JSONValue, _ key: String, at path: String) throws(InstrumentFileError) -> [JSONValue] {
        guard let value = try member(object, key, at: path), value != .null else { return [] }
        guard case .array(let list) = value else { throw fail("\(where_(path, key)) must be a list […], found \(value.typeName)") }
        return list
    }

    func optionalStrings(_ object: JSONValue, _ key: String, at path: String) throws(InstrumentFileError) -> [String]? {
        guard let value = try member(object, key, at: path), value != .null else { return nil }
        guard case .array(let list) = value else { throw fail("\(where_(path, key)) must be a list of strings, found \(value.typeName)") }
        return try list.enumerated().map { (i, element) throws(InstrumentFileError) -> String in
            guard case .string(let s) = element else { throw fail("\(where_(path, key)) element \(i) must be a string, found \(element.typeName)") }
            return s
        }
    }
}
