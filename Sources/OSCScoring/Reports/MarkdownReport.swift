// The report as Markdown, for pasting into a paper or a board paper.

extension ScoringReport {
    /// The report as Markdown with full scale names.
    public func markdown(context: ReportContext) -> String {
        let titles = instrument.summaryScaleIndices.map { instrument.scales[$0].name }
        var out = "# \(instrument.name): scores\n\n"
        out += summaryLines(context: context).map { "- \($0)\n" }.joined()
        out += "\n## Schools\n\nRespondents scored (n) and mean scale score.\n\n"
        out += schools.isEmpty ? "No schools.\n" : schoolTable(Array(schools.indices), titles: titles, withAuthority: table.hasAuthorityColumn, idWidth: nil, value: schoolMean).markdown()
        if table.hasAuthorityColumn {
            out += "\n## Authorities\n\nSchools, respondents scored (n) and the mean of school means.\n\n"
            out += authorities.isEmpty ? "No authorities.\n" : authorityTable(titles: titles, idWidth: nil, value: authorityMean).markdown()
        }
        if !schools.isEmpty {
            out += "\n## Within-school agreement\n\nrwg(j) of each school on each scale.\n\n"
            out += schoolTable(Array(schools.indices), titles: titles, withAuthority: table.hasAuthorityColumn, idWidth: nil, value: schoolRwgJ).markdown()
        }
        out += "\n## Reliability and between-group agreement\n\n"
        out += "Reliability over all respondents (alpha with Feldt 95% CI, omega total).\n\n" + reliabilityTable(titles: titles).markdown()
        out += "\nBetween schools.\n\n" + betweenGroupTable(titles: titles, level: .school).markdown()
        if table.hasAuthorityColumn {
            out += "\nBetween authorities.\n\n" + betweenGroupTable(titles: titles, level: .authority).markdown()
        }
        out += "\n" + statisticsNote + "\n"
        let findings = findingLines()
        out += "\n## Data quality\n\n"
        if findings.isEmpty { out += "No problems found.\n" }
        for line in findings.prefix(Self.findingsShown) { out += "- \(line)\n" }
        if findings.count > Self.findingsShown {
            out += "- … and \(findings.count - Self.findingsShown) more (the JSON output lists them all)\n"
        }
        return out
    }
}
