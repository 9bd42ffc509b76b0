// How precise the means are, for the readable reports: the intervals of
// school and authority means, the reliability of each school's mean, and
// the design effect (issue 14).

extension ScoringReport {
    /// The confidence level of the mean intervals as a percentage ("95%").
    var confidenceLabel: String { Self.brief(statistics.options.confidence * 100) + "%" }

    /// "±0.33": the half-width of an interval, "–" without one.
    static func halfWidth(_ interval: MeanInterval?) -> String {
        guard let interval, interval.upper.isFinite, interval.lower.isFinite else { return "–" }
        return "±" + readable((interval.upper - interval.lower) / 2)
    }

    /// A school's mean with the half-width of its interval ("3.15 ±0.33"),
    /// marked after the mean when it cannot stand for the staff.
    func schoolMeanWithInterval(_ j: Int, _ s: Int) -> String {
        if schools[j].suppressed { return suppressedCell(short: false) }
        let v = schools[j].scores[s]
        guard v.interval != nil else { return schoolMean(j, s) }
        return schoolMean(j, s) + " " + Self.halfWidth(v.interval)
    }

    /// An authority's mean of school means with the half-width of its interval.
    func authorityMeanWithInterval(_ a: Int, _ s: Int) -> String {
        if authorities[a].suppressed { return suppressedCell(short: false) }
        let v = authorities[a].scores[s]
        guard v.interval != nil else { return authorityMean(a, s) }
        return authorityMean(a, s) + " " + Self.halfWidth(v.interval)
    }

    /// The half-width of an authority's interval ("±0.12").
    func authorityHalfWidth(_ a: Int, _ s: Int) -> String {
        authorities[a].suppressed ? suppressedCell(short: true) : Self.halfWidth(authorities[a].scores[s].interval)
    }

    /// The median of some numbers; nil when there are none.
    static func median(_ values: [Double]) -> Double? {
        let v = values.sorted()
        guard !v.isEmpty else { return nil }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// Per summary scale: the median half-width of the school means'
    /// intervals, the reliability of the school means (median and range over
    /// schools), and the design effect and effective N between schools (and
    /// authorities).
    func precisionTable(titles: [String]) -> TextTable {
        let withAuthority = table.hasAuthorityColumn
        var out = TextTable(columns: [.init("Scale", .left), .init("School ±"), .init("Reliability", minWidth: 9),
                                      .init("Design effect"), .init("Effective N")])
        for (title, s) in zip(titles, instrument.summaryScaleIndices) {
            let widths = schools.compactMap { $0.scores[s].interval.map { ($0.upper - $0.lower) / 2 } }
            let reliabilities = schools.compactMap { $0.scores[s].groupMeanReliability }
            let reliability = Self.median(reliabilities).map {
                "\(Self.readable($0)) (\(Self.readable(reliabilities.min()))–\(Self.readable(reliabilities.max())))"
            } ?? "–"
            let school = statistics.icc[s].school, authority = statistics.icc[s].authority
            func both(_ a: String, _ b: String) -> String { withAuthority ? "\(a) / \(b)" : a }
            let deff = both(Self.readable(school?.designEffect), Self.readable(authority?.designEffect))
            let effective = both(school.map { DecimalText.fixed($0.effectiveN, places: 0) } ?? "–",
                                 authority.map { DecimalText.fixed($0.effectiveN, places: 0) } ?? "–")
            out.append([title, Self.median(widths).map { "±" + Self.readable($0) } ?? "–", reliability, deff, effective])
        }
        return out
    }

    /// The sentence under the precision table.
    var precisionNote: String {
        "School ± is the median half-width of the schools' \(confidenceLabel) t intervals (mean ± t·sd/√n; none below three respondents). Reliability is that of each school's mean at its own size, n ICC(1) / (1 + (n − 1) ICC(1)) (Bliese 2000), median and range over schools. Design effect 1 + (k − 1) ICC(1), k = N/G, and effective N = N / design effect: as many independent respondents as the clustered ones are worth for the overall mean" + (table.hasAuthorityColumn ? "; both between schools / between authorities." : ".")
    }

    /// One line per summary scale whose ICC(1) is not above 0 or cannot be
    /// computed, saying what that means for the reliability of school means
    /// and the design effect.
    func precisionLines(titles: [String]) -> [String] {
        var lines: [String] = []
        for (title, s) in zip(titles, instrument.summaryScaleIndices) {
            let levels: [(String, OneWayANOVAICC?)] = [("schools", statistics.icc[s].school)]
                + (table.hasAuthorityColumn ? [("authorities", statistics.icc[s].authority)] : [])
            for (name, icc) in levels {
                guard let icc else {
                    if name == "schools" { lines.append("\(title): no ICC(1) between schools, so the reliability of the school means is not known.") }
                    continue
                }
                guard icc.designEffectIsTruncated else { continue }
                let meaning = name == "schools"
                    ? "the schools differ no more than chance makes them, so no school's mean reliably tells it apart (no reliability shown) and the design effect is taken as 1"
                    : "the authorities differ no more than chance makes them, so the design effect between authorities is taken as 1"
                lines.append("\(title): ICC(1) between \(name) is \(Self.readable(icc.icc1)), not above 0: \(meaning).")
            }
        }
        return lines
    }
}
