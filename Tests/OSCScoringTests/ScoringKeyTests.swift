import Testing
@testable import OSCScoring

@Suite("Scoring keys")
struct ScoringKeyTests {
    func key(_ text: String) throws -> ScoringKey { try ScoringKey(csv: Fixture.bytes(text), source: "key.csv") }

    /// A key giving item Qn to the n-th of the OSC's 16 leaf scales (in file
    /// order: job_satisfaction, organisational_commitment, responsiveness, …)
    /// and items 17 to 105 to job satisfaction; `firstScale` replaces Q1's scale.
    func oscKeyText(items: Int = 105, firstScale: String? = nil) -> String {
        let leaves = BundledInstruments.osc().scales.filter(\.isLeaf).map(\.id)
        var text = "item,column,scale,reverse\n"
        for n in 1...items {
            let scale = n == 1 ? firstScale ?? leaves[0] : n <= leaves.count ? leaves[n - 1] : "job_satisfaction"
            text += "Q\(n),,\(scale),\(n % 2 == 0 ? "yes" : "0")\n"
        }
        return text
    }

    @Test("The bundled OSC cannot score without a key, and says how to supply one")
    func oscNeedsKey() {
        let osc = BundledInstruments.osc()
        #expect(osc.items.isEmpty && osc.requiresKey && osc.declaredItemCount == 105)
        #expect(throws: InstrumentProblem.keyRequired(instrument: "osc", itemCount: 105)) { try osc.requireScorable() }
        #expect(InstrumentProblem.keyRequired(instrument: "osc", itemCount: 105).message.contains("instrument.applying(ScoringKey(contentsOf: FILE))"))
    }

    @Test("A key assigns items to leaf scales, and parents gather them")
    func keyAssignsItems() throws {
        let osc = try BundledInstruments.osc().applying(key(oscKeyText()))
        try osc.requireScorable()
        #expect(osc.items.count == 105)
        #expect(osc.items[1].reverse && !osc.items[0].reverse)
        #expect(osc.items[0].column == "Q1")
        let culture = osc.scaleIndex(of: "culture")!
        // Q3…Q8 are responsiveness, competence, centralization, formalization, apathy, suppression.
        #expect(osc.scaleItemIndices[culture] == [2, 3, 4, 5, 6, 7])
        let satisfaction = osc.scaleIndex(of: "job_satisfaction")!
        #expect(osc.scaleItemIndices[satisfaction].count == 90)
    }

    @Test("Reverse accepts true/false, yes/no and 1/0 in any case", arguments: [("TRUE", true), ("no", false), ("1", true), ("0", false), ("Yes", true), ("", false)])
    func reverseWords(word: String, expected: Bool) throws {
        #expect(try key("item,scale,reverse\nA,s,\(word)\n").entries[0].reverse == expected)
    }

