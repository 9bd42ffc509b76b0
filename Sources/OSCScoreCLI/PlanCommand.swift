// `osc-score plan`: how many respondents per school and how many schools a
// study needs, from an ICC(1) or from a study's own data (StudyPlanning).

import OSCScoring

extension OSCScoreCommand {
    /// Runs `osc-score plan --icc1 X …` or `osc-score plan FILE`.
    static func runPlan(_ options: CommandLineOptions, console: Console) throws -> Int32 {
        let text: String
        if let icc1 = options.plan.icc1 {
            text = planText(PlanNumbers(icc1: icc1, respondents: options.plan.respondents, schools: options.plan.schools, settings: options.plan),
                            settings: options.plan, format: options.format)
        } else {
            let file = options.file!
            try checkStreams(options, console: console)
            let (instrument, _) = try loadInstrument(options)
            try instrument.requireScorable()
            let (table, _) = try ResponseReader.read(path: file, instrument: instrument, options: options.read)
            let report = try ScoringReport(table: table, options: options.scoring)
            text = studyPlanText(report, source: file == "-" ? "standard input" : file, settings: options.plan, format: options.format)
        }
        try console.emit(text, to: options.output)
        return ExitStatus.success
    }

    /// The numbers of one plan: from an ICC(1), groups of N (or of mean size k) and G groups.
    struct PlanNumbers {
        let icc1: Double
        /// The whole number of respondents per group for ICC(2) ≥ T, and k exactly.
        let needed: Int?, neededExact: Double?
        /// The respondents per group the rest is computed for.
        let respondents: Double?
        let icc2: Double?, designEffect: Double?
        let groups: Int?, power: Double?, groupsNeeded: Int?
        /// What a reader must know when a number is missing.
        let notes: [String]

        /// A planned design: N respondents per school (default: those needed), G schools when given.
        init(icc1: Double, respondents: Int?, schools: Int?, settings: PlanSettings) {
            self.icc1 = icc1
            needed = StudyPlanning.respondentsNeeded(icc1: icc1, target: settings.icc2Target)
            neededExact = StudyPlanning.exactRespondentsNeeded(icc1: icc1, target: settings.icc2Target)
            let n = respondents ?? needed
            self.respondents = n.map(Double.init)
            icc2 = n.flatMap { StudyPlanning.groupMeanReliability(icc1: icc1, respondents: Double($0)) }
            designEffect = n.flatMap { StudyPlanning.designEffect(icc1: icc1, respondents: Double($0)) }
            groups = schools
            power = n.flatMap { n in schools.flatMap { StudyPlanning.power(icc1: icc1, respondents: n, schools: $0, alpha: settings.alpha) } }
            groupsNeeded = n.flatMap { StudyPlanning.schoolsNeeded(icc1: icc1, respondents: $0, alpha: settings.alpha, power: settings.power) }
            var notes: [String] = []
            if needed == nil { notes.append("more than \(StudyPlanning.maximumCount) respondents per school would be needed") }
            if n == 1 { notes.append("with 1 respondent per school there is no variance within schools to test against: give --respondents N of 2 or more for the power") }
            if n.map({ $0 >= 2 }) ?? false, groupsNeeded == nil { notes.append("more than \(StudyPlanning.maximumCount) schools would be needed for the power") }
            self.notes = notes
        }

