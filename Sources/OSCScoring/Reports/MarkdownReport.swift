// The report as Markdown, for pasting into a paper or a board paper.

extension ScoringReport {
    /// The report as Markdown with full scale names.
    public func markdown(context: ReportContext = ReportContext()) -> String {
        let titles = instrument.summaryScaleIndices.map { instrument.scales[$0].name }
        var out = "# \(instrument.name): scores\n\n"
        out += summaryLines(context: context).map { "- \($0)\n" }.joined()
        out += "\n## In brief\n\n" + inBrief(context: context).map { "- \($0)\n" }.joined()
        out += "\n## Schools\n\nRespondents scored (n) and mean scale score ± the half-width of its \(confidenceLabel) t interval (none below three respondents).\n\n"
        let schoolTitles = levelTitles(titles, level: .school), authorityTitles = levelTitles(titles, level: .authority)
        out += schools.isEmpty ? "No schools.\n" : schoolTable(Array(schools.indices), titles: schoolTitles, withAuthority: table.hasAuthorityColumn, idWidth: nil, value: schoolMeanWithInterval).markdown()
        let flagged = flaggedSchoolLines(titles: titles)
        if !flagged.isEmpty {
            out += "\n\(Self.flagMark) The school's mean does not stand for its staff on that scale: fewer than \(criteria.minRespondents) respondents or rwg(j) below \(Self.readable(criteria.rwgThreshold)).\n\n"
            out += flagged.map { "- \($0)\n" }.joined()
        }
        if let line = notJustifiedLegend(titles: titles, level: .school) { out += "\n" + line + "\n" }
        if let line = suppressedLegend(short: false, names: context.settingNames) { out += "\n" + line + "\n" }
        if table.hasAuthorityColumn {
            out += "\n## Authorities\n\nSchools, respondents scored (n) and the mean of school means ± the half-width of its \(confidenceLabel) t interval over the school means (none below three schools).\n\n"
            out += authorities.isEmpty ? "No authorities.\n" : authorityTable(titles: authorityTitles, idWidth: nil, value: authorityMeanWithInterval).markdown()
            if let line = authoritySchoolsLegend { out += "\n" + line + "\n" }
            if let line = leftOutLine(context.settingNames) { out += "\n" + line + "\n" }
            if let line = notJustifiedLegend(titles: titles, level: .authority) { out += "\n" + line + "\n" }
        }
        if let reference = normReferenced {
            let kind = reference.choice.isSampleRelative ? "Sample-relative T-scores" : "T-scores"
            out += "\n## \(kind) and profiles\n\n" + normsNote(context.settingNames)! + "\n\n"
            out += schoolTable(Array(schools.indices), titles: schoolTitles, withAuthority: table.hasAuthorityColumn, idWidth: nil,
                               value: { j, s in self.schoolT(reference, j, s, short: false) },
                               extra: schoolProfileColumns(reference, shortTitles: false)).markdown()
            if let line = flaggedTLegend(reference, short: false) { out += "\n" + line + "\n" }
            if let line = notJustifiedLegend(titles: titles, level: .school) { out += "\n" + line + "\n" }
            if table.hasAuthorityColumn {
                out += "\n" + authorityTable(titles: authorityTitles, idWidth: nil, value: { a, s in self.authorityT(reference, a, s, short: false) },
                                             extra: authorityProfileColumns(reference, shortTitles: false)).markdown()
            }
            out += profileRuleLines.map { "\n\($0)\n" }.joined()
        }
        out += "\n## Reliability and aggregation\n\n"
        out += "Reliability over all respondents (alpha with Feldt 95% CI, omega total).\n\n" + reliabilityTable(titles: titles).markdown()
        out += "\nBetween schools.\n\n" + betweenGroupTable(titles: titles, level: .school, withInterval: true).markdown()
        out += levelVerdictLines(titles: titles, level: .school, names: context.settingNames).map { "\n- \($0)" }.joined() + (levelVerdictLines(titles: titles, level: .school, names: context.settingNames).isEmpty ? "" : "\n")
        if let line = chanceAgreementLine(titles: titles) { out += "\n" + line + "\n" }
        if table.hasAuthorityColumn {
            out += "\nBetween authorities.\n\n" + betweenGroupTable(titles: titles, level: .authority, withInterval: true).markdown()
            out += levelVerdictLines(titles: titles, level: .authority, names: context.settingNames).map { "\n- \($0)" }.joined() + (levelVerdictLines(titles: titles, level: .authority, names: context.settingNames).isEmpty ? "" : "\n")
        }
        out += "\n" + statisticsNote(context.settingNames) + "\n"
        out += "\nPrecision of the means.\n\n" + precisionTable(titles: titles).markdown() + "\n" + precisionNote + "\n"
        out += precisionLines(titles: titles).map { "\n- \($0)" }.joined() + (precisionLines(titles: titles).isEmpty ? "" : "\n")
        if let heading = rgrHeading {
            out += "\n" + heading + ".\n\n" + rgrTable(titles: titles).markdown() + "\n" + rgrNote(context.settingNames) + "\n"
        }
        out += "\nWhere the variation lies: shares of each scale's variance by REML for `score ~ 1 + (1 | \(table.hasAuthorityColumn ? "authority/school" : "school"))`.\n\n"
        out += varianceTable(titles: titles).markdown()
        let findings = findingLines(context.settingNames)
        out += "\n## Data quality\n\n"
        if findings.isEmpty { out += "No problems found.\n" }
        for line in findings.prefix(Self.findingsShown) { out += "- \(line)\n" }
        if findings.count > Self.findingsShown {
            out += "- … and \(findings.count - Self.findingsShown) more (the JSON output lists them all)\n"
        }
        return out
    }
}
