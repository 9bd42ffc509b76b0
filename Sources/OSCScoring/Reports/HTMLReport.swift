// The report as one self-contained HTML page (inline CSS and SVG, no
// script, nothing from the network), and one feedback page per school.

/// What the HTML renderers share, computed once per report.
struct HTMLFacts {
    /// The summary scales (instrument indices), in report order.
    let summary: [Int]
    /// Each scale's full name, by instrument index.
    let names: [String]
    /// The study mean of each scale: the mean of all respondents' scores.
    let studyMean: [Double?]
    /// The SD of the school means of each scale (for "strongest" without norms).
    let schoolMeanSD: [Double?]
    /// The authority index of each school, nil without one.
    let authorityOf: [Int?]
    /// The favourable direction of each scale, nil when not known.
    let favourable: [FavourableDirection?]
    /// Whether the study's schools differ reliably on each scale (ICC(2) verdict).
    let schoolsDiffer: [Bool]

    init(_ report: ScoringReport) {
        let instrument = report.instrument
        summary = instrument.summaryScaleIndices
        names = instrument.scales.map(\.name)
        studyMean = report.scaleDescriptives.map(\.mean)
        schoolMeanSD = instrument.scales.indices.map { s in Descriptives(report.schools.compactMap { $0.scores[s].mean }).sd }
        var byID: [String: Int] = [:]
        for (a, authority) in report.authorities.enumerated() { byID[authority.id] = a }
        authorityOf = report.schools.map { $0.key.authority.flatMap { byID[$0] } }
        favourable = instrument.scales.indices.map { report.favourableDirection(scale: $0) }
        schoolsDiffer = report.schoolLevelVerdicts.map(\.justified)
    }
}

extension ScoringReport {
    /// The favourable direction of scale `s` (`Scale.favourable`), nil when the instrument does not say.
    func favourableDirection(scale s: Int) -> FavourableDirection? {
        instrument.scales[s].favourable
    }

    /// School `j`'s mean on scale `s` as the HTML shows it: nil when withheld as too small (`suppressBelow`).
    func shownMean(_ j: Int, _ s: Int) -> Double? {
        schools[j].suppressed ? nil : schools[j].scores[s].mean
    }

    /// School `j`'s T-score on scale `s` as shown: nil without norms or when withheld.
    func shownT(_ j: Int, _ s: Int) -> NormScore? {
        schools[j].suppressed ? nil : normReferenced?.school[j][s]
    }

    /// School `j`'s rwg(j) on scale `s` as shown: nil when withheld.
    func shownRwg(_ j: Int, _ s: Int) -> Double? {
        schools[j].suppressed ? nil : schools[j].scores[s].rwgJ
    }

    /// Authority `a`'s mean of school means on scale `s` as shown: nil when withheld.
    func shownAuthorityMean(_ a: Int, _ s: Int) -> Double? {
        authorities[a].suppressed ? nil : authorities[a].scores[s].mean
    }

    /// The words for a school or authority withheld as too small.
    var withheldWords: String {
        "withheld: fewer than \(criteria.suppressBelow ?? 0) respondents"
    }

    /// The interval of school `j`'s mean on scale `s` (`SchoolScaleResult.interval`, 95% by default); nil when withheld or not computable.
    func schoolInterval(_ j: Int, _ s: Int) -> (lower: Double, upper: Double)? {
        guard !schools[j].suppressed, let lower = schools[j].scores[s].ciLower, let upper = schools[j].scores[s].ciUpper,
              lower.isFinite, upper.isFinite else { return nil }
        return (lower, upper)
    }

    /// The sentences of the report's *In brief* section (`inBrief(context:)`).
    func htmlBriefLines(context: ReportContext) -> [String] {
        inBrief(context: context)
    }

    /// "higher is better", "lower is better", or "direction not set" when the instrument does not say.
    static func betterWords(_ direction: FavourableDirection?) -> String {
        switch direction {
        case .high: return "higher is better"
        case .low: return "lower is better"
        case nil: return "direction not set"
        }
    }

    /// "A", "A and B", "A, B and C".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    // MARK: - Page

    /// The style sheet: system fonts, fluid widths (readable at 200% zoom),
    /// A4 print with a page break before each section.
    static let htmlStyle = """
    :root{color:#1A1A1A;background:#FFFFFF;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5}
    body{margin:0;padding:1rem}
    main{max-width:62rem;margin:0 auto}
    h1{font-size:1.8rem;line-height:1.2;margin:0 0 .5rem}
    h2{font-size:1.4rem;margin:2rem 0 .5rem;border-bottom:2px solid #1A1A1A}
    h3{font-size:1.1rem;margin:1.5rem 0 .25rem}
    p,li{max-width:48rem}
    .meta,figcaption,.note{color:#595959}
    .meta{margin:.2rem 0}
    td{white-space:nowrap}
    td:last-child{white-space:normal;text-align:left}
    .brief{font-size:1.1rem}
    .brief li{margin:.35rem 0}
    figure{margin:1rem 0}
    svg{display:block;width:100%;height:auto}
    .wrap{overflow-x:auto}
    table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
    caption{text-align:left;font-weight:600;padding:.25rem 0}
    th,td{border:1px solid #767676;padding:.15rem .45rem;text-align:right;vertical-align:top}
    th{background:#F2F2F2}
    .l{text-align:left}
    summary{color:#0072B2;cursor:pointer}
    a{color:#0072B2}
    .flag{font-weight:700}
    ul.pages{columns:14rem}
    @page{size:A4;margin:14mm}
    @media print{body{padding:0;font-size:10pt}main{max-width:none}section{break-before:page}section.first{break-before:auto}figure,tr{break-inside:avoid}summary{display:none}}
    """

