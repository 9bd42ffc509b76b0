// Writing JSONValue trees as text, with members in the order given.

extension JSONValue {
    /// A number, or `null` when the value is nil or not finite.
    package static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// A string, or `null` when nil.
    package static func string(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    /// The value as JSON text, indented by two spaces. Lists and objects
    /// whose members are all plain values (numbers, strings, booleans, null,
    /// empty lists or objects) stay on one line. Whole numbers print without
    /// a fraction; others with the shortest digits that read back to the
    /// same double.
    package func text() -> String {
        String(decoding: bytes(), as: UTF8.self)
    }

    /// The JSON text as UTF-8 bytes (see `text()`).
    package func bytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(to: &out, indent: 0)
        return out
    }

    var isPlain: Bool {
        switch self {
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        default: return true
        }
    }

    static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: 2 * indent))
    }

    func write(to out: inout [UInt8], indent: Int) {
        switch self {
        case .null: Self.appendUTF8("null", to: &out)
        case .bool(let b): Self.appendUTF8(b ? "true" : "false", to: &out)
        case .number(let d): JSONValue.appendNumber(d, to: &out)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let elements):
            if elements.isEmpty { Self.appendUTF8("[]", to: &out); return }
            if elements.allSatisfy(\.isPlain) {
                out.append(UInt8(ascii: "["))
                for (k, e) in elements.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")); out.append(0x20) }
                    e.write(to: &out, indent: indent)
                }
                out.append(UInt8(ascii: "]"))
                return
            }
            out.append(UInt8(ascii: "["))
            for (k, e) in elements.enumerated() {
                Self.newline(&out, indent + 1)
                e.write(to: &out, indent: indent + 1)
                if k + 1 < elements.count { out.append(UInt8(ascii: ",")) }
            }
            Self.newline(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { Self.appendUTF8("{}", to: &out); return }
            if members.allSatisfy({ $0.value.isPlain }) {
                out.append(UInt8(ascii: "{"))
                for (k, m) in members.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")); out.append(0x20) }
                    JSONValue.quote(m.key, into: &out)
                    out.append(UInt8(ascii: ":")); out.append(0x20)
                    m.value.write(to: &out, indent: indent)
                }
                out.append(UInt8(ascii: "}"))
                return
            }
            out.append(UInt8(ascii: "{"))
            for (k, m) in members.enumerated() {
                Self.newline(&out, indent + 1)
                JSONValue.quote(m.key, into: &out)
                out.append(UInt8(ascii: ":")); out.append(0x20)
                m.value.write(to: &out, indent: indent + 1)
                if k + 1 < members.count { out.append(UInt8(ascii: ",")) }
            }
            Self.newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `d` as a JSON number, or `null` when it is not finite: the
    /// one way numbers enter JSON text (RFC 8259 has no infinity or NaN).
    @inline(__always)
    static func appendNumber(_ d: Double, to out: inout [UInt8]) {
        appendNumber(d, to: &out, nonFinite: "null")
    }

    /// Appends `format(d)` to `out` without making a `String`: whole numbers
    /// digit by digit, others with `ShortestDecimal` (the same shortest
    /// round-trip digits as `description`, written into the array). A value
    /// that is not finite is written as `nonFinite` (`null` in JSON, nothing
    /// in a CSV cell): no output can contain `inf` or `nan`, whichever
    /// writer calls.
    static func appendNumber(_ d: Double, to out: inout [UInt8], nonFinite: StaticString) {
        guard d.isFinite else {
            nonFinite.withUTF8Buffer { out.append(contentsOf: $0) }
            return
        }
        if d == d.rounded(), abs(d) < 1e15 {
            appendInteger(Int64(d), to: &out)
            return
        }
        ShortestDecimal.append(d, to: &out)
    }

    /// Appends the decimal digits of `value` (with "-" when negative).
    @inline(__always)
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value >= 0, value < 10 { out.append(UInt8(48 + value)); return }
        var v = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits and a sign, right-aligned
        withUnsafeMutableBytes(of: &digits) { buffer in
            var i = 24
            repeat {
                i -= 1
                buffer[i] = UInt8(48 + v % 10)
                v /= 10
            } while v > 0
            if value < 0 { i -= 1; buffer[i] = UInt8(ascii: "-") }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[i..<24]))
        }
    }

    /// Formats a double: integers without ".0", others in Swift's shortest
    /// round-trip form; a value that is not finite as `DecimalText.nonFinite`
    /// (callers that write JSON or CSV use `number(_:)` or an empty cell).
    package static func format(_ d: Double) -> String { DecimalText.shortest(d) }

    /// Appends the UTF-8 bytes of `s` (in one copy when the string's bytes are contiguous, as they nearly always are).
    @inline(__always)
    static func appendUTF8(_ s: String, to out: inout [UInt8]) {
        if s.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil { out.append(contentsOf: s.utf8) }
    }

    static func quote(_ s: String, into out: inout [UInt8]) {
        // Most strings (keys, ids) need no escape: checked and copied whole.
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if plain == true { return }
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = String(b, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
