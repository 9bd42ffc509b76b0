import OSCScoring

let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: "my-licensed-key.csv"))
let (table, _) = try ResponseReader.read(path: "responses.csv", instrument: instrument)
let report = try ScoringReport(table: table, options: ScoringOptions(minAnswered: 0.5))

for school in report.schools {
    // One school's results on one scale in one value: n, mean, sd, agreement, verdict.
    let proficiency = school["proficiency"]!
    print(school.authority ?? "-", school.id, proficiency.n, proficiency.mean ?? .nan,
          proficiency.rwgJ ?? .nan, proficiency.aggregate ? "stands" : "does not stand")
}
print(report.input.rows, report.input.scored, report.input.excluded.count)
