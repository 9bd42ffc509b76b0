// The report as CSV, one row per respondent, school or authority.

extension ScoringReport {
    /// The report as CSV (comma-delimited, RFC 4180 quoting, LF line ends).
    ///
    /// - `respondent`: `respondent,school,authority,<scale>…`, one row per
    ///   data row (the respondent id, or the line number when there is none);
    ///   a scale's cell is empty where there is no score.
    /// - `school`: `authority,school,rows,respondents`, then `<scale>_n`,
    ///   `<scale>_mean`, `<scale>_sd` and the agreement indices
    ///   `<scale>_rwgj`, `_rwgjStar`, `_rwg`, `_awg`, `_adMean`, `_adMedian`
    ///   and the verdict `<scale>_aggregate` (1 or 0) for every scale.
    /// - `authority`: `authority,schools,respondents`, then `<scale>_schools`,
    ///   `<scale>_n`, `<scale>_mean`, `<scale>_respondentMean`, `<scale>_sd`
    ///   and the same agreement indices.
    /// - `scale`: one row per scale: its items, n, mean and sd; alpha with
    ///   its interval, standardized alpha, average r, omega total; ICC(1),
    ///   ICC(2), F, df, p and the ICC(1) interval at school and authority level.
    ///
    /// Numbers are written with all their digits; missing values are empty.
    public func csv(level: ReportLevel) -> String {
        let ids = instrument.scales.map(\.id)
        var rows: [[String]] = []
        switch level {
        case .respondent:
            rows.append(["respondent", "school", "authority"] + ids)
            for r in 0..<table.rowCount {
                let key = table.schoolKeys[r]
                rows.append([table.respondentIDs[r] ?? String(table.lines[r]), key?.school ?? "", key?.authority ?? ""]
                            + ids.indices.map { Self.cell(scores.score(row: r, scale: $0)) })
            }
        case .school:
            rows.append(["authority", "school", "rows", "respondents"]
                        + ids.flatMap { id in ["\(id)_n", "\(id)_mean", "\(id)_sd"] + Self.agreementNames.map { "\(id)_\($0)" } + ["\(id)_aggregate"] })
            for (j, school) in schools.enumerated() {
                rows.append([school.key.authority ?? "", school.key.school, String(school.rows), String(school.respondents)]
                            + school.scores.indices.flatMap { s in
                                let v = school.scores[s]
                                return [String(v.n), Self.cell(v.mean), Self.cell(v.sd)] + Self.agreementCells(statistics.schoolAgreement[j][s])
                                    + [schoolVerdicts[j][s].aggregate ? "1" : "0"]
                            })
            }
        case .authority:
            rows.append(["authority", "schools", "respondents"]
                        + ids.flatMap { id in ["\(id)_schools", "\(id)_schoolsExcluded", "\(id)_n", "\(id)_mean", "\(id)_respondentMean", "\(id)_sd"] + Self.agreementNames.map { "\(id)_\($0)" } })
            for (a, authority) in authorities.enumerated() {
                rows.append([authority.id, String(authority.schoolIndices.count), String(authority.respondents)]
                            + authority.scores.indices.flatMap { s in
                                let v = authority.scores[s]
                                return [String(v.schools), String(v.excludedSchools.count), String(v.n), Self.cell(v.mean), Self.cell(v.respondentMean), Self.cell(v.sd)]
                                    + Self.agreementCells(statistics.authorityAgreement[a][s])
                            })
            }
        case .scale:
            let iccNames = ["icc1", "icc2", "f", "df1", "df2", "p", "icc1Lower", "icc1Upper"]
            rows.append(["scale", "name", "level", "items", "n", "mean", "sd", "alpha", "alphaLower", "alphaUpper",
                         "standardizedAlpha", "averageR", "omegaTotal"]
                        + iccNames.map { "school_\($0)" } + iccNames.map { "authority_\($0)" })
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
                             Self.cell(r.omegaTotal)] + iccCells(statistics.icc[s].school) + iccCells(statistics.icc[s].authority))
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
    ///
    /// Values are numbers with all their digits; true/false are 1/0; a
    /// statistic that cannot be computed has an empty value.
    public func csvLong() -> String {
        var out = "level,unit,authority,scale,statistic,value\n"
        func add(_ level: String, _ unit: String, _ authority: String?, _ scale: String, _ statistic: String, _ value: Double?) {
            out += [level, unit, authority ?? "", scale, statistic, Self.cell(value)].map(Self.quoted).joined(separator: ",") + "\n"
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
            let levels: [(String, OneWayANOVAICC?, LevelVerdict?)] = [("school", statistics.icc[s].school, schoolLevelVerdicts[s])]
                + (table.hasAuthorityColumn ? [("authority", statistics.icc[s].authority, authorityLevelVerdicts[s])] : [])
            for (level, icc, verdict) in levels {
                let values: [(String, Double?)] = [
                    ("Icc1", icc?.icc1), ("Icc2", icc?.icc2), ("F", icc?.f), ("Df1", icc.map { Double($0.df1) }), ("Df2", icc.map { Double($0.df2) }),
                    ("P", icc?.p), ("Icc1Lower", icc?.icc1Lower), ("Icc1Upper", icc?.icc1Upper), ("AggregationJustified", verdict.map { flag($0.justified) }),
                ]
                for (name, value) in values { add("sample", "all", nil, scale.id, level + name, value) }
            }
        }
        for (j, school) in schools.enumerated() {
            for (s, scale) in instrument.scales.enumerated() {
                let v = school.scores[s], g = statistics.schoolAgreement[j][s]
                let values: [(String, Double?)] = [
                    ("n", Double(v.n)), ("mean", v.mean), ("sd", v.sd), ("rwgj", g.rwgJ), ("rwgjStar", g.rwgJStar), ("rwg", g.rwg),
                    ("awg", g.awg), ("adMean", g.adMean), ("adMedian", g.adMedian), ("aggregate", flag(schoolVerdicts[j][s].aggregate)),
                ]
                for (name, value) in values { add("school", school.key.school, school.key.authority, scale.id, name, value) }
            }
        }
        for (a, authority) in authorities.enumerated() {
            for (s, scale) in instrument.scales.enumerated() {
                let v = authority.scores[s], g = statistics.authorityAgreement[a][s]
                let values: [(String, Double?)] = [
                    ("schools", Double(v.schools)), ("schoolsExcluded", Double(v.excludedSchools.count)), ("n", Double(v.n)),
                    ("mean", v.mean), ("respondentMean", v.respondentMean), ("sd", v.sd), ("rwgj", g.rwgJ), ("rwgjStar", g.rwgJStar),
                    ("rwg", g.rwg), ("awg", g.awg), ("adMean", g.adMean), ("adMedian", g.adMedian),
                ]
                for (name, value) in values { add("authority", authority.id, authority.id, scale.id, name, value) }
            }
        }
        return out
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

    /// A CSV field, quoted when it holds a comma, quote or line break.
    public static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
