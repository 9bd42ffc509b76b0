// The parts of the human-readable reports (table and Markdown), built once
// and rendered by each format.

extension ScoringReport {
    /// Numbers in readable reports: two decimals, "–" when missing.
    static func readable(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        let scaled = (value * 100).rounded()
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int(abs(scaled))
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The lines that say what was read and with which settings.
    public func summaryLines(context: ReportContext) -> [String] {
        var lines: [String] = []
        lines.append("\(instrument.name), version \(instrument.version)" + (context.keySource.map { ", key \($0)" } ?? ""))
        var read = "\(context.source): \(input.rows) rows read, \(input.scored) scored, \(input.excluded.count) excluded"
        if !input.withoutSchool.isEmpty {
            read += "; \(input.withoutSchool.count) scored \(input.withoutSchool.count == 1 ? "row has" : "rows have") no school"
        }
        lines.append(read)
        let percent = Int((options.minAnswered * 100).rounded())
        lines.append(options.minAnswered == 0
            ? "A scale score needs at least one answered item (--min-answered 0)."
            : "A scale score needs at least \(percent)% of the scale's items answered (--min-answered \(JSONValue.format(options.minAnswered))).")
        return lines
    }

    /// Column titles for the summary scales: each scale's abbreviation, or
    /// its name shortened to `width`; with a legend for the short ones.
    func summaryColumns(width: Int) -> (titles: [String], legend: [String]) {
        let scales = instrument.summaryScaleIndices.map { instrument.scales[$0] }
        let titles = scales.map { TextTable.shorten($0.abbreviation ?? $0.name, to: width) }
        let legend = zip(titles, scales).filter { $0.0 != $0.1.name }.map { "\($0.0) = \($0.1.name)" }
        return (titles, legend)
    }

    /// A schools table: (authority,) school, respondents, a mean per summary scale.
    func schoolTable(_ indices: [Int], titles: [String], withAuthority: Bool, idWidth: Int?, separator: String = "  ") -> TextTable {
        var columns: [TextTable.Column] = []
        if withAuthority { columns.append(.init("Authority", .left, maxWidth: idWidth)) }
        columns.append(.init("School", .left, maxWidth: idWidth))
        columns.append(.init("n", minWidth: 3))
        columns += titles.map { TextTable.Column($0, minWidth: 6) }
        var out = TextTable(columns: columns, separator: separator)
        for school in indices.map({ schools[$0] }) {
            var row: [String] = []
            if withAuthority { row.append(school.key.authority ?? "(none)") }
            row.append(school.key.school)
            row.append(String(school.respondents))
            row += instrument.summaryScaleIndices.map { Self.readable(school.scores[$0].mean) }
            out.append(row)
        }
        return out
    }

    /// The authorities table: schools, respondents, the mean of school means per summary scale.
    func authorityTable(titles: [String], idWidth: Int?, separator: String = "  ") -> TextTable {
        var out = TextTable(columns: [.init("Authority", .left, maxWidth: idWidth), .init("Schools"), .init("n", minWidth: 4)] + titles.map { TextTable.Column($0, minWidth: 6) },
                            separator: separator)
        for authority in authorities {
            out.append([authority.id, String(authority.schoolIndices.count), String(authority.respondents)]
                       + instrument.summaryScaleIndices.map { Self.readable(authority.scores[$0].mean) })
        }
        return out
    }

    /// Every finding about the input, one sentence each, in line order.
    public func findingLines() -> [String] {
        var found: [(line: Int, text: String)] = []
        for p in input.problems {
            switch p.kind {
            case .invalidValue:
                found.append((p.line, "line \(p.line), column \(p.column ?? "?"): '\(p.value ?? "")' is \(p.problem); scored as missing"))
            default:
                found.append((p.line, "line \(p.line), column \(p.column ?? "?"): '\(p.value ?? "")': \(p.problem)"))
            }
        }
        for e in input.excluded {
            found.append((e.line, "line \(e.line)\(e.respondent.map { " (\($0))" } ?? ""): excluded, \(e.reason)"))
        }
        for line in input.withoutSchool {
            found.append((line, "line \(line): no school; scored but left out of school and authority results"))
        }
        for line in input.blankLines { found.append((line, "line \(line): blank line, not a data row")) }
        var lines = found.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element.text)
        if !input.ignoredColumns.isEmpty {
            lines.append("columns not used: \(input.ignoredColumns.joined(separator: ", "))")
        }
        return lines
    }
}
