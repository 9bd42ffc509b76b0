// Typed access to the members of parsed JSON objects, for the instrument and norms files.

/// Reads typed members from JSON objects, with errors that name the
/// member's path ("\"min\" in responseScale must be a whole number").
struct JSONMemberReader<Failure: Error> {
    /// Makes the caller's error from a reason.
    let fail: (String) -> Failure

    init(_ fail: @escaping (String) -> Failure) { self.fail = fail }

    func where_(_ path: String, _ key: String) -> String { path.isEmpty ? "\"\(key)\"" : "\"\(key)\" in \(path)" }

    func member(_ object: JSONValue, _ key: String, at path: String) throws(Failure) -> JSONValue? {
        guard case .object = object else { throw fail("\(path.isEmpty ? "the file" : path) must be an object {…}, found \(object.typeName)") }
        return object[key]
    }

    func string(_ object: JSONValue, _ key: String, at path: String) throws(Failure) -> String {
        guard let value = try member(object, key, at: path) else { throw fail("the member \(where_(path, key)) is missing") }
        guard case .string(let s) = value, !s.isEmpty else {
            throw fail("\(where_(path, key)) must be a non-empty string, found \(value == .string("") ? "an empty string" : value.typeName)")
        }
        return s
    }

    func optionalString(_ object: JSONValue, _ key: String, at path: String) throws(Failure) -> String? {
        guard let value = try member(object, key, at: path), value != .null else { return nil }
        guard case .string(let s) = value else { throw fail("\(where_(path, key)) must be a string, found \(value.typeName)") }
        return s
    }

    func optionalBool(_ object: JSONValue, _ key: String, at path: String) throws(Failure) -> Bool? {
        guard let value = try member(object, key, at: path), value != .null else { return nil }
        guard case .bool(let b) = value else { throw fail("\(where_(path, key)) must be true or false, found \(value.typeName)") }
        return b
    }

    func integer(_ object: JSONValue, _ key: String, at path: String) throws(Failure) -> Int {
        guard let value = try member(object, key, at: path) else { throw fail("the member \(where_(path, key)) is missing") }
        guard case .number(let d) = value else { throw fail("\(where_(path, key)) must be a whole number, found \(value.typeName)") }
        guard d == d.rounded() else { throw fail("\(where_(path, key)) must be a whole number, found \(DecimalText.shortest(d))") }
        guard abs(d) < 1e15 else {
            let shown = abs(d) < 9.2e18 ? String(Int64(d)) : DecimalText.shortest(d)
            throw fail("\(where_(path, key)) is \(shown), beyond the whole numbers osc-score reads (at most 15 digits)")
        }
        return Int(d)
    }

    func optionalNumber(_ object: JSONValue, _ key: String, at path: String) throws(Failure) -> Double? {
        guard let value = try member(object, key, at: path), value != .null else { return nil }
        guard case .number(let d) = value else { throw fail("\(where_(path, key)) must be a number, found \(value.typeName)") }
        return d
    }

    func optionalList(_ object: JSONValue, _ key: String, at path: String) throws(Failure) -> [JSONValue] {
        guard let value = try member(object, key, at: path), value != .null else { return [] }
        guard case .array(let list) = value else { throw fail("\(where_(path, key)) must be a list […], found \(value.typeName)") }
        return list
    }

    func optionalStrings(_ object: JSONValue, _ key: String, at path: String) throws(Failure) -> [String]? {
        guard let value = try member(object, key, at: path), value != .null else { return nil }
        guard case .array(let list) = value else { throw fail("\(where_(path, key)) must be a list of strings, found \(value.typeName)") }
        return try list.enumerated().map { (i, element) throws(Failure) -> String in
            guard case .string(let s) = element else { throw fail("\(where_(path, key)) element \(i) must be a string, found \(element.typeName)") }
            return s
        }
    }
}
