// The SPSS reader against files written by PSPP, ReadStat and pyreadstat
// (Fixtures/spss, made by make_fixtures.sh; expected values in expected.md),
// and against damaged files.

import Foundation
import Testing
@testable import OSCScoring

@Suite("SPSS system files")
struct SPSSFileTests {
    static let folder = Fixture.folder + "/spss"
    static let psppFiles = ["pspp-plain.sav", "pspp-bytecode.sav", "pspp.zsav", "pspp-1252.sav", "readstat.sav", "readstat.zsav",
                            "bigendian-plain.sav", "bigendian-bytecode.sav"]

    static func leadershipOptions() -> ReadOptions {
        var options = ReadOptions()
        options.idColumn = "respondent"
        options.requireIDColumn = true
        return options
    }

    static func report(_ file: String, instrument: Instrument, options: ReadOptions) throws -> (ScoringReport, [String: Any]) {
        let (table, delimiter) = try ResponseReader.read(path: folder + "/" + file, instrument: instrument, options: options)
        let report = try ScoringReport(table: table)
        let context = ReportContext(source: file, readOptions: options, delimiter: delimiter)
        let json = try JSONSerialization.jsonObject(with: Data(report.jsonBytes(context: context))) as! [String: Any]
        return (report, json)
    }

    @Test("Every PSPP and ReadStat file gives the JSON report of PSPP's CSV export of the same data", arguments: psppFiles)
    func sameReportAsCSV(_ file: String) throws {
        let instrument = try Fixture.leadership()
        let (_, csv) = try Self.report("pspp.csv", instrument: instrument, options: Self.leadershipOptions())
        let (_, sav) = try Self.report(file, instrument: instrument, options: Self.leadershipOptions())
        #expect(Fixture.comparable(sav) == Fixture.comparable(csv))
    }

