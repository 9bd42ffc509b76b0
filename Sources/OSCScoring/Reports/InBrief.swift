// "In brief": the results in a few plain sentences for head teachers and
// local-authority leads, at the top of every readable report.

extension ScoringReport {
    /// The report's main findings as plain sentences, in this order: which
    /// summary scales differ reliably between schools and which do not (so
    /// their school means must not be compared), the same between
    /// authorities when they do not, how many schools' means cannot stand
    /// for their staff and why, which schools and authorities are withheld
    /// as too small (`AggregationCriteria.suppressBelow`), the strongest and
    /// weakest dimensions (against the norms with `NormsChoice.table`,
    /// otherwise on the answer scale over all staff), and data quality in
    /// one sentence.
    ///
    /// Scales are named by their full names; "strongest" and "weakest" use
    /// each scale's favourable direction (`Scale.favourable`), and scales
    /// without one are described neutrally ("highest", "lowest"). No school
    /// is named, so the sentences can go to every school.
    /// - Parameter context: how the sentences name settings (`--norms` on the command line).
    /// - Returns: one sentence per element, each ending with a full stop.
    public func inBrief(context: ReportContext = ReportContext()) -> [String] {
        let names = context.settingNames
        var lines: [String] = []
        lines += levelBriefLines(level: .school)
        if table.hasAuthorityColumn { lines += levelBriefLines(level: .authority) }
        if let line = schoolVerdictBriefLine(names) { lines.append(line) }
        if let line = suppressionBriefLine(names) { lines.append(line) }
        if let line = strengthBriefLine(names) { lines.append(line) }
        lines.append(dataQualityBriefLine())
        return lines
    }

    /// "A, B and C".
    static func joinedList(_ parts: [String]) -> String {
        switch parts.count {
        case 0: return ""
        case 1: return parts[0]
        default: return parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
        }
    }

    /// Which summary scales differ reliably between units of a level, and which do not.
    func levelBriefLines(level: ReportLevel) -> [String] {
        let summary = instrument.summaryScaleIndices
        let verdicts = level == .school ? schoolLevelVerdicts : authorityLevelVerdicts
        guard verdicts.count == instrument.scales.count else { return [] }
        let units = level == .school ? "schools" : "authorities"
        let unit = level == .school ? "school" : "authority"
        let reliable = summary.filter { verdicts[$0].justified }
        let unreliable = summary.filter { !verdicts[$0].justified }
        var lines: [String] = []
        if !reliable.isEmpty && level == .school {
            let all = unreliable.isEmpty ? (summary.count > 1 ? "every scale: " : "") : ""
            lines.append("\(units.prefix(1).uppercased() + units.dropFirst()) differ reliably on \(all)\(Self.joinedList(reliable.map { instrument.scales[$0].name })), so \(unit) means on \(reliable.count == 1 ? "this scale" : "these scales") can be compared (ICC(2), the reliability of a \(unit) mean, at least \(Self.readable(criteria.icc2Threshold))).")
        }
        if !unreliable.isEmpty {
            let parts = unreliable.map { s -> String in
                let icc = level == .school ? statistics.icc[s].school : statistics.icc[s].authority
                let v = verdicts[s]
                let why: String
                if let icc {
                    if !v.icc2Reliable, icc.icc2.isFinite { why = "ICC(2) \(Self.readable(icc.icc2))" }
                    else if !v.fSignificant { why = "differences no larger than chance, p = \(Self.readableP(icc.p))" }
                    else { why = "no variation between \(units)" }
                } else {
                    why = "too few \(units) to tell"
                }
                return "\(instrument.scales[s].name) (\(why))"
            }
            lines.append("\(units.prefix(1).uppercased() + units.dropFirst()) cannot be told apart reliably on \(Self.joinedList(parts)), so their \(unit) means on \(unreliable.count == 1 ? "this scale" : "these scales") should not be compared (\(Self.readable(criteria.icc2Threshold)) is the usual minimum ICC(2)).")
        }
        return lines
    }

    /// How many schools' means cannot stand for their staff on some summary scale, and why.
    func schoolVerdictBriefLine(_ names: SettingNames) -> String? {
        guard !schools.isEmpty else { return nil }
        let summary = instrument.summaryScaleIndices
        var failing = 0, few = 0, low = 0
        for school in schools {
            let reasons = summary.flatMap { school.scores[$0].verdict.reasons.map(\.code) }
            guard !reasons.isEmpty else { continue }
            failing += 1
            if reasons.contains("fewRespondents") { few += 1 }
            else if reasons.contains("lowAgreement") || reasons.contains("agreementNotComputable") { low += 1 }
        }
        guard failing > 0 else {
            return "Every school's mean can stand for its staff on every scale (at least \(criteria.minRespondents) respondents and staff who agree, rwg(j) \(Self.readable(criteria.rwgThreshold)) or more)."
        }
        var why: [String] = []
        if few > 0 { why.append("\(few) \(few == 1 ? "has" : "have") fewer than \(criteria.minRespondents) respondents") }
        if low > 0 { why.append("in \(low) the staff disagree too much for one number to describe them (rwg(j) below \(Self.readable(criteria.rwgThreshold)))") }
        var consequence = ["are flagged"]
        if normReferenced != nil && !instrument.profiles.isEmpty { consequence.append("get no profile") }
        if table.hasAuthorityColumn && !criteria.includeAllSchools { consequence.append("are left out of their authority's mean") }
        return "\(failing) of \(schools.count) schools have a mean that cannot stand for their staff on at least one scale: \(Self.joinedList(why)); on those scales their means \(Self.joinedList(consequence))."
    }

