// The report as CSV, one row per respondent, school or authority.

extension ScoringReport {
    /// The report as CSV (comma-delimited, RFC 4180 quoting, LF line ends).
    ///
    /// - `respondent`: `respondent,school,authority,<scale>…`, one row per
    ///   data row (the respondent id, or the line number when there is none);
    ///   a scale's cell is empty where there is no score.
    /// - `school`: `authority,school,rows,respondents`, then `<scale>_n`,
    ///   `<scale>_mean`, `<scale>_sd` for every scale.
    /// - `authority`: `authority,schools,respondents`, then `<scale>_schools`,
    ///   `<scale>_n`, `<scale>_mean`, `<scale>_respondentMean`, `<scale>_sd`.
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
            rows.append(["authority", "school", "rows", "respondents"] + ids.flatMap { ["\($0)_n", "\($0)_mean", "\($0)_sd"] })
            for school in schools {
                rows.append([school.key.authority ?? "", school.key.school, String(school.rows), String(school.respondents)]
                            + school.scores.flatMap { [String($0.n), Self.cell($0.mean), Self.cell($0.sd)] })
            }
        case .authority:
            rows.append(["authority", "schools", "respondents"]
                        + ids.flatMap { ["\($0)_schools", "\($0)_n", "\($0)_mean", "\($0)_respondentMean", "\($0)_sd"] })
            for authority in authorities {
                rows.append([authority.id, String(authority.schoolIndices.count), String(authority.respondents)]
                            + authority.scores.flatMap { [String($0.schools), String($0.n), Self.cell($0.mean), Self.cell($0.respondentMean), Self.cell($0.sd)] })
            }
        }
        return rows.map { $0.map(Self.quoted).joined(separator: ",") + "\n" }.joined()
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
