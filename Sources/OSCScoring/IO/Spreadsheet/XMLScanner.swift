// A small scanner of the XML in Office Open XML parts (workbook,
// relationships, shared strings, worksheets), over bytes.
//
// Why not FoundationXML: on Linux it is a wrapper of the system's libxml2
// (`libFoundationXML.so` links `libxml2.so.2`), so using it would make the
// package depend on a system library at link and run time, which the
// project does not allow; it also builds a Foundation object per element,
// far slower than a scan of a sheet of 200,000 rows needs. The parts read
// here have a simple, fixed shape (elements, attributes, text, entity and
// character references, CDATA, comments, processing instructions), so a
// scanner that gives start tags, end tags and text as byte ranges is enough;
// it does not validate, resolve namespaces (prefixes are dropped, local
// names compared) or read a DTD (a DOCTYPE is skipped; only the five
// predefined entities and character references are known).

/// A token of an XML document: ranges into the scanned bytes.
struct XMLToken {
    enum Kind {
        /// `<name …>`
        case start
        /// `<name …/>`
        case empty
        /// `</name>`
        case end
        /// Text between tags (with references still to decode).
        case text
        /// The inside of `<![CDATA[…]]>` (taken as it is).
        case cdata
    }

    var kind: Kind
    /// The element's local name (after any `prefix:`); empty for text.
    var name: Range<Int>
    /// The attributes of a start tag, or the text.
    var body: Range<Int>
}

/// Why a part is not the XML it should be, and where.
struct XMLProblem: Error {
    var offset: Int
    var reason: String
}

