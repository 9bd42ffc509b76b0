// A school whose mean cannot stand for its staff has its T-score flagged and
// no profile in every format; small schools and authorities are suppressed;
// shortened names stay distinct.

import Foundation
import Testing
@testable import OSCScoring

@Suite("Verdicts reach every derived number; suppression; distinct short names")
struct VerdictReachTests {
    static func normed(suppressBelow: Int? = nil) throws -> ScoringReport {
        try InBriefTests.normed(InBriefTests.exampleTable(), criteria: AggregationCriteria(suppressBelow: suppressBelow))
    }

    static func json(_ report: ScoringReport) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(report.jsonBytes(context: ReportContext(source: "x")))) as? [String: Any])
    }

    static func school(_ json: [String: Any], _ id: String) throws -> [String: Any] {
        try #require((json["schools"] as? [[String: Any]])?.first { $0["id"] as? String == id })
    }

    @Test("The issue's example: a school of two respondents has its T = 89.4 flagged and no 'best' climate, in every format")
    func twoRespondentSchoolIsFlagged() throws {
        let report = try Self.normed()
        let j = try #require(report.schools.firstIndex { $0.id == "LA3-S11" })
        let s = try #require(report.instrument.scaleIndex(of: "proficiency"))
        #expect(report.schools[j].respondents == 2)
        #expect(DecimalText.fixed(report.schools[j].scores[s].norm!.t, places: 1) == "89.4")
        // Library: no profile, and the scales that withheld it.
        #expect(report.schools[j].profiles == [nil, nil])
        #expect(report.schools[j].profilesWithheldBy?[0].map { report.instrument.scales[$0].id } == ["proficiency", "rigidity", "resistance"])
        // Table: the T-score carries the flag and the profile is withheld.
        let text = report.tableText()
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("  LA3-S11") && $0.contains("89.4") })
        #expect(row.contains("89.4!") && !row.contains("best") && row.hasSuffix("–!      –!"))
        #expect(text.contains("so neither does its T-score"))
        // Markdown.
        let md = report.markdown()
        let mdRow = try #require(md.split(separator: "\n").first { $0.contains("| LA3-S11 |") && $0.contains("89.4") })
        #expect(mdRow.contains("89.4!") && mdRow.contains("withheld") && !mdRow.contains("best"))
        // JSON: the reasons next to the T-score; the profile null with its reason.
        let school = try Self.school(Self.json(report), "LA3-S11")
        let proficiency = try #require((school["scores"] as? [String: [String: Any]])?["proficiency"])
        #expect(proficiency["tFlagged"] as? Bool == true)
        #expect(((proficiency["tReasons"] as? [[String: Any]])?.first?["code"] as? String) == "fewRespondents")
        let profiles = try #require(school["profiles"] as? [String: Any])
        #expect(profiles["climate"] is NSNull && profiles["culture"] is NSNull)
        let withheld = try #require((school["profilesWithheld"] as? [String: [String: Any]])?["climate"])
        #expect((withheld["message"] as? String)?.hasPrefix("withheld: the school's mean cannot stand for its staff on engagement (2 respondents") == true)
        // CSV, wide and long: a flag column.
        let csv = report.csv(level: .school).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let flag = try #require(csv[0].firstIndex(of: "proficiency_tFlagged"))
        #expect(csv.first { $0[1] == "LA3-S11" }?[flag] == "1")
        #expect(csv.first { $0[1] == "LA3-S01" }?[flag] == "0")
        #expect(report.csvLong().contains("school,LA3-S11,LA3,proficiency,tFlagged,1\n"))
        #expect(report.csvLong().contains("school,LA3-S11,LA3,,profile_climate,\n"))
    }

    @Test("A school that stands keeps its profile and an unflagged T-score")
    func standingSchoolKeepsItsProfile() throws {
        let report = try Self.normed()
        let school = try #require(report.schools.first { $0.id == "LA3-S01" })
        #expect(school.scores.allSatisfy { $0.aggregate })
        #expect(school.profiles?.allSatisfy { $0 != nil } == true)
        #expect(school.profilesWithheldBy?.allSatisfy { $0.isEmpty } == true)
    }

    @Test("School tables mark the scales where aggregation to schools is not justified, with a legend")
    func notJustifiedColumnsAreMarked() throws {
        let report = try Self.normed()
        let text = report.tableText()
        #expect(text.contains("  School    n   Prof Rigid† Resist Engage  Funct Stress† JobSat Commit\n"))
        #expect(text.contains("† Aggregation to schools is not justified on Rigid and Stress"))
        #expect(report.markdown().contains("| School | n | Proficiency | Rigidity† | Resistance | Engagement | Functionality | Stress† |"))
    }

    @Test("An authority row says how many of its schools are in its means")
    func authoritySchoolsCount() throws {
        let report = try Self.normed()
        let text = report.tableText()
        #expect(text.contains("\nLA3       10 of 11  169"))
        #expect(text.contains("\nLA1       11 of 11  189"))
    }

    @Test("Suppression withholds small schools' and authorities' numbers in every format, keeps counts and echoes N")
    func suppressionInEveryFormat() throws {
        let report = try Self.normed(suppressBelow: 7)
        let small = report.schools.filter { $0.respondents < 7 }
        #expect(!small.isEmpty && small.allSatisfy { $0.suppressed })
        #expect(report.schools.filter { !$0.suppressed }.allSatisfy { $0.respondents >= 7 })
        // A suppressed school is left out of its authority's means, so none reveals it.
        let j = try #require(report.schools.firstIndex { $0.id == "LA1-S04" })
        for authority in report.authorities { for score in authority.scores { #expect(!score.includedSchools.contains(j)) } }
        // JSON: null plus "suppressed": true; counts stay; N in settings.
        let json = try Self.json(report)
        #expect((json["settings"] as? [String: Any])?["suppressBelow"] as? Int == 7)
        let school = try Self.school(json, "LA1-S04")
        #expect(school["suppressed"] as? Bool == true && school["respondents"] as? Int == 6)
        let entry = try #require((school["scores"] as? [String: [String: Any]])?["proficiency"])
        for member in ["mean", "sd", "t", "percentile", "rwgj", "awg"] { #expect(entry[member] is NSNull, "\(member)") }
        #expect(entry["suppressed"] as? Bool == true && entry["n"] as? Int == 6)
        #expect((school["profiles"] as? [String: Any])?.values.allSatisfy { $0 is NSNull } == true)
        #expect(try Self.school(json, "LA1-S01")["suppressed"] as? Bool == false)
        // CSV: empty cells plus a flag; counts stay.
        let csv = report.csv(level: .school).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let col = try #require(csv[0].firstIndex(of: "suppressed")), mean = try #require(csv[0].firstIndex(of: "proficiency_mean"))
        let n = try #require(csv[0].firstIndex(of: "proficiency_n")), t = try #require(csv[0].firstIndex(of: "proficiency_t"))
        let row = try #require(csv.first { $0[1] == "LA1-S04" })
        #expect(row[col] == "1" && row[mean] == "" && row[t] == "" && row[n] == "6")
        #expect(csv.first { $0[1] == "LA1-S01" }?[col] == "0")
        let long = report.csvLong()
        #expect(long.contains("school,LA1-S04,LA1,,suppressed,1\n") && long.contains("school,LA1-S04,LA1,proficiency,mean,\n"))
        #expect(long.contains("school,LA1-S04,LA1,proficiency,n,6\n"))
        // Readable: "suppressed (< 7)" in Markdown, "supp." in the terminal, with a legend.
        let md = report.markdown()
        #expect(md.contains("| LA1 | LA1-S04 | 6 | suppressed (< 7) |"))
        let text = report.tableText()
        #expect(text.contains("  LA1-S04   6  supp.  supp.") && text.contains("supp. = suppressed (< 7): fewer than 7 respondents"))
        // No readable line quotes a suppressed school's agreement.
        #expect(!text.contains("LA1 / LA1-S04"))
    }

    @Test("An authority below N is suppressed too")
    func smallAuthorityIsSuppressed() throws {
        let table = try Fixture.read("authority,school,LEAD01,LEAD02,LEAD03,L04\nX,A,1,2,3,4\nX,A,2,2,3,3\nX,A,1,1,4,4\nY,B,4,4,1,2\nY,B,5,4,2,1\nY,B,4,5,1,1\nY,C,4,4,1,2\nY,C,5,4,2,1\nY,C,4,5,1,1\n")
        let report = try ScoringReport(table: table, criteria: AggregationCriteria(suppressBelow: 4))
        #expect(report.authorities.map(\.suppressed) == [true, false])
        #expect(report.schools.map(\.suppressed) == [true, true, true])
        let csv = report.csv(level: .authority)
        #expect(csv.hasPrefix("authority,schools,respondents,suppressed,"))
        #expect(csv.contains("\nX,1,3,1,"))
        #expect(report.inBrief().contains { $0.hasPrefix("The results of 3 schools and 1 authority with fewer than 4 respondents are withheld") })
    }

    @Test("Long names that share a prefix never shorten to the same text", arguments: [
        (["Saint Mary's Primary School North", "Saint Mary's Primary School South"], 14),
        (["ABCDEFGHIJ1", "ABCDEFGHIJ2", "ABCDEFGHIJ3"], 6),
        (["Prefix-middle-A-end", "Prefix-middle-B-end"], 8),
        (["aaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaab", "aaaaa…b", "aaaaa…1"], 7),
        (["same-long-name-here", "same-long-name-here", "other"], 6),
        (["xxxxxxxxxx", "xxxxxxxxxy", "xxxxxxxxxz"], 2),
    ])
    func shortenedNamesStayDistinct(names: [String], width: Int) {
        let short = TextTable.shortenDistinct(names, to: width)
        for a in names.indices { for b in names.indices where names[a] != names[b] { #expect(short[a] != short[b], "\(names[a]) / \(names[b]) → \(short[a])") } }
        for a in names.indices { for b in names.indices where names[a] == names[b] { #expect(short[a] == short[b]) } }
        for (name, s) in zip(names, short) where name.count <= width { #expect(s == name) }
        #expect(short.allSatisfy { $0.count <= max(width, 3) })
    }

    @Test("Two long school ids that share a prefix print differently in the terminal report")
    func distinctIDsInTable() throws {
        let csv = "school,LEAD01,LEAD02,LEAD03,L04\n"
            + (1...3).map { _ in "Saint Marys Church of England Primary North,1,2,3,4\nSaint Marys Church of England Primary South,4,4,1,2\n" }.joined()
        let text = try ScoringReport(table: Fixture.read(csv)).tableText()
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("Saint") }
        #expect(rows.map { String($0.prefix(14)) } == ["Saint Mary…rth", "Saint Mary…uth"])
    }
}

@Suite("Suppression and sample-relative norms")
struct SuppressedSampleNormsTests {
    @Test("Sample-relative norms leave out suppressed schools, so other schools' T-scores cannot reveal them")
    func sampleNormsWithoutSuppressed() throws {
        let table = try InBriefTests.exampleTable()
        let report = try ScoringReport(table: table, criteria: AggregationCriteria(suppressBelow: 10), norms: .sample)
        let s = try #require(report.instrument.scaleIndex(of: "proficiency"))
        let shown = report.schools.filter { !$0.suppressed }.compactMap { $0.scores[s].mean }
        let d = Descriptives(shown)
        let norm = try #require(report.normReferenced?.schoolNorms["proficiency"])
        #expect(abs(norm.mean - d.mean!) < 1e-12 && abs(norm.sd - d.sd!) < 1e-12)
        #expect(report.schools.contains { $0.suppressed })
    }
}
