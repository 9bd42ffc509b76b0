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
                == "t.json: scale 's1' lists unknown item 'BB'; did you mean 'B'?")
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
                == "t.json: scales contain themselves: 'p' → 'q' → 'p'; a scale cannot be its own descendant.")
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
        #expect(problem(json(responseScale: #"{"min": 1.5, "max": 5}"#)) == "t.json: \"min\" in responseScale must be a whole number, found 1.5.")
    }

    @Test("A missing responseScale says what to add")
    func missingResponseScale() {
        #expect(problem(Fixture.bytes(#"{"id": "t", "scales": []}"#))?.contains("\"responseScale\" is missing") == true)
    }

    /// An instrument file whose scales form a chain `levels` deep: scale
    /// s0 lists s1, …, and the last lists item A.
    func chain(levels: Int) -> [UInt8] {
        var scales: [String] = []
        for i in 0..<levels {
            scales.append(i == levels - 1 ? #"{"id": "s\#(i)", "items": ["A"]}"# : #"{"id": "s\#(i)", "scales": ["s\#(i + 1)"]}"#)
        }
        return json(items: #"[{"id": "A"}]"#, scales: "[" + scales.joined(separator: ",") + "]")
    }

    @Test("Scales nested 64 levels deep load, every level gathering the leaf's items")
    func nestingAtTheLimit() throws {
        let instrument = try Instrument(json: chain(levels: Instrument.maximumScaleDepth), source: "t.json")
        #expect(Instrument.maximumScaleDepth == 64)
        #expect(instrument.scaleItemIndices == [[Int]](repeating: [0], count: 64))
    }

    @Test("Scales nested 65 levels deep are refused, naming the file, the top scale and the one past the limit")
    func nestingPastTheLimit() {
        #expect(problem(chain(levels: 65)) == "t.json: scale 's0' has scales nested more than 64 levels deep below it ('s64' is at level 65); osc-score reads at most 64 levels (the OSC has 3); list the items of a deeper scale directly.")
    }

    @Test("The limit also holds when the deep part was resolved first")
    func nestingPastTheLimitThroughAResolvedScale() {
        // s1…s64 are 64 levels and resolve first; 'top', listed last, adds a 65th.
        var scales: [String] = []
        for i in 1...64 { scales.append(i == 64 ? #"{"id": "s64", "items": ["A"]}"# : #"{"id": "s\#(i)", "scales": ["s\#(i + 1)"]}"#) }
        scales.append(#"{"id": "top", "scales": ["s1"]}"#)
        #expect(problem(json(items: #"[{"id": "A"}]"#, scales: "[" + scales.joined(separator: ",") + "]"))?
            .hasPrefix("t.json: scale 'top' has scales nested more than 64 levels deep below it ('s64' is at level 65)") == true)
    }

    @Test("A chain of 30,000 nested scales is refused at once, not a stack overflow")
    func longChainIsRefused() {
        #expect(problem(chain(levels: 30_000))?.contains("nested more than 64 levels deep") == true)
    }

    @Test("Scales shared by many parents are resolved once each, in linear memory")
    func sharedScalesResolveOnce() throws {
        // 32 levels, each level two scales that both list both scales of the next level:
        // 2^32 paths from the top, but 64 scales and 124 links.
        var scales: [String] = []
        for level in 0..<32 {
            for side in ["a", "b"] {
                scales.append(level == 31 ? #"{"id": "\#(side)31", "items": ["A", "B"]}"# : #"{"id": "\#(side)\#(level)", "scales": ["a\#(level + 1)", "b\#(level + 1)"]}"#)
            }
        }
        let instrument = try Instrument(json: json(items: #"[{"id": "A"}, {"id": "B"}]"#, scales: "[" + scales.joined(separator: ",") + "]"), source: "t.json")
        #expect(instrument.scaleItemIndices.count == 64)
        #expect(instrument.scaleItemIndices.allSatisfy { $0 == [0, 1] })
    }

    @Test("A cycle found below an already resolved scale is reported from where it closes")
    func cycleBelowResolvedScale() {
        #expect(problem(json(scales: #"[{"id": "s1", "items": ["A"]}, {"id": "p", "scales": ["s1", "q"]}, {"id": "q", "scales": ["r"]}, {"id": "r", "scales": ["q"]}]"#))
                == "t.json: scales contain themselves: 'q' → 'r' → 'q'; a scale cannot be its own descendant.")
    }

    @Test("A member given twice is refused with its line, not silently read once")
    func duplicateMember() {
        let text = "{\"id\": \"t\",\n \"responseScale\": {\"min\": 1, \"max\": 5},\n \"responseScale\": {\"min\": 0, \"max\": 9},\n \"scales\": []}"
        #expect(problem(Fixture.bytes(text)) == "t.json: invalid JSON at line 3, column 2: the member 'responseScale' appears twice in one object (first on line 2); keep one.")
    }

    @Test("A huge answer range says the limit on answer options, not 'a fraction'")
    func hugeResponseScale() {
        #expect(problem(json(responseScale: #"{"min": 1, "max": 1000000000}"#))
                == "t.json: responseScale from 1 to 1000000000 has 1000000000 answer options; osc-score handles at most 15 (answers are counted exactly in small integers); rescale the answers or group the options.")
        #expect(problem(json(responseScale: #"{"min": 1, "max": 1e300}"#))
                == "t.json: \"max\" in responseScale is 1e+300, beyond the whole numbers osc-score reads (at most 15 digits).")
    }

    @Test("A number beyond the range of a Double is refused where it is written")
    func numberOutOfRange() {
        #expect(problem(json(responseScale: "{\"min\": 1,\n \"max\": 1e400}"))
                == "t.json: invalid JSON at line 2, column 9: the number '1e400' is beyond the range osc-score reads (about ±1.8e308); write a smaller number.")
    }

    @Test("Profile cut-offs and bands must be finite, and so must their sum and difference")
    func nonFiniteProfile() throws {
        func problem(cutoff: Double, band: Double) -> InstrumentProblem? {
            do {
                _ = try Instrument(id: "t", name: "t", version: "1", responseScale: ResponseScale(min: 1, max: 5), items: [Item(id: "A")],
                                   scales: [Scale(id: "s", itemIDs: ["A"])],
                                   profiles: [Profile(id: "p", scales: [.init(scale: "s", favourable: .high)], cutoff: cutoff, band: band)])
                return nil
            } catch { return error }
        }
        #expect(problem(cutoff: 50, band: 5) == nil)
        #expect(problem(cutoff: .infinity, band: 0) == .nonFiniteProfileBoundary(profile: "p", member: "cutoff", value: .infinity))
        #expect(problem(cutoff: 50, band: .nan).map { if case .nonFiniteProfileBoundary(_, "band", let v) = $0 { v.isNaN } else { false } } == true)
        #expect(problem(cutoff: 1e308, band: 1e308) == .nonFiniteProfileBoundary(profile: "p", member: "band", value: 1e308))
        #expect(InstrumentProblem.nonFiniteProfileBoundary(profile: "p", member: "cutoff", value: .infinity).message
                == "profile 'p' has cutoff ∞; the cut-off and band must be finite numbers of T units whose sum and difference are finite (the cut-off is usually 50)")
    }

    @Test("A megabyte-long id is quoted in 60 characters with its length")
    func longValuesAreCut() throws {
        let long = String(repeating: "a", count: 1 << 20)
        let message = try #require(problem(json(scales: #"[{"id": "s1", "items": ["\#(long)"]}]"#)))
        #expect(message == "t.json: scale 's1' lists unknown item '\(String(repeating: "a", count: 60))…' (1,048,576 characters); add it to \"items\" or remove it from the scale.")
        let favourable = #"{"id": "t", "responseScale": {"min": 1, "max": 5}, "items": [{"id": "A"}], "scales": [{"id": "s", "items": ["A"]}], "profiles": [{"id": "p", "scales": [{"scale": "s", "favourable": "\#(long)"}]}]}"#
        #expect(problem(Fixture.bytes(favourable))?.count ?? .max < 200)
    }

    @Test("No message ends in '?.' or '..'")
    func sentenceEnds() {
        for message in [problem(json(scales: #"[{"id": "s1", "items": ["A", "BB"]}]"#)),
                        InstrumentFileError(source: "f", reason: "ends.", problem: nil).description] {
            #expect(message?.hasSuffix("?.") == false && message?.hasSuffix("..") == false)
        }
    }

    @Test("An empty id is called an empty string")
    func emptyID() {
        #expect(problem(json(items: #"[{"id": ""}]"#)) == "t.json: \"id\" in items[0] must be a non-empty string, found an empty string.")
    }

    /// An instrument file in which item A counts towards `count` scales:
    /// a leaf and `count - 1` parents that each list it.
    func shared(count: Int) -> [UInt8] {
        let parents = (1..<count).map { #"{"id": "p\#($0)", "scales": ["leaf", "leaf"]}"# }
        return json(items: #"[{"id": "A"}]"#, scales: "[" + ([#"{"id": "leaf", "items": ["A", "A"]}"#] + parents).joined(separator: ",") + "]")
    }

    @Test("An item may count towards 64 scales, not 65, so shared scales cannot multiply memory")
    func scalesPerItem() throws {
        #expect(Instrument.maximumScalesPerItem == 64)
        let instrument = try Instrument(json: shared(count: 64), source: "t.json")
        #expect(instrument.scaleItemIndices == [[Int]](repeating: [0], count: 64))
        #expect(problem(shared(count: 65)) == "t.json: item 'A' counts towards more than 64 scales (directly or through the scales below them; 'p64' is one past the limit); osc-score allows at most 64 (in the OSC an item counts towards 3); share fewer scales between parents.")
    }

    @Test("10,000 parents of one 4,095-item scale are refused early, in little memory")
    func manyParentsOfALargeScale() {
        let items = (0..<4095).map { #"{"id": "i\#($0)"}"# }.joined(separator: ",")
        let leaf = #"{"id": "leaf", "items": ["# + (0..<4095).map { #""i\#($0)""# }.joined(separator: ",") + "]}"
        let parents = (0..<10_000).map { #"{"id": "p\#($0)", "scales": ["leaf"]}"# }
        let bytes = json(items: "[" + items + "]", scales: "[" + ([leaf] + parents).joined(separator: ",") + "]")
        #expect(problem(bytes)?.contains("counts towards more than 64 scales") == true)
    }

    @Test("A long cycle is shown by its first ten scales and the one that closes it")
    func longCycle() {
        let scales = (0..<20).map { #"{"id": "c\#($0)", "scales": ["c\#(($0 + 1) % 20)"]}"# }
        #expect(problem(json(scales: "[" + scales.joined(separator: ",") + "]"))
                == "t.json: scales contain themselves: 'c0' → 'c1' → 'c2' → 'c3' → 'c4' → 'c5' → 'c6' → 'c7' → 'c8' → 'c9' → … (10 more) → 'c0'; a scale cannot be its own descendant.")
    }

    @Test("Whole numbers of 15 digits are read, of 16 refused with the limit")
    func wholeNumberDigits() throws {
        func file(itemCount: String) -> [UInt8] {
            Fixture.bytes(#"{"id": "t", "responseScale": {"min": 1, "max": 5}, "items": [{"id": "A"}], "scales": [{"id": "s", "items": ["A"]}], "itemCount": \#(itemCount)}"#)
        }
        #expect(try Instrument(json: file(itemCount: "999999999999999"), source: "t.json").declaredItemCount == 999_999_999_999_999)
        #expect(problem(file(itemCount: "1000000000000000")) == "t.json: \"itemCount\" is 1000000000000000, beyond the whole numbers osc-score reads (at most 15 digits).")
    }
}
