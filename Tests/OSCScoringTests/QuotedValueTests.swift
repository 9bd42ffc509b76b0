import Testing
@testable import OSCScoring

@Suite("Quoted values in messages")
struct QuotedValueTests {
    @Test("A short value is quoted whole")
    func shortValue() {
        #expect(QuotedValue.quote("maybe") == "'maybe'")
        #expect(QuotedValue.quote("") == "''")
        #expect(QuotedValue.quote(String(repeating: "é", count: 60)) == "'\(String(repeating: "é", count: 60))'")
    }

    @Test("A value past 60 characters is cut, with its length")
    func longValue() {
        #expect(QuotedValue.quote(String(repeating: "a", count: 61)) == "'\(String(repeating: "a", count: 60))…' (61 characters)")
        #expect(QuotedValue.quote(Array(repeating: UInt8(ascii: "b"), count: 1_048_576)) == "'\(String(repeating: "b", count: 60))…' (1,048,576 characters)")
    }

    @Test("Line breaks and control characters are escaped, so a message stays on one line")
    func controlCharacters() {
        #expect(QuotedValue.quote("a\r\nb\tc\u{0}\u{7F}") == #"'a\r\nb\tc\u{0}\u{7F}'"#)
    }

    @Test("Bytes that are not UTF-8 are shown escaped, valid sequences decoded")
    func invalidBytes() {
        #expect(QuotedValue.quote([UInt8(ascii: "S"), 0xFF]) == #"'S\xFF'"#)
        #expect(QuotedValue.quote([UInt8(ascii: "S"), 0xC3, 0xA9, 0xE2, 0x82]) == #"'Sé\xE2\x82'"#)
        #expect(QuotedValue.quote([0xED, 0xA0, 0x80]) == #"'\xED\xA0\x80'"#)
    }

    @Test("Counts are written with thousands separators")
    func grouping() {
        #expect([0, 999, 1_000, 1_048_576, -12_345].map(QuotedValue.grouped) == ["0", "999", "1,000", "1,048,576", "-12,345"])
    }
}
