// The scoring key: which items belong to which scale, and which are reversed.
//
// The OSC's key is licensed and not public, so a licensed user supplies it
// as a CSV file with the header `item,column,scale,reverse`. Lines starting
// with '#' are comments. A UTF-8 byte order mark, LF, CRLF or CR line ends,
// and comma, semicolon or tab delimiters are accepted, as in responses files.

/// A scoring key: one entry per item.
public struct ScoringKey: Sendable, Equatable {
    /// One row of the key.
    public struct Entry: Sendable, Equatable {
        /// The item id.
        public let item: String
        /// The data column holding the item (nil: the item id).
        public let column: String?
        /// The id of the leaf scale the item belongs to.
        public let scale: String
        /// Whether the item is reverse-keyed.
        public let reverse: Bool
        /// The key file line the entry came from (0 when built in code).
        public let line: Int

        /// An entry; each parameter is the property of the same name.
        /// - Parameters:
        ///   - item: the item id.
        ///   - column: the data column holding the item, or nil (the default) for the item id.
        ///   - scale: the id of the leaf scale the item belongs to.
        ///   - reverse: whether the item is reverse-keyed (default false).
        ///   - line: the key file line of the entry (default 0, built in code).
        public init(item: String, column: String? = nil, scale: String, reverse: Bool = false, line: Int = 0) {
            self.item = item
            self.column = column
            self.scale = scale
            self.reverse = reverse
            self.line = line
        }
    }

    /// The file name used in error messages.
    public let source: String
    /// The entries in key order, one per item; applied to an instrument they become its items in this order.
    public let entries: [Entry]

    /// A key with these entries, unchecked here (applying it to an instrument checks them).
    /// - Parameters:
    ///   - source: the file name used in error messages.
    ///   - entries: one entry per item.
    public init(source: String, entries: [Entry]) {
        self.source = source
        self.entries = entries
    }
}

/// A key file that cannot be used.
public struct ScoringKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key file: its path, or the `source` name given with its bytes or entries.
    public let source: String
    /// The key file line at fault, when there is one.
    public let line: Int?
    /// What is wrong and how to fix it, as a clause without the file and line.
    public let reason: String

    /// One sentence: the file, the line when there is one, and the reason.
    public var description: String {
        Sentence.ended("\(source)\(line.map { ", line \($0)" } ?? ""): \(reason)")
    }
}

extension ScoringKey {
    /// The values of the `reverse` column that mean true (ignoring case and surrounding spaces).
    public static let trueWords: Set<String> = ["true", "yes", "1", "y", "t"]
    /// The values of the `reverse` column that mean false (ignoring case and surrounding spaces), an empty cell included; any other value is an error.
    public static let falseWords: Set<String> = ["false", "no", "0", "n", "f", ""]

