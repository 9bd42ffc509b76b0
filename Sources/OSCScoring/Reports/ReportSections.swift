// The parts of the human-readable reports (table and Markdown), built once
// and rendered by each format.

extension ScoringReport {
    /// Numbers in readable reports: two decimals, "–" when missing.
    static func readable(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return DecimalText.fixed(value, places: 2)
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

    /// A schools table: (authority,) school, respondents, then one value per
    /// summary scale from `value(school, scale)`.
    func schoolTable(_ indices: [Int], titles: [String], withAuthority: Bool, idWidth: Int?, separator: String = "  ",
                     value: (Int, Int) -> String) -> TextTable {
        var columns: [TextTable.Column] = []
        if withAuthority { columns.append(.init("Authority", .left, maxWidth: idWidth)) }
        columns.append(.init("School", .left, maxWidth: idWidth))
        columns.append(.init("n", minWidth: 3))
        columns += titles.map { TextTable.Column($0, minWidth: 6) }
        var out = TextTable(columns: columns, separator: separator)
        for j in indices {
            let school = schools[j]
            var row: [String] = []
            if withAuthority { row.append(school.key.authority ?? "(none)") }
            row.append(school.key.school)
            row.append(String(school.respondents))
            row += instrument.summaryScaleIndices.map { value(j, $0) }
            out.append(row)
        }
        return out
    }

    /// The authorities table: schools, respondents, then one value per summary scale.
    func authorityTable(titles: [String], idWidth: Int?, separator: String = "  ", value: (Int, Int) -> String) -> TextTable {
        var out = TextTable(columns: [.init("Authority", .left, maxWidth: idWidth), .init("Schools"), .init("n", minWidth: 4)] + titles.map { TextTable.Column($0, minWidth: 6) },
                            separator: separator)
        for (a, authority) in authorities.enumerated() {
            out.append([authority.id, String(authority.schoolIndices.count), String(authority.respondents)]
                       + instrument.summaryScaleIndices.map { value(a, $0) })
        }
        return out
    }

    /// A school's mean on a scale, for the readable tables.
    func schoolMean(_ j: Int, _ s: Int) -> String { Self.readable(schools[j].scores[s].mean) }
    /// A school's rwg(j) on a scale, for the readable tables.
    func schoolRwgJ(_ j: Int, _ s: Int) -> String { Self.readable(statistics.schoolAgreement[j][s].rwgJ) }
    /// An authority's mean of school means on a scale.
    func authorityMean(_ a: Int, _ s: Int) -> String { Self.readable(authorities[a].scores[s].mean) }
    /// An authority's rwg(j) on a scale.
    func authorityRwgJ(_ a: Int, _ s: Int) -> String { Self.readable(statistics.authorityAgreement[a][s].rwgJ) }

    /// A number with at most four decimals and no trailing zeros ("0.6667", "2").
    static func brief(_ value: Double) -> String {
        let rounded = (value * 10_000).rounded() / 10_000
        return JSONValue.format(rounded)
    }

    /// A p-value for readable tables: three decimals, "<0.001" below that.
    static func readableP(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "–" }
        return p < 0.001 ? "<0.001" : DecimalText.fixed(p, places: 3)
    }

    /// Reliability of each summary scale over all respondents: alpha with its
    /// Feldt 95% interval, and omega total.
    func reliabilityTable(titles: [String]) -> TextTable {
        var out = TextTable(columns: [.init("Scale", .left), .init("Items"), .init("alpha"), .init("95% CI", minWidth: 9), .init("omega")])
        for (title, s) in zip(titles, instrument.summaryScaleIndices) {
            let r = statistics.reliability[s]
            let ci = r.alpha.map { "\(Self.readable($0.alphaLower))–\(Self.readable($0.alphaUpper))" } ?? "–"
            out.append([title, String(instrument.scaleItemIndices[s].count), Self.readable(r.alpha?.alpha), ci, Self.readable(r.omegaTotal)])
        }
        return out
    }

    /// Between-group ICCs of each summary scale at one level, with the
    /// median rwg(j) of its groups and how many of them reach `threshold`.
    func betweenGroupTable(titles: [String], level: ReportLevel, threshold: Double = 0.70) -> TextTable {
        var out = TextTable(columns: [.init("Scale", .left), .init("ICC(1)"), .init("95% CI", minWidth: 9), .init("ICC(2)"), .init("F"),
                                      .init("p", minWidth: 6), .init("median rwg(j)"), .init("rwg(j) ≥ \(Self.readable(threshold).drop { $0 == "0" })")])
        for (title, s) in zip(titles, instrument.summaryScaleIndices) {
            let icc = level == .school ? statistics.icc[s].school : statistics.icc[s].authority
            let agreement = level == .school ? statistics.schoolAgreement.map { $0[s].rwgJ } : statistics.authorityAgreement.map { $0[s].rwgJ }
            let values = agreement.compactMap { $0 }.sorted()
            let median: Double? = values.isEmpty ? nil : values.count % 2 == 1 ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
            let ci = icc.map { "\(Self.readable($0.icc1Lower))–\(Self.readable($0.icc1Upper))" } ?? "–"
            out.append([title, Self.readable(icc?.icc1), ci, Self.readable(icc?.icc2), Self.readable(icc?.f), Self.readableP(icc?.p),
                        Self.readable(median), "\(values.filter { $0 >= threshold }.count) of \(agreement.count)"])
        }
        return out
    }

    /// The sentence under the statistics tables: the null and the missing-data rule.
    var statisticsNote: String {
        let null = statistics.options.nullName == "fixed"
            ? "a null variance of \(Self.brief(statistics.nullVariance)) (--null-variance)"
            : "the \(statistics.options.nullName) null distribution (variance \(Self.brief(statistics.nullVariance)))"
        let missing = statistics.options.missing == .pairwise
            ? "each item's available answers (pairwise)"
            : "only respondents who answered every item of the scale (--listwise)"
        return "rwg(j) uses \(null) and \(missing). ICCs from the one-way ANOVA of respondents' scale scores (k = N/G)."
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
