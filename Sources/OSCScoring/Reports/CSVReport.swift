// The report as CSV, one row per respondent, school or authority.

extension ScoringReport {
    /// Writes `csv(level:)` to `sink` in pieces, in order. The respondent
    /// level (one row per data row) is formed row by row, each row's scores
    /// taken in one pass over its answers, and handed over about 64 KB at a
    /// time, so that a large file's rows never exist as text all at once;
    /// the other levels are written whole. `sink` may throw to stop.
    public func writeCSV(level: ReportLevel, to sink: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard level == .respondent else {
            var text = csv(level: level)
            try text.withUTF8 { try sink($0) }
            return
        }
        let ids = instrument.scales.map(\.id)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 17)
        JSONValue.appendUTF8((["respondent", "school", "authority"] + ids).map(Self.quoted).joined(separator: ",") + "\n", to: &out)
        // Each school's two cells, quoted once.
        let schoolCells: [[UInt8]] = table.distinctSchools.map { Array((Self.quoted($0.school) + "," + Self.quoted($0.authority ?? "")).utf8) }
        let scaleCount = scores.scaleCount, required = scores.requiredAnswers, offset = scores.codeOffset
        try scores.forEachRow { r, slots in
            JSONValue.appendUTF8(Self.quoted(table.respondentID(row: r) ?? String(table.line(row: r))), to: &out)
            out.append(UInt8(ascii: ","))
            let j = Int(table.rowSchools[r])
            if j >= 0 { out.append(contentsOf: schoolCells[j]) } else { out.append(UInt8(ascii: ",")) }
            for s in 0..<scaleCount {
                out.append(UInt8(ascii: ","))
                let v = RespondentScores.value(slots[s], required: required[s], offset: offset)
                JSONValue.appendNumber(v, to: &out, nonFinite: "")
            }
            out.append(0x0A)
            if out.count >= 1 << 16 {
                try out.withUnsafeBufferPointer { try sink($0) }
                out.removeAll(keepingCapacity: true)
            }
        }
        try out.withUnsafeBufferPointer { try sink($0) }
    }

    /// The report as CSV (comma-delimited, RFC 4180 quoting, LF line ends).
    ///
    /// - `respondent`: `respondent,school,authority,<scale>…`, one row per
    ///   data row (the respondent id, or the line number when there is none);
    ///   a scale's cell is empty where there is no score.
    /// - `school`: `authority,school,rows,respondents` (with `name` after
    ///   `school` when schools have display names, the value labels of a
    ///   statistical data file; likewise after `authority` at that level), then `<scale>_n`,
    ///   `<scale>_mean`, `<scale>_sd` and the agreement indices
    ///   `<scale>_rwgj`, `_rwgjStar`, `_rwg`, `_awg`, `_adMean`, `_adMedian`
    ///   and the verdict `<scale>_aggregate` (1 or 0) for every scale.
    /// - `authority`: `authority,schools,respondents`, then `<scale>_schools`,
    ///   `<scale>_n`, `<scale>_mean`, `<scale>_respondentMean`, `<scale>_sd`
    ///   and the same agreement indices.
    /// - `scale`: one row per scale: its items, n, mean and sd; alpha with
    ///   its interval, standardized alpha, average r, omega total; ICC(1),
    ///   ICC(2), F, df, p and the ICC(1) interval at school and authority level;
    ///   the REML variance partition.
    ///
    /// With norms, every scale with a norm also gets `<scale>_t` and
    /// `<scale>_percentile` (`_tSample` and `_percentileSample` with
    /// `--norms sample`), and every profile a `profile_<id>` column
    /// (school and authority levels).
    ///
    /// Numbers are written with all their digits; missing values are empty.
    public func csv(level: ReportLevel) -> String {
        let ids = instrument.scales.map(\.id)
        var rows: [[String]] = []
        switch level {
        case .respondent:
            rows.append(["respondent", "school", "authority"] + ids)
            for r in 0..<table.rowCount {
                let key = table.schoolKey(row: r)
                rows.append([table.respondentID(row: r) ?? String(table.line(row: r)), key?.school ?? "", key?.authority ?? ""]
                            + ids.indices.map { Self.cell(scores.score(row: r, scale: $0)) })
            }
        case .school:
            rows.append(["authority", "school"] + (hasSchoolNames ? ["name"] : []) + ["rows", "respondents"] + ids.indices.flatMap(schoolHeader) + profileHeaders())
            for j in schools.indices { rows.append(schoolRow(j)) }
        case .authority:
            rows.append(["authority"] + (hasAuthorityNames ? ["name"] : []) + ["schools", "respondents"] + ids.indices.flatMap(authorityHeader) + profileHeaders())
            for a in authorities.indices { rows.append(authorityRow(a)) }
        case .scale:
            let iccNames = ["icc1", "icc2", "f", "df1", "df2", "p", "icc1Lower", "icc1Upper"]
            rows.append(["scale", "name", "level", "items", "n", "mean", "sd", "alpha", "alphaLower", "alphaUpper",
                         "standardizedAlpha", "averageR", "omegaTotal"]
                        + iccNames.map { "school_\($0)" } + iccNames.map { "authority_\($0)" }
                        + ["varianceAuthority", "varianceSchool", "varianceResidual", "authorityShare", "schoolShare", "residualShare", "varianceConverged"]
                        + (hasRGR ? ["school", "authority"].flatMap { level in Self.rgrNames.map { "\(level)_rgr_\($0)" } } : []))
            for (s, scale) in instrument.scales.enumerated() {
                let d = scaleDescriptives[s], r = statistics.reliability[s]
                func iccCells(_ icc: OneWayANOVAICC?) -> [String] {
                    guard let icc else { return Array(repeating: "", count: iccNames.count) }
                    return [Self.cell(icc.icc1), Self.cell(icc.icc2), Self.cell(icc.f), String(icc.df1), String(icc.df2),
                            Self.cell(icc.p), Self.cell(icc.icc1Lower), Self.cell(icc.icc1Upper)]
                }
                rows.append([scale.id, scale.name, scale.level ?? "", String(instrument.scaleItemIndices[s].count), String(d.n),
                             Self.cell(d.mean), Self.cell(d.sd), Self.cell(r.alpha?.alpha), Self.cell(r.alpha?.alphaLower),
                             Self.cell(r.alpha?.alphaUpper), Self.cell(r.alpha?.standardizedAlpha), Self.cell(r.alpha?.averageR),
                             Self.cell(r.omegaTotal)] + iccCells(statistics.icc[s].school) + iccCells(statistics.icc[s].authority)
                            + varianceCells(statistics.icc[s].variance)
                            + (hasRGR ? rgrCells(statistics.icc[s].schoolRGR) + rgrCells(statistics.icc[s].authorityRGR) : []))
            }
        }
        return rows.map { $0.map(Self.quoted).joined(separator: ",") + "\n" }.joined()
    }

    /// The report as one row per level, unit, scale and statistic:
    /// `level,unit,authority,scale,statistic,value`, ready for R, SPSS, Stata
    /// or a spreadsheet's pivot table.
    ///
    /// - `level` `sample`, `unit` `all`: each scale's `n`, `mean`, `sd`, the
    ///   reliability (`alpha`, `alphaLower`, `alphaUpper`, `standardizedAlpha`,
    ///   `averageR`, `omegaTotal`), the ICCs (`schoolIcc1`, `schoolIcc2`,
    ///   `schoolF`, `schoolDf1`, `schoolDf2`, `schoolP`, `schoolIcc1Lower`,
    ///   `schoolIcc1Upper`, `schoolAggregationJustified`, and the same with
    ///   `authority`), and the variance partition when there is one.
    /// - `level` `school`: `n`, `mean`, `sd`, the agreement indices and
    ///   `aggregate`; `unit` is the school, `authority` its authority.
    /// - `level` `authority`: `schools`, `schoolsExcluded`, `n`, `mean`,
    ///   `respondentMean`, `sd` and the agreement indices.
    /// - With norms: `t` and `percentile` (`tSample`, `percentileSample` when
    ///   sample-relative) per scale with a norm, and
    ///   `profile_<id>` (scale empty, value `best`, `average` or `worst`).
    ///
    /// Values are numbers with all their digits; true/false are 1/0; a
    /// statistic that cannot be computed has an empty value.
    public func csvLong() -> String {
        var out = "level,unit,authority,scale,statistic,value\n"
        func add(_ level: String, _ unit: String, _ authority: String?, _ scale: String, _ statistic: String, _ value: Double?) {
            addText(level, unit, authority, scale, statistic, Self.cell(value))
        }
        func addText(_ level: String, _ unit: String, _ authority: String?, _ scale: String, _ statistic: String, _ value: String) {
            out += [level, unit, authority ?? "", scale, statistic, value].map(Self.quoted).joined(separator: ",") + "\n"
        }
        func addNorms(_ level: String, _ unit: String, _ authority: String?, _ scores: [NormScore?]?, _ norms: [String: ScaleNorm]?,
                      _ profiles: [ProfileResult?]?) {
            guard let scores, let norms, let profiles else { return }
            for (s, scale) in instrument.scales.enumerated() where norms[scale.id] != nil {
                add(level, unit, authority, scale.id, tName, scores[s]?.t)
                add(level, unit, authority, scale.id, percentileName, scores[s]?.percentile)
            }
            for (p, profile) in instrument.profiles.enumerated() {
                addText(level, unit, authority, "", "profile_\(profile.id)", profiles[p]?.profileClass.rawValue ?? "")
            }
        }
        func flag(_ b: Bool) -> Double { b ? 1 : 0 }
        for (s, scale) in instrument.scales.enumerated() {
            let d = scaleDescriptives[s], r = statistics.reliability[s]
            let sample: [(String, Double?)] = [
                ("n", Double(d.n)), ("mean", d.mean), ("sd", d.sd), ("alpha", r.alpha?.alpha), ("alphaLower", r.alpha?.alphaLower),
                ("alphaUpper", r.alpha?.alphaUpper), ("standardizedAlpha", r.alpha?.standardizedAlpha), ("averageR", r.alpha?.averageR),
                ("omegaTotal", r.omegaTotal),
            ]
            for (name, value) in sample { add("sample", "all", nil, scale.id, name, value) }
            let v = statistics.icc[s].variance
            let variance: [(String, Double?)] = [
                ("varianceAuthority", v?.authority), ("varianceSchool", v?.school), ("varianceResidual", v?.residual),
                ("authorityShare", v?.authorityShare), ("schoolShare", v?.schoolShare), ("residualShare", v?.residualShare),
                ("varianceConverged", v.map { flag($0.converged) }),
            ]
            for (name, value) in variance where table.hasAuthorityColumn || !name.hasPrefix("varianceAuthority") && name != "authorityShare" {
                add("sample", "all", nil, scale.id, name, value)
            }
            let levels: [(String, OneWayANOVAICC?, LevelVerdict?)] = [("school", statistics.icc[s].school, schoolLevelVerdicts[s])]
                + (table.hasAuthorityColumn ? [("authority", statistics.icc[s].authority, authorityLevelVerdicts[s])] : [])
            for (level, icc, verdict) in levels {
                let values: [(String, Double?)] = [
                    ("Icc1", icc?.icc1), ("Icc2", icc?.icc2), ("F", icc?.f), ("Df1", icc.map { Double($0.df1) }), ("Df2", icc.map { Double($0.df2) }),
                    ("P", icc?.p), ("Icc1Lower", icc?.icc1Lower), ("Icc1Upper", icc?.icc1Upper), ("AggregationJustified", verdict.map { flag($0.justified) }),
                ]
                for (name, value) in values { add("sample", "all", nil, scale.id, level + name, value) }
                if hasRGR, let rgr = level == "school" ? statistics.icc[s].schoolRGR : statistics.icc[s].authorityRGR {
                    for (name, value) in zip(Self.rgrNames, rgrValues(rgr)) {
                        add("sample", "all", nil, scale.id, level + "Rgr" + name.prefix(1).uppercased() + name.dropFirst(), value)
                    }
                }
            }
        }
        for school in schools {
            for (s, scale) in instrument.scales.enumerated() {
                let v = school.scores[s], g = v.agreement
                let values: [(String, Double?)] = [
                    ("n", Double(v.n)), ("mean", v.mean), ("sd", v.sd), ("rwgj", g.rwgJ), ("rwgjStar", g.rwgJStar), ("rwg", g.rwg),
                    ("awg", g.awg), ("adMean", g.adMean), ("adMedian", g.adMedian), ("aggregate", flag(v.aggregate)),
                ]
                for (name, value) in values { add("school", school.key.school, school.key.authority, scale.id, name, value) }
            }
            addNorms("school", school.key.school, school.key.authority, school.scores.map(\.norm), normReferenced?.schoolNorms, school.profiles)
        }
        for authority in authorities {
            for (s, scale) in instrument.scales.enumerated() {
                let v = authority.scores[s], g = v.agreement
                let values: [(String, Double?)] = [
                    ("schools", Double(v.schools)), ("schoolsExcluded", Double(v.excludedSchools.count)), ("n", Double(v.n)),
                    ("mean", v.mean), ("respondentMean", v.respondentMean), ("sd", v.sd), ("rwgj", g.rwgJ), ("rwgjStar", g.rwgJStar),
                    ("rwg", g.rwg), ("awg", g.awg), ("adMean", g.adMean), ("adMedian", g.adMedian),
                ]
                for (name, value) in values { add("authority", authority.id, authority.id, scale.id, name, value) }
            }
            addNorms("authority", authority.id, authority.id, authority.scores.map(\.norm), normReferenced?.authorityNorms, authority.profiles)
        }
        return out
    }

    /// The school CSV columns of scale `s`.
    func schoolHeader(_ s: Int) -> [String] {
        let id = instrument.scales[s].id
        let t = hasNorm(s, normReferenced?.schoolNorms) ? ["\(id)_\(tName)", "\(id)_\(percentileName)"] : []
        return ["\(id)_n", "\(id)_mean", "\(id)_sd"] + t + Self.agreementNames.map { "\(id)_\($0)" } + ["\(id)_aggregate"]
    }

    /// One school's CSV row.
    /// Whether a school has a display name (value labels of a data file): then school rows get a `name` column after `school`.
    var hasSchoolNames: Bool { schools.contains { $0.name != nil } }
    /// Whether an authority has a display name: then authority rows get a `name` column after `authority`.
    var hasAuthorityNames: Bool { authorities.contains { $0.name != nil } }

    func schoolRow(_ j: Int) -> [String] {
        let school = schools[j]
        var row = [school.key.authority ?? "", school.key.school] + (hasSchoolNames ? [school.name ?? ""] : []) + [String(school.rows), String(school.respondents)]
        for s in instrument.scales.indices {
            let v = school.scores[s]
            row += [String(v.n), Self.cell(v.mean), Self.cell(v.sd)]
            if hasNorm(s, normReferenced?.schoolNorms) {
                row += [Self.cell(schools[j].scores[s].norm?.t), Self.cell(schools[j].scores[s].norm?.percentile)]
            }
            row += Self.agreementCells(schools[j].scores[s].agreement)
            row.append(schools[j].scores[s].aggregate ? "1" : "0")
        }
        return row + profileCells(schools[j].profiles)
    }

    /// The authority CSV columns of scale `s`.
    func authorityHeader(_ s: Int) -> [String] {
        let id = instrument.scales[s].id
        let t = hasNorm(s, normReferenced?.authorityNorms) ? ["\(id)_\(tName)", "\(id)_\(percentileName)"] : []
        return ["\(id)_schools", "\(id)_schoolsExcluded", "\(id)_n", "\(id)_mean", "\(id)_respondentMean", "\(id)_sd"]
            + t + Self.agreementNames.map { "\(id)_\($0)" }
    }

    /// One authority's CSV row.
    func authorityRow(_ a: Int) -> [String] {
        let authority = authorities[a]
        var row = [authority.id] + (hasAuthorityNames ? [authority.name ?? ""] : []) + [String(authority.schoolIndices.count), String(authority.respondents)]
        for s in instrument.scales.indices {
            let v = authority.scores[s]
            row += [String(v.schools), String(v.excludedSchools.count), String(v.n), Self.cell(v.mean), Self.cell(v.respondentMean), Self.cell(v.sd)]
            if hasNorm(s, normReferenced?.authorityNorms) {
                row += [Self.cell(authorities[a].scores[s].norm?.t), Self.cell(authorities[a].scores[s].norm?.percentile)]
            }
            row += Self.agreementCells(authorities[a].scores[s].agreement)
        }
        return row + profileCells(authorities[a].profiles)
    }

    /// "t", or "tSample" when the T-scores are sample-relative.
    var tName: String { normReferenced?.choice.isSampleRelative == true ? "tSample" : "t" }
    /// "percentile", or "percentileSample" when sample-relative.
    var percentileName: String { normReferenced?.choice.isSampleRelative == true ? "percentileSample" : "percentile" }

    /// Whether scale `s` has a norm (false without norms).
    func hasNorm(_ s: Int, _ norms: [String: ScaleNorm]?) -> Bool {
        norms?[instrument.scales[s].id] != nil
    }

    /// `profile_<id>` columns when there are norms.
    func profileHeaders() -> [String] {
        normReferenced == nil ? [] : instrument.profiles.map { "profile_\($0.id)" }
    }

    func profileCells(_ results: [ProfileResult?]?) -> [String] {
        guard normReferenced != nil, let results else { return [] }
        return results.map { $0?.profileClass.rawValue ?? "" }
    }

    func varianceCells(_ v: VariancePartition?) -> [String] {
        guard let v else { return Array(repeating: "", count: 7) }
        return [Self.cell(v.authority), Self.cell(v.school), Self.cell(v.residual), Self.cell(v.authorityShare),
                Self.cell(v.schoolShare), Self.cell(v.residualShare), v.converged ? "1" : "0"]
    }

    /// Whether the report has random group resampling (`--rgr`).
    var hasRGR: Bool { statistics.options.rgrReplications != nil }

    /// The random group resampling statistics, named as in JSON (`rgr.school.z`
    /// is the CSV column `school_rgr_z`, and `schoolRgrZ` in long form).
    static let rgrNames = ["groups", "pseudoGroups", "averageGroupVariance", "averagePseudoGroupVariance",
                           "pseudoGroupVarianceSD", "z", "p", "aboveChance"]

    func rgrValues(_ r: RGRAgreement) -> [Double?] {
        [Double(r.groups), Double(r.pseudoGroupCount), r.averageGroupVariance, r.averagePseudoGroupVariance,
         r.pseudoGroupVarianceSD, r.z, Self.rgrP(r), rgrAboveChance(r) ? 1 : 0]
    }

    func rgrCells(_ r: RGRAgreement?) -> [String] {
        guard let r else { return Array(repeating: "", count: Self.rgrNames.count) }
        return rgrValues(r).map(Self.cell)
    }

    /// The agreement columns of a school or authority, in order.
    static let agreementNames = ["rwgj", "rwgjStar", "rwg", "awg", "adMean", "adMedian"]

    static func agreementCells(_ g: GroupAgreement) -> [String] {
        [cell(g.rwgJ), cell(g.rwgJStar), cell(g.rwg), cell(g.awg), cell(g.adMean), cell(g.adMedian)]
    }

    static func cell(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return JSONValue.format(value)
    }

    /// A CSV field, quoted when it holds a comma, quote, CR or LF, and its
    /// quotes doubled. Decided on the UTF-8 bytes, not on Characters (CRLF
    /// is one Character, and so is a quote followed by a combining mark).
    public static func quoted(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return field }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(field.utf8.count + 2)
        for b in field.utf8 {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}