    /// How many schools and authorities are withheld as too small, when suppression is on.
    func suppressionBriefLine(_ names: SettingNames) -> String? {
        guard let n = criteria.suppressBelow else { return nil }
        let s = schools.filter(\.suppressed).count, a = authorities.filter(\.suppressed).count
        let units = table.hasAuthorityColumn
            ? "\(s) school\(s == 1 ? "" : "s") and \(a) authorit\(a == 1 ? "y" : "ies")"
            : "\(s) school\(s == 1 ? "" : "s")"
        return "The results of \(units) with fewer than \(n) respondents are withheld to protect the staff who answered (\(names.name(.suppressBelow)) \(n)); their counts are shown\(s > 0 && table.hasAuthorityColumn ? " and they are left out of their authority's mean" : "")."
    }

    /// The strongest and weakest summary scales: against the norms when the
    /// report has a normative table, otherwise on the answer scale.
    func strengthBriefLine(_ names: SettingNames) -> String? {
        let summary = instrument.summaryScaleIndices
        var values: [(s: Int, value: Double)] = []
        let againstNorms: Bool
        var respondentNorms = false
        if let reference = normReferenced, case .table(let norms) = reference.choice {
            againstNorms = true
            respondentNorms = norms.level == .respondent
            for s in summary {
                guard let norm = norms.scales[instrument.scales[s].id] else { continue }
                let mean: Double?
                if norms.level == .respondent {
                    mean = scaleDescriptives[s].mean
                } else {
                    let standing = schools.filter { $0.scores[s].aggregate && !$0.suppressed }.compactMap { $0.scores[s].mean }
                    mean = Descriptives(standing).mean
                }
                if let mean { values.append((s, norm.score(mean).t)) }
            }
        } else {
            againstNorms = false
            for s in summary { if let mean = scaleDescriptives[s].mean { values.append((s, mean)) } }
        }
        guard !values.isEmpty else { return nil }
        let scales = instrument.scales
        let mid = againstNorms ? 50 : Double(instrument.responseScale.min + instrument.responseScale.max) / 2
        func shown(_ v: (s: Int, value: Double)) -> String {
            let number = againstNorms ? "T \(DecimalText.fixed(v.value, places: 1))" : "mean \(Self.readable(v.value))"
            let direction = scales[v.s].favourable.map { $0 == .high ? "; higher is favourable" : "; lower is favourable" } ?? ""
            return "\(scales[v.s].name) (\(number)\(direction))"
        }
        let basis = againstNorms
            ? (respondentNorms
                ? "Against the norms (T 50 is the norm average), the staff of this study are"
                : "Against the norms (T 50 is the norm average), the average school is")
            : "On the answer scale from \(instrument.responseScale.min) to \(instrument.responseScale.max) (without norms this says nothing about other organisations), the staff of this study are"
        let directed = values.filter { scales[$0.s].favourable != nil }
        if directed.count >= 2 {
            func favourability(_ v: (s: Int, value: Double)) -> Double { scales[v.s].favourable == .high ? v.value - mid : mid - v.value }
            let best = directed.max { favourability($0) < favourability($1) }!
            let worst = directed.min { favourability($0) < favourability($1) }!
            return "\(basis) strongest on \(shown(best)) and weakest on \(shown(worst))."
        }
        guard values.count >= 2 else { return "\(basis) at \(shown(values[0]))." }
        let high = values.max { $0.value < $1.value }!, low = values.min { $0.value < $1.value }!
        return "\(basis) highest on \(shown(high)) and lowest on \(shown(low))."
    }

    /// Data quality in one sentence.
    func dataQualityBriefLine() -> String {
        var parts: [String] = []
        let invalid = input.problems.filter { $0.kind == .invalidValue }.count
        let other = input.problems.count - invalid
        if !input.excluded.isEmpty { parts.append("\(input.excluded.count) row\(input.excluded.count == 1 ? " was" : "s were") not scored (no usable answers)") }
        if invalid > 0 { parts.append("\(invalid) answer\(invalid == 1 ? " was" : "s were") not on the answer scale and counted as missing") }
        if !input.withoutSchool.isEmpty { parts.append("\(input.withoutSchool.count) scored row\(input.withoutSchool.count == 1 ? " has" : "s have") no school") }
        if other > 0 { parts.append("\(other) other finding\(other == 1 ? "" : "s") about ids or the file") }
        let keying = keyFindings.count
        if keying > 0 { parts.append("\(keying) finding\(keying == 1 ? "" : "s") that the scoring key may be wrong (an item that runs against its scale)") }
        let scored = "\(input.scored) of \(input.rows) row\(input.rows == 1 ? "" : "s") scored"
        return parts.isEmpty
            ? "Data quality: \(scored), no problems found."
            : "Data quality: \(scored); \(Self.joinedList(parts)) (see Data quality)."
    }
}