    /// Reads a key from CSV bytes with the header `item,column,scale,reverse`
    /// (`column` and `reverse` may be left out; order and case do not matter).
    ///
    /// Lines starting with `#` (outside a quoted field) are comments. A UTF-8
    /// byte order mark is skipped; lines may end in LF, CRLF or CR; the
    /// delimiter (comma, semicolon or tab) is detected from the header line.
    /// - Throws: `ScoringKeyError` naming the file and line.
    public init(csv data: [UInt8], source: String) throws(ScoringKeyError) {
        // Drop comment lines before parsing, keeping line numbers by keeping
        // their line ends; the byte order mark goes first, so that a comment
        // on the first line is seen. The header is the first line that is
        // neither blank nor a comment.
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(data.count)
        var atLineStart = true, inComment = false, quoted = false
        var headerStart: Int?, headerEnd: Int?
        for b in data.starts(with: [0xEF, 0xBB, 0xBF]) ? data[3...] : data[...] {
            if b == 0x0A || b == 0x0D {
                if !quoted { inComment = false; atLineStart = true }
                if headerStart != nil && headerEnd == nil && !quoted { headerEnd = cleaned.count }
                cleaned.append(b)
                continue
            }
            if atLineStart && !quoted && b == UInt8(ascii: "#") { inComment = true }
            atLineStart = false
            if inComment { continue }
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            if headerStart == nil { headerStart = cleaned.count }
            cleaned.append(b)
        }
        let headerLine = headerStart.map { cleaned[$0..<(headerEnd ?? cleaned.count)] } ?? []
        let records: [(line: Int, isBlank: Bool, fields: [String])]
        do {
            records = try CSVParser.records(of: cleaned, delimiter: CSVDelimiter.detect(headerLine: headerLine))
        } catch let error as CSVSyntaxError {
            throw ScoringKeyError(source: source, line: error.line, reason: error.message)
        } catch {
            throw ScoringKeyError(source: source, line: nil, reason: "\(error)")
        }
        let rows = records.filter { !$0.isBlank }
        guard let header = rows.first else {
            throw ScoringKeyError(source: source, line: nil, reason: "the key file is empty; it needs a header line item,column,scale,reverse and one line per item")
        }
        let names = header.fields.map(ColumnName.normalized)
        func position(_ name: String) -> Int? { names.firstIndex(of: name) }
        guard let itemColumn = position("item"), let scaleColumn = position("scale") else {
            let missing = ["item", "scale"].filter { position($0) == nil }
            throw ScoringKeyError(source: source, line: header.line,
                                  reason: "the header \(QuotedValue.quote(header.fields.joined(separator: ","))) has no \(missing.map { "'\($0)'" }.joined(separator: " or ")) column; the header must be item,column,scale,reverse (separated by commas, semicolons or tabs)")
        }
        let columnColumn = position("column"), reverseColumn = position("reverse")
        var entries: [Entry] = []
        for row in rows.dropFirst() {
            guard row.fields.count == header.fields.count else {
                throw ScoringKeyError(source: source, line: row.line, reason: "the line has \(row.fields.count) fields but the header has \(header.fields.count); check for a missing or extra delimiter")
            }
            func cell(_ k: Int?) -> String { k.map { ColumnName.trimmed(row.fields[$0]) } ?? "" }
            let item = cell(itemColumn), scale = cell(scaleColumn), column = cell(columnColumn)
            guard !item.isEmpty else { throw ScoringKeyError(source: source, line: row.line, reason: "the item id is empty; every line needs an item id") }
            guard !scale.isEmpty else { throw ScoringKeyError(source: source, line: row.line, reason: "item \(QuotedValue.quote(item)) has no scale; name the leaf scale it belongs to") }
            let reverseText = cell(reverseColumn).lowercased()
            let reverse: Bool
            if Self.trueWords.contains(reverseText) { reverse = true }
            else if Self.falseWords.contains(reverseText) { reverse = false }
            else {
                throw ScoringKeyError(source: source, line: row.line, reason: "reverse is \(QuotedValue.quote(cell(reverseColumn))) for item \(QuotedValue.quote(item)); write true/false, yes/no or 1/0")
            }
            entries.append(Entry(item: item, column: column.isEmpty ? nil : column, scale: scale, reverse: reverse, line: row.line))
        }
        guard !entries.isEmpty else {
            throw ScoringKeyError(source: source, line: nil, reason: "the key lists no items; add one line per item below the header")
        }
        self.init(source: source, entries: entries)
    }
}

