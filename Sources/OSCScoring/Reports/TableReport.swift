// The default output: a plain-text report that fits an 80-column terminal.

extension ScoringReport {
    /// The most findings listed in the table and Markdown reports; JSON lists all.
    public static let findingsShown = 30

    /// The widest scale titles (6 to 16 characters) for which a schools
    /// table still fits in `lineWidth` columns.
    func titleWidth(lineWidth: Int) -> Int {
        let names = instrument.summaryScaleIndices.map { instrument.scales[$0].abbreviation ?? instrument.scales[$0].name }
        let idWidth = min(14, schools.map(\.shownName.count).max() ?? 0)
        func lineLength(_ w: Int) -> Int {
            2 + max(6, idWidth) + 1 + 3 + names.reduce(0) { $0 + 1 + max(6, min(w, $1.count)) }
        }
        return (6...16).reversed().first { lineLength($0) <= lineWidth } ?? 6
    }

    /// The schools, grouped by authority when there is one, with one value
    /// per summary scale.
    func schoolSections(titles: [String], heading: String, valueWidth: Int = 6, showCount: Bool = true, value: (Int, Int) -> String,
                        extra: [(title: String, value: (Int) -> String)] = []) -> String {
        guard !schools.isEmpty else { return "No schools: no scored row has a school.\n" }
        func schoolRows(_ indices: [Int]) -> TextTable {
            schoolTable(indices, titles: titles, withAuthority: false, idWidth: 14, separator: " ", valueWidth: valueWidth,
                        showCount: showCount, value: value, extra: extra)
        }
        guard table.hasAuthorityColumn else {
            return "Schools: \(heading)\n" + schoolRows(Array(schools.indices)).plainText(lineWidth: 80)
        }
        var out = "Schools by authority: \(heading)\n"
        for authority in authorities {
            out += "\n\(TextTable.visible(authority.shownName)): \(authority.schoolIndices.count) school\(authority.schoolIndices.count == 1 ? "" : "s"), \(authority.respondents) respondents\n"
            out += schoolRows(authority.schoolIndices).plainText(indent: "  ", lineWidth: 80)
        }
        let orphans = schools.indices.filter { schools[$0].key.authority == nil }
        if !orphans.isEmpty {
            out += "\nNo authority: \(orphans.count) school\(orphans.count == 1 ? "" : "s")\n"
            out += schoolRows(orphans).plainText(indent: "  ", lineWidth: 80)
        }
        return out
    }

