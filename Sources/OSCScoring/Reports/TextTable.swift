// A table of text cells, rendered as aligned plain text or as Markdown.

/// Rows of cells under titled columns.
package struct TextTable: Sendable {
    package enum Alignment: Sendable { case left, right }

    package struct Column: Sendable {
        package let title: String
        package let alignment: Alignment
        /// The widest a cell may be in plain text; longer text is shortened with "…".
        package let maxWidth: Int?
        /// The narrowest the column is in plain text.
        package let minWidth: Int

        package init(_ title: String, _ alignment: Alignment = .right, maxWidth: Int? = nil, minWidth: Int = 0) {
            self.title = title
            self.alignment = alignment
            self.maxWidth = maxWidth
            self.minWidth = minWidth
        }
    }

    package var columns: [Column]
    package var rows: [[String]] = []
    /// Text between columns in plain text.
    package var separator: String

    package init(columns: [Column], separator: String = "  ") {
        self.columns = columns
        self.separator = separator
    }

    /// Adds a row (one cell per column).
    package mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "one cell per column")
        rows.append(row)
    }

    /// `text` with line breaks, tabs and other control characters written
    /// as visible escapes (`\r`, `\n`, `\t`, `\u{1B}`; also U+0085, U+2028
    /// and U+2029), so that an id read from a file cannot break a line or a
    /// table row of a readable report.
    package static func visible(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0D: out += "\\r"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F, 0x85, 0x2028, 0x2029: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Shortens `text` to `width` characters, ending with "…" when cut.
    package static func shorten(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(Swift.max(1, width - 1))) + "…"
    }

    /// `texts`, each shortened to `width` characters as `shorten` does, such
    /// that texts that differ never come out the same: where two shortened
    /// texts would be equal ("Saint Mary's…" for "Saint Mary's North" and
    /// "Saint Mary's South"), they keep their start and as much of their
    /// end as tells them apart ("Saint…North", "Saint…South"), or, when no
    /// end does, a number ("Saint Mary…1", "Saint Mary…2"). Equal texts stay
    /// equal; no result equals another text's result.
    package static func shortenDistinct(_ texts: [String], to width: Int) -> [String] {
        var out = texts.map { shorten($0, to: width) }
        var originals: [String: [String]] = [:]
        for (short, text) in zip(out, texts) where !(originals[short]?.contains(text) ?? false) { originals[short, default: []].append(text) }
        let colliding = Set(originals.filter { $0.value.count > 1 }.keys)
        guard !colliding.isEmpty else { return out }
        var taken = Set(out.filter { !colliding.contains($0) })
        var replacement: [String: String] = [:]
        // Groups in order of first appearance, so the result does not depend on hashing.
        var seen = Set<String>()
        for short in out where colliding.contains(short) && seen.insert(short).inserted {
            let group = originals[short]!
            var chosen: [String]?
            if width >= 3 {
                for tail in 1...(width - 2) {
                    let head = width - 1 - tail
                    let candidates = group.map { String($0.prefix(head)) + "…" + String($0.suffix(tail)) }
                    if Set(candidates).count == group.count && taken.isDisjoint(with: candidates) { chosen = candidates; break }
                }
            }
            if chosen == nil {
                // Numbered: "Saint…1", "Saint…2", ... skipping any already taken.
                // (A plain loop: the closure form crashed the optimiser with
                // -sanitize=fuzzer,address in Swift 6.3.1.)
                var numbered: [String] = []
                numbered.reserveCapacity(group.count)
                var k = 0
                for text in group {
                    while true {
                        k += 1
                        let tag = String(k)
                        let head = String(text.prefix(Swift.max(1, width - 1 - tag.count)))
                        let candidate = head + "…" + tag
                        if !taken.contains(candidate) { numbered.append(candidate); break }
                    }
                }
                chosen = numbered
            }
            for (text, candidate) in zip(group, chosen!) {
                replacement[text] = candidate
                taken.insert(candidate)
            }
        }
        for i in out.indices where colliding.contains(out[i]) { out[i] = replacement[texts[i]]! }
        return out
    }

    /// Aligned plain text, each line starting with `indent`, no trailing spaces.
    ///
    /// With `lineWidth`, the first column (the unit's id) is shortened with
    /// "…" as far as needed (to no less than 6 characters) for the lines to fit.
    package func plainText(indent: String = "", lineWidth: Int? = nil) -> String {
        var limits = columns.map(\.maxWidth)
        func cells() -> [[String]] {
            let head = columns.enumerated().map { k, column in limits[k].map { Self.shorten(Self.visible(column.title), to: $0) } ?? Self.visible(column.title) }
            var body = rows.map { $0.map(Self.visible) }
            // Shortened cells of a column stay distinct (two long ids that share a prefix never print the same).
            for k in columns.indices {
                guard let limit = limits[k] else { continue }
                let column = Self.shortenDistinct(body.map { $0[k] }, to: limit)
                for r in body.indices { body[r][k] = column[r] }
            }
            return [head] + body
        }
        func widths(_ cells: [[String]]) -> [Int] {
            columns.indices.map { k in Swift.max(columns[k].minWidth, cells.map { $0[k].count }.max() ?? 0) }
        }
        var table = cells()
        var w = widths(table)
        if let lineWidth, !columns.isEmpty {
            let total = indent.count + w.reduce(0, +) + separator.count * (columns.count - 1)
            if total > lineWidth {
                limits[0] = Swift.max(6, w[0] - (total - lineWidth))
                table = cells()
                w = widths(table)
            }
        }
        return table.map { row in
            var line = indent
            for (k, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: w[k] - cell.count)
                if k > 0 { line += separator }
                line += columns[k].alignment == .left ? cell + pad : pad + cell
            }
            while line.last == " " { line.removeLast() }
            return line + "\n"
        }.joined()
    }

    /// Wraps `text` at spaces into lines of at most `width` characters (a
    /// longer word stands alone); continuation lines start with `hangingIndent`.
    package static func wrap(_ text: String, width: Int = 80, indent: String = "", hangingIndent: String = "    ") -> String {
        var lines: [String] = []
        var line = indent
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent + hangingIndent
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table (cells are not shortened; "|" is
    /// escaped, line breaks and control characters are shown as `visible`).
    package func markdown() -> String {
        // By scalars, not Characters: "|" followed by a combining mark is one Character.
        func escape(_ s: String) -> String {
            var out = String.UnicodeScalarView()
            for scalar in Self.visible(s).unicodeScalars {
                if scalar == "|" { out.append("\\") }
                out.append(scalar)
            }
            return String(out)
        }
        var out = "| " + columns.map { escape($0.title) }.joined(separator: " | ") + " |\n"
        out += "|" + columns.map { $0.alignment == .left ? " :-- |" : " --: |" }.joined() + "\n"
        for row in rows { out += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
        return out
    }
}