        /// The study's own design at one level: G groups of mean size k with N − G degrees of freedom within.
        init(study icc: OneWayANOVAICC, settings: PlanSettings, unit: String) {
            icc1 = icc.icc1
            groups = icc.groups
            respondents = icc.k
            icc2 = icc.icc2.isFinite ? icc.icc2 : nil
            guard icc.icc1 > 0 && icc.icc1 < 1 else {
                needed = nil; neededExact = nil; designEffect = StudyPlanning.designEffect(icc1: icc.icc1, respondents: icc.k)
                power = nil; groupsNeeded = nil
                notes = [icc.icc1 >= 1
                    ? "ICC(1) is \(DecimalText.fixed(icc.icc1, places: 2)): every \(unit)'s respondents answer alike, so one respondent per \(unit) already gives a reliable mean"
                    : "ICC(1) is \(DecimalText.fixed(icc.icc1, places: 2)), not above 0: the \(unit)s differ no more than their respondents do, so no number of respondents makes a \(unit) mean reliable and no number of \(unit)s detects a difference"]
                return
            }
            needed = StudyPlanning.respondentsNeeded(icc1: icc.icc1, target: settings.icc2Target)
            neededExact = StudyPlanning.exactRespondentsNeeded(icc1: icc.icc1, target: settings.icc2Target)
            designEffect = StudyPlanning.designEffect(icc1: icc.icc1, respondents: icc.k)
            power = StudyPlanning.power(icc1: icc.icc1, groupSize: icc.k, groups: icc.groups, withinDF: Double(icc.df2), alpha: settings.alpha)
            let size = max(2, Int(icc.k.rounded()))
            groupsNeeded = StudyPlanning.schoolsNeeded(icc1: icc.icc1, respondents: size, alpha: settings.alpha, power: settings.power)
            notes = []
        }

        /// The JSON members shared by both forms.
        func members() -> [(key: String, value: JSONValue)] {
            [("icc1", .number(icc1)), ("respondentsPerSchool", needed.map { .number(Double($0)) } ?? .null),
             ("respondentsPerSchoolExact", .number(neededExact)), ("respondents", .number(respondents)),
             ("icc2", .number(icc2)), ("designEffect", .number(designEffect)),
             ("schools", groups.map { .number(Double($0)) } ?? .null), ("power", .number(power)),
             ("schoolsNeeded", groupsNeeded.map { .number(Double($0)) } ?? .null),
             ("notes", .array(notes.map(JSONValue.string)))]
        }
    }

    static func two(_ x: Double?) -> String { x.map { $0.isFinite ? DecimalText.fixed($0, places: 2) : "–" } ?? "–" }
    static func whole(_ x: Int?) -> String { x.map(String.init) ?? "–" }
    static func short(_ x: Double) -> String { DecimalText.shortest(x) }
    static func csvNumber(_ x: Double?) -> String { x.map { $0.isFinite ? DecimalText.shortest($0) : "" } ?? "" }

    /// The plan from `--icc1` in the chosen format.
    static func planText(_ p: PlanNumbers, settings: PlanSettings, format: OutputFormat) -> String {
        let t = short(settings.icc2Target), a = short(settings.alpha), pw = short(settings.power)
        let n = p.respondents.map { short($0) } ?? "–"
        let rows: [(String, String)] = [
            ("Respondents per school for ICC(2) ≥ \(t)", whole(p.needed) + (p.neededExact.map { " (k = \(DecimalText.fixed($0, places: 2)))" } ?? "")),
            ("ICC(2) of a school mean of \(n)", two(p.icc2)),
            ("Design effect of \(n) per school", two(p.designEffect)),
            ("Power, \(p.groups.map(String.init) ?? "G") schools of \(n), alpha \(a)", p.groups == nil ? "– (give --schools G)" : two(p.power)),
            ("Schools of \(n) for power \(pw), alpha \(a)", whole(p.groupsNeeded)),
        ]
        let heading = "Study plan from ICC(1) = \(short(p.icc1))"
        let method = "ICC(2) = n ICC(1) / (1 + (n - 1) ICC(1)) (Spearman-Brown; Bliese 2000), inverted as k = T (1 - ICC(1)) / (ICC(1) (1 - T)); design effect 1 + (n - 1) ICC(1) (Kish 1965); power of the one-way ANOVA F test of G schools of n, whose F ratio is (1 + n ICC(1) / (1 - ICC(1))) times an F(G - 1, G (n - 1)) variable (Scheffé 1959)."
        switch format {
        case .json:
            return JSONValue.object([("icc2Target", .number(settings.icc2Target)), ("alpha", .number(settings.alpha)),
                                     ("powerTarget", .number(settings.power))] + p.members()).text() + "\n"
        case .csv:
            let header = "icc1,icc2Target,alpha,powerTarget,respondentsPerSchool,respondentsPerSchoolExact,respondents,icc2,designEffect,schools,power,schoolsNeeded"
            let values = [short(p.icc1), t, a, pw, p.needed.map(String.init) ?? "", csvNumber(p.neededExact), csvNumber(p.respondents),
                          csvNumber(p.icc2), csvNumber(p.designEffect), p.groups.map(String.init) ?? "", csvNumber(p.power),
                          p.groupsNeeded.map(String.init) ?? ""]
            return header + "\n" + values.joined(separator: ",") + "\n"
        case .markdown:
            var table = TextTable(columns: [.init("Quantity", .left), .init("Value")])
            for row in rows { table.append([row.0, row.1]) }
            return "# \(heading)\n\n" + table.markdown() + "\n" + method + "\n" + p.notes.map { "\n- \($0)" }.joined() + (p.notes.isEmpty ? "" : "\n")
        case .table:
            var table = TextTable(columns: [.init("Quantity", .left), .init("Value")])
            for row in rows { table.append([row.0, row.1]) }
            return heading + "\n" + table.plainText() + "\n" + TextTable.wrap(method, hangingIndent: "")
                + p.notes.map { TextTable.wrap("Note: " + $0, hangingIndent: "    ") }.joined()
        }
    }

