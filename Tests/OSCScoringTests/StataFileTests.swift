// The Stata .dta reader on files of independent writers (pyreadstat,
// pandas, and a Python struct writer for big-endian files; see
// Fixtures/stata/make_fixtures.py), against the values they were given
// (Fixtures/stata/expected.json), and on damaged files.

import Foundation
import Testing
@testable import OSCScoring

@Suite struct StataFileTests {
    static let folder = Fixture.folder + "/stata"

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    }

    static func expected() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    }

    /// Every case of a file, as the test compares them.
    static func cases(_ file: inout StataFile) throws(DatasetError) -> [DatasetCase] {
        var out: [DatasetCase] = []
        var row = DatasetCase(variableCount: file.variables.count)
        while try file.next(into: &row) { out.append(row) }
        return out
    }

    static let fixtureNames = ["pyreadstat-117.dta", "pyreadstat-118.dta", "pyreadstat-119.dta",
                               "pandas-117.dta", "pandas-118.dta", "pandas-119.dta",
                               "pandas-117-strl.dta", "pandas-118-strl.dta", "pandas-119-strl.dta",
                               "msf-117.dta", "msf-118.dta", "msf-119.dta", "readstat-118.dta"]

    @Test("Each fixture of an independent writer gives the release, byte order, encoding, variables, labels and every cell it was written with",
          arguments: fixtureNames)
    func fixtureReadsAsWritten(name: String) throws {
        let all = try Self.expected()
        let want = try #require(all[name], "expected.json has no entry for \(name)")
        let readWith = (want["readWith"] as? String).flatMap { TextEncoding(name: $0) }
        var file = try StataFile(bytes: try Self.bytes(name), source: name, encoding: readWith)
        #expect(file.release == want["release"] as? Int)
        #expect(file.isBigEndian == want["bigEndian"] as? Bool)
        #expect(file.encodingName == want["encoding"] as? String)
        let variables = try #require(want["variables"] as? [[String: Any]])
        #expect(file.variables.map(\.name) == variables.map { $0["name"] as? String ?? "?" })
        for (got, v) in zip(file.variables, variables) {
            #expect(got.isString == v["isString"] as? Bool, "variable \(got.name)")
            let labels = (v["valueLabels"] as? [String: String]) ?? [:]
            var wantLabels: [DatasetValue: String] = [:]
            for (key, text) in labels { wantLabels[.number(Double(key)!)] = text }
            #expect(got.valueLabels == wantLabels, "variable \(got.name)")
            #expect(got.missingValues.isEmpty)
        }
        let rows = try #require(want["cases"] as? [[Any]])
        #expect(file.declaredCaseCount == rows.count)
        let cases = try Self.cases(&file)
        #expect(cases.count == rows.count)
        for (r, (got, row)) in zip(cases, rows).enumerated() {
            for (i, cell) in row.enumerated() {
                let place = "\(name) case \(r + 1) variable \(file.variables[i].name)"
                if let text = cell as? String {
                    #expect(got.missing[i] == .present, "\(place)")
                    #expect(String(decoding: got.strings[i], as: UTF8.self) == text, "\(place)")
                } else if let number = (cell as? [String: String])?["number"] {
                    #expect(got.missing[i] == .present, "\(place)")
                    #expect(got.numbers[i] == Double(number), "\(place)")
                } else if let missing = cell as? [String: String] {
                    let kind: DatasetMissingKind = missing["missing"] == "system" ? .systemMissing : .declaredMissing
                    #expect(got.missing[i] == kind, "\(place)")
                } else if let number = cell as? NSNumber {
                    #expect(got.missing[i] == .present, "\(place)")
                    #expect(got.numbers[i] == number.doubleValue, "\(place)")
                } else {
                    Issue.record("\(place): unexpected cell \(cell)")
                }
            }
        }
        // After the last case, next keeps returning false.
        var row = DatasetCase(variableCount: file.variables.count)
        #expect(try file.next(into: &row) == false)
    }

    @Test("A 117 file is read as windows-1252 where its text is not UTF-8, and --encoding decides alone when given")
    func encodingOf117() throws {
        // pandas writes 117 str# text in latin-1: "Zoë" is the single byte 0xEB.
        var pandas = try StataFile(bytes: try Self.bytes("pandas-117.dta"), source: "p.dta")
        let ids = try Self.cases(&pandas).map { String(decoding: $0.strings[0], as: UTF8.self) }
        #expect(ids[3] == "Zoë-04")
        #expect(pandas.variables[2].valueLabels[.number(2)] == "École Sainte-Thérèse")
        // pyreadstat writes UTF-8 into its 117 file; forced windows-1252 shows the UTF-8 bytes as two characters each.
        var forced = try StataFile(bytes: try Self.bytes("pyreadstat-117.dta"), source: "r.dta", encoding: .windows1252)
        #expect(forced.encodingName == "windows-1252")
        let mojibake = try Self.cases(&forced).map { String(decoding: $0.strings[0], as: UTF8.self) }
        #expect(mojibake[3] == "ZoÃ«-04")
        var byDefault = try StataFile(bytes: try Self.bytes("pyreadstat-117.dta"), source: "r.dta")
        #expect(try Self.cases(&byDefault).map { String(decoding: $0.strings[0], as: UTF8.self) }[3] == "Zoë-04")
    }

    @Test("Every truncation of a small file is an error naming the file and a byte offset, never a crash",
          arguments: ["msf-117.dta", "pandas-118-strl.dta"])
    func everyTruncationIsAnError(name: String) throws {
        let whole = try Self.bytes(name)
        for length in 0..<whole.count {
            guard let error = Self.failure(Array(whole[0..<length]), source: name) else {
                Issue.record("\(name) cut to \(length) bytes was read")
                continue
            }
            #expect(error.offset != nil, "\(name) cut to \(length): \(error.message)")
            #expect(error.message.hasPrefix(name + ", byte "), "\(error.message)")
        }
    }

    /// Reads a file and returns the error it gives.
    static func failure(_ bytes: [UInt8], source: String = "bad.dta", encoding: TextEncoding? = nil) -> DatasetError? {
        do throws(DatasetError) {
            var file = try StataFile(bytes: bytes, source: source, encoding: encoding)
            _ = try cases(&file)
            return nil
        } catch {
            return error
        }
    }

    static func offset(of text: String, in bytes: [UInt8], from start: Int = 0) -> Int {
        let t = Array(text.utf8)
        for i in start...(bytes.count - t.count) where bytes[i..<(i + t.count)].elementsEqual(t) { return i }
        return -1
    }

    @Test("A file that is not a Stata 13+ file, or of another release, is refused with the reason and a fix")
    func wrongMagicAndRelease() throws {
        let csv = Self.failure(Array("respondent,school\nT1,S1\n".utf8))
        #expect(csv?.message == "bad.dta, byte 0: the file does not begin with <stata_dta>, so it is not a Stata 13 or later .dta file; give a .dta file saved by Stata 13 or later")
        let old = Self.failure([0x73, 0x02, 0x01, 0x00] + [UInt8](repeating: 0, count: 100))
        #expect(old?.message == "bad.dta, byte 0: this is a Stata file of format 115 (Stata 12 or earlier), which is not read; save it again from Stata 13 or later")
        var bytes = try Self.bytes("pandas-118.dta")
        bytes.replaceSubrange(28..<31, with: Array("120".utf8))
        #expect(Self.failure(bytes)?.message == "bad.dta, byte 28: the .dta release is '120', not 117, 118 or 119; only Stata 13 and later files are read, save it again from Stata 13 or later (save, or saveold with version(13))")
        var order = try Self.bytes("pandas-118.dta")
        order.replaceSubrange(52..<55, with: Array("XYZ".utf8))
        #expect(Self.failure(order)?.message == "bad.dta, byte 52: the byte order is neither MSF nor LSF; the file is damaged, save it again from Stata")
    }

    @Test("A case count that disagrees with the data section is an error naming both")
    func caseCountDisagrees() throws {
        var bytes = try Self.bytes("pandas-118.dta")
        let n = Self.offset(of: "<N>", in: bytes) + 3
        #expect(bytes[n] == 12)
        bytes[n] = 11
        let error = try #require(Self.failure(bytes))
        #expect(error.message.contains("the header declares 11 cases of"), "\(error.message)")
        #expect(error.message.contains("but </data> does not follow them (the map's <strls> offset makes it 12); the case count disagrees with the data"), "\(error.message)")
        bytes[n] = 200
        let over = try #require(Self.failure(bytes))
        #expect(over.message.contains("the header declares 200 cases of"), "\(over.message)")
        #expect(over.message.contains("the file is truncated or its case count is wrong"), "\(over.message)")
        // A count near 2^64 is refused without allocating.
        for i in 0..<8 { bytes[n + i] = 0xFF }
        #expect(Self.failure(bytes)?.message.contains("an impossible value") == true)
    }

    @Test("A strL reference to a GSO the file does not hold is an error naming the case")
    func strLToMissingGSO() throws {
        var bytes = try Self.bytes("msf-118.dta")
        // Case 1's respondent is (v,o) = (1,1) at the start of the data: point it at observation 99.
        let data = Self.offset(of: "<data>", in: bytes) + 6
        #expect(Array(bytes[data..<(data + 8)]) == [0, 1, 0, 0, 0, 0, 0, 1])
        bytes[data + 7] = 99
        let error = try #require(Self.failure(bytes))
        #expect(error.caseNumber == 1)
        #expect(error.message == "bad.dta, case 1, byte \(data): variable \"respondent\" refers to the strL of variable 1, observation 99, which the file does not define; the file is damaged, save it again from Stata")
    }

    @Test("Impossible lengths (a value-label table, a characteristic, a GSO, a type code) are errors, not allocations")
    func impossibleLengths() throws {
        let original = try Self.bytes("msf-117.dta")
        // The value-label table's length: 0x7FFFFFFF bytes.
        var label = original
        let lbl = Self.offset(of: "<lbl>", in: label) + 5
        label.replaceSubrange(lbl..<(lbl + 4), with: [0x7F, 0xFF, 0xFF, 0xFF])
        #expect(Self.failure(label)?.message.contains("bytes of a value-label table; the file is truncated") == true)
        // The entry count of the table: more entries than its bytes hold.
        var count = original
        let table = lbl + 4 + 33 + 3
        count.replaceSubrange(table..<(table + 4), with: [0x10, 0, 0, 0])
        #expect(Self.failure(count)?.message.contains("declares 268435456 labels") == true)
        // A characteristic's length.
        var ch = original
        let chAt = Self.offset(of: "<ch>", in: ch) + 4
        ch.replaceSubrange(chAt..<(chAt + 4), with: [0xFF, 0xFF, 0xFF, 0xF0])
        #expect(Self.failure(ch)?.message.contains("bytes of a characteristic; the file is truncated") == true)
        // A GSO's length.
        var gso = original
        let g = Self.offset(of: "GSO", in: gso) + 3 + 4 + 4 + 1
        gso.replaceSubrange(g..<(g + 4), with: [0x7F, 0, 0, 0])
        #expect(Self.failure(gso)?.message.contains("bytes of a strL's contents; the file is truncated") == true)
        // A type code.
        var type = original
        let t = Self.offset(of: "<variable_types>", in: type) + 16
        type.replaceSubrange(t..<(t + 2), with: [0x08, 0x00])
        #expect(Self.failure(type)?.message == "bad.dta, byte \(t): variable 1 has type code 2048, which is not a Stata type (str1 to str2045, strL, byte, int, long, float, double); the file is damaged, save it again from Stata")
    }

    @Test("A map that disagrees with the sections, a missing tag and bytes after </stata_dta> are errors")
    func mapTagsAndTrailingBytes() throws {
        let original = try Self.bytes("pandas-119.dta")
        var map = original
        let m = Self.offset(of: "<map>", in: map) + 5 + 8 * 9  // the <data> entry
        map[m] ^= 0x01
        #expect(Self.failure(map)?.message.contains("the map places <data> at byte") == true)
        var tag = original
        let f = Self.offset(of: "<formats>", in: tag)
        tag[f + 1] = UInt8(ascii: "F")
        #expect(Self.failure(tag)?.message == "bad.dta, byte \(f): <formats> is expected here but not found; the file is damaged, save it again from Stata")
        #expect(Self.failure(original + [0x0A])?.message == "bad.dta, byte \(original.count): 1 bytes follow </stata_dta>; the file is damaged or two files were joined, copy or save it again")
    }

    @Test("A characteristic holding </characteristics> is skipped by its length")
    func characteristicSkippedByLength() throws {
        let bytes = try Self.bytes("msf-118.dta")
        #expect(Self.offset(of: "a note with </characteristics> inside", in: bytes) > 0)
        var file = try StataFile(bytes: bytes, source: "msf-118.dta")
        #expect(try Self.cases(&file).count == 12)
    }
}

extension StataFileTests {
    @Test("A file read from its path gives the same cases as its bytes; an unknown encoding name and a missing file are errors")
    func readFromPath() throws {
        let path = Self.folder + "/pandas-119-strl.dta"
        var fromPath = try StataFile(path: path)
        var fromBytes = try StataFile(bytes: try Self.bytes("pandas-119-strl.dta"), source: path)
        #expect(try Self.cases(&fromPath).map(\.strings) == (try Self.cases(&fromBytes)).map(\.strings))
        var latin = try StataFile(path: path, encodingOverride: "latin1")
        #expect(latin.encodingName == "iso-8859-1")
        #expect(try Self.cases(&latin).count == 12)
        #expect(throws: DatasetError.self) { try StataFile(path: path, encodingOverride: "klingon") }
        #expect(throws: DatasetError.self) { try StataFile(path: Self.folder + "/no-such.dta") }
    }
}
