import Foundation
import Testing
@testable import OSCScoring

/// School and authority ids that differ only in letter case or spaces are
/// findings, and one group each under `ReadOptions.foldCase`.
@Suite("Ids that differ only in case or spaces")
struct SimilarIDsTests {
    static let header = "respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n"

    static func folding() -> ReadOptions {
        var options = ReadOptions()
        options.foldCase = true
        return options
    }

    @Test("A school id that differs from another under the same authority only in case is a finding naming both and their lines")
    func schoolFinding() throws {
        let table = try Fixture.read(Self.header + "r1,la1-s01,LA1,1,2,3,4\nr2,la1-s01,LA1,2,2,3,4\nr3,LA1-S01,LA1,3,2,3,4\n")
        #expect(table.problems.count == 1)
        let p = try #require(table.problems.first)
        #expect(p.kind == .similarIds && p.kind.rawValue == "similarIds")
        #expect(p.line == 4 && p.column == "school" && p.columnNumber == 2 && p.value == "LA1-S01")
        #expect(p.problem == "differs only in letter case or spaces from 'la1-s01' (line 2), under the same authority 'LA1'; the two are reported as different schools; give them one spelling, or merge them with foldCase")
        // The command line names its option.
        var options = ReadOptions()
        options.settingNames = .commandLine
        let named = try Fixture.read(Self.header + "r1,la1-s01,LA1,1,2,3,4\nr2,la1-s01,LA1,2,2,3,4\nr3,LA1-S01,LA1,3,2,3,4\n", options: options)
        #expect(named.problems.first?.problem.hasSuffix("give them one spelling, or merge them with --fold-case") == true)
        // Kept apart: two schools.
        #expect(table.distinctSchools.map(\.school) == ["la1-s01", "LA1-S01"])
        #expect(table.rowSchools == [0, 0, 1])
    }

    @Test("An authority id that differs from another only in case is a finding on the authority column")
    func authorityFinding() throws {
        let table = try Fixture.read(Self.header + "r1,S1,LA1,1,2,3,4\nr2,S2,LA2,2,2,3,4\nr3,S3,la1,3,2,3,4\nr4,S4,la1,3,2,3,4\n")
        #expect(table.problems.count == 1)
        let p = try #require(table.problems.first)
        #expect(p.kind == .similarIds && p.line == 4 && p.column == "authority" && p.columnNumber == 3 && p.value == "la1")
        #expect(p.problem == "differs only in letter case or spaces from 'LA1' (line 2); the two are reported as different authorities; give them one spelling, or merge them with foldCase")
        #expect(Set(table.distinctSchools.compactMap(\.authority)) == ["LA1", "LA2", "la1"])
    }

    @Test("Inner runs of whitespace count as one space; spaces at the ends are trimmed as before")
    func whitespace() throws {
        let table = try Fixture.read(Self.header + "r1,North Primary,A,1,2,3,4\nr2,\"north  primary\",A,1,2,3,4\nr3,\"North\tPrimary\",A,1,2,3,4\nr4,North\u{A0}Primary,A,1,2,3,4\nr5,  North Primary ,A,1,2,3,4\n")
        #expect(table.problems.map(\.kind) == [.similarIds, .similarIds, .similarIds])
        #expect(table.problems.map(\.value) == ["north  primary", "North\tPrimary", "North\u{A0}Primary"])
        #expect(table.problems.map(\.line) == [3, 4, 5])
        // Line 6's spaces at the ends are trimmed: it is North Primary itself.
        #expect(table.rowSchools == [0, 1, 2, 3, 0])
    }