    @Test("A bad reverse value is named with its line")
    func badReverse() {
        #expect(throws: ScoringKeyError(source: "key.csv", line: 3, reason: "reverse is 'maybe' for item 'B'; write true/false, yes/no or 1/0")) {
            _ = try key("item,column,scale,reverse\nA,,s,no\nB,,s,maybe\n")
        }
    }

    @Test("Comment lines are skipped and line numbers kept")
    func commentsAreSkipped() throws {
        let k = try key("# a comment\nitem,scale\n# another\nA,s\n")
        #expect(k.entries == [ScoringKey.Entry(item: "A", scale: "s", line: 4)])
    }

    @Test("An unknown scale gets the closest leaf scale suggested")
    func unknownScaleSuggestion() throws {
        let error = #expect(throws: ScoringKeyError.self) { try BundledInstruments.osc().applying(key(oscKeyText(firstScale: "responsivness"))) }
        #expect(error?.description == "key.csv, line 2: item 'Q1' is assigned to unknown scale 'responsivness'; did you mean 'responsiveness'?")
    }

    @Test("Assigning an item to a parent scale names its leaves")
    func parentScaleRefused() throws {
        let error = #expect(throws: ScoringKeyError.self) { try BundledInstruments.osc().applying(key(oscKeyText(firstScale: "proficiency"))) }
        #expect(error?.reason.contains("responsiveness, competence") == true)
    }

    @Test("The key must list the instrument's declared number of items")
    func itemCountChecked() throws {
        let error = #expect(throws: ScoringKeyError.self) { try BundledInstruments.osc().applying(key(oscKeyText(items: 104))) }
        #expect(error?.reason == "the key lists 104 items but instrument 'osc' has 105; give one line per item")
    }

    @Test("An item listed twice is refused")
    func duplicateItem() throws {
        let error = #expect(throws: ScoringKeyError.self) { try Fixture.leadership().applying(key("item,scale\nA,leadership\nA,support\n")) }
        #expect(error?.line == 3)
    }

    @Test("A leaf scale left without items is refused")
    func leafWithoutItems() throws {
        let error = #expect(throws: ScoringKeyError.self) { try Fixture.leadership().applying(key("item,scale\nA,leadership\n")) }
        #expect(error?.reason == "no item is assigned to scale 'support'; every leaf scale needs at least one item")
    }

    @Test("A header without item or scale is refused")
    func badHeader() {
        #expect(throws: ScoringKeyError.self) { try key("name,group\nA,s\n") }
    }

    @Test("A key saved with a byte order mark and a comment first is read")
    func byteOrderMarkThenComment() throws {
        let k = try ScoringKey(csv: [0xEF, 0xBB, 0xBF] + Fixture.bytes("# OSC key\nitem,scale\nA,s\n"), source: "key.csv")
        #expect(k.entries == [ScoringKey.Entry(item: "A", scale: "s", line: 3)])
    }

    @Test("LF, CRLF and CR line ends all end comments and records, with line numbers kept", arguments: ["\n", "\r\n", "\r"])
    func lineEnds(end: String) throws {
        let text = ["# a comment", "item,scale,reverse", "# another", "A,s,yes", "B,s,no"].joined(separator: end) + end
        let k = try ScoringKey(csv: [0xEF, 0xBB, 0xBF] + Fixture.bytes(text), source: "key.csv")
        #expect(k.entries == [ScoringKey.Entry(item: "A", scale: "s", reverse: true, line: 4), ScoringKey.Entry(item: "B", scale: "s", line: 5)])
    }

    @Test("A key may use semicolons or tabs, detected from its header after any comments", arguments: [";", "\t"])
    func delimiters(delimiter: String) throws {
        let k = try key("# comment, with a comma\n\nitem\(delimiter)column\(delimiter)scale\nA\(delimiter)a,1\(delimiter)s\n")
        #expect(k.entries == [ScoringKey.Entry(item: "A", column: "a,1", scale: "s", line: 4)])
    }

    @Test("A '#' starting a line inside a quoted field is data, not a comment")
    func hashInsideQuotes() throws {
        let k = try key("item,column,scale\nA,\"x\n#y\",s\n")
        #expect(k.entries == [ScoringKey.Entry(item: "A", column: "x\n#y", scale: "s", line: 2)])
    }

    @Test("A megabyte-long reverse value is quoted in 60 characters with its length")
    func longValueIsCut() {
        let long = String(repeating: "x", count: 1 << 20)
        let error = #expect(throws: ScoringKeyError.self) { _ = try key("item,scale,reverse\nA,s,\(long)\n") }
        #expect(error?.description == "key.csv, line 2: reverse is '\(String(repeating: "x", count: 60))…' (1,048,576 characters) for item 'A'; write true/false, yes/no or 1/0.")
    }

    @Test("The leaves of a much-shared parent are listed once each")
    func sharedLeavesListedOnce() throws {
        // 30 levels of two parents that both list both scales below: 2^30 paths, 2 leaves.
        var scales: [Scale] = [Scale(id: "a30", itemIDs: ["A"]), Scale(id: "b30", itemIDs: ["B"])]
        for level in 0..<30 { for side in ["a", "b"] { scales.append(Scale(id: "\(side)\(level)", childIDs: ["a\(level + 1)", "b\(level + 1)"])) } }
        let instrument = try Instrument(id: "t", name: "t", version: "1", responseScale: ResponseScale(min: 1, max: 5),
                                        items: [Item(id: "A"), Item(id: "B")], scales: scales)
        #expect(instrument.scaleLeaves(of: "a0") == ["a30", "b30"])
        let error = #expect(throws: ScoringKeyError.self) { try instrument.applying(key("item,scale\nA,a0\n")) }
        #expect(error?.reason == "item 'A' is assigned to 'a0', which is made of other scales; assign it to one of its leaf scales (a30, b30)")
    }

    @Test("A message lists at most 10 scales, then how many more")
    func longListsAreCut() {
        #expect(Instrument.listed((1...12).map { "s\($0)" }) == "s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 and 2 more")
        #expect(Instrument.listed(["a", "b\nc"]) == #"a, 'b\nc'"#)
    }
}