    /// The plan from a study's own data in the chosen format.
    static func studyPlanText(_ report: ScoringReport, source: String, settings: PlanSettings, format: OutputFormat) -> String {
        let instrument = report.instrument
        let scales = instrument.scales
        let hasAuthorities = !report.authorities.isEmpty
        let levels: [(name: String, unit: String, plans: [PlanNumbers?])] = [
            ("schools", "school", scales.indices.map { s in report.statistics.icc[s].school.map { PlanNumbers(study: $0, settings: settings, unit: "school") } }),
        ] + (hasAuthorities ? [("authorities", "authority", scales.indices.map { s in
            report.statistics.icc[s].authority.map { PlanNumbers(study: $0, settings: settings, unit: "authority") } })] : [])
        let schoolPlans = levels[0].plans
        // Each school's group-mean reliability and the respondents it lacks, per scale.
        func reliability(_ j: Int, _ s: Int) -> Double? {
            guard let p = schoolPlans[s], p.icc1 > 0 && p.icc1 < 1 else { return nil }
            let n = report.schools[j].scores[s].n
            return n >= 1 ? StudyPlanning.groupMeanReliability(icc1: p.icc1, respondents: Double(n)) : nil
        }
        func more(_ j: Int, _ s: Int) -> Int? {
            schoolPlans[s]?.needed.map { max(0, $0 - report.schools[j].scores[s].n) }
        }
        let t = short(settings.icc2Target), a = short(settings.alpha), pw = short(settings.power)
        switch format {
        case .json:
            let scaleEntries: [JSONValue] = scales.indices.map { s in
                .object([("id", .string(scales[s].id)), ("name", .string(scales[s].name)), ("level", .string(scales[s].level))]
                        + levels.map { level in (String(level.unit), level.plans[s].map { .object($0.members()) } ?? .null) })
            }
            let schoolEntries: [JSONValue] = report.schools.indices.map { j in
                let school = report.schools[j]
                return .object([
                    ("id", .string(school.id)), ("authority", .string(school.authority)),
                    ("scores", .object(scales.indices.map { s in
                        (scales[s].id, .object([("n", .number(Double(school.scores[s].n))), ("groupMeanReliability", .number(reliability(j, s))),
                                                ("respondentsMore", more(j, s).map { .number(Double($0)) } ?? .null)]))
                    })),
                ])
            }
            return JSONValue.object([
                ("source", .string(source)), ("icc2Target", .number(settings.icc2Target)), ("alpha", .number(settings.alpha)),
                ("powerTarget", .number(settings.power)), ("scales", .array(scaleEntries)), ("schools", .array(schoolEntries)),
            ]).text() + "\n"
        case .csv:
            var lines = ["level,id,authority,scale,n,icc1,icc2,respondentsPerSchool,designEffect,power,schoolsNeeded,groupMeanReliability,respondentsMore"]
            for level in levels {
                for s in scales.indices {
                    guard let p = level.plans[s] else { continue }
                    lines.append([level.name, "", "", ScoringReport.quoted(scales[s].id), csvNumber(p.respondents), csvNumber(p.icc1), csvNumber(p.icc2),
                                  p.needed.map(String.init) ?? "", csvNumber(p.designEffect), csvNumber(p.power),
                                  p.groupsNeeded.map(String.init) ?? "", "", ""].joined(separator: ","))
                }
            }
            for (j, school) in report.schools.enumerated() {
                for s in scales.indices {
                    lines.append(["school", ScoringReport.quoted(school.id), ScoringReport.quoted(school.authority ?? ""), ScoringReport.quoted(scales[s].id),
                                  String(school.scores[s].n), "", "", "", "", "", "", csvNumber(reliability(j, s)),
                                  more(j, s).map(String.init) ?? ""].joined(separator: ","))
                }
            }
            return lines.joined(separator: "\n") + "\n"
        case .table, .markdown:
            let summary = instrument.summaryScaleIndices
            let titles = summary.map { format == .markdown ? scales[$0].name : (scales[$0].abbreviation ?? TextTable.shorten(scales[$0].name, to: 6)) }
            func render(_ table: TextTable) -> String { format == .markdown ? table.markdown() : table.plainText() }
            func line(_ text: String) -> String { format == .markdown ? text + "\n" : TextTable.wrap(text, hangingIndent: "") }
            var out = format == .markdown ? "# Study plan: \(source)\n\n" : ""
            out += line("Study plan from \(TextTable.visible(source)): the study's ICC(1) per scale (one-way ANOVA, k = N/G), target ICC(2) ≥ \(t), alpha \(a), power \(pw).")
            var notes: [String] = []
            for level in levels {
                var table = TextTable(columns: [.init("Scale", .left), .init("ICC(1)"), .init("k"), .init("ICC(2)"), .init("n needed"),
                                                .init("Deff"), .init("Power"), .init("G needed")])
                for (title, s) in zip(titles, summary) {
                    guard let p = level.plans[s] else { table.append([title, "–", "–", "–", "–", "–", "–", "–"]); continue }
                    table.append([title, two(p.icc1), DecimalText.fixed(p.respondents ?? 0, places: 1), two(p.icc2), whole(p.needed),
                                  two(p.designEffect), two(p.power), whole(p.groupsNeeded)])
                    notes += p.notes.map { "\(title), \(level.name): \($0)" }
                }
                let g = level.plans.compactMap { $0?.groups }.first
                out += "\n" + line("Between \(level.name)" + (g.map { " (\($0) \(level.name) of mean size k): n needed per \(level.unit) for ICC(2) ≥ \(t); Deff, the design effect at k; Power of this design at alpha \(a); G needed, \(level.name) of k for power \(pw)" } ?? ""))
                out += (format == .markdown ? "\n" : "") + render(table)
            }
            func schoolTable(_ value: (Int, Int) -> String) -> TextTable {
                var table = TextTable(columns: (hasAuthorities ? [TextTable.Column("Authority", .left, maxWidth: 14)] : [])
                                      + [.init("School", .left, maxWidth: 14)] + titles.map { TextTable.Column($0, minWidth: 6) })
                for (j, school) in report.schools.enumerated() {
                    table.append((hasAuthorities ? [school.authority ?? "(none)"] : []) + [school.id] + summary.map { value(j, $0) })
                }
                return table
            }
            out += "\n" + line("Group-mean reliability of each school at its own size, n ICC(1) / (1 + (n - 1) ICC(1)) (Bliese 2000)")
            out += (format == .markdown ? "\n" : "") + render(schoolTable { j, s in two(reliability(j, s)) })
            out += "\n" + line("More respondents each school needs for ICC(2) ≥ \(t) (0: it has enough)")
            out += (format == .markdown ? "\n" : "") + render(schoolTable { j, s in whole(more(j, s)) })
            if !notes.isEmpty {
                out += "\n" + notes.map { format == .markdown ? "- \($0)\n" : TextTable.wrap("Note: " + $0, hangingIndent: "    ") }.joined()
            }
            return out
        }
    }
}
