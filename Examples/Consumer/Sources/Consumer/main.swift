import OSCScoring

let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: "my-licensed-key.csv"))
let (table, _) = try ResponseReader.read(path: "responses.csv", instrument: instrument)
let report = try ScoringReport(table: table, options: ScoringOptions(minAnswered: 0.5))

let proficiency = instrument.scaleIndex(of: "proficiency")!
for school in report.schools {
    print(school.key.authority ?? "-", school.key.school, school.scores[proficiency].mean ?? .nan)
}
print(report.input.rows, report.input.scored, report.input.excluded.count)
