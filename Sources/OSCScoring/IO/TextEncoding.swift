// Text encodings of the files users give us: UTF-8, UTF-16 with a byte
// order mark, and the single-byte Windows, ISO and DOS code pages that SPSS
// (records 7.3 and 7.20), Stata 117 and Excel write. Everything is turned
// into UTF-8 before it is read; the tables are in
// SingleByteEncodingTables.swift (generated from CPython's codec tables).

/// A single-byte code page: bytes 0x00 to 0x7F are ASCII, bytes 0x80 to
/// 0xFF map to one Unicode scalar each (or to none).
package enum SingleByteEncoding: Sendable, Equatable, CaseIterable {
    /// Code page 874 (windows-874).
    case windows874
    /// Code page 1250 (windows-1250).
    case windows1250
    /// Code page 1251 (windows-1251).
    case windows1251
    /// Code page 1252 (windows-1252).
    case windows1252
    /// Code page 1253 (windows-1253).
    case windows1253
    /// Code page 1254 (windows-1254).
    case windows1254
    /// Code page 1255 (windows-1255).
    case windows1255
    /// Code page 1256 (windows-1256).
    case windows1256
    /// Code page 1257 (windows-1257).
    case windows1257
    /// Code page 1258 (windows-1258).
    case windows1258
    /// Code page 28591 (iso-8859-1).
    case iso8859_1
    /// Code page 28592 (iso-8859-2).
    case iso8859_2
    /// Code page 28593 (iso-8859-3).
    case iso8859_3
    /// Code page 28594 (iso-8859-4).
    case iso8859_4
    /// Code page 28595 (iso-8859-5).
    case iso8859_5
    /// Code page 28596 (iso-8859-6).
    case iso8859_6
    /// Code page 28597 (iso-8859-7).
    case iso8859_7
    /// Code page 28598 (iso-8859-8).
    case iso8859_8
    /// Code page 28599 (iso-8859-9).
    case iso8859_9
    /// Code page 28600 (iso-8859-10).
    case iso8859_10
    /// Code page 28601 (iso-8859-11).
    case iso8859_11
    /// Code page 28603 (iso-8859-13).
    case iso8859_13
    /// Code page 28604 (iso-8859-14).
    case iso8859_14
    /// Code page 28605 (iso-8859-15).
    case iso8859_15
    /// Code page 28606 (iso-8859-16).
    case iso8859_16
    /// Code page 20866 (koi8-r).
    case koi8r
    /// Code page 21866 (koi8-u).
    case koi8u
    /// Code page 10000 (macintosh).
    case macRoman
    /// Code page 437 (ibm437).
    case ibm437
    /// Code page 850 (ibm850).
    case ibm850

    /// The Windows code page number (SPSS record 7.3's `character_code`).
    package var codePage: Int {
        switch self {
        case .windows874: return 874
        case .windows1250: return 1250
        case .windows1251: return 1251
        case .windows1252: return 1252
        case .windows1253: return 1253
        case .windows1254: return 1254
        case .windows1255: return 1255
        case .windows1256: return 1256
        case .windows1257: return 1257
        case .windows1258: return 1258
        case .iso8859_1: return 28591
        case .iso8859_2: return 28592
        case .iso8859_3: return 28593
        case .iso8859_4: return 28594
        case .iso8859_5: return 28595
        case .iso8859_6: return 28596
        case .iso8859_7: return 28597
        case .iso8859_8: return 28598
        case .iso8859_9: return 28599
        case .iso8859_10: return 28600
        case .iso8859_11: return 28601
        case .iso8859_13: return 28603
        case .iso8859_14: return 28604
        case .iso8859_15: return 28605
        case .iso8859_16: return 28606
        case .koi8r: return 20866
        case .koi8u: return 21866
        case .macRoman: return 10000
        case .ibm437: return 437
        case .ibm850: return 850
        }
    }

    /// The name shown in messages and accepted by `--encoding` (IANA style).
    package var name: String {
        switch self {
        case .windows874: return "windows-874"
        case .windows1250: return "windows-1250"
        case .windows1251: return "windows-1251"
        case .windows1252: return "windows-1252"
        case .windows1253: return "windows-1253"
        case .windows1254: return "windows-1254"
        case .windows1255: return "windows-1255"
        case .windows1256: return "windows-1256"
        case .windows1257: return "windows-1257"
        case .windows1258: return "windows-1258"
        case .iso8859_1: return "iso-8859-1"
        case .iso8859_2: return "iso-8859-2"
        case .iso8859_3: return "iso-8859-3"
        case .iso8859_4: return "iso-8859-4"
        case .iso8859_5: return "iso-8859-5"
        case .iso8859_6: return "iso-8859-6"
        case .iso8859_7: return "iso-8859-7"
        case .iso8859_8: return "iso-8859-8"
        case .iso8859_9: return "iso-8859-9"
        case .iso8859_10: return "iso-8859-10"
        case .iso8859_11: return "iso-8859-11"
        case .iso8859_13: return "iso-8859-13"
        case .iso8859_14: return "iso-8859-14"
        case .iso8859_15: return "iso-8859-15"
        case .iso8859_16: return "iso-8859-16"
        case .koi8r: return "koi8-r"
        case .koi8u: return "koi8-u"
        case .macRoman: return "macintosh"
        case .ibm437: return "ibm437"
        case .ibm850: return "ibm850"
        }
    }

    /// The code page with this name (compared ignoring case, `-` and `_`).
    package init?(name: String) {
        let key = String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch key {
        case "windows874", "cp874", "tis620": self = .windows874
        case "windows1250", "cp1250": self = .windows1250
        case "windows1251", "cp1251": self = .windows1251
        case "windows1252", "cp1252", "latin1windows": self = .windows1252
        case "windows1253", "cp1253": self = .windows1253
        case "windows1254", "cp1254": self = .windows1254
        case "windows1255", "cp1255": self = .windows1255
        case "windows1256", "cp1256": self = .windows1256
        case "windows1257", "cp1257": self = .windows1257
        case "windows1258", "cp1258": self = .windows1258
        case "iso88591", "latin1", "l1": self = .iso8859_1
        case "iso88592", "latin2": self = .iso8859_2
        case "iso88593", "latin3": self = .iso8859_3
        case "iso88594", "latin4": self = .iso8859_4
        case "iso88595": self = .iso8859_5
        case "iso88596": self = .iso8859_6
        case "iso88597": self = .iso8859_7
        case "iso88598": self = .iso8859_8
        case "iso88599", "latin5": self = .iso8859_9
        case "iso885910", "latin6": self = .iso8859_10
        case "iso885911": self = .iso8859_11
        case "iso885913", "latin7": self = .iso8859_13
        case "iso885914", "latin8": self = .iso8859_14
        case "iso885915", "latin9": self = .iso8859_15
        case "iso885916", "latin10": self = .iso8859_16
        case "koi8r": self = .koi8r
        case "koi8u": self = .koi8u
        case "macintosh", "macroman": self = .macRoman
        case "ibm437", "cp437": self = .ibm437
        case "ibm850", "cp850": self = .ibm850
        default: return nil
        }
    }
}

