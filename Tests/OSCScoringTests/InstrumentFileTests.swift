import Testing
@testable import OSCScoring

@Suite("Instrument files")
struct InstrumentFileTests {
    /// Builds an instrument file from parts, so each test changes one thing.
    func json(responseScale: String = #"{"min": 1, "max": 5}"#,
              items: String = #"[{"id": "A"}, {"id": "B", "reverse": true}, {"id": "C", "column": "colC"}]"#,
              scales: String = #"[{"id": "s1", "items": ["A", "B"]}, {"id": "s2", "items": ["C"]}, {"id": "top", "scales": ["s1", "s2"]}]"#) -> [UInt8] {
        Fixture.bytes(#"{"id": "t", "responseScale": \#(responseScale), "items": \#(items), "scales": \#(scales)}"#)
    }

    func problem(_ bytes: [UInt8]) -> String? {
        do { _ = try Instrument(json: bytes, source: "t.json"); return nil } catch { return error.description }
    }

    @Test("The issue's example loads with defaults for column, reverse and level")
    func loadsTheExample() throws {
        let instrument = try Fixture.leadership()
        #expect(instrument.id == "lq-demo")
        #expect(instrument.items.map(\.column) == ["LEAD01", "LEAD02", "LEAD03", "L04"])
        #expect(instrument.items.map(\.reverse) == [false, true, false, false])
        #expect(instrument.scales.map(\.level) == [nil, nil, "domain"])
        #expect(instrument.responseScale.labels?.count == 5)
    }

    @Test("A parent scale uses every item below it")
    func parentScaleUsesAllItems() throws {
        let instrument = try Fixture.leadership()
        #expect(instrument.scaleItemIndices == [[0, 1], [2, 3], [0, 1, 2, 3]])
    }

    @Test("An unknown item is named, with the closest real one")
    func unknownItem() {
        #expect(problem(json(scales: #"[{"id": "s1", "items": ["A", "BB"]}]"#))
                == "t.json: scale 's1' lists unknown item 'BB'; did you mean 'B'?.")
    }

    @Test("An unknown child scale is named")
    func unknownScale() {
        #expect(problem(json(scales: #"[{"id": "s1", "items": ["A"]}, {"id": "top", "scales": ["s1", "nowhere"]}]"#))?
            .hasPrefix("t.json: scale 'top' lists unknown scale 'nowhere'") == true)
    }

    @Test("Duplicate item and scale ids are refused")
    func duplicateIDs() {
        #expect(problem(json(items: #"[{"id": "A"}, {"id": "A"}]"#))?.contains("item id 'A' is used more than once") == true)
        #expect(problem(json(scales: #"[{"id": "s1", "items": ["A"]}, {"id": "s1", "items": ["B"]}]"#))?.contains("scale id 's1' is used more than once") == true)
    }

    @Test("Two items reading one column are refused")
    func duplicateColumns() {
        #expect(problem(json(items: #"[{"id": "A", "column": "x"}, {"id": "B", "column": " X "}]"#))?.contains("read the same column") == true)
    }

    @Test("A cycle of scales is reported with its path")
    func cycle() {
        #expect(problem(json(scales: #"[{"id": "p", "scales": ["q"]}, {"id": "q", "scales": ["p"]}]"#))
                == "t.json: scales contain themselves: p → q → p; a scale cannot be its own descendant.")
    }

    @Test("An empty scale is refused")
    func emptyScale() {
        #expect(problem(json(scales: #"[{"id": "s1", "items": []}]"#)) == "t.json: scale 's1' has no items; list its items (or child scales) or remove it.")
    }

    @Test("A scale with both items and scales is refused")
    func itemsAndScales() {
        #expect(problem(json(scales: #"[{"id": "s1", "items": ["A"]}, {"id": "s2", "items": ["B"], "scales": ["s1"]}]"#))?.contains("lists both items and scales") == true)
    }

    @Test("min must be below max", arguments: [#"{"min": 5, "max": 5}"#, #"{"min": 5, "max": 1}"#])
    func minBelowMax(scale: String) {
        #expect(problem(json(responseScale: scale))?.contains("min must be below max") == true)
    }

    @Test("At most 15 answer options (0 to 14 is accepted, 0 to 15 refused)")
    func tooManyOptions() {
        #expect(problem(json(responseScale: #"{"min": 0, "max": 14}"#)) == nil)
        #expect(problem(json(responseScale: #"{"min": 0, "max": 15}"#))?.contains("has 16 answer options; osc-score handles at most 15") == true)
    }

    @Test("Labels must match the number of options")
    func labelCount() {
        #expect(problem(json(responseScale: #"{"min": 1, "max": 3, "labels": ["a", "b"]}"#))?.contains("2 labels but 3 answer options") == true)
    }

    @Test("Bad JSON is reported with its line and column")
    func badJSON() {
        #expect(problem(Fixture.bytes("{\n  \"id\": \"t\",\n  \"items\": [,]\n}"))
                == "t.json: invalid JSON at line 3, column 13: unexpected ',' where a value was expected.")
    }

    @Test("A member of the wrong type is named by its path")
    func wrongType() {
        #expect(problem(json(items: #"[{"id": "A", "reverse": "yes"}]"#)) == "t.json: \"reverse\" in items[0] must be true or false, found a string.")
        #expect(problem(json(responseScale: #"{"min": 1.5, "max": 5}"#)) == "t.json: \"min\" in responseScale must be a whole number, found a fraction.")
    }

    @Test("A missing responseScale says what to add")
    func missingResponseScale() {
        #expect(problem(Fixture.bytes(#"{"id": "t", "scales": []}"#))?.contains("\"responseScale\" is missing") == true)
    }
}
