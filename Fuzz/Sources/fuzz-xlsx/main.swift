// The ZIP reader and the workbook reader on arbitrary bytes: an archive
// reads or throws ZipError, every member's contents read or throw (never
// more bytes than the limit, and always the declared size); a workbook
// reads or throws XLSXError, and every sheet's rows are within Excel's
// limits, end at a non-empty cell, and come out the same when read again.

import FuzzSupport
@testable import OSCScoring

let limit = 1 << 20

Fuzz.run { data, size in
    let input = Fuzz.bytes(data, size)
    if let zip = try? ZipArchive(bytes: input, source: "fuzz.xlsx") {
        for entry in zip.entries.prefix(64) {
            do {
                let contents = try zip.contents(of: entry, limit: limit)
                if contents.count != entry.uncompressedSize || contents.count > limit {
                    Fuzz.fail("member \(entry.name): \(contents.count) bytes, declared \(entry.uncompressedSize)")
                }
            } catch {
                if error.message.isEmpty { Fuzz.fail("an empty ZIP error message") }
            }
        }
    }
    do {
        let book = try XLSXWorkbook(bytes: input, source: "fuzz.xlsx")
        for number in 0...(min(book.sheetNames.count, 8) + 1) {
            guard let rows = try? book.rows(sheet: number == 0 ? .first : .number(number)) else { continue }
            for row in rows {
                if row.line < 1 || row.line > XLSXWorkbook.maximumRows { Fuzz.fail("row number \(row.line)") }
                if row.cells.count > XLSXWorkbook.maximumColumns { Fuzz.fail("\(row.cells.count) cells in row \(row.line)") }
                if row.cells.last?.isEmpty ?? true { Fuzz.fail("row \(row.line) ends with an empty cell or has none") }
            }
            if (try? book.rows(sheet: number == 0 ? .first : .number(number))) != rows { Fuzz.fail("sheet \(number) reads differently twice") }
        }
    } catch {
        if error.message.isEmpty { Fuzz.fail("an empty workbook error message") }
    }
    return 0
}