    /// The report as plain text: what was read, schools by authority, the
    /// authorities, and the data-quality findings.
    public func tableText(context: ReportContext = ReportContext()) -> String {
        let (titles, legend) = summaryColumns(width: titleWidth(lineWidth: 80))
        var out = summaryLines(context: context).map { TextTable.wrap($0) }.joined() + "\n"
        out += "In brief\n" + inBrief(context: context).map { TextTable.wrap("- " + $0, hangingIndent: "  ") }.joined() + "\n"
        let schoolTitles = levelTitles(titles, level: .school), authorityTitles = levelTitles(titles, level: .authority)
        out += schoolSections(titles: schoolTitles, heading: "respondents scored (n) and mean score", value: schoolMean)
        let flagged = flaggedSchoolLines(titles: titles)
        if !flagged.isEmpty {
            out += "\n" + TextTable.wrap("\(Self.flagMark) The school's mean does not stand for its staff on that scale: fewer than \(criteria.minRespondents) respondents or rwg(j) below \(Self.readable(criteria.rwgThreshold)).", hangingIndent: "")
            for line in flagged { out += TextTable.wrap(line, indent: "  ") }
        }
        if let line = notJustifiedLegend(titles: titles, level: .school) { out += TextTable.wrap(line, hangingIndent: "") }
        if let line = suppressedLegend(short: true, names: context.settingNames) { out += TextTable.wrap(line, hangingIndent: "") }
        if table.hasAuthorityColumn {
            out += "\nAuthorities: schools, respondents scored (n) and mean of school means\n"
            out += authorityTable(titles: authorityTitles, idWidth: 14, separator: " ", value: authorityMean).plainText(lineWidth: 80)
            if let line = authoritySchoolsLegend { out += TextTable.wrap(line, hangingIndent: "") }
            if let line = leftOutLine(context.settingNames) { out += TextTable.wrap(line, hangingIndent: "") }
            if let line = notJustifiedLegend(titles: titles, level: .authority) { out += TextTable.wrap(line, hangingIndent: "") }
            out += "\nAuthorities: ± half-width of the \(confidenceLabel) interval of the mean of school means\n"
            out += authorityTable(titles: titles, idWidth: 14, separator: " ", showCounts: false, value: authorityHalfWidth).plainText(lineWidth: 80)
        }
        if let reference = normReferenced {
            let kind = reference.choice.isSampleRelative ? "sample-relative T-scores" : "T-scores"
            let profiles = schoolProfileColumns(reference, shortTitles: true)
            out += "\n" + schoolSections(titles: schoolTitles, heading: kind + (profiles.isEmpty ? "" : " and profiles"), valueWidth: 5, showCount: false,
                                         value: { j, s in self.schoolT(reference, j, s) }, extra: profiles)
            if let line = flaggedTLegend(reference, short: true) { out += "\n" + TextTable.wrap(line, hangingIndent: "") }
            if let line = notJustifiedLegend(titles: titles, level: .school) { out += TextTable.wrap(line, hangingIndent: "") }
            if table.hasAuthorityColumn {
                out += "\nAuthorities: \(kind)\(profiles.isEmpty ? "" : " and profiles")\n"
                out += authorityTable(titles: authorityTitles, idWidth: 14, separator: " ", valueWidth: 5, showCounts: false,
                                      value: { a, s in self.authorityT(reference, a, s) },
                                      extra: authorityProfileColumns(reference, shortTitles: true)).plainText(lineWidth: 80)
            }
            out += TextTable.wrap(normsNote(context.settingNames)!, hangingIndent: "")
            for line in profileRuleLines { out += TextTable.wrap(line, hangingIndent: "") }
        }
        out += "\nReliability over all respondents (alpha with Feldt 95% CI, omega total)\n"
        out += reliabilityTable(titles: titles).plainText()
        out += "\nBetween schools\n" + betweenGroupTable(titles: titles, level: .school, withInterval: false).plainText()
        for line in levelVerdictLines(titles: titles, level: .school, names: context.settingNames) { out += TextTable.wrap(line, indent: "  ") }
        if let line = chanceAgreementLine(titles: titles) { out += TextTable.wrap(line, indent: "  ") }
        if table.hasAuthorityColumn {
            out += "\nBetween authorities\n" + betweenGroupTable(titles: titles, level: .authority, withInterval: false).plainText()
            for line in levelVerdictLines(titles: titles, level: .authority, names: context.settingNames) { out += TextTable.wrap(line, indent: "  ") }
        }
        out += "\n" + TextTable.wrap(statisticsNote(context.settingNames), hangingIndent: "")
        out += "\nPrecision of the means\n" + precisionTable(titles: titles).plainText()
        out += TextTable.wrap(precisionNote, hangingIndent: "")
        for line in precisionLines(titles: titles) { out += TextTable.wrap(line, indent: "  ") }
        if let heading = rgrHeading {
            out += "\n" + TextTable.wrap(heading, hangingIndent: "") + rgrTable(titles: titles).plainText()
            out += TextTable.wrap(rgrNote(context.settingNames), hangingIndent: "")
        }
        out += "\nWhere the variation lies (REML, score ~ 1 + (1 | \(table.hasAuthorityColumn ? "authority/school" : "school")))\n"
        out += varianceTable(titles: titles).plainText()
        if !legend.isEmpty { out += "\n" + TextTable.wrap(legend.joined(separator: "; "), hangingIndent: "") }
        let findings = findingLines(context.settingNames)
        out += "\nData quality: " + (findings.isEmpty ? "no problems found\n" : "\(findings.count) finding\(findings.count == 1 ? "" : "s")\n")
        for line in findings.prefix(Self.findingsShown) { out += TextTable.wrap(line, indent: "  ") }
        if findings.count > Self.findingsShown {
            out += "  … and \(findings.count - Self.findingsShown) more (\(context.settingNames.usesCommandLineOptions ? "--format json" : "the JSON report") lists them all)\n"
        }
        return out
    }
}