    /// A whole page: `title` in `<title>` and `<h1>`, then `body`.
    static func htmlPage(title: String, subtitle: [String], body: String) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += "<title>" + HTMLText.escape(title) + "</title>\n<style>\n" + htmlStyle + "\n</style>\n</head>\n<body>\n<main>\n"
        out += "<h1>" + HTMLText.escape(title) + "</h1>\n"
        for line in subtitle { out += "<p class=\"meta\">" + HTMLText.escape(line) + "</p>\n" }
        out += body
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    /// A section with its `<h2>`.
    static func htmlSection(_ id: String, _ heading: String, first: Bool = false, _ body: String) -> String {
        "<section id=\"\(id)\" aria-labelledby=\"\(id)-h\"\(first ? " class=\"first\"" : "")>\n<h2 id=\"\(id)-h\">" + HTMLText.escape(heading) + "</h2>\n" + body + "</section>\n"
    }

    /// A paragraph of escaped text.
    static func p(_ text: String, _ cls: String? = nil) -> String {
        "<p" + (cls.map { " class=\"\($0)\"" } ?? "") + ">" + HTMLText.escape(text) + "</p>\n"
    }

    /// A table: caption, header row, rows of cells (escaped); the first column is a row header.
    static func htmlTable(caption: String, header: [String], rows: [[String]], leftColumns: Int = 1) -> String {
        var out = "<div class=\"wrap\"><table>\n<caption>" + HTMLText.escape(caption) + "</caption>\n<thead><tr>"
        for (i, h) in header.enumerated() { out += "<th scope=\"col\"" + (i < leftColumns ? " class=\"l\"" : "") + ">" + HTMLText.escape(h) + "</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>"
            for (i, cell) in row.enumerated() {
                out += i == 0 ? "<th scope=\"row\" class=\"l\">" : (i < leftColumns ? "<td class=\"l\">" : "<td>")
                out += HTMLText.escape(cell) + (i == 0 ? "</th>" : "</td>")
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    /// The numbers behind a chart, in a `<details>` element.
    static func numbers(_ table: String) -> String {
        "<details>\n<summary>The numbers behind this chart</summary>\n" + table + "</details>\n"
    }

    /// The start of an SVG chart with its title and description.
    static func svgOpen(id: String, width: Double, height: Double, title: String, description: String) -> String {
        "<svg viewBox=\"0 0 \(HTMLText.number(width)) \(HTMLText.number(height))\" role=\"img\" aria-label=\"" + HTMLText.escape(title)
            + "\" aria-describedby=\"\(id)-d\" font-size=\"12\" font-family=\"system-ui, sans-serif\">\n<title>" + HTMLText.escape(title)
            + "</title>\n<desc id=\"\(id)-d\">" + HTMLText.escape(description) + "</desc>\n"
    }

    /// An SVG text element.
    static func svgText(_ x: Double, _ y: Double, _ text: String, anchor: String = "start", fill: String = HTMLPalette.text, weight: String? = nil, size: Int? = nil) -> String {
        "<text x=\"\(HTMLText.number(x))\" y=\"\(HTMLText.number(y))\"" + (anchor == "start" ? "" : " text-anchor=\"\(anchor)\"")
            + (fill == HTMLPalette.text ? "" : " fill=\"\(fill)\"") + (weight.map { " font-weight=\"\($0)\"" } ?? "")
            + (size.map { " font-size=\"\($0)\"" } ?? "") + ">" + HTMLText.escape(text) + "</text>\n"
    }

    /// An SVG line.
    static func svgLine(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) -> String {
        "<line x1=\"\(HTMLText.number(x1))\" y1=\"\(HTMLText.number(y1))\" x2=\"\(HTMLText.number(x2))\" y2=\"\(HTMLText.number(y2))\" stroke=\"\(stroke)\""
            + (width == 1 ? "" : " stroke-width=\"\(HTMLText.number(width))\"") + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>\n"
    }

    /// A marker of shape `shape` (0 circle, 1 square, 2 triangle, 3 diamond)
    /// at (x, y): filled, or hollow with a white fill.
    static func svgMarker(_ shape: Int, _ x: Double, _ y: Double, size r: Double, colour: String, hollow: Bool) -> String {
        let fill = hollow ? HTMLPalette.background : colour
        let style = " fill=\"\(fill)\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>\n"
        let n = HTMLText.number
        switch shape % 4 {
        case 0: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\"" + style
        case 1: return "<rect x=\"\(n(x - r))\" y=\"\(n(y - r))\" width=\"\(n(2 * r))\" height=\"\(n(2 * r))\"" + style
        case 2: return "<polygon points=\"\(n(x)),\(n(y - r * 1.2)) \(n(x + r * 1.1)),\(n(y + r * 0.9)) \(n(x - r * 1.1)),\(n(y + r * 0.9))\"" + style
        default: return "<polygon points=\"\(n(x)),\(n(y - r * 1.3)) \(n(x + r * 1.2)),\(n(y)) \(n(x)),\(n(y + r * 1.3)) \(n(x - r * 1.2)),\(n(y))\"" + style
        }
    }

    /// The marker shape names, for legends and descriptions.
    static let shapeNames = ["circles", "squares", "triangles", "diamonds"]

    /// Why school `j`'s mean on scale `s` cannot stand, in a few words; nil when it can.
    func cannotStandWords(_ j: Int, _ s: Int) -> String? {
        let r = schools[j].scores[s]
        if schools[j].suppressed { return withheldWords }
        guard !r.aggregate else { return nil }
        if r.verdict.reasons.contains(where: { $0.code == "fewRespondents" }) {
            return "cannot stand: \(r.n) respondent\(r.n == 1 ? "" : "s")"
        }
        if let rwg = r.rwgJ { return "cannot stand: rwg(j) \(Self.readable(rwg))" }
        return "cannot stand: no agreement"
    }

    /// The same, as a sentence for tables: "yes", or "no: …".
    func standsText(_ j: Int, _ s: Int) -> String {
        let r = schools[j].scores[s]
        if schools[j].suppressed { return withheldWords }
        guard !r.aggregate else { return "yes" }
        if r.verdict.reasons.contains(where: { $0.code == "fewRespondents" }) {
            return "no: \(r.n) respondent\(r.n == 1 ? "" : "s"), fewer than \(criteria.minRespondents)"
        }
        if let rwg = r.rwgJ { return "no: staff disagree (rwg(j) \(Self.readable(rwg)), below \(Self.readable(criteria.rwgThreshold)))" }
        return "no: agreement cannot be computed"
    }

    // MARK: - The study report

    /// The report as one self-contained HTML page: *In brief*, a chart of
    /// the schools on each dimension, each school's profile, the
    /// authorities, where the variation lies, agreement, reliability, data
    /// quality and how to read the report. Every chart is inline SVG with a
    /// text alternative and its numbers in a table; nothing is loaded from
    /// elsewhere and no script is needed.
    /// - Parameters:
    ///   - context: the facts of the run.
    ///   - schoolPages: the file names of the schools' own pages
    ///     (`schoolPageFileNames()`), linked from the report; nil for none.
    public func html(context: ReportContext = ReportContext(), schoolPages: [String]? = nil) -> String {
        let facts = HTMLFacts(self)
        var body = ""
        body += "<nav aria-label=\"Contents\"><p>Contents: " + [("brief", "In brief"), ("schools", "Schools"), ("profiles", "Profiles")]
            .map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined(separator: " · ")
        if table.hasAuthorityColumn { body += " · <a href=\"#authorities\">Authorities</a>" }
        body += " · " + [("variation", "Where the variation lies"), ("agreement", "Agreement"), ("reliability", "Reliability"),
                         ("quality", "Data quality"), ("reading", "How to read this report")]
            .map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined(separator: " · ") + "</p></nav>\n"
        body += Self.htmlSection("brief", "In brief", first: true,
                                 "<ul class=\"brief\">\n" + htmlBriefLines(context: context).map { "<li>" + HTMLText.escape($0) + "</li>\n" }.joined() + "</ul>\n")
        body += Self.htmlSection("schools", "Schools", schoolsSection(facts, schoolPages: schoolPages))
        body += Self.htmlSection("profiles", "Profiles", profilesSection(facts))
        if table.hasAuthorityColumn { body += Self.htmlSection("authorities", "Authorities", authoritiesSection(facts)) }
        body += Self.htmlSection("variation", "Where the variation lies", variationSection(facts, names: context.settingNames))
        body += Self.htmlSection("agreement", "Agreement", agreementSection(facts))
        body += Self.htmlSection("reliability", "Reliability", reliabilitySection(facts))
        body += Self.htmlSection("quality", "Data quality", qualitySection(context: context))
        body += Self.htmlSection("reading", "How to read this report", readingSection(facts))
        return Self.htmlPage(title: "\(instrument.name): school report", subtitle: summaryLines(context: context) + ["Made by \(context.generator)."], body: body)
    }

    /// The groups of schools in the charts: each authority's schools, then those without one.
    func schoolGroups() -> [(label: String?, authority: Int?, schools: [Int])] {
        guard table.hasAuthorityColumn else { return [(nil, nil, Array(schools.indices))] }
        var groups: [(String?, Int?, [Int])] = authorities.enumerated().map { (displayName(authority: $0.element.id), $0.offset, $0.element.schoolIndices) }
        let orphans = schools.indices.filter { schools[$0].key.authority == nil }
        if !orphans.isEmpty { groups.append(("No authority", nil, orphans)) }
        return groups
    }

    /// The caterpillar charts, one per summary scale, and links to the school pages.
    func schoolsSection(_ facts: HTMLFacts, schoolPages: [String]?) -> String {
        var out = ""
        if let schoolPages, schoolPages.count == schools.count, !schools.isEmpty {
            out += Self.p("Each school has its own page, which shows that school only (for sending to the school):")
            out += "<details open=\"open\"><summary>\(schools.count) school page\(schools.count == 1 ? "" : "s")</summary>\n<ul class=\"pages\">\n"
            for (j, school) in schools.enumerated() {
                out += "<li><a href=\"" + HTMLText.escape(schoolPages[j]) + "\">" + HTMLText.escape(displayName(school)) + "</a>"
                    + (school.key.authority.map { " (" + HTMLText.escape(displayName(authority: $0)) + ")" } ?? "") + "</li>\n"
            }
            out += "</ul>\n</details>\n"
        }
        guard !schools.isEmpty else { return out + Self.p("No schools: no scored row has a school.") }
        out += Self.p("For each dimension, every school's mean score with its 95% interval (the range the school's true mean probably lies in, given how many staff answered). "
                      + (table.hasAuthorityColumn ? "Schools are grouped by authority, each authority with its own colour and marker shape, and sorted from highest to lowest within it. " : "Schools are sorted from highest to lowest. ")
                      + "The dashed line is the study mean. Schools whose mean cannot stand for their staff are drawn hollow with a dashed interval and labelled.")
        for (k, s) in facts.summary.enumerated() {
            out += "<h3 id=\"schools-\(k)\">" + HTMLText.escape(facts.names[s]) + " <span class=\"note\">(" + HTMLText.escape(Self.betterWords(facts.favourable[s])) + ")</span></h3>\n"
            if !facts.schoolsDiffer[s] {
                out += Self.p("Schools cannot be told apart reliably on \(facts.names[s]) (ICC(2) \(Self.readable(statistics.icc[s].school?.icc2)), below \(Self.readable(criteria.icc2Threshold))): do not compare schools on it.", "flag")
            }
            out += caterpillar(facts, scale: s, id: "cat\(k)")
        }
        return out
    }

    /// One caterpillar chart of school means on scale `s`, with its table.
    func caterpillar(_ facts: HTMLFacts, scale s: Int, id: String) -> String {
        let groups = schoolGroups()
        let name = facts.names[s]
        var lo = Double.infinity, hi = -Double.infinity
        for j in schools.indices {
            guard let m = shownMean(j, s) else { continue }
            let ci = schoolInterval(j, s)
            lo = min(lo, ci?.lower ?? m, m)
            hi = max(hi, ci?.upper ?? m, m)
        }
        if let m = facts.studyMean[s] { lo = min(lo, m); hi = max(hi, m) }
        let scaleMin = Double(instrument.responseScale.min), scaleMax = Double(instrument.responseScale.max)
        if !lo.isFinite || !hi.isFinite { lo = scaleMin; hi = scaleMax }
        lo = max(scaleMin, (lo * 2).rounded(.down) / 2)
        hi = min(scaleMax, (hi * 2).rounded(.up) / 2)
        if hi - lo < 1 { hi = min(scaleMax, lo + 1); lo = max(scaleMin, hi - 1) }
        if hi <= lo { hi = lo + 1 }
        let width = 760.0, left = 190.0, right = 570.0, note = 580.0, top = 44.0, row = 16.0, header = 22.0
        func x(_ v: Double) -> Double { left + (min(max(v, lo), hi) - lo) / (hi - lo) * (right - left) }
        var height = top
        for group in groups where !group.schools.isEmpty { height += (group.label == nil ? 0 : header) + row * Double(group.schools.count) }
        height += 10
        let flaggedCount = schools.indices.filter { !schools[$0].scores[s].aggregate && shownMean($0, s) != nil }.count
        let study = facts.studyMean[s]
        var svg = Self.svgOpen(id: id, width: width, height: height, title: "\(name): school means with 95% intervals",
                               description: "\(schools.count) schools" + (table.hasAuthorityColumn ? " grouped by authority (each with its own colour and marker shape) and" : "")
                               + " sorted from highest to lowest mean on \(name), each with its 95% interval, on an axis from \(DecimalText.shortest(lo)) to \(DecimalText.shortest(hi)); "
                               + "study mean \(Self.readable(study)) as a dashed vertical line; \(flaggedCount) school\(flaggedCount == 1 ? "" : "s") whose mean cannot stand drawn hollow with a dashed interval and labelled 'cannot stand'.")
        // Axis: ticks every 0.5 (every 1 when wide), labels at the top.
        let step = hi - lo > 3 ? 1.0 : 0.5
        var tick = lo
        while tick <= hi + 1e-9 {
            svg += Self.svgLine(x(tick), top - 6, x(tick), height - 10, stroke: HTMLPalette.grid, width: 0.5, dash: "1 3")
            svg += Self.svgText(x(tick), top - 10, DecimalText.shortest(tick), anchor: "middle", fill: HTMLPalette.muted)
            tick += step
        }
        svg += Self.svgText(8, top - 10, "Mean score (\(instrument.responseScale.min) to \(instrument.responseScale.max))", fill: HTMLPalette.muted)
        var y = top
        var rows: [[String]] = []
        for (g, group) in groups.enumerated() where !group.schools.isEmpty {
            let colour = HTMLPalette.authorityColours[g % HTMLPalette.authorityColours.count]
            if let label = group.label {
                let mean = group.authority.map { Self.readable(shownAuthorityMean($0, s)) }
                svg += Self.svgMarker(g, 14, y + 11, size: 4, colour: colour, hollow: false)
                svg += Self.svgText(24, y + 15, TextTable.shorten(label, to: 30) + (mean.map { ", authority mean \($0)" } ?? ""), weight: "600")
                y += header
            }
            let sorted = group.schools.sorted { a, b in
                let ma = shownMean(a, s) ?? -.infinity, mb = shownMean(b, s) ?? -.infinity
                return ma != mb ? ma > mb : a < b
            }
            for j in sorted {
                let r = schools[j].scores[s]
                let centre = y + row / 2
                let label = displayName(schools[j])
                svg += Self.svgText(left - 20, centre + 4, TextTable.shorten(label, to: 26), anchor: "end")
                let ci = schoolInterval(j, s)
                if let m = shownMean(j, s) {
                    let flagged = !r.aggregate
                    if let ci { svg += Self.svgLine(x(ci.lower), centre, x(ci.upper), centre, stroke: colour, width: 2, dash: flagged ? "3 2" : nil) }
                    svg += Self.svgMarker(g, x(m), centre, size: 4, colour: colour, hollow: flagged)
                    if let words = cannotStandWords(j, s) { svg += Self.svgText(note, centre + 4, words, fill: HTMLPalette.muted, size: 11) }
                } else {
                    svg += Self.svgText(left + 4, centre + 4, schools[j].suppressed ? withheldWords : "no mean", fill: HTMLPalette.muted, size: 11)
                }
                rows.append([label] + (table.hasAuthorityColumn ? [school_authority(j)] : []) + [String(r.n), Self.readable(shownMean(j, s)),
                            ci.map { "\(Self.readable($0.lower))–\(Self.readable($0.upper))" } ?? "–", standsText(j, s)])
                y += row
            }
        }
        if let study {
            svg += Self.svgLine(x(study), 16, x(study), height - 10, stroke: HTMLPalette.text, width: 1.5, dash: "6 3")
            svg += Self.svgText(x(study), 12, "study mean \(Self.readable(study))", anchor: "middle", weight: "600", size: 11)
        }
        svg += "</svg>\n"
        let columns = ["School"] + (table.hasAuthorityColumn ? ["Authority"] : []) + ["n", "Mean", "95% interval", "Mean stands for its staff"]
        return "<figure>\n" + svg + "<figcaption>" + HTMLText.escape("\(name): school means (marks) with 95% intervals (lines); dashed line: study mean \(Self.readable(study)).") + "</figcaption>\n"
            + Self.numbers(Self.htmlTable(caption: "\(name): school means", header: columns, rows: rows, leftColumns: table.hasAuthorityColumn ? 2 : 1)) + "</figure>\n"
    }

    /// The authority of school `j` as shown, or "(none)".
    func school_authority(_ j: Int) -> String {
        schools[j].key.authority.map { displayName(authority: $0) } ?? "(none)"
    }

    /// Every school's profile.
    func profilesSection(_ facts: HTMLFacts) -> String {
        guard !schools.isEmpty else { return Self.p("No schools.") }
        var out = Self.p(normReferenced == nil
            ? "Each school's mean on every dimension (the filled circle), its authority's mean (the vermillion diamond) and the study mean (the black bar). Without norms (--norms) there are no T-scores or profile categories."
            : "Each school's T-score on every dimension (the filled circle) against the norm band T 40 to 60 (the grey band, where about two thirds of organisations lie), with its authority's value (the vermillion diamond). The culture and climate categories are given only where the school's means on their dimensions can stand.")
        for j in schools.indices {
            out += "<h3 id=\"profile-\(j + 1)\">" + HTMLText.escape(displayName(schools[j])) + (schools[j].key.authority.map { " <span class=\"note\">(" + HTMLText.escape(displayName(authority: $0)) + ")</span>" } ?? "") + "</h3>\n"
            out += profileFigure(facts, school: j, id: "pf\(j + 1)")
        }
        return out
    }

    /// The profile categories of school `j` (`SchoolResult.profiles`), each
    /// withheld, with the reason, when a mean it reads cannot stand
    /// (`SchoolResult.profilesWithheldBy`) or the school is withheld as too small.
    func profileCategoryLines(_ j: Int) -> [String] {
        guard normReferenced != nil else { return [] }
        let school = schools[j]
        return instrument.profiles.enumerated().map { p, profile in
            if school.suppressed { return "\(profile.name): \(withheldWords)." }
            let failing = school.profilesWithheldBy?[p] ?? []
            if !failing.isEmpty {
                return "\(profile.name): not given, because the school's mean on \(Self.list(failing.map { instrument.scales[$0].name })) cannot stand for its staff."
            }
            guard let result = school.profiles?[p] else { return "\(profile.name): not given (a T-score is missing)." }
            return "\(profile.name): \(result.profileClass.rawValue)."
        }
    }

    /// The T-score of an authority's mean on the school norms (so that it sits on the school's axis).
    func authorityT(_ a: Int, _ s: Int) -> Double? {
        guard let reference = normReferenced, let mean = shownAuthorityMean(a, s),
              let norm = reference.schoolNorms[instrument.scales[s].id], norm.sd > 0 else { return nil }
        return 50 + 10 * (mean - norm.mean) / norm.sd
    }

    /// One school's profile chart and its table.
    func profileFigure(_ facts: HTMLFacts, school j: Int, id: String) -> String {
        let school = schools[j]
        let reference = normReferenced
        let a = facts.authorityOf[j]
        let lo = reference == nil ? Double(instrument.responseScale.min) : 20
        let hi = reference == nil ? Double(instrument.responseScale.max) : 80
        let width = 760.0, left = 250.0, right = 600.0, value = 612.0, top = 52.0, row = 30.0
        func x(_ v: Double) -> Double { left + (min(max(v, lo), hi) - lo) / (hi - lo) * (right - left) }
        let height = top + row * Double(facts.summary.count) + 8
        let name = displayName(school)
        let what = reference == nil ? "mean scores" : "T-scores"
        var svg = Self.svgOpen(id: id, width: width, height: height, title: "\(name): profile of \(what)",
                               description: "\(name)'s \(what) on \(facts.summary.count) dimensions as filled blue circles (hollow where the mean cannot stand)"
                               + (a == nil ? "" : ", its authority's as vermillion diamonds")
                               + (reference == nil ? ", and the study mean as a black bar, on an axis from \(Int(lo)) to \(Int(hi))." : ", against the norm band T 40 to 60 (grey), on an axis from 20 to 80."))
        // Legend.
        svg += Self.svgMarker(0, 12, 14, size: 5, colour: HTMLPalette.blue, hollow: false) + Self.svgText(22, 18, "this school")
        if let a {
            svg += Self.svgMarker(3, 112, 14, size: 5, colour: HTMLPalette.vermillion, hollow: false)
            svg += Self.svgText(122, 18, "its authority (" + TextTable.shorten(displayName(authority: authorities[a].id), to: 20) + ")")
        }
        if reference == nil {
            svg += "<rect x=\"330\" y=\"7\" width=\"3\" height=\"14\" fill=\"\(HTMLPalette.text)\"/>\n" + Self.svgText(338, 18, "study mean")
        } else {
            svg += "<rect x=\"330\" y=\"8\" width=\"18\" height=\"12\" fill=\"\(HTMLPalette.band)\" stroke=\"\(HTMLPalette.grid)\"/>\n" + Self.svgText(354, 18, "norm band T 40–60")
        }
        // Axis.
        let ticks: [Double] = reference == nil ? Array(stride(from: lo, through: hi, by: 1)) : [20, 30, 40, 50, 60, 70, 80]
        if reference != nil {
            svg += "<rect x=\"\(HTMLText.number(x(40)))\" y=\"\(HTMLText.number(top - 6))\" width=\"\(HTMLText.number(x(60) - x(40)))\" height=\"\(HTMLText.number(height - top - 2))\" fill=\"\(HTMLPalette.band)\"/>\n"
        }
        for t in ticks {
            let strong = reference != nil && (t == 40 || t == 60 || t == 50)
            svg += Self.svgLine(x(t), top - 6, x(t), height - 8, stroke: HTMLPalette.grid, width: strong ? 1 : 0.5, dash: strong ? (t == 50 ? nil : "4 2") : "1 3")
            svg += Self.svgText(x(t), top - 10, DecimalText.shortest(t), anchor: "middle", fill: HTMLPalette.muted)
        }
        var rows: [[String]] = []
        for (k, s) in facts.summary.enumerated() {
            let r = school.scores[s]
            let centre = top + row * Double(k) + row / 2
            svg += Self.svgText(8, centre, TextTable.shorten(facts.names[s], to: 30), weight: "600")
            svg += Self.svgText(8, centre + 12, Self.betterWords(facts.favourable[s]), fill: HTMLPalette.muted, size: 10)
            let t = shownT(j, s)?.t
            let shown = reference == nil ? shownMean(j, s) : t
            if reference == nil, let m = facts.studyMean[s] {
                svg += "<rect x=\"\(HTMLText.number(x(m) - 1.5))\" y=\"\(HTMLText.number(centre - 8))\" width=\"3\" height=\"16\" fill=\"\(HTMLPalette.text)\"/>\n"
            }
            let authorityValue: Double? = a.flatMap { reference == nil ? shownAuthorityMean($0, s) : authorityT($0, s) }
            if let v = authorityValue { svg += Self.svgMarker(3, x(v), centre, size: 5, colour: HTMLPalette.vermillion, hollow: false) }
            if let v = shown {
                svg += Self.svgMarker(0, x(v), centre, size: 5.5, colour: HTMLPalette.blue, hollow: !r.aggregate)
                let text = (reference == nil ? Self.readable(v) : "T " + DecimalText.fixed(v, places: 1)) + (r.aggregate ? "" : " (cannot stand)")
                svg += Self.svgText(value, centre + 4, text, fill: r.aggregate ? HTMLPalette.text : HTMLPalette.muted, size: 11)
            } else {
                svg += Self.svgText(value, centre + 4, school.suppressed ? "withheld" : "no score", fill: HTMLPalette.muted, size: 11)
            }
            var cells = [facts.names[s], Self.betterWords(facts.favourable[s]), Self.readable(shownMean(j, s))]
            cells.append(a.map { Self.readable(shownAuthorityMean($0, s)) } ?? "–")
            cells.append(Self.readable(facts.studyMean[s]))
            if reference != nil {
                cells.append(t.map { DecimalText.fixed($0, places: 1) } ?? "–")
                cells.append(a.flatMap { authorityT($0, s) }.map { DecimalText.fixed($0, places: 1) } ?? "–")
            }
            cells.append(standsText(j, s))
            rows.append(cells)
        }
        svg += "</svg>\n"
        var header = ["Dimension", "Better when", "School mean", "Authority mean", "Study mean"]
        if reference != nil { header += ["School T", "Authority T"] }
        header.append("Mean stands for its staff")
        var out = "<figure>\n" + svg
        let categories = profileCategoryLines(j)
        out += "<figcaption>" + HTMLText.escape("\(name), \(school.respondents) respondent\(school.respondents == 1 ? "" : "s")." + (categories.isEmpty ? "" : " " + categories.joined(separator: " "))) + "</figcaption>\n"
        out += Self.numbers(Self.htmlTable(caption: "\(name): \(what)", header: header, rows: rows, leftColumns: 2))
        return out + "</figure>\n"
    }

    /// The authorities' means (and T-scores).
    func authoritiesSection(_ facts: HTMLFacts) -> String {
        guard !authorities.isEmpty else { return Self.p("No authorities.") }
        var out = Self.p("Each authority's mean is the mean of its schools' means; schools whose mean cannot stand on a dimension are left out of it there" + (criteria.includeAllSchools ? " (here they are kept: --include-all-schools)." : "."))
        let header = ["Authority", "Schools in the means", "n"] + facts.summary.map { facts.names[$0] }
        let rows: [[String]] = authorities.map { authority in
            let inMeans = facts.summary.map { authority.scores[$0].includedSchools.count }.min() ?? authority.schoolIndices.count
            return [displayName(authority: authority.id), "\(inMeans) of \(authority.schoolIndices.count)", String(authority.respondents)]
                + facts.summary.map { s in authority.suppressed ? "withheld" : Self.readable(authority.scores[s].mean) }
        }
        out += Self.htmlTable(caption: "Authorities: mean of school means", header: header, rows: rows)
        if let reference = normReferenced {
            let tRows: [[String]] = authorities.indices.map { a in
                [displayName(authority: authorities[a].id)] + facts.summary.map { authorities[a].suppressed ? "withheld" : Self.readableT(reference.authority[a][$0]) }
                    + instrument.profiles.indices.map { authorities[a].suppressed ? "withheld" : authorities[a].profiles?[$0]?.profileClass.rawValue ?? "–" }
            }
            out += Self.htmlTable(caption: reference.choice.isSampleRelative ? "Authorities: sample-relative T-scores and profiles" : "Authorities: T-scores and profiles",
                                  header: ["Authority"] + facts.summary.map { facts.names[$0] } + instrument.profiles.map(\.name), rows: tRows)
        }
        return out
    }

    /// The variance shares as a stacked bar per scale, and the between-school table.
    func variationSection(_ facts: HTMLFacts, names: SettingNames) -> String {
        let three = table.hasAuthorityColumn
        var out = Self.p("How much of the difference between one staff member's score and another's lies between "
                         + (three ? "authorities, between schools within an authority, and " : "schools and ")
                         + "within schools (between people in the same school). Most of it usually lies within schools; school means are worth comparing when the school share is large enough for ICC(2) to reach \(Self.readable(criteria.icc2Threshold)).")
        let width = 760.0, left = 215.0, right = 745.0, top = 56.0, row = 40.0
        let height = top + row * Double(facts.summary.count) + 6
        var svg = Self.svgOpen(id: "var", width: width, height: height, title: "Where the variation lies: shares of each dimension's variance",
                               description: "For each dimension a bar of 100% split into " + (three ? "the authority share (solid blue), the school share (hatched vermillion) and " : "the school share (hatched vermillion) and ")
                               + "the within-school share (white with grey dots), each labelled with its percentage.")
        svg += "<defs><pattern id=\"var-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"\(HTMLPalette.background)\"/><rect width=\"3\" height=\"6\" fill=\"\(HTMLPalette.vermillion)\"/></pattern>"
            + "<pattern id=\"var-dots\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"\(HTMLPalette.background)\"/><circle cx=\"3\" cy=\"3\" r=\"1\" fill=\"\(HTMLPalette.grid)\"/></pattern></defs>\n"
        var lx = 8.0
        if three {
            svg += "<rect x=\"\(lx)\" y=\"8\" width=\"16\" height=\"12\" fill=\"\(HTMLPalette.blue)\" stroke=\"\(HTMLPalette.text)\"/>\n" + Self.svgText(lx + 22, 18, "between authorities")
            lx += 170
        }
        svg += "<rect x=\"\(lx)\" y=\"8\" width=\"16\" height=\"12\" fill=\"url(#var-hatch)\" stroke=\"\(HTMLPalette.text)\"/>\n" + Self.svgText(lx + 22, 18, "between schools")
        lx += 150
        svg += "<rect x=\"\(lx)\" y=\"8\" width=\"16\" height=\"12\" fill=\"url(#var-dots)\" stroke=\"\(HTMLPalette.text)\"/>\n" + Self.svgText(lx + 22, 18, "within schools")
        for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let px = left + p * (right - left)
            svg += Self.svgText(px, top - 8, "\(Int(p * 100))%", anchor: "middle", fill: HTMLPalette.muted)
        }
        var rows: [[String]] = []
        for (k, s) in facts.summary.enumerated() {
            let y = top + row * Double(k)
            svg += Self.svgText(8, y + 14, TextTable.shorten(facts.names[s], to: 27), weight: "600")
            guard let v = statistics.icc[s].variance, v.total > 0, v.total.isFinite else {
                svg += Self.svgText(left, y + 14, "not estimated", fill: HTMLPalette.muted)
                rows.append([facts.names[s], "–", "–", "–"].suffix(three ? 4 : 3).map { $0 })
                continue
            }
            let shares = (three ? [(v.authorityShare ?? 0, HTMLPalette.blue, "authorities")] : []) + [(v.schoolShare, "url(#var-hatch)", "schools"), (v.residualShare, "url(#var-dots)", "within schools")]
            var x0 = left
            for (share, fill, _) in shares {
                let w = max(0, share) * (right - left)
                svg += "<rect x=\"\(HTMLText.number(x0))\" y=\"\(HTMLText.number(y))\" width=\"\(HTMLText.number(w))\" height=\"18\" fill=\"\(fill)\" stroke=\"\(HTMLPalette.text)\" stroke-width=\"0.75\"/>\n"
                x0 += w
            }
            let words = shares.map { "\($0.2) \(Self.percent($0.0))" }.joined(separator: ", ")
            svg += Self.svgText(left, y + 32, words, fill: HTMLPalette.muted, size: 11)
            rows.append([facts.names[s]] + shares.map { Self.percent($0.0) })
        }
        svg += "</svg>\n"
        let header = ["Dimension"] + (three ? ["Between authorities"] : []) + ["Between schools", "Within schools"]
        out += "<figure>\n" + svg + "<figcaption>Shares of variance by REML, score ~ 1 + (1 | " + (three ? "authority/school" : "school") + ").</figcaption>\n"
            + Self.numbers(Self.htmlTable(caption: "Shares of variance", header: header, rows: rows)) + "</figure>\n"
        // Between schools.
        let icc: [[String]] = facts.summary.map { s in
            let r = statistics.icc[s].school
            return [facts.names[s], Self.readable(r?.icc1), Self.readable(r?.icc2), Self.readableP(r?.p),
                    schoolLevelVerdicts[s].justified ? "yes" : "no: " + schoolLevelVerdicts[s].reasons.map { $0.message(names) }.joined(separator: "; ")]
        }
        out += Self.htmlTable(caption: "Between schools: can school means be compared?", header: ["Dimension", "ICC(1)", "ICC(2)", "p", "Schools can be told apart"], rows: icc)
        out += Self.p(statisticsNote(names), "note")
        return out
    }

    /// A share as a whole percentage ("12%"; "<1%" for small positive shares).
    static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "–" }
        if share > 0 && share < 0.005 { return "<1%" }
        return "\(Int((share * 100).rounded()))%"
    }

    /// Each school's rwg(j) on every summary scale against the threshold.
    func agreementSection(_ facts: HTMLFacts) -> String {
        let threshold = criteria.rwgThreshold
        var out = Self.p("How closely each school's staff agree in their answers (rwg(j): 1 is full agreement, 0 no more than random answers). A school's mean stands for its staff only when rwg(j) is at least \(Self.readable(threshold)) (the line) and at least \(criteria.minRespondents) staff answered.")
        guard !schools.isEmpty else { return out }
        let titles = summaryColumns(width: 10).titles
        let width = 760.0, left = 50.0, right = 750.0, top = 20.0, bottom = 330.0
        let column = (right - left) / Double(max(1, facts.summary.count))
        func y(_ v: Double) -> Double { bottom - min(max(v, 0), 1) * (bottom - top) }
        let below = schools.indices.flatMap { j in facts.summary.compactMap { s in shownRwg(j, s).map { $0 < threshold ? (j, s) : nil } ?? nil } }
        var svg = Self.svgOpen(id: "agr", width: width, height: bottom + 40, title: "Agreement: each school's rwg(j) on every dimension",
                               description: "For each of \(facts.summary.count) dimensions a column of dots, one per school, at its rwg(j) from 0 to 1; the dashed line marks \(Self.readable(threshold)). \(below.count) value\(below.count == 1 ? "" : "s") below the line \(below.count == 1 ? "is a" : "are") filled vermillion triangle\(below.count == 1 ? "" : "s")" + (below.count <= 24 ? ", labelled with the school" : "") + "; the others are hollow blue circles.")
        for v in stride(from: 0.0, through: 1.0, by: 0.2) {
            svg += Self.svgLine(left, y(v), right, y(v), stroke: HTMLPalette.grid, width: 0.5, dash: "1 3")
            svg += Self.svgText(left - 6, y(v) + 4, DecimalText.fixed(v, places: 1), anchor: "end", fill: HTMLPalette.muted)
        }
        var labelled = 0
        for (k, s) in facts.summary.enumerated() {
            let cx = left + column * (Double(k) + 0.5)
            svg += Self.svgText(cx, bottom + 18, titles[k], anchor: "middle", weight: "600")
            for j in schools.indices {
                guard let rwg = shownRwg(j, s), rwg.isFinite else { continue }
                let golden = (Double(j) * 0.6180339887).truncatingRemainder(dividingBy: 1) - 0.5
                let px = cx + golden * column * 0.6
                if rwg < threshold {
                    svg += Self.svgMarker(2, px, y(rwg), size: 4, colour: HTMLPalette.vermillion, hollow: false)
                    if below.count <= 24 {
                        let onLeft = k == facts.summary.count - 1
                        svg += Self.svgText(onLeft ? px - 6 : px + 6, y(rwg) - 4 - Double(labelled % 2) * 10, TextTable.shorten(displayName(schools[j]), to: 14),
                                            anchor: onLeft ? "end" : "start", fill: HTMLPalette.text, size: 10)
                        labelled += 1
                    }
                } else {
                    svg += Self.svgMarker(0, px, y(rwg), size: 2.5, colour: HTMLPalette.blue, hollow: true)
                }
            }
        }
        svg += Self.svgLine(left, y(threshold), right, y(threshold), stroke: HTMLPalette.text, width: 1.5, dash: "6 3")
        svg += Self.svgText(right, y(threshold) - 4, "\(Self.readable(threshold)): usual minimum", anchor: "end", weight: "600", size: 11)
        svg += "</svg>\n"
        let header = ["School"] + (table.hasAuthorityColumn ? ["Authority"] : []) + facts.summary.map { facts.names[$0] }
        let rows: [[String]] = schools.indices.map { j in
            [displayName(schools[j])] + (table.hasAuthorityColumn ? [school_authority(j)] : [])
                + facts.summary.map { s in schools[j].suppressed ? "withheld" : Self.readable(shownRwg(j, s)) + ((shownRwg(j, s) ?? 1) < threshold ? " (below)" : "") }
        }
        out += "<figure>\n" + svg + "<figcaption>" + HTMLText.escape("rwg(j) of every school; below the dashed line (\(Self.readable(threshold))) the school's staff disagree too much for its mean to stand for them.") + "</figcaption>\n"
            + Self.numbers(Self.htmlTable(caption: "rwg(j) by school", header: header, rows: rows, leftColumns: table.hasAuthorityColumn ? 2 : 1)) + "</figure>\n"
        return out
    }

    /// Alpha with its interval and omega per scale.
    func reliabilitySection(_ facts: HTMLFacts) -> String {
        var out = Self.p("How consistently each dimension's questions measure the same thing, over all respondents: Cronbach's alpha with its 95% interval (Feldt) and McDonald's omega. 0.70 is usually acceptable, 0.80 good, 0.90 excellent.")
        let rows: [[String]] = facts.summary.map { s in
            let r = statistics.reliability[s]
            let words: String
            switch r.alpha?.alpha {
            case let a? where a >= 0.9: words = "excellent"
            case let a? where a >= 0.8: words = "good"
            case let a? where a >= 0.7: words = "acceptable"
            case .some: words = "low"
            case nil: words = "–"
            }
            return [facts.names[s], String(instrument.scaleItemIndices[s].count), Self.readable(r.alpha?.alpha),
                    r.alpha.map { "\(Self.readable($0.alphaLower))–\(Self.readable($0.alphaUpper))" } ?? "–", Self.readable(r.omegaTotal), words]
        }
        out += Self.htmlTable(caption: "Reliability over all respondents", header: ["Dimension", "Items", "Alpha", "95% interval", "Omega", "In words"], rows: rows)
        return out
    }

    /// What was read, and the findings.
    func qualitySection(context: ReportContext) -> String {
        var out = summaryLines(context: context).map { Self.p($0) }.joined()
        let findings = findingLines()
        if findings.isEmpty { return out + Self.p("No problems found.") }
        out += Self.p("\(findings.count) finding\(findings.count == 1 ? "" : "s") about the data" + (findings.count > Self.findingsShown ? "; the first \(Self.findingsShown) (the JSON report lists them all):" : ":"))
        out += "<ul>\n" + findings.prefix(Self.findingsShown).map { "<li>" + HTMLText.escape($0) + "</li>\n" }.joined() + "</ul>\n"
        return out
    }

    /// What the numbers mean, one sentence each.
    func readingSection(_ facts: HTMLFacts) -> String {
        var out = ""
        let scale = instrument.responseScale
        if let labels = scale.labels, labels.count == scale.options {
            out += Self.p("Every question is answered from \(scale.min) to \(scale.max); a dimension's score is the mean of its questions' answers:")
            out += "<ul>\n" + labels.enumerated().map { "<li>" + HTMLText.escape("\(scale.min + $0.offset) = \($0.element)") + "</li>\n" }.joined() + "</ul>\n"
        } else {
            out += Self.p("Every question is answered from \(scale.min) to \(scale.max); a dimension's score is the mean of its questions' answers.")
        }
        out += Self.p("Which direction is better:")
        out += "<ul>\n" + facts.summary.map { s in
            "<li>" + HTMLText.escape("\(facts.names[s]): " + (facts.favourable[s] == nil ? "the instrument file does not say which direction is better." : "\(Self.betterWords(facts.favourable[s])).")) + "</li>\n"
        }.joined() + "</ul>\n"
        out += Self.p("rwg(j) says how closely a school's staff agree: 1 is full agreement, 0 no more than random answers; below \(Self.readable(criteria.rwgThreshold)) the school's mean does not stand for its staff.")
        out += Self.p("ICC(2) says how reliably schools can be told apart on a dimension: from 0 to 1, and below \(Self.readable(criteria.icc2Threshold)) differences between school means are mostly chance.")
        out += Self.p("A T-score places a mean against norms: 50 is the norm's average and every 10 points is one standard deviation, so about two thirds of organisations lie between 40 and 60.")
        out += Self.p("A 95% interval is the range in which a school's true mean probably lies, given how many staff answered; two schools whose intervals overlap a lot may not really differ.")
        if let note = normsNote(.commandLine) { out += Self.p(note, "note") }
        out += profileRuleLines.map { Self.p($0, "note") }.joined()
        return out
    }

    // MARK: - School pages

    /// Calls `body` with each school's index, page file name
    /// (`schoolPageFileNames()`) and feedback page: that school against its
    /// authority, the study and the norms. A page names no other school.
    ///
    /// The pages are rendered in batches on the statistics' threads
    /// (`StatisticsOptions.threads`) and handed to `body` one at a time, in
    /// school order, on the calling thread.
    /// - Throws: whatever `body` throws.
    public func forEachSchoolPage(context: ReportContext = ReportContext(), _ body: (Int, String, String) throws -> Void) rethrows {
        let facts = HTMLFacts(self)
        let names = schoolPageFileNames()
        let threads = max(1, statistics.options.threads), batch = 32 * threads
        var start = 0
        while start < schools.count {
            let end = min(start + batch, schools.count)
            var pages = [String](repeating: "", count: end - start)
            pages.withUnsafeMutableBufferPointer { pages in
                let out = UncheckedSendableBox(pages)
                ParallelWork.run(count: end - start, threads: threads) { k in
                    out.value[k] = schoolPage(start + k, facts: facts, context: context)
                }
            }
            for j in start..<end { try body(j, names[j], pages[j - start]) }
            start = end
        }
    }

    /// The feedback page of school `j` (see `forEachSchoolPage(context:_:)`).
    public func schoolPageHTML(_ j: Int, context: ReportContext = ReportContext()) -> String {
        schoolPage(j, facts: HTMLFacts(self), context: context)
    }

    /// The sentences at the top of a school's page.
    func schoolBriefLines(_ j: Int, _ facts: HTMLFacts) -> [String] {
        let school = schools[j]
        var lines: [String] = []
        if school.suppressed {
            return ["\(school.respondents) member\(school.respondents == 1 ? "" : "s") of staff answered, fewer than \(criteria.suppressBelow ?? 0): the school's results are withheld to protect the people who answered."]
        }
        let failing = facts.summary.filter { !school.scores[$0].aggregate }
        lines.append("\(school.respondents) member\(school.respondents == 1 ? "" : "s") of staff answered. " + (failing.isEmpty
            ? "Their answers agree closely enough for the school's means to stand for its staff on every dimension."
            : "On \(failing.count == facts.summary.count ? "every dimension" : Self.list(failing.map { facts.names[$0] })) the school's mean cannot stand for its staff (\(standsText(j, failing[0]).dropFirst(4))); read those scores with care."))
        // Most and least favourable dimensions, against the norms or the study.
        let reference = normReferenced
        let standing: [(Int, Double, String)] = facts.summary.compactMap { s in
            guard school.scores[s].aggregate, let direction = facts.favourable[s] else { return nil }
            if reference != nil {
                guard let t = shownT(j, s)?.t else { return nil }
                return (s, direction == .low ? 100 - t : t, "T \(DecimalText.fixed(t, places: 1))")
            }
            guard let m = shownMean(j, s), let study = facts.studyMean[s], let sd = facts.schoolMeanSD[s], sd > 0 else { return nil }
            let z = (m - study) / sd
            return (s, direction == .low ? -z : z, "mean \(Self.readable(m)), study \(Self.readable(study))")
        }
        if let best = standing.max(by: { $0.1 < $1.1 }), let worst = standing.min(by: { $0.1 < $1.1 }), best.0 != worst.0 {
            let against = reference == nil ? "Compared with the study" : (reference!.choice.isSampleRelative ? "Compared with the study's schools" : "Against the norms")
            lines.append("\(against), the school is strongest on \(facts.names[best.0]) (\(best.2), \(Self.betterWords(facts.favourable[best.0]))) and weakest on \(facts.names[worst.0]) (\(worst.2), \(Self.betterWords(facts.favourable[worst.0]))).")
        }
        lines += profileCategoryLines(j)
        let notDiffer = facts.summary.filter { !facts.schoolsDiffer[$0] }
        if !notDiffer.isEmpty {
            lines.append("In this study schools cannot be told apart reliably on \(Self.list(notDiffer.map { facts.names[$0] })), so this school's scores there say little about the school itself.")
        }
        return lines
    }

    /// One school's page: no other school is named.
    func schoolPage(_ j: Int, facts: HTMLFacts, context: ReportContext) -> String {
        let school = schools[j]
        let name = displayName(school)
        var body = Self.htmlSection("brief", "In brief", first: true,
                                    "<ul class=\"brief\">\n" + schoolBriefLines(j, facts).map { "<li>" + HTMLText.escape($0) + "</li>\n" }.joined() + "</ul>\n")
        var profile = Self.p(normReferenced == nil
            ? "The school's mean on every dimension (the filled circle) with its authority's mean (the vermillion diamond) and the mean of all staff in the study (the black bar)."
            : "The school's T-score on every dimension (the filled circle) against the norm band T 40 to 60 (grey), with its authority's value (the vermillion diamond).")
        profile += profileFigure(facts, school: j, id: "pf")
        body += Self.htmlSection("profile", "Profile", profile)
        // The school's numbers against its authority and the study.
        let a = facts.authorityOf[j]
        var header = ["Dimension", "Better when", "n", "School mean", "95% interval", "Authority mean", "Study mean"]
        if normReferenced != nil { header += ["T-score", "Percentile"] }
        header += ["Agreement rwg(j)", "Mean stands for its staff"]
        let rows: [[String]] = facts.summary.map { s in
            let r = school.scores[s]
            var cells = [facts.names[s], Self.betterWords(facts.favourable[s]), String(r.n), Self.readable(shownMean(j, s)),
                         schoolInterval(j, s).map { "\(Self.readable($0.lower))–\(Self.readable($0.upper))" } ?? "–",
                         a.map { Self.readable(shownAuthorityMean($0, s)) } ?? "–", Self.readable(facts.studyMean[s])]
            if normReferenced != nil {
                let score = shownT(j, s)
                cells += [Self.readableT(score), score.map { DecimalText.fixed($0.percentile, places: 0) } ?? "–"]
            }
            cells += [Self.readable(shownRwg(j, s)), standsText(j, s)]
            return cells
        }
        body += Self.htmlSection("numbers", "The numbers", Self.htmlTable(caption: "\(name) against its authority and the study", header: header, rows: rows, leftColumns: 2)
                                 + Self.p("The authority mean is the mean of its schools' means; the study mean is the mean of all staff who answered in the study.", "note"))
        body += Self.htmlSection("reading", "How to read this page", readingSection(facts))
        var subtitle = [school.key.authority.map { "Authority: \(displayName(authority: $0))" } ?? "No authority"]
        subtitle.append("\(instrument.name), version \(instrument.version); made by \(context.generator) from \(context.source).")
        return Self.htmlPage(title: "\(instrument.name): \(name)", subtitle: subtitle, body: body)
    }
}
