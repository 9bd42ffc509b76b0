import Foundation
import Testing
@testable import OSCScoring

/// The reader's fast paths (cells scanned once into codes, the UTF-8 check
/// riding on the parse, a file read in parts on several threads) against
/// the plain path: the parser forming each record and the reader walking
/// its fields, the whole input in one chunk.
@Suite("Reading with the fast paths and in parts")
struct PartedReadTests {
    /// A random responses file: quoted fields with delimiters, line breaks
    /// and quotes, CRLF and LF (sometimes mixed), NA and empty cells,
    /// invalid and out-of-range values, decimals, answer labels, blank
    /// lines and rows of empty cells, repeated ids, schools under two
    /// authorities, non-ASCII ids; with `error`, one line that is an error.
    static func randomFile(seed: UInt64, rows: Int, error: Bool = false) -> [UInt8] {
        var rng = Xoshiro256StarStar(seed: seed &* 7919 &+ 17)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let delimiter = [",", ";", "\t"][Int(seed % 3)]
        let usual = seed % 2 == 0 ? "\n" : "\r\n"
        func end() -> String { pick(50) == 0 ? (usual == "\n" ? "\r\n" : "\n") : usual }
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var text = pick(8) == 0 ? "\u{FEFF}" : ""
        if pick(6) == 0 { text += end() }  // a blank line before the header
        // Without the note column the four items are side by side (read four cells at a time).
        let withNote = seed % 4 < 2
        let header = ["respondent", "school", "authority", "LEAD01", "LEAD02"] + (withNote ? ["note"] : []) + ["LEAD03", "L04"]
        text += header.joined(separator: delimiter) + end()
        let errorRow = error ? pick(rows) : -1
        for r in 0..<rows {
            if r == errorRow {
                switch pick(3) {
                case 0: text += ["r\(r)", "S1", "A1", "1"].joined(separator: delimiter) + end()  // too few fields
                case 1: text += ["r\(r)", "S\"1", "A1", "1", "2", "3", "4"].joined(separator: delimiter) + (withNote ? delimiter : "") + end()  // a quote inside
                default: text += ["r\(r)", "\"S1", "A1", "1", "2", "3", "4"].joined(separator: delimiter) + (withNote ? delimiter : "") + end()  // never closed
                }
                continue
            }
            switch pick(60) {
            case 0: text += end(); continue
            case 1: text += String(repeating: delimiter, count: header.count - 1) + end(); continue
            default: break
            }
            let id: String
            switch pick(30) {
            case 0: id = ""
            case 1, 2: id = "r\(pick(r + 1))"  // maybe a repeat
            case 3: id = quoted("r\(r)\(delimiter)q")
            case 4: id = "ré\(r)"
            default: id = "r\(r)"
            }
            let schoolNumber = pick(9)
            var school = "S\(schoolNumber)"
            switch pick(40) {
            case 0: school = quoted("S\(schoolNumber)\nsite")
            case 1: school = "Schüle\(schoolNumber)"
            case 2: school = quoted("S\(schoolNumber) \"main\"")
            case 3: school = ""
            default: break
            }
            let authority = pick(25) == 0 ? "" : pick(30) == 0 ? "A\(pick(4))" : "A\(schoolNumber % 3)"
            func cell() -> String {
                switch pick(40) {
                case 0: return "NA"
                case 1: return ""
                case 2: return "x"
                case 3: return "7"
                case 4: return "0"
                case 5: return "3.5"
                case 6: return "3.0"
                case 7: return delimiter == "," ? quoted("2,0") : "2,0"
                case 8: return " 4 "
                case 9: return quoted("5")
                case 10: return "To a great extent"
                case 11: return "+2"
                case 12: return "-1"
                case 13: return "é"
                case 14: return quoted("1\n2")
                case 15...20: return ""
                default: return String(1 + pick(5))  // mostly: runs of one-digit cells
                }
            }
            let note = pick(10) == 0 ? quoted("a\(delimiter) \"b\"\nc") : (pick(3) == 0 ? "" : "note \(r)")
            text += ([id, school, authority, cell(), cell()] + (withNote ? [note] : []) + [cell(), cell()]).joined(separator: delimiter)
            if r < rows - 1 || pick(3) != 0 { text += end() }
        }
        return Array(text.utf8)
    }

    /// What a read gave: the table's every part, or the error's message.
    enum Outcome: Equatable {
        case table(codes: [UInt8], lines: [Int], ids: [String?], schools: [SchoolKey], rowSchools: [Int32], problems: [String],
                   blankLines: [Int], headerRows: [Int], screened: Int, unfinished: Int)
        case failure(String)

