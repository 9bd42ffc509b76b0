import Testing
@testable import OSCScoring

@Suite("Respondent scores")
struct RespondentScoresTests {
    let header = "respondent,school,LEAD01,LEAD02,LEAD03,L04\n"

    @Test("Reverse-keyed answers are scored as (min + max) − x")
    func reverseKeying() throws {
        // L02 is reversed: 2 → 4. leadership = (5 + 4) / 2.
        let table = try Fixture.read(header + "r1,S1,5,2,1,3\n")
        let scores = RespondentScores(table: table, options: ScoringOptions())
        #expect(scores.score(row: 0, scale: 0) == 4.5)
        #expect(scores.score(row: 0, scale: 1) == 2)
        #expect(scores.score(row: 0, scale: 2) == 3.25)
        #expect(table.keyedAnswer(row: 0, item: 1) == 4)
    }

    @Test("Reverse keying uses the instrument's own range (0 to 4 coding)")
    func reverseKeyingOnZeroBasedScale() throws {
        let instrument = try Instrument(id: "z", name: "z", version: "1", responseScale: ResponseScale(min: 0, max: 4),
                                        items: [Item(id: "a", reverse: true), Item(id: "b")], scales: [Scale(id: "s", itemIDs: ["a", "b"])])
        let table = try ResponseReader.read(Fixture.bytes("school,a,b\nS,0,4\n"), instrument: instrument, source: "z.csv")
        #expect(RespondentScores(table: table, options: ScoringOptions()).score(row: 0, scale: 0) == 4)
    }

    @Test("The score is the mean of the answered items")
    func meanOfAnswered() throws {
        let table = try Fixture.read(header + "r1,S1,,,2,5\nr2,S1,4,,,\n")
        let scores = RespondentScores(table: table, options: ScoringOptions(minAnswered: 0.5))
        #expect(scores.score(row: 0, scale: 2) == 3.5)   // climate: 2 of 4 answered
        #expect(scores.score(row: 0, scale: 0) == nil)   // leadership: 0 of 2
        #expect(scores.score(row: 1, scale: 0) == 4)     // leadership: 1 of 2 = half
        #expect(scores.score(row: 1, scale: 2) == nil)   // climate: 1 of 4 < half
    }

    @Test("The required number of answers is ⌈F × items⌉, at least one", arguments: [
        (0.0, 4, 1), (0.5, 4, 2), (0.5, 5, 3), (0.75, 4, 3), (1.0, 4, 4), (0.34, 3, 2), (1.0 / 3.0, 3, 1), (0.8, 5, 4),
    ])
    func requiredAnswers(fraction: Double, items: Int, required: Int) {
        #expect(ScoringOptions(minAnswered: fraction).requiredAnswers(itemCount: items) == required)
    }

    @Test("With min-answered 1 any missing item removes the score")
    func minAnsweredOne() throws {
        let table = try Fixture.read(header + "r1,S1,1,2,3,\n")
        let scores = RespondentScores(table: table, options: ScoringOptions(minAnswered: 1))
        #expect(scores.score(row: 0, scale: 0) == 2.5)   // (1 + reversed 2 = 4) / 2
        #expect(scores.score(row: 0, scale: 1) == nil)
        #expect(scores.score(row: 0, scale: 2) == nil)
    }

    @Test("Item blocks for the statistics hold keyed answers with NaN for missing")
    func itemBlocksAreKeyed() throws {
        let table = try Fixture.read(header + "r1,S1,5,2,,3\nr2,S1,1,x,4,4\n")
        let block = table.itemResponses(rows: [1, 0], items: [0, 1, 2])
        #expect(block.respondents == 2 && block.items == 3)
        #expect(block[respondent: 0, item: 0] == 1 && block[respondent: 0, item: 1].isNaN && block[respondent: 0, item: 2] == 4)
        #expect(block[respondent: 1, item: 0] == 5 && block[respondent: 1, item: 1] == 4 && block[respondent: 1, item: 2].isNaN)
    }

    @Test("A parent whose children share an item counts the item once")
    func overlappingChildren() throws {
        let instrument = try Instrument(id: "o", name: "o", version: "1", responseScale: ResponseScale(min: 1, max: 5),
                                        items: [Item(id: "a"), Item(id: "b"), Item(id: "c")],
                                        scales: [Scale(id: "x", itemIDs: ["a", "b"]), Scale(id: "y", itemIDs: ["b", "c"]),
                                                 Scale(id: "all", childIDs: ["x", "y"])])
        let table = try ResponseReader.read(Fixture.bytes("school,a,b,c\nS,1,2,5\n"), instrument: instrument, source: "o.csv")
        let scores = RespondentScores(table: table, options: ScoringOptions())
        #expect(scores.score(row: 0, scale: 2) == 8.0 / 3.0)   // (1 + 2 + 5) / 3, not (1 + 2 + 2 + 5) / 4
        #expect(scores.score(row: 0, scale: 0) == 1.5 && scores.score(row: 0, scale: 1) == 3.5)
    }

    @Test("The answers a scale requires stay between 1 and its size, whatever minAnswered is")
    func requiredAnswersClamped() throws {
        #expect(ScoringOptions(minAnswered: 0.5).requiredAnswers(itemCount: 7) == 4)
        #expect(ScoringOptions(minAnswered: 0).requiredAnswers(itemCount: 7) == 1)
        #expect(ScoringOptions(minAnswered: 1).requiredAnswers(itemCount: 7) == 7)
        #expect(ScoringOptions(minAnswered: 3).requiredAnswers(itemCount: 7) == 7)
        #expect(ScoringOptions(minAnswered: .infinity).requiredAnswers(itemCount: 7) == 7)
        #expect(ScoringOptions(minAnswered: -2).requiredAnswers(itemCount: 7) == 1)
        // A report with minAnswered above 1 scores complete rows only (it used to trap).
        let report = try ScoringReport(table: try OptimisedPathsTests.randomTable(seed: 5, rows: 60, schools: 3, missingRate: 0.1),
                                       options: ScoringOptions(minAnswered: 2))
        #expect(report.scaleDescriptives.allSatisfy { $0.n < 60 })
    }
}