/// The encoding of a text in a file, and its decoding to UTF-8.
package enum TextEncoding: Sendable, Equatable {
    /// UTF-8 (a byte order mark is dropped by the readers, not here).
    case utf8
    /// UTF-16, little-endian.
    case utf16LE
    /// UTF-16, big-endian.
    case utf16BE
    /// A single-byte code page.
    case singleByte(SingleByteEncoding)

    /// Windows-1252, the code page of Excel on an English Windows and of Stata 117.
    package static let windows1252 = TextEncoding.singleByte(.windows1252)

    /// The encoding with this name (`utf-8`, `utf8`, `utf-16le`, `windows-1252`,
    /// `cp1252`, `iso-8859-1`, `latin1`, ..., ignoring case, `-` and `_`);
    /// nil for a name this package does not know.
    package init?(name: String) {
        let key = String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch key {
        case "utf8", "cp65001", "65001": self = .utf8
        case "utf16le", "utf16", "ucs2", "ucs2le": self = .utf16LE
        case "utf16be", "ucs2be": self = .utf16BE
        case "ascii", "usascii", "ansix3.41968", "cp20127": self = .utf8
        default:
            if let page = SingleByteEncoding(name: name) { self = .singleByte(page) } else { return nil }
        }
    }

    /// The encoding of a Windows code page number (SPSS record 7.3, Stata):
    /// 65001 UTF-8, 1200/1201 UTF-16, 20127 ASCII (read as UTF-8), and the
    /// single-byte pages; nil for one this package does not know.
    package init?(codePage: Int) {
        switch codePage {
        case 65001, 20127: self = .utf8
        case 1200: self = .utf16LE
        case 1201: self = .utf16BE
        case 28591: self = .singleByte(.iso8859_1)
        default:
            guard let page = SingleByteEncoding.allCases.first(where: { $0.codePage == codePage }) else { return nil }
            self = .singleByte(page)
        }
    }

    /// The name shown in messages and in the input section (`utf-8`, `utf-16le`, `windows-1252`, ...).
    package var name: String {
        switch self {
        case .utf8: return "utf-8"
        case .utf16LE: return "utf-16le"
        case .utf16BE: return "utf-16be"
        case .singleByte(let page): return page.name
        }
    }

    /// The names `--encoding` accepts, for a usage message.
    package static let commonNames = ["utf-8", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1"]

    /// The result of decoding: the UTF-8 bytes, and the offset in the input
    /// of the first byte that could not be decoded (a byte the code page
    /// does not define, a lone UTF-16 surrogate, an odd final byte); such a
    /// byte becomes U+FFFD, so a caller that must keep distinct byte strings
    /// distinct (ids) has to refuse or report it.
    package struct Decoded: Sendable, Equatable {
        /// The text as UTF-8.
        package var utf8: [UInt8]
        /// The input offset of the first byte that could not be decoded; nil when all could.
        package var firstInvalidOffset: Int?
    }

    /// Decodes `bytes` to UTF-8. UTF-8 input is returned as it is (it is
    /// validated where it is used: invalid UTF-8 ids are shown as `\xHH`).
    ///
    /// Complexity: O(bytes).
    package func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Decoded {
        switch self {
        case .utf8:
            return Decoded(utf8: Array(bytes), firstInvalidOffset: nil)
        case .singleByte(let page):
            return Self.decodeSingleByte(bytes, table: page.highHalf)
        case .utf16LE:
            return Self.decodeUTF16(bytes, bigEndian: false)
        case .utf16BE:
            return Self.decodeUTF16(bytes, bigEndian: true)
        }
    }

    /// Decodes an array of bytes (see `decode(_:)` for a buffer).
    package func decode(_ bytes: [UInt8]) -> Decoded {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    private static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    private static func decodeSingleByte(_ bytes: UnsafeBufferPointer<UInt8>, table: [UInt16]) -> Decoded {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var invalid: Int?
        for (offset, b) in bytes.enumerated() {
            if b < 0x80 { out.append(b); continue }
            let v = table[Int(b) - 0x80]
            if v == 0xFFFD && invalid == nil { invalid = offset }
            appendScalar(UInt32(v), to: &out)
        }
        return Decoded(utf8: out, firstInvalidOffset: invalid)
    }

    private static func decodeUTF16(_ bytes: UnsafeBufferPointer<UInt8>, bigEndian: Bool) -> Decoded {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var invalid: Int?
        let units = bytes.count / 2
        func unit(_ i: Int) -> UInt32 {
            let a = UInt32(bytes[2 * i]), b = UInt32(bytes[2 * i + 1])
            return bigEndian ? a << 8 | b : b << 8 | a
        }
        var i = 0
        while i < units {
            let u = unit(i)
            if u >= 0xD800 && u < 0xDC00, i + 1 < units, case let l = unit(i + 1), l >= 0xDC00 && l < 0xE000 {
                appendScalar(0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00), to: &out)
                i += 2
                continue
            }
            if u >= 0xD800 && u < 0xE000 {
                if invalid == nil { invalid = 2 * i }
                appendScalar(0xFFFD, to: &out)
            } else {
                appendScalar(u, to: &out)
            }
            i += 1
        }
        if bytes.count % 2 == 1 {
            if invalid == nil { invalid = bytes.count - 1 }
            appendScalar(0xFFFD, to: &out)
        }
        return Decoded(utf8: out, firstInvalidOffset: invalid)
    }
}
