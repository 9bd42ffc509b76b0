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

    /// Aligned plain text, each line starting with `indent`, no trailing spaces.
    ///
    /// With `lineWidth`, the first column (the unit's id) is shortened with
    /// "…" as far as needed (to no less than 6 characters) for the lines to fit.
    package func plainText(indent: String = "", lineWidth: Int? = nil) -> String {
        var limits = columns.map(\.maxWidth)
        func cells() -> [[String]] {
            ([columns.map(\.title)] + rows).map { row in
                row.enumerated().map { k, cell in limits[k].map { Self.shorten(Self.visible(cell), to: $0) } ?? Self.visible(cell) }
            }
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
