// A value from a file, quoted for an error message: short enough to read,
// on one line, whatever the file holds.

/// Quotes a value for an error message.
///
/// At most `maximumCharacters` characters of the value are shown, in single
/// quotes; a longer value is cut with "…" and followed by its length, so that
/// a 1 MB cell gives a short message: `'aaaa…' (1,048,576 characters)`.
/// Line breaks, tabs and other control characters are shown as escapes
/// (`\n`, `\r`, `\t`, `\u{7F}`) so that the message stays on one line;
/// bytes that are not UTF-8 are shown as `\xFF`.
package enum QuotedValue {
    /// The most characters of a value a message shows.
    package static let maximumCharacters = 60

    /// The value in single quotes, cut after `maximumCharacters` characters
    /// (Unicode scalars) with its length when longer.
    package static func quote(_ value: String) -> String {
        var shown = ""
        var count = 0
        for scalar in value.unicodeScalars {
            if count < maximumCharacters { append(scalar, to: &shown) }
            count += 1
        }
        return finish(shown, count: count)
    }

    /// The bytes in single quotes, read as UTF-8 (invalid bytes shown as
    /// `\xFF`), cut after `maximumCharacters` characters with the length
    /// when longer; each invalid byte counts as one character.
    package static func quote(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var shown = ""
        var count = 0
        var i = 0
        while i < bytes.count {
            let length = sequenceLength(bytes[i])
            var scalar: Unicode.Scalar?
            if length == 1 {
                scalar = Unicode.Scalar(bytes[i])
            } else if length > 1, i + length <= bytes.count,
                      let text = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                scalar = text.unicodeScalars.first
            }
            if count < maximumCharacters {
                if let scalar { append(scalar, to: &shown) } else { shown += "\\x" + hex(bytes[i], width: 2) }
            }
            count += 1
            i += scalar == nil ? 1 : length
        }
        return finish(shown, count: count)
    }

    private static func finish(_ shown: String, count: Int) -> String {
        count <= maximumCharacters ? "'\(shown)'" : "'\(shown)…' (\(grouped(count)) characters)"
    }

    private static func append(_ scalar: Unicode.Scalar, to text: inout String) {
        switch scalar.value {
        case 0x0A: text += "\\n"
        case 0x0D: text += "\\r"
        case 0x09: text += "\\t"
        case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029: text += "\\u{" + hex(scalar.value, width: 1) + "}"
        default: text.unicodeScalars.append(scalar)
        }
    }

    /// The length of the UTF-8 sequence a lead byte starts (0: not a lead byte).
    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00..<0x80: return 1
        case 0xC2..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        case 0xF0..<0xF5: return 4
        default: return 0
        }
    }

    private static func hex(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A count with thousands separators: 1,048,576.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = n < 0 ? "-" : ""
        for (k, d) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }
}