extension ColumnName {
    /// The name without surrounding spaces and tabs (case kept).
    public static func trimmed(_ name: String) -> String {
        var s = Substring(name)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension Instrument {
    /// The instrument with its items and leaf-scale membership taken from a key.
    ///
    /// The key's entries become the instrument's items, in key order; each
    /// leaf scale lists the items the key assigns to it; parent scales are
    /// unchanged. When the instrument declares its item count (the OSC: 105)
    /// the key must list exactly that many items.
    /// - Throws: `ScoringKeyError` naming the key file and line.
    public func applying(_ key: ScoringKey) throws(ScoringKeyError) -> Instrument {
        let leafIDs = scales.filter(\.isLeaf).map(\.id)
        let allIDs = Set(scales.map(\.id))
        var seen: [String: Int] = [:]
        var membership: [String: [String]] = [:]
        for entry in key.entries {
            if let first = seen[entry.item] {
                throw ScoringKeyError(source: key.source, line: entry.line, reason: "item \(QuotedValue.quote(entry.item)) is listed twice (first on line \(first)); list each item once")
            }
            seen[entry.item] = entry.line
            guard leafIDs.contains(entry.scale) else {
                if allIDs.contains(entry.scale) {
                    throw ScoringKeyError(source: key.source, line: entry.line, reason: "item \(QuotedValue.quote(entry.item)) is assigned to \(QuotedValue.quote(entry.scale)), which is made of other scales; assign it to one of its leaf scales (\(Self.listed(scaleLeaves(of: entry.scale))))")
                }
                let hint = NameSuggestion.closest(to: entry.scale, in: leafIDs).map { "; did you mean \(QuotedValue.quote($0))?" }
                    ?? "; the leaf scales of \(QuotedValue.quote(id)) are \(Self.listed(leafIDs))"
                throw ScoringKeyError(source: key.source, line: entry.line, reason: "item \(QuotedValue.quote(entry.item)) is assigned to unknown scale \(QuotedValue.quote(entry.scale))\(hint)")
            }
            membership[entry.scale, default: []].append(entry.item)
        }
        if let expected = declaredItemCount, expected != key.entries.count {
            throw ScoringKeyError(source: key.source, line: nil, reason: "the key lists \(key.entries.count) items but instrument \(QuotedValue.quote(id)) has \(expected); give one line per item")
        }
        if let empty = leafIDs.first(where: { membership[$0] == nil }) {
            throw ScoringKeyError(source: key.source, line: nil, reason: "no item is assigned to scale \(QuotedValue.quote(empty)); every leaf scale needs at least one item")
        }
        let newItems = key.entries.map { Item(id: $0.item, column: $0.column, reverse: $0.reverse) }
        let newScales = scales.map { s in
            s.isLeaf ? Scale(id: s.id, name: s.name, abbreviation: s.abbreviation, level: s.level, itemIDs: membership[s.id] ?? [], favourable: s.favourable) : s
        }
        do {
            return try Instrument(id: id, name: name, version: version, responseScale: responseScale, items: newItems,
                                  scales: newScales, requiresKey: false, declaredItemCount: declaredItemCount, profiles: profiles)
        } catch {
            throw ScoringKeyError(source: key.source, line: nil, reason: error.message)
        }
    }

    /// Scale ids for a message: at most 10, each as written (quoted and cut
    /// when long or holding control characters), then how many more there are.
    static func listed(_ ids: [String]) -> String {
        let shown = ids.prefix(10).map { id in
            let quoted = QuotedValue.quote(id)
            return quoted == "'\(id)'" ? id : quoted
        }
        return shown.joined(separator: ", ") + (ids.count > 10 ? " and \(QuotedValue.grouped(ids.count - 10)) more" : "")
    }

    /// The leaf scales below a scale, each once, in the order first reached
    /// (iterative, each scale visited once; with the linear id lookup,
    /// O(scales × links) at worst, on the error path only).
    func scaleLeaves(of scaleID: String) -> [String] {
        guard let start = scaleIndex(of: scaleID) else { return [] }
        var seen = Set([start]), pending = [start], leaves: [String] = []
        while let s = pending.popLast() {
            if scales[s].isLeaf { leaves.append(scales[s].id); continue }
            for child in scales[s].childIDs.reversed() {
                if let c = scaleIndex(of: child), seen.insert(c).inserted { pending.append(c) }
            }
        }
        return leaves
    }
}
