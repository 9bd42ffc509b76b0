// The .xlsx reading path through the responses reader: any bytes read as a
// workbook give a table or a ResponseFileError with a message (never a
// crash), every row is accounted for (rows, blank lines and header rows on
// distinct lines), and reading twice gives the same outcome.
//
// Input: one control byte, then the workbook. Control bits 0-1 pick the
// instrument (the leadership fixture twice, three-point, the OSC with the
// demo key), bits 2-3 the sheet (first, 1, 2, "Responses").

import FuzzSupport
@testable import OSCScoring

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    guard let control = input.first else { return 0 }
    let bytes = Array(input.dropFirst())
    let instrument = [Fuzz.leadership, Fuzz.leadership, Fuzz.threePoint, Fuzz.oscDemo][Int(control & 3)]
    var options = ReadOptions()
    options.sheet = [nil, "1", "2", "Responses"][Int(control >> 2 & 3)]
    func read() -> ReadOutcome {
        ReadOutcome { (try ResponseReader.readWorkbook(bytes: bytes, source: "fuzz.xlsx", instrument: instrument, options: options), nil) }
    }
    let first = read()
    switch first {
    case .error(let message):
        if message.isEmpty { Fuzz.fail("an empty error message") }
    case .table(let t, _):
        let lines = t.lines + t.blankLines + t.headerRowLines + t.screenedOut.map(\.line)
        if Set(lines).count != lines.count { Fuzz.fail("a line counted twice: \(lines.sorted())") }
        if lines.contains(where: { $0 < 2 }) { Fuzz.fail("a data line before the header: \(lines.sorted())") }
    }
    if read() != first { Fuzz.fail("the workbook reads differently twice") }
    return 0
}