struct XMLScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    private func find(_ pattern: [UInt8], from start: Int) -> Int? {
        let n = bytes.count, m = pattern.count
        var i = start
        while i + m <= n {
            if bytes[i] == pattern[0] {
                var j = 1
                while j < m && bytes[i + j] == pattern[j] { j += 1 }
                if j == m { return i }
            }
            i += 1
        }
        return nil
    }

    private func hasPrefix(_ pattern: [UInt8], at start: Int) -> Bool {
        guard start + pattern.count <= bytes.count else { return false }
        for (k, b) in pattern.enumerated() where bytes[start + k] != b { return false }
        return true
    }

    private func localName(_ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        for i in range where bytes[i] == UInt8(ascii: ":") { start = i + 1 }
        return start..<range.upperBound
    }

    @inline(__always) private static func endsName(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
    }

    /// The next token, or nil at the end of the document.
    mutating func next() throws(XMLProblem) -> XMLToken? {
        let n = bytes.count
        while position < n {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < n && bytes[position] != UInt8(ascii: "<") { position += 1 }
                return XMLToken(kind: .text, name: start..<start, body: start..<position)
            }
            let tag = position
            guard position + 1 < n else { throw XMLProblem(offset: tag, reason: "the document ends inside a tag") }
            let c = bytes[position + 1]
            if c == UInt8(ascii: "?") {
                guard let end = find([0x3F, 0x3E], from: position + 2) else {
                    throw XMLProblem(offset: tag, reason: "a processing instruction (<?…) is not closed")
                }
                position = end + 2
                continue
            }
            if c == UInt8(ascii: "!") {
                if hasPrefix(Array("<!--".utf8), at: position) {
                    guard let end = find(Array("-->".utf8), from: position + 4) else {
                        throw XMLProblem(offset: tag, reason: "a comment (<!--) is not closed")
                    }
                    position = end + 3
                    continue
                }
                if hasPrefix(Array("<![CDATA[".utf8), at: position) {
                    guard let end = find(Array("]]>".utf8), from: position + 9) else {
                        throw XMLProblem(offset: tag, reason: "a CDATA section is not closed")
                    }
                    position = end + 3
                    return XMLToken(kind: .cdata, name: tag..<tag, body: (tag + 9)..<end)
                }
                // <!DOCTYPE …> with an optional internal subset in [ ].
                var depth = 0
                var i = position + 2
                while i < n {
                    let b = bytes[i]
                    if b == UInt8(ascii: "[") { depth += 1 } else if b == UInt8(ascii: "]") { depth -= 1 } else if b == UInt8(ascii: ">") && depth <= 0 { break }
                    i += 1
                }
                guard i < n else { throw XMLProblem(offset: tag, reason: "a declaration (<!…) is not closed") }
                position = i + 1
                continue
            }
            if c == UInt8(ascii: "/") {
                let start = position + 2
                var i = start
                while i < n && !Self.endsName(bytes[i]) { i += 1 }
                let name = start..<i
                while i < n && bytes[i] != UInt8(ascii: ">") { i += 1 }
                guard i < n else { throw XMLProblem(offset: tag, reason: "an end tag is not closed") }
                position = i + 1
                return XMLToken(kind: .end, name: localName(name), body: i..<i)
            }
            let start = position + 1
            var i = start
            while i < n && !Self.endsName(bytes[i]) { i += 1 }
            guard i > start else { throw XMLProblem(offset: tag, reason: "a '<' is not followed by an element name") }
            let name = start..<i
            var quote: UInt8 = 0
            var r = i
            while r < n {
                let b = bytes[r]
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == 0x22 || b == 0x27 {
                    quote = b
                } else if b == UInt8(ascii: ">") {
                    break
                }
                r += 1
            }
            guard r < n else { throw XMLProblem(offset: tag, reason: "a tag is not closed") }
            let selfClosing = r > i && bytes[r - 1] == UInt8(ascii: "/")
            position = r + 1
            return XMLToken(kind: selfClosing ? .empty : .start, name: localName(name), body: i..<(selfClosing ? r - 1 : r))
        }
        return nil
    }

    /// Whether `range` holds exactly `name`.
    func equals(_ range: Range<Int>, _ name: [UInt8]) -> Bool {
        guard range.count == name.count else { return false }
        var k = range.lowerBound
        for b in name {
            if bytes[k] != b { return false }
            k += 1
        }
        return true
    }

    /// The raw value of the attribute whose local name is `name` in a start
    /// tag's attributes, or nil.
    func attribute(_ name: [UInt8], in body: Range<Int>) -> Range<Int>? {
        var i = body.lowerBound
        let end = body.upperBound
        while i < end {
            while i < end && (bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) { i += 1 }
            let nameStart = i
            while i < end && bytes[i] != UInt8(ascii: "=") && bytes[i] != 0x20 && bytes[i] != 0x0A && bytes[i] != 0x0D && bytes[i] != 0x09 { i += 1 }
            let attributeName = localName(nameStart..<i)
            while i < end && bytes[i] != UInt8(ascii: "=") { i += 1 }
            i += 1
            while i < end && bytes[i] != 0x22 && bytes[i] != 0x27 { i += 1 }
            guard i < end else { return nil }
            let quote = bytes[i]
            let valueStart = i + 1
            i = valueStart
            while i < end && bytes[i] != quote { i += 1 }
            let value = valueStart..<min(i, end)
            i += 1
            if equals(attributeName, name) { return value }
        }
        return nil
    }

    /// Appends the text of `range` with its entity and character references
    /// replaced (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` `&#xHH;`).
    func decode(_ range: Range<Int>, into out: inout [UInt8]) throws(XMLProblem) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            if b != UInt8(ascii: "&") {
                out.append(b)
                i += 1
                continue
            }
            var semicolon = i + 1
            while semicolon < end && semicolon - i <= 12 && bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
            guard semicolon < end && bytes[semicolon] == UInt8(ascii: ";") else {
                throw XMLProblem(offset: i, reason: "an '&' starts no entity reference (write it as &amp;)")
            }
            let entity = (i + 1)..<semicolon
            if equals(entity, [0x61, 0x6D, 0x70]) { out.append(UInt8(ascii: "&")) }
            else if equals(entity, [0x6C, 0x74]) { out.append(UInt8(ascii: "<")) }
            else if equals(entity, [0x67, 0x74]) { out.append(UInt8(ascii: ">")) }
            else if equals(entity, [0x71, 0x75, 0x6F, 0x74]) { out.append(0x22) }
            else if equals(entity, [0x61, 0x70, 0x6F, 0x73]) { out.append(0x27) }
            else if entity.count >= 2 && bytes[entity.lowerBound] == UInt8(ascii: "#") {
                var value: UInt32 = 0
                var k = entity.lowerBound + 1
                let hex = bytes[k] == UInt8(ascii: "x")
                if hex { k += 1 }
                var digits = 0
                while k < entity.upperBound {
                    let d = bytes[k]
                    let v: UInt32
                    switch d {
                    case 0x30...0x39: v = UInt32(d - 0x30)
                    case 0x41...0x46 where hex: v = UInt32(d - 0x41 + 10)
                    case 0x61...0x66 where hex: v = UInt32(d - 0x61 + 10)
                    default: throw XMLProblem(offset: i, reason: "the character reference '\(String(decoding: bytes[i...semicolon], as: UTF8.self))' is not a number")
                    }
                    value = value * (hex ? 16 : 10) + v
                    digits += 1
                    k += 1
                    if value > 0x10FFFF { break }
                }
                guard digits > 0, let scalar = Unicode.Scalar(value), value != 0 else {
                    throw XMLProblem(offset: i, reason: "the character reference '\(String(decoding: bytes[i...semicolon], as: UTF8.self))' is not a Unicode character")
                }
                out.append(contentsOf: String(Character(scalar)).utf8)
            } else {
                throw XMLProblem(offset: i, reason: "unknown entity '\(String(decoding: bytes[i...semicolon], as: UTF8.self))'")
            }
            i = semicolon + 1
        }
    }
}
