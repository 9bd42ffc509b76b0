// The Stata .dta reader: any bytes give a StataFile whose cases all decode,
// or a DatasetError naming the file and a byte offset, never a crash, a hang
// or an allocation the input's size does not bound. A file that reads gives
// exactly its declared number of cases, every number finite and 0 where the
// cell is missing, and the same cells again with an explicit encoding for
// the numbers and missing kinds (only the decoding of text may differ).

import FuzzSupport
@testable import OSCScoring

func readAll(_ input: [UInt8], encoding: TextEncoding?) -> (StataFile, [DatasetCase])? {
    var file: StataFile
    do {
        file = try StataFile(bytes: input, source: "fuzz.dta", encoding: encoding)
    } catch {
        if error.offset == nil { Fuzz.fail("an error without a byte offset: \(error.message)") }
        return nil
    }
    var row = DatasetCase(variableCount: file.variables.count)
    var cases: [DatasetCase] = []
    do {
        while try file.next(into: &row) {
            for i in 0..<row.numbers.count {
                if !row.numbers[i].isFinite { Fuzz.fail("case \(cases.count + 1) variable \(i + 1) holds \(row.numbers[i])") }
                if row.missing[i] != .present && row.numbers[i] != 0 { Fuzz.fail("a missing cell holds \(row.numbers[i])") }
                if file.variables[i].isString && row.missing[i] != .present { Fuzz.fail("a string cell is missing") }
            }
            cases.append(row)
        }
    } catch {
        if error.caseNumber != cases.count + 1 { Fuzz.fail("the error of case \(cases.count + 1) names case \(error.caseNumber.map(String.init) ?? "none")") }
        return nil
    }
    if cases.count != file.declaredCaseCount { Fuzz.fail("\(cases.count) cases read, \(file.declaredCaseCount.map(String.init) ?? "nil") declared") }
    for variable in file.variables {
        for (key, _) in variable.valueLabels {
            guard case .number(let x) = key, x.isFinite else { Fuzz.fail("a value label keyed by \(key)") }
        }
    }
    return (file, cases)
}

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    guard let (file, cases) = readAll(input, encoding: nil) else { return 0 }
    guard let (again, casesAgain) = readAll(input, encoding: .windows1252) else { Fuzz.fail("the file reads by default but not as windows-1252") }
    if again.variables.count != file.variables.count || casesAgain.count != cases.count { Fuzz.fail("the two encodings give different shapes") }
    for (a, b) in zip(cases, casesAgain) where a.numbers != b.numbers || a.missing != b.missing {
        Fuzz.fail("the encoding changed a number or a missing kind")
    }
    return 0
}
