// The complete report as JSON: every number, every row accounted for.

extension ScoringReport {
    /// The report as a JSON tree (see README "JSON output").
    /// - Parameter includeRespondents: add a `respondents` list with every
    ///   data row's scale scores.
    public func json(context: ReportContext, includeRespondents: Bool = false) -> JSONValue {
        let scales = instrument.scales
        var root: [(key: String, value: JSONValue)] = [
            ("instrument", .object([
                ("id", .string(instrument.id)), ("name", .string(instrument.name)),
                ("version", .string(instrument.version)), ("items", .number(Double(instrument.items.count))),
                ("key", .string(context.keySource)),
            ])),
            ("settings", .object([
                ("minAnswered", .number(options.minAnswered)),
                ("missingCodes", .array(context.readOptions.missingCodes.map(JSONValue.string))),
                ("strict", .bool(context.readOptions.strict)),
                ("schoolColumn", .string(context.readOptions.schoolColumn)),
                ("authorityColumn", table.hasAuthorityColumn ? .string(context.readOptions.authorityColumn) : .null),
                ("idColumn", table.hasIDColumn ? .string(context.readOptions.idColumn) : .null),
                ("delimiter", .string(context.delimiter.map(CSVDelimiter.name))),
            ])),
            ("input", inputJSON(context: context)),
            ("scales", .array(scales.indices.map { s in
                let d = scaleDescriptives[s]
                return .object([
                    ("id", .string(scales[s].id)), ("name", .string(scales[s].name)), ("level", .string(scales[s].level)),
                    ("items", .number(Double(instrument.scaleItemIndices[s].count))),
                    ("requiredAnswers", .number(Double(scores.requiredAnswers[s]))),
                    ("n", .number(Double(d.n))), ("mean", .number(d.mean)), ("sd", .number(d.sd)),
                ])
            })),
            ("schools", .array(schools.map { school in
                .object([
                    ("id", .string(school.key.school)), ("authority", .string(school.key.authority)),
                    ("rows", .number(Double(school.rows))), ("respondents", .number(Double(school.respondents))),
                    ("scores", .object(scales.indices.map { s in
                        let v = school.scores[s]
                        return (scales[s].id, .object([("n", .number(Double(v.n))), ("mean", .number(v.mean)), ("sd", .number(v.sd))]))
                    })),
                ])
            })),
            ("authorities", .array(authorities.map { authority in
                .object([
                    ("id", .string(authority.id)), ("schools", .number(Double(authority.schoolIndices.count))),
                    ("respondents", .number(Double(authority.respondents))),
                    ("scores", .object(scales.indices.map { s in
                        let v = authority.scores[s]
                        return (scales[s].id, .object([
                            ("schools", .number(Double(v.schools))), ("n", .number(Double(v.n))),
                            ("mean", .number(v.mean)), ("respondentMean", .number(v.respondentMean)), ("sd", .number(v.sd)),
                        ]))
                    })),
                ])
            })),
        ]
        if includeRespondents {
            root.append(("respondents", .array((0..<table.rowCount).map { r in
                .object([
                    ("line", .number(Double(table.lines[r]))), ("id", .string(table.respondentIDs[r])),
                    ("school", .string(table.schoolKeys[r]?.school)), ("authority", .string(table.schoolKeys[r]?.authority)),
                    ("scores", .object(scales.indices.map { s in (scales[s].id, .number(scores.score(row: r, scale: s))) })),
                ])
            })))
        }
        return .object(root)
    }

    /// The `input` member: the accounting of every row and every finding.
    public func inputJSON(context: ReportContext) -> JSONValue {
        .object([
            ("file", .string(context.source)),
            ("rows", .number(Double(input.rows))),
            ("scored", .number(Double(input.scored))),
            ("excluded", .number(Double(input.excluded.count))),
            ("exclusions", .array(input.excluded.map {
                .object([("line", .number(Double($0.line))), ("respondent", .string($0.respondent)), ("reason", .string($0.reason))])
            })),
            ("withoutSchool", .number(Double(input.withoutSchool.count))),
            ("withoutSchoolLines", .array(input.withoutSchool.map { .number(Double($0)) })),
            ("blankLines", .array(input.blankLines.map { .number(Double($0)) })),
            ("ignoredColumns", .array(input.ignoredColumns.map(JSONValue.string))),
            ("problems", .array(input.problems.map { p in
                .object([
                    ("line", .number(Double(p.line))), ("column", .string(p.column)),
                    ("columnNumber", p.columnNumber.map { .number(Double($0)) } ?? .null),
                    ("value", .string(p.value)), ("kind", .string(p.kind.rawValue)), ("problem", .string(p.problem)),
                ])
            })),
        ])
    }
}