        init(_ read: () throws -> ResponseTable) {
            do {
                let t = try read()
                self = .table(codes: t.answerCodes, lines: t.lines, ids: t.respondentIDs, schools: t.distinctSchools, rowSchools: t.rowSchools,
                              problems: t.problems.map { "\($0.kind) \($0.line) \($0.column ?? "") \($0.columnNumber ?? 0) \($0.value ?? "") \($0.problem)" },
                              blankLines: t.blankLines, headerRows: t.headerRowLines, screened: t.screenedOut.count, unfinished: t.unfinishedRows)
            } catch let error as ResponseFileError {
                self = .failure(error.message)
            } catch {
                self = .failure("\(error)")
            }
        }
    }

    /// The plain path: no planned scan, the whole input as one chunk.
    static func plain(_ bytes: [UInt8], instrument: Instrument, options: ReadOptions, source: String) -> Outcome {
        Outcome {
            var reader = ResponseReader(instrument: instrument, options: options, source: source)
            reader.scanningCellsOnce = false
            try reader.consume(bytes)
            return try reader.finish()
        }
    }

    static func write(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "osc-parted-\(UUID().uuidString).csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("Chunks of any size give the plain path's table and findings", arguments: 0..<24)
    func chunkedScanIsPlain(seed: Int) throws {
        let instrument = try Fixture.leadership()
        let bytes = Self.randomFile(seed: UInt64(seed), rows: 40 + seed * 5, error: seed % 4 == 3)
        let expected = Self.plain(bytes, instrument: instrument, options: ReadOptions(), source: "t.csv")
        if case .table(let codes, _, _, _, _, let problems, _, _, _, _) = expected {
            #expect(!codes.isEmpty && !problems.isEmpty)
        }
        for size in [1, 2, 3, 7, 64, 1000, bytes.count] {
            let chunked = Outcome {
                var reader = ResponseReader(instrument: instrument, options: ReadOptions(), source: "t.csv")
                var start = 0
                while start < bytes.count {
                    try reader.consume(Array(bytes[start..<min(bytes.count, start + size)]))
                    start += size
                }
                return try reader.finish()
            }
            #expect(chunked == expected, "seed \(seed), chunks of \(size) bytes")
        }
    }

    @Test("Any number of parts and threads, any split size, gives the plain path's table and findings", arguments: 0..<24)
    func partsArePlain(seed: Int) throws {
        let instrument = try Fixture.leadership()
        let bytes = Self.randomFile(seed: UInt64(seed) + 100, rows: 60 + seed * 9, error: seed % 4 == 1)
        let path = try Self.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var strict = ReadOptions()
        strict.strict = seed % 5 == 4
        let expected = Self.plain(bytes, instrument: instrument, options: strict, source: path)
        for (parts, threads) in [(2, 1), (2, 2), (3, 3), (8, 8), (8, 1), (5, 2)] {
            for partSize in [0, 97, 512] {
                var options = strict
                options.threads = threads
                let outcome = Outcome {
                    let result = try ResponseReader.readInParts(path: path, instrument: instrument, options: options, parts: parts, minimumSize: 0,
                                                                minimumPartSize: partSize, headerStep: 1 + seed * 3, validatingUTF8: true)
                    return try #require(result).table
                }
                #expect(outcome == expected, "seed \(seed), \(parts) parts of at least \(partSize) bytes on \(threads) threads")
            }
        }
    }

    @Test("A lone lead byte at the end of a row after NUL bytes is found in every split (fuzz-responses input)")
    func loneLeadByteAfterNULs() throws {
        let json = #"{"id": "three-point", "responseScale": {"min": 1, "max": 3}, "items": [{"id": "a"}, {"id": "b"}], "scales": [{"id": "s", "items": ["a", "b"]}]}"#
        let instrument = try Instrument(json: Array(json.utf8), source: "test")
        let bytes = Array("school,a,b\nS1,2,2\nS1,2,2\nb".utf8) + [UInt8](repeating: 0, count: 7) + Array("C(,3,2".utf8) + [0xCA, 0x0A]
        let path = try Self.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for parts in 2...8 {
            for threads in 1...4 {
                for step in 1...64 {
                    var options = ReadOptions()
                    options.threads = threads
                    do {
                        _ = try ResponseReader.readInParts(path: path, instrument: instrument, options: options, parts: parts, minimumSize: 0,
                                                           minimumPartSize: 0, headerStep: step, validatingUTF8: true)
                        Issue.record("read as UTF-8 in \(parts) parts, \(threads) threads, header step \(step)")
                    } catch {}
                }
            }
        }
    }

    @Test("A byte that is not UTF-8 in any part is found, however the file is split", arguments: 0..<8)
    func notUTF8InAnyPart(seed: Int) throws {
        let instrument = try Fixture.leadership()
        var bytes = Self.randomFile(seed: UInt64(seed) + 300, rows: 300)
        // A Windows-1252 "é" (0xE9) in a late row's note, or a sequence cut short.
        let place = bytes.count - 1 - (bytes.count / 9) * (seed % 8)
        let at = bytes[..<place].lastIndex(of: 0x0A)! + 2
        bytes.insert(contentsOf: seed % 2 == 0 ? [0xE9] : [0xC3, 0x28], at: at)
        let path = try Self.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for parts in [2, 3, 8] {
            var found = false
            do {
                _ = try ResponseReader.readInParts(path: path, instrument: instrument, options: ReadOptions(), parts: parts, minimumSize: 0,
                                                   minimumPartSize: 0, headerStep: 64, validatingUTF8: true)
            } catch is NotUTF8 {
                found = true
            }
            #expect(found, "seed \(seed), \(parts) parts")
        }
        // And the file as a whole is read again as Windows-1252, as in one pass.
        var options = ReadOptions()
        options.threads = 3
        let (table, _) = try ResponseReader.readFile(path: path, instrument: instrument, options: options, encoding: nil)
        #expect(table.rowCount > 0 && table.encoding == ResponseEncoding(name: "windows-1252", origin: .notUTF8))
    }

    @Test("A quoted field spanning several split points is read whole, with the lines after it right")
    func quoteAcrossSplits() throws {
        let instrument = try Fixture.leadership()
        let rows = (0..<30).map { "r\($0),S1,A,1,2,3,4\n" }.joined()
        let long = "\"" + String(repeating: "line\n", count: 300) + "\""
        let bytes = Array(("respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n" + rows + "r99,\(long),A,1,2,3,4\n" + rows + "r5,S1,A,1,x,3,4\n").utf8)
        let path = try Self.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let expected = Self.plain(bytes, instrument: instrument, options: ReadOptions(), source: path)
        for parts in [2, 3, 4, 8] {
            let outcome = Outcome {
                try #require(try ResponseReader.readInParts(path: path, instrument: instrument, options: ReadOptions(), parts: parts, minimumSize: 0,
                                                            minimumPartSize: 0, headerStep: 16)).table
            }
            #expect(outcome == expected, "\(parts) parts")
        }
        guard case .table(_, let lines, _, _, _, let problems, _, _, _, _) = expected else { Issue.record("not read"); return }
        #expect(lines.count == 62 && lines.last == 31 + 301 + 31)
        #expect(problems.count == 32)  // 30 ids repeated, r5 a third time, and its invalid cell
    }

    @Test("One part wanted leaves the file to the one-pass reader")
    func onePart() throws {
        let bytes = Self.randomFile(seed: 5, rows: 20)
        let path = try Self.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ResponseReader.readInParts(path: path, instrument: Fixture.leadership(), options: ReadOptions(), parts: 1, minimumSize: 0) == nil)
    }

    @Test("Four one-digit cells side by side are read at once, and any other cell among them one by one")
    func fourCellsAtOnce() throws {
        // Codes 1 to 5 for the digits 1 to 5, but "3" is a missing code (examined in full).
        var codeOfByte = [UInt8](repeating: 0xFF, count: 256)
        for b in [49, 50, 52, 53] { codeOfByte[b] = UInt8(b - 48) }
        let plan = CellCodePlan(itemCount: 6, codeOfByte: codeOfByte)
        #expect(plan.lowDigit == UInt8(ascii: "1") && plan.highDigit == UInt8(ascii: "2"))
        plan.activate(itemColumns: [1, 2, 3, 4, 5, 6], columnCount: 7)
        var parser = CSVParser(delimiter: UInt8(ascii: ";"))
        parser.plan = plan
        var seen: [[UInt8]] = []
        let text = "id;a;b;c;d;e;f\nx;1;2;2;1;2;1\nx;1;2;3;1;2;1\nx;2;1;1;2;;1\nx;1;2;1;2;1;11\n"
        try parser.parse(Array(text.utf8)) { record in
            if record.cellCodes != nil { seen.append(Array(UnsafeBufferPointer(start: plan.codes, count: 6))) }
            #expect(record.fieldCount == 7)
            #expect(record.cellCodes == nil || record.string(6).count <= 2)
        }
        #expect(seen == [[1, 2, 2, 1, 2, 1], [1, 2, 0xFF, 1, 2, 1], [2, 1, 1, 2, 0, 1], [1, 2, 1, 2, 1, 0xFF]])
    }

    @Test("Eight or four one-digit cells at once, at every place in a run of items, as cell by cell", arguments: 0..<12)
    func cellsAtOnceAsOneByOne(seed: Int) throws {
        var rng = Xoshiro256StarStar(seed: UInt64(seed) &* 6_151 &+ 3)
        func pick(_ n: Int) -> Int { rng.nextBelow(n) }
        // Digits low ... low + spread coded 1, 2, ...; sometimes a hole (a
        // missing code, examined in full) that shortens the range.
        let low = 48 + pick(3), spread = 1 + pick(6)
        var codeOfByte = [UInt8](repeating: 0xFF, count: 256)
        for d in 0...spread { codeOfByte[low + d] = UInt8(d + 1) }
        if seed % 3 == 0 { codeOfByte[low + spread] = 0xFF }
        codeOfByte[Int(UInt8(ascii: "x"))] = 0x7E
        // Columns: a few others, then items in runs of 1 to 20 (some in
        // another order), others between them.
        let delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09][seed % 3]
        var itemColumns: [Int] = [], column = 0
        while itemColumns.count < 40 {
            column += pick(3)
            for _ in 0..<(1 + pick(20)) where itemColumns.count < 40 {
                itemColumns.append(column)
                column += 1
            }
        }
        let columnCount = column + pick(2)
        if seed % 4 == 1 { itemColumns.swapAt(3, 17) }
        let plan = CellCodePlan(itemCount: itemColumns.count, codeOfByte: codeOfByte)
        plan.activate(itemColumns: itemColumns, columnCount: columnCount)
        var text: [UInt8] = []
        let header = (0..<columnCount).map { "c\($0)" }.joined(separator: String(UnicodeScalar(delimiter)))
        text += Array(header.utf8) + [0x0A]
        var expected: [[UInt8]] = []
        let cells: [[UInt8]] = [[], [UInt8(ascii: "x")], [UInt8(ascii: "1"), UInt8(ascii: "0")], [UInt8(ascii: " ")], [UInt8(ascii: "9")],
                                [UInt8(ascii: "/")], [UInt8(ascii: "A")], [delimiter &- 1], [delimiter &+ 2]]
        for _ in 0..<300 {
            var row: [[UInt8]] = []
            let odd = pick(4) == 0 ? 2 + pick(30) : 1_000  // how rare other cells are
            for _ in 0..<columnCount {
                if pick(odd) == 0 { row.append(cells[pick(cells.count)]) } else { row.append([UInt8(low + pick(spread + 1))]) }
            }
            expected.append(itemColumns.map { c in row[c].isEmpty ? 0 : row[c].count == 1 ? codeOfByte[Int(row[c][0])] : 0xFF })
            text += Array(row.joined(separator: [delimiter])) + (pick(10) == 0 ? [0x0D, 0x0A] : [0x0A])
        }
        var parser = CSVParser(delimiter: delimiter)
        parser.plan = plan
        var plain = CSVParser(delimiter: delimiter)
        var seen: [[UInt8]] = [], flags: [UInt8] = [], fields: [[String]] = [], plainFields: [[String]] = []
        try parser.parse(text) { record in
            fields.append(record.strings)
            guard let cellCodes = record.cellCodes else { return }
            seen.append(Array(UnsafeBufferPointer(start: plan.codes, count: itemColumns.count)))
            flags.append(cellCodes)
        }
        try parser.finish { _ in Issue.record("a record left over") }
        try plain.parse(text) { plainFields.append($0.strings) }
        #expect(fields == plainFields)
        #expect(seen == expected)
        #expect(flags == expected.map { $0.reduce(0, |) })
    }

    @Test("The planned scan writes each one-byte cell's code and leaves longer cells to be examined")
    func plannedCodes() throws {
        var codeOfByte = [UInt8](repeating: 0xFF, count: 256)
        for b in 49...53 { codeOfByte[b] = UInt8(b - 48) }
        let plan = CellCodePlan(itemCount: 2, codeOfByte: codeOfByte)
        plan.activate(itemColumns: [2, 0], columnCount: 3)
        var parser = CSVParser(delimiter: UInt8(ascii: ","))
        parser.plan = plan
        var seen: [([UInt8], UInt8?)] = []
        try parser.parse(Array("h1,h2,h3\n3,x,\n,,5\n44,y,2\n".utf8)) { record in
            seen.append((Array(UnsafeBufferPointer(start: plan.codes, count: 2)), record.cellCodes))
        }
        // The header is not planned; then [item 0 = column 2, item 1 = column 0].
        #expect(seen.count == 4 && seen[0].1 == nil)
        #expect(seen[1].0 == [0, 3] && seen[1].1 == 3)
        #expect(seen[2].0 == [5, 0] && seen[2].1 == 5)
        #expect(seen[3].0 == [2, 0xFF] && seen[3].1 == 0xFF)
    }
}
