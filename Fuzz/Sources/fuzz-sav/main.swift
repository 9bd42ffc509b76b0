// The SPSS reader: any bytes give a dictionary and cases or a DatasetError,
// never a crash, a hang or an allocation beyond the file's size (a crafted
// count must be refused first). A file that reads is also read as responses
// with the leadership instrument (its columns are the seeds' variables) and
// scored: the JSON report must parse, and reading twice gives the same table.

import Foundation
import FuzzSupport
@testable import OSCScoring

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    guard var file = try? SPSSFile(bytes: input, source: "fuzz.sav") else { return 0 }
    var row = DatasetCase(variableCount: file.variables.count)
    var cases = 0
    do throws(DatasetError) {
        while try file.next(into: &row) {
            cases += 1
            if cases > input.count { Fuzz.fail("more cases (\(cases)) than bytes (\(input.count))") }
            for v in file.variables.indices where !file.variables[v].isString && row.missing[v] == .present && row.numbers[v].isNaN {
                Fuzz.fail("a NaN number is not marked missing")
            }
        }
    } catch {
        if !error.message.hasPrefix("fuzz.sav") { Fuzz.fail("the error does not name the file: \(error.message)") }
        return 0
    }
    if let declared = file.declaredCaseCount, declared != cases { Fuzz.fail("\(cases) cases read but \(declared) declared") }
    var options = ReadOptions()
    options.idColumn = "respondent"
    options.threads = 1
    func read(threads: Int) -> Result<ResponseTable, ResponseFileError> {
        guard var again = try? SPSSFile(bytes: input, source: "fuzz.sav") else { Fuzz.fail("the file opened once and not twice") }
        var options = options
        options.threads = threads
        return Result { () throws(ResponseFileError) -> ResponseTable in
            try ResponseReader.read(cases: &again, format: "SPSS system file", instrument: Fuzz.leadership, options: options, source: "fuzz.sav",
                                    minimumCasesPerPart: 1)
        }
    }
    // The second read splits the cases into three parts (when there are three), read on threads.
    let first = read(threads: 1), second = read(threads: 3)
    // The plain path (each case's numbers, then coded) gives the same table as the direct decoding into codes.
    guard let opened = try? SPSSFile(bytes: input, source: "fuzz.sav") else { Fuzz.fail("the file opened once and not again") }
    var plainCases = PlainCases(file: opened)
    let plain = Result { () throws(ResponseFileError) -> ResponseTable in
        try ResponseReader.read(cases: &plainCases, format: "SPSS system file", instrument: Fuzz.leadership, options: options, source: "fuzz.sav")
    }
    switch (first, plain) {
    case let (.success(a), .success(b)):
        if a.answerCodes != b.answerCodes || a.problems != b.problems || a.respondentIDs != b.respondentIDs || a.dataFile != b.dataFile {
            Fuzz.fail("the direct decoding and the plain path differ")
        }
    case let (.failure(a), .failure(b)):
        if a.message != b.message { Fuzz.fail("the direct decoding and the plain path fail differently: \(a.message) / \(b.message)") }
    default:
        Fuzz.fail("one of the direct decoding and the plain path failed")
    }
    switch (first, second) {
    case let (.success(a), .success(b)):
        if a.answerCodes != b.answerCodes || a.problems != b.problems || a.respondentIDs != b.respondentIDs || a.rowSchools != b.rowSchools
            || a.distinctSchools != b.distinctSchools || a.dataFile != b.dataFile || (0..<a.rowCount).map(a.line(row:)) != (0..<b.rowCount).map(b.line(row:)) {
            Fuzz.fail("one pass and three parts differ")
        }
        guard let report = try? ScoringReport(table: a) else { return 0 }
        let json = report.jsonBytes(context: ReportContext(source: "fuzz.sav"))
        do { _ = try JSONSerialization.jsonObject(with: Data(json)) } catch {
            Fuzz.fail("the report is not valid JSON (\(error))")
        }
        _ = report.tableText(context: ReportContext(source: "fuzz.sav"))
        _ = report.csv(level: .school)
    case let (.failure(a), .failure(b)):
        if a.message != b.message { Fuzz.fail("one pass and three parts fail differently: \(a.message) / \(b.message)") }
    default:
        Fuzz.fail("one read failed and the other did not")
    }
    return 0
}
