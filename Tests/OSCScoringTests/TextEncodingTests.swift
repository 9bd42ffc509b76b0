import Testing
@testable import OSCScoring

@Suite("Text encodings")
struct TextEncodingTests {
    @Test("Windows-1252 bytes decode to the scalars CPython's cp1252 codec gives")
    func windows1252() {
        // "Thérèse £5 €" as Windows-1252 (encoded by Python: 'Thérèse £5 €'.encode('cp1252')).
        let bytes: [UInt8] = [0x54, 0x68, 0xE9, 0x72, 0xE8, 0x73, 0x65, 0x20, 0xA3, 0x35, 0x20, 0x80]
        let decoded = TextEncoding.windows1252.decode(bytes)
        #expect(String(decoding: decoded.utf8, as: UTF8.self) == "Thérèse £5 €")
        #expect(decoded.firstInvalidOffset == nil)
    }

    @Test("A byte a code page does not define is reported by its offset")
    func undefinedByte() {
        // 0x81 is undefined in cp1252.
        let decoded = TextEncoding.windows1252.decode([0x41, 0x81, 0x42])
        #expect(decoded.firstInvalidOffset == 1)
        #expect(String(decoding: decoded.utf8, as: UTF8.self) == "A\u{FFFD}B")
    }

    @Test("UTF-16 in both byte orders, with a surrogate pair, decodes to UTF-8")
    func utf16() {
        // "é😀" : U+00E9, U+1F600 (D83D DE00)
        let le: [UInt8] = [0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE]
        let be: [UInt8] = [0x00, 0xE9, 0xD8, 0x3D, 0xDE, 0x00]
        #expect(String(decoding: TextEncoding.utf16LE.decode(le).utf8, as: UTF8.self) == "é😀")
        #expect(String(decoding: TextEncoding.utf16BE.decode(be).utf8, as: UTF8.self) == "é😀")
        #expect(TextEncoding.utf16LE.decode([0x00, 0xD8, 0x41, 0x00]).firstInvalidOffset == 0)
        #expect(TextEncoding.utf16LE.decode([0x41, 0x00, 0x42]).firstInvalidOffset == 2)
    }

    @Test("Names and code pages resolve as users and SPSS write them")
    func names() {
        #expect(TextEncoding(name: "UTF-8") == .utf8)
        #expect(TextEncoding(name: "windows-1252") == .windows1252)
        #expect(TextEncoding(name: "CP1252") == .windows1252)
        #expect(TextEncoding(name: "ISO-8859-1") == .singleByte(.iso8859_1))
        #expect(TextEncoding(name: "latin1") == .singleByte(.iso8859_1))
        #expect(TextEncoding(name: "utf-16be") == .utf16BE)
        #expect(TextEncoding(name: "klingon") == nil)
        #expect(TextEncoding(codePage: 65001) == .utf8)
        #expect(TextEncoding(codePage: 1252) == .windows1252)
        #expect(TextEncoding(codePage: 28591) == .singleByte(.iso8859_1))
        #expect(TextEncoding(codePage: 1251) == .singleByte(.windows1251))
        #expect(TextEncoding(codePage: 9999) == nil)
        for page in SingleByteEncoding.allCases {
            #expect(SingleByteEncoding(name: page.name) == page)
            #expect(TextEncoding(codePage: page.codePage) == .singleByte(page))
        }
    }
}