    @Test("Declared missing values are missing answers, counted per column, and only the undeclared 7 is a finding", arguments: psppFiles)
    func declaredMissing(_ file: String) throws {
        let (report, _) = try Self.report(file, instrument: try Fixture.leadership(), options: Self.leadershipOptions())
        let facts = try #require(report.table.dataFile)
        #expect(facts.declaredMissing == [
            DeclaredMissingCount(column: "LEAD01", userMissing: 2, systemMissing: 0),
            DeclaredMissingCount(column: "LEAD02", userMissing: 2, systemMissing: 0),
            DeclaredMissingCount(column: "LEAD03", userMissing: 2, systemMissing: 1),
            DeclaredMissingCount(column: "L04", userMissing: 3, systemMissing: 0),
        ])
        #expect(report.input.problems.map(\.kind) == [.invalidValue])
        #expect(report.input.problems.first?.line == 10)
        #expect(report.input.problems.first?.value == "7")
        #expect(report.input.rows == 12)
    }

    @Test("Ids, value labels and accented text come out as written", arguments: psppFiles)
    func idsAndLabels(_ file: String) throws {
        let (report, _) = try Self.report(file, instrument: try Fixture.leadership(), options: Self.leadershipOptions())
        #expect(report.table.respondentIDs == (1...12).map { String(format: "T%02d", $0) })
        #expect(report.schools.map(\.id).sorted() == ["17", "18", "19"])
        let names = Dictionary(uniqueKeysWithValues: report.schools.map { ($0.id, $0.name) })
        #expect(names == ["17": "St Mary's Primary", "18": "Sainte-Thérèse", "19": "Ysgol Gymraeg"])
        #expect(Set(report.authorities.map(\.id)) == ["Nord", "Île-de-France"])
        #expect(report.table.dataFile?.encoding == (file == "pspp-1252.sav" ? "windows-1252" : "utf-8"))
        #expect(report.table.dataFile?.format == (file.hasSuffix(".zsav") ? "SPSS ZLIB-compressed system file" : "SPSS system file"))
    }

    @Test("pyreadstat's bytecode file of the shipped example scores as its CSV, with its declared missing values missing")
    func pyreadstatExample() throws {
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: Fixture.repositoryRoot + "/Examples/demo-key.csv"))
        let (csvReport, csv) = try Self.report("example-pyreadstat.csv", instrument: instrument, options: ReadOptions())
        let (report, sav) = try Self.report("example-pyreadstat.sav", instrument: instrument, options: ReadOptions())
        #expect(Fixture.comparable(sav) == Fixture.comparable(csv))
        let missing = try #require(report.table.dataFile?.declaredMissing)
        #expect(missing.prefix(3).map(\.userMissing) == [43, 27, 23])
        #expect(report.input.problems.map(\.value) == csvReport.input.problems.map(\.value))
        #expect(report.schools.first { $0.id == "LA1-S02" }?.name == "Sainte-Thérèse")
        #expect(report.schools.first { $0.id == "LA1-S03" }?.name == nil)
    }

    @Test("The big-endian files (make_bigendian.py) are big-endian and give the report of PSPP's little-endian file of the same data",
          arguments: ["bigendian-plain.sav", "bigendian-bytecode.sav"])
    func bigEndian(_ file: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.folder + "/" + file))
        #expect(Array(bytes[64..<68]) == [0, 0, 0, 2])  // the layout code, most significant byte first
        let instrument = try Fixture.leadership()
        let (littleReport, little) = try Self.report("pspp-bytecode.sav", instrument: instrument, options: Self.leadershipOptions())
        let (report, big) = try Self.report(file, instrument: instrument, options: Self.leadershipOptions())
        #expect(Fixture.comparable(big) == Fixture.comparable(little))
        #expect(report.table.dataFile?.declaredMissing == littleReport.table.dataFile?.declaredMissing)
        #expect(report.schools.map(\.name).sorted { ($0 ?? "") < ($1 ?? "") } == ["Sainte-Thérèse", "St Mary's Primary", "Ysgol Gymraeg"])
    }

    /// Every table-relevant result of reading `bytes` through `cases`, or the error's message.
    static func readAll(_ cases: inout some DatasetCases, options: ReadOptions, minimumCasesPerPart: Int = 1024,
                        instrument: Instrument? = nil) -> String {
        do throws(ResponseFileError) {
            let table = try ResponseReader.read(cases: &cases, format: "SPSS system file", instrument: try! instrument ?? Fixture.leadership(),
                                                options: options, source: "random.sav", minimumCasesPerPart: minimumCasesPerPart)
            let lines = (0..<table.rowCount).map(table.line(row:))
            return "\(table.answerCodes) \(table.respondentIDs) \(lines) \(table.rowSchools) \(table.distinctSchools) \(table.problems) \(String(describing: table.dataFile?.declaredMissing)) \(table.dataFile?.schoolNames.sorted { $0.key < $1.key } ?? [])"
        } catch {
            return error.message
        }
    }

    @Test("Items decoded straight into answer codes, in one pass or in parts on threads, give the table of the plain case-by-case path, on randomly changed data with missing answers",
          arguments: ["pspp-plain.sav", "pspp-bytecode.sav", "pspp.zsav", "readstat.sav", "bigendian-plain.sav", "bigendian-bytecode.sav",
                      "example-pyreadstat.sav"])
    func directCodesMatchPlainPath(_ file: String) throws {
        // pyreadstat's file has the OSC items, 102 of them with no declared missing values (decoded eight at a time).
        let instrument = file == "example-pyreadstat.sav"
            ? try BundledInstruments.osc().applying(ScoringKey(contentsOf: Fixture.repositoryRoot + "/Examples/demo-key.csv")) : try Fixture.leadership()
        let original = try #require(FileManager.default.contents(atPath: Self.folder + "/" + file)).map { $0 }
        // The data start after the dictionary's termination record (999, then 0), in either byte order.
        let end999: [[UInt8]] = [[0xE7, 3, 0, 0, 0, 0, 0, 0], [0, 0, 3, 0xE7, 0, 0, 0, 0]]
        let dataStart = try #require((0..<(original.count - 8)).first { k in end999.contains { Array(original[k..<(k + 8)]) == $0 } }) + 8
        var generator = Xoshiro256StarStar(seed: 20261202)
        // Bytecode commands (numbers 1 to 251 around the bias 100, system-missing, spaces) and raw bytes of doubles.
        let choices: [UInt8] = [0, 1, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 109, 199, 251, 253, 254, 255, 0x40, 0xF0, 0x7F, 0xFF]
        for trial in 0..<60 {
            var bytes = original
            if trial > 0 {
                for _ in 0..<(1 + Int(generator.next() % UInt64(file == "example-pyreadstat.sav" ? 60 : 6))) {
                    let k = dataStart + Int(generator.next() % UInt64(max(1, bytes.count - dataStart)))
                    if k < bytes.count && !file.hasSuffix(".zsav") { bytes[k] = choices[Int(generator.next() % UInt64(choices.count))] }
                }
            }
            for threads in [1, 2, 3, 5] {
                var options = Self.leadershipOptions()
                options.threads = threads
                options.strict = trial % 7 == 3
                guard var fast = try? SPSSFile(bytes: bytes, source: "random.sav") else { continue }
                fast.threads = threads
                var plain = PlainCases(file: try SPSSFile(bytes: bytes, source: "random.sav"))
                // In parts of at least one case: 12 cases in 2, 3 or 5 parts (a .zsav is not split).
                #expect(Self.readAll(&fast, options: options, minimumCasesPerPart: 1, instrument: instrument)
                        == Self.readAll(&plain, options: options, instrument: instrument),
                        "trial \(trial), \(threads) threads")
            }
        }
    }

    @Test("A .sav is split into parts at case boundaries: each part reads its own cases, numbered as in one pass",
          arguments: ["pspp-plain.sav", "pspp-bytecode.sav", "readstat.sav", "bigendian-plain.sav", "bigendian-bytecode.sav"])
    func splitAtCaseBoundaries(_ file: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.folder + "/" + file)).map { $0 }
        var whole = try SPSSFile(bytes: bytes, source: file)
        var row = DatasetCase(variableCount: whole.variables.count)
        var cases: [String] = []
        while try whole.next(into: &row) { cases.append("\(row.numbers) \(row.strings) \(row.missing)") }
        #expect(cases.count == 12)
        for count in [2, 3, 5, 12] {
            let parts = try #require(try SPSSFile(bytes: bytes, source: file).split(into: count, minimumCasesPerPart: 1))
            #expect(parts.count == count)
            var read: [String] = []
            for var part in parts {
                let first = part.casesRead
                #expect(first == read.count, "\(file): a part begins after the cases of those before it")
                while try part.next(into: &row) { read.append("\(row.numbers) \(row.strings) \(row.missing)") }
                #expect(part.casesRead > first, "\(file): each of \(count) parts reads a case")
            }
            #expect(read == cases, "\(file) in \(count) parts")
        }
        // Not split: too few cases per part, more parts than cases, and a .zsav (its blocks are inflated on threads instead).
        #expect(try SPSSFile(bytes: bytes, source: file).split(into: 2, minimumCasesPerPart: 7) == nil)
        #expect(try SPSSFile(bytes: bytes, source: file).split(into: 13, minimumCasesPerPart: 1) == nil)
        #expect(try SPSSFile(bytes: try Self.fixture("pspp.zsav"), source: "pspp.zsav").split(into: 2, minimumCasesPerPart: 1) == nil)
    }

    @Test("A bytecode .sav whose data end before a split point is not split: one pass reports where they end")
    func truncatedBeforeSplitPoint() throws {
        let bytes = try Self.fixture("pspp-bytecode.sav")
        let end999: [UInt8] = [0xE7, 3, 0, 0, 0, 0, 0, 0]
        let dataStart = try #require((0..<(bytes.count - 8)).first { Array(bytes[$0..<($0 + 8)]) == end999 }) + 8
        // Cut in the first third of the data: the 12 declared cases cannot be split in two.
        let cut = Array(bytes[..<(dataStart + (bytes.count - dataStart) / 3)])
        #expect(try SPSSFile(bytes: cut, source: "cut.sav").split(into: 2, minimumCasesPerPart: 1) == nil)
        #expect(try SPSSFile(bytes: bytes, source: "whole.sav").split(into: 2, minimumCasesPerPart: 1)?.count == 2)
    }

    @Test("A CSV named .sav is read as a CSV: the first bytes decide")
    func csvNamedSav() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("osc-\(UUID().uuidString).sav").path
        try FileManager.default.copyItem(atPath: Self.folder + "/pspp.csv", toPath: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (table, delimiter) = try ResponseReader.read(path: path, instrument: try Fixture.leadership(), options: Self.leadershipOptions())
        #expect(delimiter == .comma)
        #expect(table.dataFile == nil)
        #expect(table.rowCount == 12)
    }

    @Test("--encoding overrides the file's declaration: windows-1252 text read as UTF-8 is not UTF-8")
    func encodingOverride() throws {
        var options = Self.leadershipOptions()
        options.encoding = "utf-8"
        let (report, _) = try Self.report("pspp-1252.sav", instrument: try Fixture.leadership(), options: options)
        #expect(report.table.dataFile?.encoding == "utf-8")
        #expect(report.input.problems.contains { $0.kind == .notUTF8 && $0.column == "authority" })
    }

    @Test("The encoding record 7.20 wins over a code page of 7.3 that disagrees")
    func encodingRecordWins() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.folder + "/pspp-1252.sav")))
        // Record 7.3 (little-endian): 7, 3, 4, 8, then 8 integers; the last is the code page.
        let header: [UInt8] = [7, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 8, 0, 0, 0]
        let at = try #require((0..<(bytes.count - 48)).first { Array(bytes[$0..<($0 + 16)]) == header })
        #expect(bytes[(at + 44)..<(at + 48)].elementsEqual([0xE4, 0x04, 0, 0]))  // 1252
        bytes.replaceSubrange((at + 44)..<(at + 48), with: [0xE9, 0xFD, 0, 0])  // 65001
        var file = try SPSSFile(bytes: bytes, source: "patched.sav")
        #expect(file.encodingName == "windows-1252")
        var row = DatasetCase(variableCount: file.variables.count)
        var authorities: Set<String> = []
        while try file.next(into: &row) { authorities.insert(String(decoding: row.strings[2], as: UTF8.self)) }
        #expect(authorities == ["Nord", "Île-de-France"])
    }

    @Test("Numeric ids and groups are written as a person would: 17, not 17.0")
    func numberText() {
        #expect(DatasetFiles.numberText(17) == "17")
        #expect(DatasetFiles.numberText(-99) == "-99")
        #expect(DatasetFiles.numberText(3.5) == "3.5")
        #expect(DatasetFiles.numberText(-0.0) == "0")
    }

    // MARK: - Damaged files

    static func fixture(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    }

    static func readAll(_ bytes: [UInt8]) throws(DatasetError) -> Int {
        var file = try SPSSFile(bytes: bytes, source: "bad.sav")
        var row = DatasetCase(variableCount: file.variables.count)
        var n = 0
        while try file.next(into: &row) { n += 1 }
        return n
    }

    @Test("A file cut at any point is an error naming the place, never a crash", arguments: ["pspp-plain.sav", "pspp-bytecode.sav", "pspp.zsav"])
    func truncated(_ name: String) throws {
        let bytes = try Self.fixture(name)
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            do {
                let n = try Self.readAll(Array(bytes[..<cut]))
                // Only the final end-of-data code block may be missing.
                #expect(n == 12 && cut >= bytes.count - 8, "\(name) cut at \(cut) was read")
            } catch {
                #expect(error.message.hasPrefix("bad.sav"))
            }
        }
    }

    @Test("A wrong magic number is refused at byte 0")
    func wrongMagic() throws {
        var bytes = try Self.fixture("pspp-plain.sav")
        bytes[1] = UInt8(ascii: "X")
        #expect(throws: DatasetError.self) { try Self.readAll(bytes) }
        do { _ = try Self.readAll(bytes) } catch {
            #expect(error.offset == 0)
            #expect(error.reason.contains("$FL2"))
        }
    }

    @Test("A declared case count that disagrees with the data is an error", arguments: ["pspp-plain.sav", "pspp-bytecode.sav", "pspp.zsav"])
    func caseCountMismatch(_ name: String) throws {
        for declared: UInt8 in [11, 13] {
            var bytes = try Self.fixture(name)
            bytes[80] = declared  // ncases, little-endian
            do {
                _ = try Self.readAll(bytes)
                Issue.record("\(name) with \(declared) declared cases was read")
            } catch {
                #expect(error.reason.contains("declares \(declared) cases"))
            }
        }
    }

    /// A header of 176 bytes (little-endian, `compression` 0 or 1, `ncases`) and record 999, with no variable record.
    static func headerOnly(ncases: Int32, compression: Int32) -> [UInt8] {
        func int32(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
        var bytes = Array("$FL2".utf8) + [UInt8](repeating: 0x20, count: 60)
        bytes += int32(2) + int32(0) + int32(compression) + int32(0) + int32(ncases)
        bytes += withUnsafeBytes(of: (100.0).bitPattern.littleEndian, Array.init)
        bytes += [UInt8](repeating: 0x20, count: 9 + 8 + 64 + 3)
        bytes += int32(999) + int32(0)
        return bytes
    }

    @Test("A file with no variables but declared cases is an error; with none declared it has no cases", arguments: [Int32(0), 1])
    func noVariables(_ compression: Int32) throws {
        let bytes = Self.headerOnly(ncases: 12, compression: compression)
        #expect(bytes.count == 184)
        do {
            let n = try Self.readAll(bytes)
            Issue.record("read \(n) cases")
        } catch {
            #expect(error.message.hasPrefix("bad.sav"))
            #expect(error.reason.contains("declares 12 cases but the file has no variables"))
        }
        #expect(try Self.readAll(Self.headerOnly(ncases: 0, compression: compression)) == 0)
        #expect(try Self.readAll(Self.headerOnly(ncases: -1, compression: compression)) == 0)
    }

    @Test("A crafted record length is refused before anything is allocated")
    func impossibleLength() throws {
        var bytes = try Self.fixture("pspp-plain.sav")
        let header: [UInt8] = [7, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0]  // record 7.20, size 1
        let at = try #require((0..<(bytes.count - 16)).first { Array(bytes[$0..<($0 + 12)]) == header })
        bytes.replaceSubrange((at + 12)..<(at + 16), with: [0xFF, 0xFF, 0xFF, 0x7F])
        do {
            _ = try Self.readAll(bytes)
            Issue.record("read")
        } catch {
            #expect(error.reason.contains("2147483647 bytes long"))
            #expect(error.offset == at)
        }
    }

    @Test("A corrupt ZLIB block is an error naming the block")
    func corruptBlock() throws {
        var bytes = try Self.fixture("pspp.zsav")
        // The first block follows the 24-byte ZLIB header after record 999.
        let end: [UInt8] = [0xE7, 0x03, 0, 0, 0, 0, 0, 0]
        let at = try #require((0..<(bytes.count - 8)).first { Array(bytes[$0..<($0 + 8)]) == end }) + 8 + 24
        for k in 2..<12 { bytes[at + k] ^= 0x5A }
        do {
            _ = try Self.readAll(bytes)
            Issue.record("read")
        } catch {
            #expect(error.reason.contains("ZLIB block 1 of"))
        }
    }

    @Test("A string variable where an item must be a number stops the reading")
    func stringItem() throws {
        let instrument = try Instrument(json: Fixture.bytes("""
        {"id": "x", "name": "X", "version": "1", "responseScale": {"min": 1, "max": 5},
         "items": [{"id": "A", "column": "authority"}], "scales": [{"id": "s", "name": "S", "items": ["A"]}]}
        """), source: "x.json")
        #expect(throws: ResponseFileError.self) {
            _ = try ResponseReader.read(path: Self.folder + "/pspp-plain.sav", instrument: instrument, options: Self.leadershipOptions())
        }
        do { _ = try ResponseReader.read(path: Self.folder + "/pspp-plain.sav", instrument: instrument, options: Self.leadershipOptions()) } catch {
            #expect(error.message.contains("'authority' (column 3) holds strings"))
        }
    }

    @Test("Under --strict an undeclared code off the scale stops the reading with its case number")
    func strictStops() throws {
        var options = Self.leadershipOptions()
        options.strict = true
        let instrument = try Fixture.leadership()
        do {
            _ = try ResponseReader.read(path: Self.folder + "/pspp-bytecode.sav", instrument: instrument, options: options)
            Issue.record("read")
        } catch {
            #expect(error.message.contains("line 10, column L04 (7)"))
            #expect(error.message.contains("outside the response scale 1 to 5"))
        }
    }
}
