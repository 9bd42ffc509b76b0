// Writing JSONValue trees as text, with members in the order given.

extension JSONValue {
    /// A number, or `null` when the value is nil or not finite.
    public static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// A string, or `null` when nil.
    public static func string(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    /// The value as JSON text, indented by two spaces; lists of plain values
    /// stay on one line. Whole numbers print without a fraction; others print
    /// with the shortest digits that read back to the same double.
    public func text() -> String {
        var out = ""
        write(to: &out, indent: 0)
        return out
    }

    private var isPlain: Bool {
        switch self {
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        default: return true
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d): out += JSONValue.format(d)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let elements):
            if elements.isEmpty { out += "[]"; return }
            if elements.allSatisfy(\.isPlain) {
                out += "["
                for (k, e) in elements.enumerated() {
                    if k > 0 { out += ", " }
                    e.write(to: &out, indent: indent)
                }
                out += "]"
                return
            }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "[\n"
            for (k, e) in elements.enumerated() {
                out += pad
                e.write(to: &out, indent: indent + 1)
                out += k + 1 < elements.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "{\n"
            for (k, m) in members.enumerated() {
                out += pad
                JSONValue.quote(m.key, into: &out)
                out += ": "
                m.value.write(to: &out, indent: indent + 1)
                out += k + 1 < members.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// Formats a finite double: integers without ".0", others in Swift's
    /// shortest round-trip form.
    public static func format(_ d: Double) -> String { DecimalText.shortest(d) }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
