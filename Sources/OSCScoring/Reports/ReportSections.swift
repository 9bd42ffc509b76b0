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
        lines.append("\(instrument.name), version \(instrument.version)")
        if let key = context.keySource {
            lines.append("Scoring key: \(key)" + (context.keyOrigin.map { ", \($0.label(context.settingNames))" } ?? ""))
        }
        var read = "\(context.source): \(input.rows) rows read, \(input.scored) scored, \(input.excluded.count) excluded"
        if !input.withoutSchool.isEmpty {
            read += "; \(input.withoutSchool.count) scored \(input.withoutSchool.count == 1 ? "row has" : "rows have") no school"
        }
        lines.append(read)
        if let line = inputNotes.first { lines.append(line) }
        if let file = table.dataFile {
            lines.append("File format: \(file.format), text encoding \(file.encoding); \"line\" numbers are case numbers.")
            if file.declaredMissingTotal > 0 {
                let user = file.declaredMissing.reduce(0) { $0 + $1.userMissing }, system = file.declaredMissing.reduce(0) { $0 + $1.systemMissing }
                let columns = file.declaredMissing.map { "\(TextTable.visible($0.column)) \($0.userMissing + $0.systemMissing)" }.joined(separator: ", ")
                lines.append("Declared missing in the file (missing answers, not findings): \(file.declaredMissingTotal) cells, \(user) user-missing and \(system) system-missing; per column: \(columns).")
            }
        }
        let percent = Int((options.minAnswered * 100).rounded())
        lines.append(options.minAnswered == 0
            ? "A scale score needs at least one answered item (\(context.settingNames.name(.minAnswered)) 0)."
            : "A scale score needs at least \(percent)% of the scale's items answered (\(context.settingNames.name(.minAnswered)) \(JSONValue.format(options.minAnswered))).")
        return lines
    }

    /// Column titles for the summary scales: each scale's abbreviation, or
    /// its name shortened to `width`; with a legend for the short ones.
    func summaryColumns(width: Int) -> (titles: [String], legend: [String]) {
        let scales = instrument.summaryScaleIndices.map { instrument.scales[$0] }
        // An abbreviation shared by two scales gives way to their names; shortened names stay distinct.
        let abbreviations = scales.compactMap(\.abbreviation)
        let shared = Set(abbreviations.filter { a in abbreviations.filter { $0 == a }.count > 1 })
        let titles = TextTable.shortenDistinct(scales.map { $0.abbreviation.flatMap { shared.contains($0) ? nil : $0 } ?? $0.name }, to: width)
        let legend = zip(titles, scales).filter { $0.0 != $0.1.name }.map { "\($0.0) = \($0.1.name)" }
        return (titles, legend)
    }

    /// A schools table: (authority,) school, respondents, then one value per
    /// summary scale from `value(school, scale)`.
    func schoolTable(_ indices: [Int], titles: [String], withAuthority: Bool, idWidth: Int?, separator: String = "  ",
                     valueWidth: Int = 6, showCount: Bool = true, value: (Int, Int) -> String,
                     extra: [(title: String, value: (Int) -> String)] = []) -> TextTable {
        var columns: [TextTable.Column] = []
        if withAuthority { columns.append(.init("Authority", .left, maxWidth: idWidth)) }
        columns.append(.init("School", .left, maxWidth: idWidth))
        if showCount { columns.append(.init("n", minWidth: 3)) }
        columns += titles.map { TextTable.Column($0, minWidth: valueWidth) }
        columns += extra.map { TextTable.Column($0.title, .left) }
        var out = TextTable(columns: columns, separator: separator)
        for j in indices {
            let school = schools[j]
            var row: [String] = []
            if withAuthority { row.append(school.key.authority.map { a in authorities.first { $0.id == a }?.shownName ?? a } ?? "(none)") }
            row.append(school.shownName)
            if showCount { row.append(String(school.respondents)) }
            row += instrument.summaryScaleIndices.map { value(j, $0) }
            row += extra.map { $0.value(j) }
            out.append(row)
        }
        return out
    }

    /// The authorities table: schools, respondents, then one value per summary scale.
    func authorityTable(titles: [String], idWidth: Int?, separator: String = "  ", valueWidth: Int = 6, showCounts: Bool = true,
                        value: (Int, Int) -> String, extra: [(title: String, value: (Int) -> String)] = []) -> TextTable {
        let counts: [TextTable.Column] = showCounts ? [.init("Schools"), .init("n", minWidth: 4)] : []
        var out = TextTable(columns: [.init("Authority", .left, maxWidth: idWidth)] + counts
                            + titles.map { TextTable.Column($0, minWidth: valueWidth) } + extra.map { TextTable.Column($0.title, .left) },
                            separator: separator)
        for (a, authority) in authorities.enumerated() {
            let countCells = showCounts ? [authoritySchoolsCell(a), String(authority.respondents)] : []
            out.append([authority.shownName] + countCells + instrument.summaryScaleIndices.map { value(a, $0) } + extra.map { $0.value(a) })
        }
        return out
    }

    /// How many of an authority's schools are in its means ("10 of 11"; a
    /// range "9–10 of 11" when that differs between the summary scales).
    func authoritySchoolsCell(_ a: Int) -> String {
        let authority = authorities[a]
        let counts = instrument.summaryScaleIndices.map { authority.scores[$0].schools }
        let low = counts.min() ?? 0, high = counts.max() ?? 0
        return (low == high ? "\(low)" : "\(low)–\(high)") + " of \(authority.schoolIndices.count)"
    }

    /// The line under the authorities table saying what its Schools column counts.
    var authoritySchoolsLegend: String? {
        authorities.isEmpty ? nil : "Schools: how many of the authority's schools are in its means (\"10 of 11\"; a range where that differs between scales); a school is left out where its mean cannot stand for its staff\(criteria.suppressBelow == nil ? "" : " or where it is suppressed")."
    }

    /// A T-score with one decimal, "–" when missing.
    static func readableT(_ score: NormScore?) -> String {
        score.map { DecimalText.fixed($0.t, places: 1) } ?? "–"
    }

    /// The profile columns: one per profile of the instrument, its class or "–".
    /// The authority profile columns: as `profileColumns`, withheld for a suppressed authority.
    func authorityProfileColumns(_ reference: NormReferencedScores, shortTitles: Bool) -> [(title: String, value: (Int) -> String)] {
        profileColumns(reference.authorityProfiles, shortTitles: shortTitles).map { column in
            (column.title, { a in self.authorities[a].suppressed ? self.suppressedCell(short: shortTitles) : column.value(a) })
        }
    }

    /// An authority's T-score on a scale, withheld when it is suppressed.
    func authorityT(_ reference: NormReferencedScores, _ a: Int, _ s: Int, short: Bool = true) -> String {
        authorities[a].suppressed ? suppressedCell(short: short) : Self.readableT(reference.authority[a][s])
    }

    func profileColumns(_ results: [[ProfileResult?]], shortTitles: Bool) -> [(title: String, value: (Int) -> String)] {
        instrument.profiles.enumerated().map { p, profile in
            let title = shortTitles ? TextTable.shorten(profile.id.prefix(1).uppercased() + profile.id.dropFirst(), to: 7) : profile.name
            return (title, { unit in results[unit][p]?.profileClass.rawValue ?? "–" })
        }
    }

    /// What the T-scores are relative to, as one sentence.
    func normsNote(_ names: SettingNames) -> String? {
        guard let reference = normReferenced else { return nil }
        switch reference.choice {
        case .sample:
            return "T-scores are SAMPLE-RELATIVE (\(names.usesCommandLineOptions ? "--norms sample" : "NormsChoice.sample")): each school's mean against the mean and SD of all school means in this file, each authority's against all authority means; they compare units within this study and are not normative."
        case .table(let norms):
            return "T-scores against \(norms.source)" + (norms.description.map { " (\($0))" } ?? "") + ", \(norms.level.rawValue)-level norms: T = 50 + 10 (mean - norm mean) / norm SD."
        }
    }

    /// How each profile is decided, one sentence per profile.
    var profileRuleLines: [String] {
        instrument.profiles.map { profile in
            let scales = profile.scales.map { "\($0.scale) \($0.favourable.rawValue)" }.joined(separator: ", ")
            let band = profile.band > 0 ? " beyond the band \(DecimalText.shortest(profile.cutoff - profile.band))–\(DecimalText.shortest(profile.cutoff + profile.band))" : ""
            return "\(profile.name): best when every scale is on its favourable side of T = \(DecimalText.shortest(profile.cutoff))\(band) (\(scales)), worst when every scale is on the other side, average otherwise. The published cut-offs are not public; this rule is an assumption set in the instrument file."
        }
    }

    /// The mark after a school's mean when its verdict on the scale fails.
    static let flagMark = "!"

    /// Why school j's profile p is withheld, as one sentence without a full stop.
    func profileWithheldMessage(_ j: Int, _ p: Int, names: SettingNames) -> String {
        let blockers = schools[j].profilesWithheldBy?[p] ?? []
        let parts = blockers.map { s in
            "\(instrument.scales[s].id) (\(schools[j].scores[s].verdict.reasons.map { $0.message(names) }.joined(separator: "; ")))"
        }
        return "withheld: the school's mean cannot stand for its staff on " + Self.joinedList(parts)
    }

    /// A school's T-score on a scale, marked when its mean cannot stand for its staff.
    func schoolT(_ reference: NormReferencedScores, _ j: Int, _ s: Int, short: Bool = true) -> String {
        if schools[j].suppressed { return suppressedCell(short: short) }
        let t = Self.readableT(reference.school[j][s])
        return t == "–" || schools[j].scores[s].aggregate ? t : t + Self.flagMark
    }

    /// The word in a profile column for a school whose profile is withheld
    /// ("–!" in the narrow terminal table).
    static func withheldProfile(short: Bool) -> String { short ? "–" + flagMark : "withheld" }

    /// The school profile columns: as `profileColumns`, "withheld" where the
    /// school's mean cannot stand on a scale the profile reads.
    func schoolProfileColumns(_ reference: NormReferencedScores, shortTitles: Bool) -> [(title: String, value: (Int) -> String)] {
        profileColumns(reference.schoolProfiles, shortTitles: shortTitles).enumerated().map { p, column in
            (column.title, { j in
                self.schools[j].suppressed ? self.suppressedCell(short: shortTitles)
                    : reference.schoolProfilesWithheldBy[j][p].isEmpty ? column.value(j) : Self.withheldProfile(short: shortTitles)
            })
        }
    }

    /// The legend under a T-score table when some school's T-score is flagged
    /// or its profile withheld; nil when none is.
    func flaggedTLegend(_ reference: NormReferencedScores, short: Bool) -> String? {
        let summary = instrument.summaryScaleIndices
        let flagged = schools.indices.contains { j in !schools[j].suppressed && summary.contains { !schools[j].scores[$0].aggregate && reference.school[j][$0] != nil } }
        let withheld = schools.indices.contains { j in !schools[j].suppressed && reference.schoolProfilesWithheldBy[j].contains { !$0.isEmpty } }
        guard flagged || withheld else { return nil }
        var text = "\(Self.flagMark) The school's mean does not stand for its staff on that scale (see the means above), so neither does its T-score."
        if withheld { text += " \(Self.withheldProfile(short: short)) as a profile: withheld, because the school's mean cannot stand on a scale the profile reads." }
        return text
    }

    /// The mark after a scale's title in school (or authority) tables when
    /// aggregating the scale to that level is not justified.
    static let notJustifiedMark = "†"

    /// Column titles for a school (or authority) table: `titles`, each
    /// followed by `notJustifiedMark` where aggregation to the level is not justified.
    func levelTitles(_ titles: [String], level: ReportLevel) -> [String] {
        let verdicts = level == .school ? schoolLevelVerdicts : authorityLevelVerdicts
        guard verdicts.count == instrument.scales.count else { return titles }
        return zip(titles, instrument.summaryScaleIndices).map { verdicts[$0.1].justified ? $0.0 : $0.0 + Self.notJustifiedMark }
    }

    /// The line under a school (or authority) table naming the scales whose
    /// aggregation to that level is not justified; nil when every one is.
    func notJustifiedLegend(titles: [String], level: ReportLevel) -> String? {
        let verdicts = level == .school ? schoolLevelVerdicts : authorityLevelVerdicts
        guard verdicts.count == instrument.scales.count else { return nil }
        let failing = zip(titles, instrument.summaryScaleIndices).filter { !verdicts[$0.1].justified }.map(\.0)
        guard !failing.isEmpty else { return nil }
        let units = level == .school ? "schools" : "authorities"
        return "\(Self.notJustifiedMark) Aggregation to \(units) is not justified on \(Self.joinedList(failing)) (see Between \(units)): \(units) cannot be told apart reliably there, so do not compare their means on \(failing.count == 1 ? "it" : "them")."
    }

    /// A school's mean on a scale, marked when the mean cannot stand for its staff.
    func schoolMean(_ j: Int, _ s: Int) -> String {
        if schools[j].suppressed { return suppressedCell(short: true) }
        return Self.readable(schools[j].scores[s].mean) + (schools[j].scores[s].aggregate ? "" : Self.flagMark)
    }
    /// An authority's mean of (passing) school means on a scale.
    func authorityMean(_ a: Int, _ s: Int) -> String {
        authorities[a].suppressed ? suppressedCell(short: true) : Self.readable(authorities[a].scores[s].mean)
    }

    /// The cell of a withheld number: "supp." in the narrow terminal table,
    /// "suppressed (< N)" in Markdown.
    func suppressedCell(short: Bool) -> String {
        short ? "supp." : "suppressed (< \(criteria.suppressBelow ?? 0))"
    }

    /// The line under a table with suppressed schools or authorities; nil when none is.
    func suppressedLegend(short: Bool, names: SettingNames) -> String? {
        guard let n = criteria.suppressBelow, schools.contains(where: \.suppressed) || authorities.contains(where: \.suppressed) else { return nil }
        return "\(short ? "supp. = " : "")suppressed (< \(n)): fewer than \(n) respondents (\(names.name(.suppressBelow)) \(n)), so the means, spreads, agreement, T-scores and profiles are withheld; the counts are shown, and a suppressed school is left out of its authority's means."
    }

    /// One sentence per school that fails its verdict on a summary scale:
    /// which scales fail and why, with the values.
    func flaggedSchoolLines(titles: [String]) -> [String] {
        let summary = instrument.summaryScaleIndices
        var lines: [String] = []
        // A suppressed school's values are withheld (the legend of the suppression says so).
        for (j, school) in schools.enumerated() where !school.suppressed {
            let failing = zip(titles, summary).filter { !school.scores[$0.1].aggregate }
            guard !failing.isEmpty else { continue }
            var parts: [String] = []
            let few = failing.filter { school.scores[$0.1].verdict.reasons.contains { $0.code == "fewRespondents" } }
            if !few.isEmpty {
                let counts = Set(few.map { schools[j].scores[$0.1].n })
                let n = counts.count == 1 ? "\(counts.first!)" : "\(counts.min()!)–\(counts.max()!)"
                parts.append("\(n) respondent\(n == "1" ? "" : "s") with a score, fewer than \(criteria.minRespondents), on \(Self.scaleList(few.map(\.0), of: summary.count))")
            }
            let low = failing.filter { school.scores[$0.1].verdict.reasons.contains { $0.code == "lowAgreement" } }
            if !low.isEmpty {
                parts.append("rwg(j) below \(Self.readable(criteria.rwgThreshold)) on " + low.map { "\($0.0) \(Self.readable(school.scores[$0.1].rwgJ))" }.joined(separator: ", "))
            }
            let none = failing.filter { school.scores[$0.1].verdict.reasons.contains { $0.code == "agreementNotComputable" } }
            if !none.isEmpty && few.count != none.count {
                parts.append("rwg(j) not computable on \(Self.scaleList(none.map(\.0), of: summary.count))")
            }
            let name = school.key.authority.map { "\($0) / \(school.shownName)" } ?? school.shownName
            lines.append("\(TextTable.visible(name)): " + parts.joined(separator: "; "))
        }
        return lines
    }

    /// "every scale" when all are listed, otherwise the names.
    static func scaleList(_ names: [String], of total: Int) -> String {
        names.count == total && total > 1 ? "every scale" : names.joined(separator: ", ")
    }

    /// The authorities' schools left out of their aggregates on some summary scale.
    func leftOutLine(_ names: SettingNames) -> String? {
        let summary = instrument.summaryScaleIndices
        var parts: [String] = []
        for authority in authorities {
            let out = Set(summary.flatMap { authority.scores[$0].excludedSchools }).sorted()
            if !out.isEmpty { parts.append(TextTable.visible("\(authority.id): " + out.map { schools[$0].key.school }.joined(separator: ", "))) }
        }
        guard !parts.isEmpty else { return nil }
        let suppressed = criteria.suppressBelow != nil && schools.contains(where: \.suppressed)
        return "Left out of their authority's means on the scales where they are flagged (\(names.name(.includeAllSchools)) keeps them)\(suppressed ? " or everywhere when suppressed" : ""): " + parts.joined(separator: "; ") + "."
    }

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

    /// Between-group ICCs of each summary scale at one level, the median
    /// rwg(j) of its groups, how many reach the threshold, and whether
    /// aggregation to the level is justified (Bliese 2000).
    func betweenGroupTable(titles: [String], level: ReportLevel, withInterval: Bool) -> TextTable {
        let threshold = criteria.rwgThreshold
        var columns: [TextTable.Column] = [.init("Scale", .left), .init("ICC(1)")]
        if withInterval { columns.append(.init("95% CI", minWidth: 9)) }
        columns.append(.init("ICC(2)"))
        if withInterval { columns.append(.init("ICC(2) 95% CI", minWidth: 9)) }
        columns += [.init("F"), .init("p", minWidth: 6), .init("median rwg(j)"),
                    .init("rwg(j) ≥ \(Self.readable(threshold).drop { $0 == "0" })"), .init("Aggregate", .left)]
        var out = TextTable(columns: columns)
        for (title, s) in zip(titles, instrument.summaryScaleIndices) {
            let icc = level == .school ? statistics.icc[s].school : statistics.icc[s].authority
            let agreement = level == .school ? schools.map { $0.scores[s].rwgJ } : authorities.map { $0.scores[s].rwgJ }
            let values = agreement.compactMap { $0 }.sorted()
            let median: Double? = values.isEmpty ? nil : values.count % 2 == 1 ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
            let verdict = level == .school ? schoolLevelVerdicts[s] : authorityLevelVerdicts[s]
            var row = [title, Self.readable(icc?.icc1)]
            if withInterval { row.append(icc.map { "\(Self.readable($0.icc1Lower))–\(Self.readable($0.icc1Upper))" } ?? "–") }
            row.append(Self.readable(icc?.icc2))
            if withInterval {
                // No interval where ICC(2) is not a number (F = 0: both ends at −infinity).
                row.append(icc.flatMap { $0.icc2Lower.isFinite && $0.icc2Upper.isFinite ? "\(Self.readable($0.icc2Lower))–\(Self.readable($0.icc2Upper))" : nil } ?? "–")
            }
            row += [Self.readable(icc?.f), Self.readableP(icc?.p), Self.readable(median),
                    "\(values.filter { $0 >= threshold }.count) of \(agreement.count)", verdict.justified ? "yes" : "no"]
            out.append(row)
        }
        return out
    }

    /// The share of each scale's variance between authorities, between
    /// schools and within schools (REML), in percent.
    func varianceTable(titles: [String]) -> TextTable {
        let threeLevel = table.hasAuthorityColumn
        var columns: [TextTable.Column] = [.init("Scale", .left)]
        if threeLevel { columns.append(.init("Authorities")) }
        columns += [.init("Schools"), .init("Within schools"), .init("Total variance"), .init("Converged", .left)]
        var out = TextTable(columns: columns)
        func percent(_ x: Double?) -> String { x.map { DecimalText.fixed(100 * $0, places: 1) + "%" } ?? "–" }
        for (title, s) in zip(titles, instrument.summaryScaleIndices) {
            let v = statistics.icc[s].variance
            var row = [title]
            if threeLevel { row.append(percent(v?.authorityShare)) }
            row += [percent(v?.schoolShare), percent(v?.residualShare), v.map { DecimalText.fixed($0.total, places: 3) } ?? "–",
                    v.map { $0.converged ? "yes" : "no" } ?? "–"]
            out.append(row)
        }
        return out
    }

    /// Why aggregation is not justified, one line per scale that fails, and
    /// why a dash stands in the table where F is infinite (the staff of every
    /// group gave identical scores, so there is no within-group variance).
    func levelVerdictLines(titles: [String], level: ReportLevel, names: SettingNames) -> [String] {
        zip(titles, instrument.summaryScaleIndices).compactMap { title, s in
            let verdict = level == .school ? schoolLevelVerdicts[s] : authorityLevelVerdicts[s]
            let icc = level == .school ? statistics.icc[s].school : statistics.icc[s].authority
            var parts = verdict.justified ? [] : verdict.reasons.map { $0.message(names) }
            if let icc, icc.f == .infinity {
                parts.append("F is infinite (shown as –) because within every group all scores are equal")
            }
            return parts.isEmpty ? nil : "\(title): " + parts.joined(separator: "; ")
        }
    }

    /// The one-tailed p of a random group resampling, Φ(z): small when the
    /// real groups vary less than random pseudo-groups of the same sizes.
    static func rgrP(_ rgr: RGRAgreement) -> Double? {
        rgr.z.map(NormalDistribution.cdf)
    }

    /// Whether agreement within the real groups is above chance: they vary
    /// less than random pseudo-groups, one-tailed p = Φ(z) below the
    /// significance level (`criteria.alphaLevel`, as for the F test).
    func rgrAboveChance(_ rgr: RGRAgreement) -> Bool {
        Self.rgrP(rgr).map { $0 < criteria.alphaLevel } ?? false
    }

    /// Random group resampling of each summary scale, at school and (with
    /// authorities) authority level: the real groups' mean within-group
    /// variance, the pseudo-groups' mean variance, z, p and the verdict.
    func rgrTable(titles: [String]) -> TextTable {
        var out = TextTable(columns: [.init("Level", .left), .init("Scale", .left), .init("Groups"), .init("Real var"),
                                      .init("Random var"), .init("z"), .init("p", minWidth: 6), .init("Above chance", .left)])
        let levels: [(String, (Int) -> RGRAgreement?)] = [("school", { self.statistics.icc[$0].schoolRGR })]
            + (table.hasAuthorityColumn ? [("authority", { self.statistics.icc[$0].authorityRGR })] : [])
        func variance(_ x: Double) -> String { x.isFinite ? DecimalText.fixed(x, places: 3) : "–" }
        for (level, rgr) in levels {
            for (title, s) in zip(titles, instrument.summaryScaleIndices) {
                guard let r = rgr(s) else {
                    out.append([level, title, "–", "–", "–", "–", "–", "–"])
                    continue
                }
                out.append([level, title, String(r.groups), variance(r.averageGroupVariance), variance(r.averagePseudoGroupVariance),
                            Self.readable(r.z), Self.readableP(Self.rgrP(r)), rgrAboveChance(r) ? "yes" : "no"])
            }
        }
        return out
    }

    /// The heading of the random group resampling table, nil without `--rgr`.
    var rgrHeading: String? {
        statistics.options.rgrReplications.map {
            "Random group resampling (\($0) replication\($0 == 1 ? "" : "s"), seed \(statistics.options.seed); Bliese & Halverson 2002)"
        }
    }

    /// The sentence under the random group resampling table.
    func rgrNote(_ names: SettingNames) -> String {
        "Real var is the mean within-group variance of the real groups, Random var that of random pseudo-groups of the same sizes drawn from all respondents; agreement is above chance when the real groups vary less: one-tailed p = Φ(z) below \(DecimalText.fixed(criteria.alphaLevel, places: 2).drop { $0 == "0" }) (\(names.name(.alphaLevel)))."
    }

    /// The sentence under the statistics tables: the null and the missing-data rule.
    func statisticsNote(_ names: SettingNames) -> String {
        let null = statistics.options.nullName == "fixed"
            ? "a null variance of \(Self.brief(statistics.nullVariance)) (\(names.name(.nullVariance)))"
            : "the \(statistics.options.nullName) null distribution (variance \(Self.brief(statistics.nullVariance)))"
        let missing = statistics.options.missing == .pairwise
            ? "each item's available answers (pairwise)"
            : "only respondents who answered every item of the scale (\(names.name(.listwise)))"
        return "rwg(j) uses \(null) and \(missing). ICCs from the one-way ANOVA of respondents' scale scores (k = N/G). Aggregation is justified when ICC(1) > 0, p < \(DecimalText.fixed(criteria.alphaLevel, places: 2).drop { $0 == "0" }) and ICC(2) ≥ \(Self.readable(criteria.icc2Threshold)) (Bliese 2000)."
    }

    /// How the file was read beyond the counts, as one sentence (nil when
    /// there is nothing to say): its encoding when not UTF-8, more header
    /// rows, unfinished responses.
    var inputNotes: [String] {
        var parts: [String] = []
        if let sheet = input.sheet { parts.append("sheet \(QuotedValue.quote(sheet)) of an Excel workbook; line numbers are its row numbers") }
        if let note = input.encoding.note { parts.append(note) }
        if !input.headerRowLines.isEmpty {
            let lines = input.headerRowLines.map(String.init).joined(separator: " and ")
            parts.append("line\(input.headerRowLines.count == 1 ? "" : "s") \(lines) \(input.headerRowLines.count == 1 ? "is a header row" : "are header rows"), not data")
        }
        if input.unfinished > 0 {
            parts.append("\(input.unfinished) response\(input.unfinished == 1 ? "" : "s") not finished (Finished false), kept")
        }
        guard !parts.isEmpty else { return [] }
        let text = parts.joined(separator: "; ")
        return [text.prefix(1).uppercased() + text.dropFirst() + "."]
    }

    /// The one value outside the scale that makes up most of the invalid
    /// cells (`9`, `-99`: a missing-answer code), with its count; nil when
    /// no value does, or there are fewer than ten invalid cells.
    public var dominantInvalidValue: (value: String, count: Int)? {
        var counts: [String: Int] = [:]
        var total = 0
        for p in input.problems where p.kind == .invalidValue {
            total += 1
            counts[p.value ?? "", default: 0] += 1
        }
        guard total >= 10, let top = counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
              2 * top.value > total else { return nil }
        return (top.key, top.value)
    }

    /// Every finding about the input, one sentence each, in line order,
    /// naming settings by their library names.
    public func findingLines() -> [String] { findingLines(.library) }

    /// Every finding about the input, one sentence each, in line order.
    /// When one value makes up most invalid cells (`dominantInvalidValue`),
    /// its cells are one line suggesting the missing-codes setting (JSON
    /// `input.problems` still lists each).
    /// - Parameter names: how the lines name settings.
    public func findingLines(_ names: SettingNames) -> [String] {
        var found: [(line: Int, text: String)] = []
        let dominant = dominantInvalidValue
        if let dominant {
            let first = input.problems.first { $0.kind == .invalidValue && $0.value == dominant.value }!.line
            found.append((first, "\(QuotedValue.quote(dominant.value)) is in \(dominant.count) item cells (from line \(first)), most of the invalid cells, and is not an answer on the response scale; if it means no answer, give \(names.name(.missingCodes)) \(dominant.value) (scored as missing either way)"))
        }
        for p in input.problems {
            if let dominant, p.kind == .invalidValue, p.value == dominant.value { continue }
            switch p.kind {
            case .invalidValue:
                found.append((p.line, "line \(p.line), column \(TextTable.visible(p.column ?? "?")): \(QuotedValue.quote(p.value ?? "")) is \(p.problem); scored as missing"))
            default:
                found.append((p.line, "line \(p.line), column \(TextTable.visible(p.column ?? "?")): \(QuotedValue.quote(p.value ?? "")): \(p.problem)"))
            }
        }
        for e in input.excluded {
            found.append((e.line, "line \(e.line)\(e.respondent.map { " (\(TextTable.visible($0)))" } ?? ""): excluded, \(e.reason)"))
        }
        for line in input.withoutSchool {
            found.append((line, "line \(line): no school; scored but left out of school and authority results"))
        }
        for line in input.blankLines { found.append((line, "line \(line): blank line, not a data row")) }
        var lines = found.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element.text)
        if !input.ignoredColumns.isEmpty {
            lines.append("columns not used: \(input.ignoredColumns.map { TextTable.visible($0) }.joined(separator: ", "))")
        }
        // Suspected keying errors, after the findings about the file.
        lines += keyFindings.map { TextTable.visible($0.message) }
        return lines
    }
}
