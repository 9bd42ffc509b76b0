// The text of an id read from a file (school, authority, respondent): one
// String per distinct byte string, so that values that differ only in bytes
// that are not UTF-8 are never merged.

/// Turns the bytes of an id cell into the String the reports show.
///
/// Valid UTF-8 is shown as it is. A byte that is not part of valid UTF-8 is
/// shown as `\xHH` (two upper-case hex digits), and then a backslash of the
/// value is shown doubled (`\\`), so the text can be read back to the bytes.
/// Valid text that itself contains a backslash, `x` and two hex digits is
/// written in the escaped form too (`a\x41` as `a\\x41`), so that it cannot
/// look like a value with an invalid byte: distinct bytes always give
/// distinct text. (Texts that are equal as Swift Strings, such as the
/// composed and decomposed forms of "é", can still come from distinct
/// bytes: groups are therefore compared by their UTF-8 bytes.)
enum IdentifierText {
    /// The text of `bytes` (see the type's description).
    ///
    /// Complexity: O(bytes).
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if isPlain(bytes) { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        let hex = Array("0123456789ABCDEF".utf8)
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(contentsOf: encoded)
                offset += encoded.count
            case .error(let length):
                for b in bytes[offset..<offset + length] {
                    out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 15)]]
                }
                offset += length
            case .emptyInput:
                break loop
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of `bytes` (see the type's description).
    static func string(_ bytes: some Collection<UInt8>) -> String {
        let array = Array(bytes)
        return array.withUnsafeBufferPointer { string($0) }
    }

    /// Whether `bytes` are valid UTF-8 and hold no backslash, `x` and two hex digits (shown as they are).
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var simple = true
        for b in bytes where b >= 0x80 || b == UInt8(ascii: "\\") { simple = false; break }
        if simple { return true }
        return isValidUTF8(bytes) && !hasEscapePattern(bytes)
    }

    /// Whether `bytes` are valid UTF-8.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high = false
        for b in bytes where b >= 0x80 { high = true; break }
        if !high { return true }
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .error: return false
            case .emptyInput: return true
            }
        }
    }

    /// Whether `bytes` hold `\x` and two hex digits.
    private static func hasEscapePattern(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isHex(_ b: UInt8) -> Bool { (48...57).contains(b) || (65...70).contains(b) || (97...102).contains(b) }
        guard bytes.count >= 4 else { return false }
        for i in 0...(bytes.count - 4) where bytes[i] == UInt8(ascii: "\\") && bytes[i + 1] == UInt8(ascii: "x") && isHex(bytes[i + 2]) && isHex(bytes[i + 3]) {
            return true
        }
        return false
    }
}