    @Test("Genuinely different ids are no finding", arguments: [
        ("S1", "S10"), ("S-1", "S 1"), ("S1", "S 1"), ("NorthPrimary", "North Primary"),
        ("e\u{301}cole", "\u{E9}cole"), ("stra\u{DF}e", "STRASSE"), ("S1", "S\u{0131}"),
    ])
    func differentIDs(a: String, b: String) throws {
        let table = try Fixture.read(Self.header + "r1,\(a),A,1,2,3,4\nr2,\(b),A,1,2,3,4\nr3,X,\(a),1,2,3,4\nr4,Y,\(b),1,2,3,4\n")
        #expect(table.problems.isEmpty, "\(table.problems.map(\.problem))")
        #expect(table.distinctSchools.count == 4)
    }

    @Test("The same school id under two different authorities is not a similar-id finding")
    func differentAuthorities() throws {
        let table = try Fixture.read(Self.header + "r1,s1,A,1,2,3,4\nr2,S1,B,1,2,3,4\n")
        #expect(table.problems.isEmpty)
    }

    @Test("Ids that differ only in bytes that are not UTF-8 are never similar; those that differ in case around them are")
    func invalidBytes() throws {
        var bytes = Array(Self.header.utf8)
        for (k, school) in [[0x53, 0xFF], [0x53, 0xFE], [0x73, 0xFF]].enumerated() {
            bytes += Array("r\(k),".utf8) + school.map(UInt8.init) + Array(",A,1,2,3,4\n".utf8)
        }
        let table = try Fixture.readStreaming(bytes, instrument: try Fixture.leadership(), source: "t.csv")
        let similar = table.problems.filter { $0.kind == .similarIds }
        #expect(similar.map(\.value) == ["s\\xFF"])
        #expect(similar.first?.problem.hasPrefix("differs only in letter case or spaces from 'S\\xFF' (line 2)") == true)
    }

    @Test("Three spellings give two findings, each against the first")
    func threeSpellings() throws {
        let table = try Fixture.read(Self.header + "r1,Abc,A,1,2,3,4\nr2,ABC,A,1,2,3,4\nr3,abc,A,1,2,3,4\nr4,ABC,A,1,2,3,4\n")
        #expect(table.problems.map(\.value) == ["ABC", "abc"])
        #expect(table.problems.allSatisfy { $0.problem.hasPrefix("differs only in letter case or spaces from 'Abc' (line 2)") })
    }

