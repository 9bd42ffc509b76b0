// A whole report on fuzzed responses: read the CSV with the small
// leadership instrument, score it with input-derived settings, and check
// every output: JSON (the tree's text, the streamed text, with and without
// respondents) parses with Foundation's JSONSerialization, has no inf/nan
// and is the same text both ways; every CSV level and the long CSV read as
// RFC 4180 with an independent reader, every row with the header's field
// count and the expected number of rows; the table and Markdown reports
// are formed (for crashes).
//
// Input: one control byte, then the CSV. Control bits: 0 listwise, 1
// include all schools, 2 sample norms, 3 min-answered 0 (else 0.5), 4
// random group resampling (3 replications), 5 min-respondents 1.

import Foundation
import FuzzSupport
@testable import OSCScoring

func checkJSON(_ bytes: [UInt8], _ what: String) {
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    } catch {
        Fuzz.fail("\(what) is not valid JSON (\(error)):\n\(text)")
    }
    // JSONSerialization refuses bare inf/nan tokens; numbers so large they
    // parse as infinity are refused here.
    if let number = firstNonFiniteNumber(bytes) { Fuzz.fail("\(what) has the number \(number), not finite:\n\(text)") }
}

/// The first number token outside strings whose value is not finite (1e999).
func firstNonFiniteNumber(_ bytes: [UInt8]) -> String? {
    var i = 0, inString = false
    while i < bytes.count {
        let b = bytes[i]
        if inString {
            if b == 0x5C { i += 2; continue }
            if b == 0x22 { inString = false }
            i += 1
        } else if b == 0x22 {
            inString = true
            i += 1
        } else if b == UInt8(ascii: "-") || (48...57).contains(b) {
            var j = i
            while j < bytes.count, "+-.eE0123456789".utf8.contains(bytes[j]) { j += 1 }
            let token = String(decoding: bytes[i..<j], as: UTF8.self)
            if let v = Double(token), !v.isFinite { return token }
            i = j
        } else {
            i += 1
        }
    }
    return nil
}

func checkCSV(_ text: String, _ what: String, rows expected: Int?, columns: Int? = nil) {
    guard let records = independentCSVRecords(Array(text.utf8)) else { Fuzz.fail("\(what) is not RFC 4180 CSV:\n\(text)") }
    guard let header = records.first else { Fuzz.fail("\(what) has no header:\n\(text)") }
    if let columns, header.count != columns { Fuzz.fail("\(what) header has \(header.count) fields, expected \(columns):\n\(text)") }
    for (k, record) in records.enumerated() where record.count != header.count {
        Fuzz.fail("\(what) record \(k + 1) has \(record.count) fields, the header \(header.count):\n\(text)")
    }
    if let expected, records.count - 1 != expected {
        Fuzz.fail("\(what) has \(records.count - 1) data rows, expected \(expected):\n\(text)")
    }
}

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    guard let control = input.first else { return 0 }
    let csv = Array(input.dropFirst())
    let instrument = Fuzz.leadership
    guard let table = try? ResponseReader.read(csv, instrument: instrument, source: "fuzz") else { return 0 }
    let statistics = StatisticsOptions(missing: control & 1 != 0 ? .listwise : .pairwise,
                                       rgrReplications: control & 16 != 0 ? 3 : nil)
    var criteria = AggregationCriteria()
    criteria.includeAllSchools = control & 2 != 0
    if control & 32 != 0 { criteria.minRespondents = 1 }
    let report: ScoringReport
    do {
        report = try ScoringReport(table: table, options: ScoringOptions(minAnswered: control & 8 != 0 ? 0 : 0.5),
                                   statistics: statistics, criteria: criteria, norms: control & 4 != 0 ? .sample : nil)
    } catch {
        Fuzz.fail("ScoringReport threw \(error) with the uniform null")
    }
    let context = ReportContext(source: "fuzz.csv", delimiter: .comma)
    for respondents in [false, true] {
        let streamed = report.jsonBytes(context: context, includeRespondents: respondents)
        checkJSON(streamed, "JSON (respondents: \(respondents))")
        let tree = report.json(context: context, includeRespondents: respondents).bytes()
        if tree != streamed {
            Fuzz.fail("streamed JSON differs from the tree's text:\n\(String(decoding: streamed, as: UTF8.self))\n---\n\(String(decoding: tree, as: UTF8.self))")
        }
    }
    let scales = instrument.scales.count
    for level in ReportLevel.allCases {
        let text = report.csv(level: level)
        let rows: Int
        switch level {
        case .respondent: rows = table.rowCount
        case .school: rows = report.schools.count
        case .authority: rows = report.authorities.count
        case .scale: rows = scales
        }
        checkCSV(text, "CSV --level \(level.rawValue)", rows: rows, columns: level == .respondent ? 3 + scales : nil)
        var streamed: [UInt8] = []
        try? report.writeCSV(level: level) { streamed.append(contentsOf: $0) }
        if streamed != Array(text.utf8) {
            Fuzz.fail("writeCSV(level: \(level.rawValue)) differs from csv(level:):\n\(String(decoding: streamed, as: UTF8.self))\n---\n\(text)")
        }
    }
    checkCSV(report.csvLong(), "long CSV", rows: nil, columns: 6)
    _ = report.tableText(context: context)
    _ = report.markdown(context: context)
    // The HTML report and the school pages: escaped ids keep every page free of raw markup.
    let html = report.html(context: context, schoolPages: report.schoolPageFileNames())
    if html.contains("<script") { Fuzz.fail("the HTML report holds raw markup from the data") }
    report.forEachSchoolPage(context: context) { _, _, page in
        if page.contains("<script") { Fuzz.fail("a school page holds raw markup from the data") }
    }
    _ = report.summaryLines(context: context)
    _ = report.findingLines()
    return 0
}
