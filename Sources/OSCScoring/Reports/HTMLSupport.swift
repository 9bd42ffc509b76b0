// The pieces of the HTML report that are not about the results: escaping,
// the colours and their contrast, numbers for SVG coordinates, file names.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Text for HTML and XML: escaped, and with control characters shown.
enum HTMLText {
    /// `text` safe inside an element or a quoted attribute of HTML and of
    /// XML: `&`, `<`, `>`, `"` and `'` as references, control characters
    /// and line breaks written as visible escapes (`\n`, `\u{1B}`), as the
    /// other readable reports show them, and the non-characters U+FFFE and
    /// U+FFFF (which XML does not allow) as `\u{FFFE}`. Ids already show
    /// bytes that are not UTF-8 as `\xHH` (`IdentifierText`).
    static func escape(_ text: String) -> String {
        let visible = TextTable.visible(text)
        guard visible.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0xEF }) else {
            return visible
        }
        var out = ""
        out.reserveCapacity(visible.utf8.count + 16)
        for scalar in visible.unicodeScalars {
            switch scalar.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            case 0x27: out += "&#39;"
            case 0xFFFE, 0xFFFF: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate or length for SVG: one decimal.
    static func number(_ x: Double) -> String {
        DecimalText.fixed(x.isFinite ? x : 0, places: 1)
    }
}

/// The colours of the HTML report: the Okabe–Ito palette (Okabe & Ito
/// 2008, safe for the common colour-vision deficiencies) on white, with
/// near-black and greys. Colours that reach only 3:1 against the
/// background are used for chart marks (WCAG 2.1, 1.4.11), never for text
/// (1.4.3 asks 4.5:1); orange, sky blue and yellow, below 3:1 on white,
/// are not used. No information is carried by colour alone: marks also
/// differ in shape or line style and are labelled.
enum HTMLPalette {
    /// The page and chart background.
    static let background = "#FFFFFF"
    /// Body text and the reference lines of charts.
    static let text = "#1A1A1A"
    /// Secondary text (captions, notes) and grid lines.
    static let muted = "#595959"
    /// Axis lines and the edges of the norm band.
    static let grid = "#767676"
    /// The norm band's fill, behind the marks (its edges are drawn in `grid`).
    static let band = "#E8E8E8"
    /// Okabe–Ito blue: a school's marks, links.
    static let blue = "#0072B2"
    /// Okabe–Ito vermillion: an authority's marks, values below a threshold.
    static let vermillion = "#D55E00"
    /// Okabe–Ito bluish green.
    static let green = "#009E73"
    /// Okabe–Ito reddish purple.
    static let purple = "#CC79A7"

    /// The colours of authorities in the school charts, in turn (each
    /// authority also has its own marker shape and a labelled group).
    static let authorityColours = [blue, vermillion, green, purple, text]

    /// Every colour the report draws with, with the contrast against the
    /// background it must reach: 4.5 for text, 3 for marks that carry
    /// meaning; the band's fill carries none (its edges do).
    static let used: [(name: String, hex: String, minimumContrast: Double)] = [
        ("text", text, 4.5), ("muted text", muted, 4.5), ("grid", grid, 4.5), ("blue (links, school marks)", blue, 4.5),
        ("vermillion", vermillion, 3), ("bluish green", green, 3), ("reddish purple", purple, 3),
    ]

    /// The WCAG 2.1 relative luminance of an sRGB colour `#RRGGBB`:
    /// 0.2126 R + 0.7152 G + 0.0722 B of the linearised channels
    /// (c/12.92 up to 0.04045, else ((c + 0.055)/1.055)^2.4).
    static func relativeLuminance(_ hex: String) -> Double {
        let digits = Array(hex.utf8.drop { $0 == UInt8(ascii: "#") })
        func channel(_ i: Int) -> Double {
            func value(_ b: UInt8) -> Int {
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a")) + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A")) + 10
                default: return 0
                }
            }
            guard digits.count == 6 else { return 0 }
            let c = Double(value(digits[2 * i]) * 16 + value(digits[2 * i + 1])) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
    }

    /// The WCAG contrast ratio (L1 + 0.05) / (L2 + 0.05) of two colours, L1 the lighter.
    static func contrast(_ a: String, _ b: String) -> Double {
        let la = relativeLuminance(a), lb = relativeLuminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }
}

extension ScoringReport {
    /// The name shown for a school in the HTML report and the school pages
    /// (and in their file names): its id, followed by its display name (the
    /// value label of an SPSS or Stata file) when it has one, as in the
    /// other readable reports ("17 St Mary's Primary"). Every school name of
    /// the HTML goes through here.
    func displayName(_ school: SchoolResult) -> String {
        school.shownName
    }

    /// The name shown for an authority in the HTML report and the school
    /// pages: its id, followed by its display name when it has one.
    func displayName(authority id: String) -> String {
        authorities.first { $0.id.utf8.elementsEqual(id.utf8) }?.shownName ?? id
    }

    /// The file name of each school's feedback page, in school order:
    /// `school-NN-NAME.html`, where NN is the school's place in the report
    /// (zero-padded, so names are unique for any ids, also on file systems
    /// that ignore case) and NAME its name folded to at most 40 lower-case
    /// ASCII letters, digits and hyphens (empty for a name with none). No
    /// name holds `/`, `..`, spaces or bytes that are not ASCII.
    public func schoolPageFileNames() -> [String] {
        let width = String(schools.count).count
        return schools.enumerated().map { j, school in
            var slug: [UInt8] = []
            for b in displayName(school).utf8 {
                switch b {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): slug.append(b)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): slug.append(b + 32)
                default: if slug.last != UInt8(ascii: "-") { slug.append(UInt8(ascii: "-")) }
                }
                if slug.count >= 40 { break }
            }
            while slug.last == UInt8(ascii: "-") { slug.removeLast() }
            while slug.first == UInt8(ascii: "-") { slug.removeFirst() }
            let number = String(j + 1)
            let padded = String(repeating: "0", count: width - number.count) + number
            return "school-" + padded + (slug.isEmpty ? "" : "-" + String(decoding: slug, as: UTF8.self)) + ".html"
        }
    }
}