    @Test("foldCase merges the schools into the first spelling, and the finding says so")
    func foldMergesSchools() throws {
        let table = try Fixture.read(Self.header + "r1,la1-s01,LA1,1,2,3,4\nr2,S2,LA1,2,2,3,4\nr3,LA1-S01,LA1,3,2,3,4\nr4,la1 - s01,LA1,3,2,3,4\n",
                                     options: Self.folding())
        #expect(table.distinctSchools == [SchoolKey(authority: "LA1", school: "la1-s01"), SchoolKey(authority: "LA1", school: "S2"),
                                          SchoolKey(authority: "LA1", school: "la1 - s01")])
        #expect(table.rowSchools == [0, 1, 0, 2])
        #expect(table.problems.map(\.kind) == [.mergedIds])
        #expect(table.problems.first?.problem == "differs only in letter case or spaces from 'la1-s01' (line 2), under the same authority 'LA1'; merged into it (foldCase)")
    }

    @Test("foldCase merges authorities, then the schools under them, spelt as first seen")
    func foldMergesAuthorities() throws {
        let table = try Fixture.read(Self.header + "r1,S1,la1,1,2,3,4\nr2,S1,LA1,2,2,3,4\nr3,s1,LA1,3,2,3,4\nr4,S2,LA1,3,2,3,4\nr5,S9,B,3,2,3,4\n",
                                     options: Self.folding())
        #expect(table.distinctSchools == [SchoolKey(authority: "la1", school: "S1"), SchoolKey(authority: "la1", school: "S2"),
                                          SchoolKey(authority: "B", school: "S9")])
        #expect(table.rowSchools == [0, 0, 0, 1, 2])
        #expect(table.problems.map(\.kind) == [.mergedIds, .mergedIds])
        #expect(table.problems.map(\.column) == ["authority", "school"])
        #expect(table.problems.map(\.value) == ["LA1", "s1"])
        #expect(table.problems.map(\.line) == [3, 4])
        // The report aggregates the merged groups.
        let report = try ScoringReport(table: table)
        #expect(report.schools.count == 3)
        #expect(report.authorities.map(\.id) == ["B", "la1"])
    }

    @Test("Under foldCase a school under two authorities is found by its folded ids, once")
    func foldAndSeveralAuthorities() throws {
        let rows = "r1,S1,A,1,2,3,4\nr2,s1,B,2,2,3,4\nr3,S1,b,3,2,3,4\n"
        let kept = try Fixture.read(Self.header + rows)
        #expect(kept.problems.map(\.kind) == [.schoolInSeveralAuthorities, .similarIds])
        let folded = try Fixture.read(Self.header + rows, options: Self.folding())
        #expect(folded.problems.map(\.kind) == [.schoolInSeveralAuthorities, .mergedIds, .mergedIds])
        #expect(folded.problems.first?.line == 3)
        #expect(folded.distinctSchools == [SchoolKey(authority: "A", school: "S1"), SchoolKey(authority: "B", school: "s1")])
    }

    @Test("Without foldCase a file with no similar ids reads as before")
    func noSimilarIDs() throws {
        let csv = Self.header + "r1,S1,A,1,2,3,4\nr2,S2,A,2,2,3,4\nr3,S1,B,3,2,3,4\n"
        let plain = try Fixture.read(csv)
        let folded = try Fixture.read(csv, options: Self.folding())
        #expect(plain.distinctSchools == folded.distinctSchools && plain.rowSchools == folded.rowSchools)
        #expect(plain.problems == folded.problems)
        #expect(plain.problems.map(\.kind) == [.schoolInSeveralAuthorities])
    }

    @Test("The fold key lowercases every scalar and makes inner whitespace one space")
    func foldKey() {
        func key(_ s: String) -> String { String(decoding: IdentifierFold.key(s), as: UTF8.self) }
        #expect(key("LA1-S01") == "la1-s01")
        #expect(key(" North \t\u{A0} Primary\n") == "north primary")
        #expect(key("ÉCOLE Ü") == "école ü")
        #expect(key("ΣΧΟΛΕΙΟ") == "σχολειο")
        #expect(key("") == "" && key("   ") == "")
    }

    @Test("Reading a file in two parts gives the same findings and merged groups as one pass", arguments: [false, true])
    func twoParts(fold: Bool) throws {
        // Case variants in each half, across the halves, and an authority first spelt in the second half.
        var csv = Self.header
        for r in 0..<400 {
            let schools = r < 200 ? ["S\(r % 7)", "s\(r % 5)", "North Primary"] : ["s\(r % 7)", "NORTH  primary", "S\(r % 9)"]
            let authorities = r < 200 ? ["A", "B"] : ["a", "B", "c", "C"]
            csv += "r\(r),\(schools[r % schools.count]),\(authorities[r % authorities.count]),\(1 + r % 5),2,3,4\n"
        }
        var options = ReadOptions()
        options.foldCase = fold
        let bytes = Array(csv.utf8)
        let path = try TwoPartReadTests.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let instrument = try Fixture.leadership()
        let onePass = try ResponseReader.read(bytes, instrument: instrument, options: options, source: path)
        let twoParts = try #require(try ResponseReader.readInTwoParts(path: path, instrument: instrument, options: options, minimumSize: 0, headerStep: 16))
        TwoPartReadTests.expectSame(twoParts.table, onePass, "fold \(fold)")
        let kind: DataProblem.Kind = fold ? .mergedIds : .similarIds
        #expect(onePass.problems.filter { $0.kind == kind && $0.column == "authority" }.map(\.value) == ["a", "C"])
        #expect(onePass.problems.contains { $0.kind == kind && $0.value == "NORTH  primary" })
        if fold {
            #expect(!onePass.distinctSchools.contains { $0.authority == "a" || $0.authority == "C" })
        }
    }
}
