import Testing
@testable import OSCScoring

@Suite("JSON reading and writing")
struct JSONValueTests {
    @Test("Objects keep their member order and escapes are decoded")
    func parsesObjectsInOrder() throws {
        let value = try JSONValue.parse(Fixture.bytes(#"{"b": 1, "a": [true, null, "x\"\u00e9"], "c": -2.5e1}"#))
        #expect(value == .object([("b", .number(1)), ("a", .array([.bool(true), .null, .string("x\"é")])), ("c", .number(-25))]))
    }

    @Test("A syntax error names its line and column")
    func syntaxErrorHasPosition() {
        #expect(throws: JSONSyntaxError(line: 3, column: 12, reason: "expected ',' or ']' after a list element, found '\"'")) {
            _ = try JSONValue.parse(Fixture.bytes("{\n \"a\": 1,\n \"b\": [\"x\" \"y\"]\n}"))
        }
    }

    @Test("An unclosed string is reported where it starts")
    func unclosedString() {
        #expect(throws: JSONSyntaxError(line: 1, column: 7, reason: "a string that starts here is never closed")) {
            _ = try JSONValue.parse(Fixture.bytes("{\"a\": \"open"))
        }
    }

    @Test("Writing prints whole numbers without a fraction and null for missing")
    func writesNumbers() {
        let text = JSONValue.object([("n", .number(24)), ("mean", .number(2.875)), ("sd", .number(Double?.none)), ("ids", .array([.string("a")]))]).text()
        #expect(text == "{\n  \"n\": 24,\n  \"mean\": 2.875,\n  \"sd\": null,\n  \"ids\": [\"a\"]\n}")
    }

    @Test("Written JSON reads back to the same value")
    func roundTrips() throws {
        let value = JSONValue.object([("a", .array([.object([("x", .number(0.1)), ("y", .string("q\"\n\u{1}"))])])), ("b", .bool(false))])
        #expect(try JSONValue.parse(Fixture.bytes(value.text())) == value)
    }

    @Test("Numbers appended as bytes equal their formatted text")
    func appendedNumbers() {
        var rng = Xoshiro256StarStar(seed: 5)
        var values: [Double] = [0, -0.0, 1, -1, 12, 999_999_999_999_999, 1e15, -1e15, 1e16, 0.1, 1e-5, 2.5e-300, -3.25, .pi,
                                Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude, 123456.789]
        for _ in 0..<2000 {
            let bits = rng.next()
            let d = Double(bitPattern: bits)
            if d.isFinite { values.append(d) }
            values.append(Double(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 60)))
            values.append(Double(rng.next() % 100_000) / 997)
        }
        for d in values {
            var out: [UInt8] = [0x41]
            JSONValue.appendNumber(d, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "A" + JSONValue.format(d), "\(d)")
        }
    }

    @Test("Lists nested 64 deep are read; 65 deep are refused at the 65th bracket")
    func nestingLimit() throws {
        #expect(JSONValue.maximumNesting == 64)
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try JSONValue.parse(Fixture.bytes(deep)) != .null)
        #expect(throws: JSONSyntaxError(line: 1, column: 65, reason: "lists and objects are nested more than 64 deep here; osc-score reads at most 64 levels (an instrument file needs 5)")) {
            _ = try JSONValue.parse(Fixture.bytes("[" + deep + "]"))
        }
    }

    @Test("100,000 nested lists or objects are refused without exhausting the stack")
    func hostileNesting() {
        #expect(throws: JSONSyntaxError.self) { _ = try JSONValue.parse(Fixture.bytes(String(repeating: "[", count: 100_000))) }
        #expect(throws: JSONSyntaxError.self) { _ = try JSONValue.parse(Fixture.bytes(String(repeating: #"{"a":"#, count: 100_000))) }
    }

    @Test("A member named twice in one object is refused with both lines")
    func duplicateMembers() {
        #expect(throws: JSONSyntaxError(line: 2, column: 3, reason: "the member 'sd' appears twice in one object (first on line 1); keep one")) {
            _ = try JSONValue.parse(Fixture.bytes("{\"mean\": 3, \"sd\": 1,\n  \"sd\": 2}"))
        }
        // The same name in different objects is fine.
        #expect(throws: Never.self) { _ = try JSONValue.parse(Fixture.bytes(#"{"a": {"x": 1}, "b": {"x": 2}}"#)) }
    }

    @Test("Numbers beyond the range of a Double are refused; the largest Double is read")
    func numberRange() throws {
        #expect(try JSONValue.parse(Fixture.bytes("1.7976931348623157e308")) == .number(.greatestFiniteMagnitude))
        #expect(try JSONValue.parse(Fixture.bytes("1e-400")) == .number(0))
        #expect(throws: JSONSyntaxError(line: 1, column: 6, reason: "the number '-1e400' is beyond the range osc-score reads (about ±1.8e308); write a smaller number")) {
            _ = try JSONValue.parse(Fixture.bytes("[1,  -1e400]"))
        }
        let digits = String(repeating: "9", count: 1 << 20)
        let error = #expect(throws: JSONSyntaxError.self) { _ = try JSONValue.parse(Fixture.bytes(digits)) }
        #expect(error?.reason == "the number '\(String(repeating: "9", count: 60))…' (1,048,576 characters) is beyond the range osc-score reads (about ±1.8e308); write a smaller number")
    }

    @Test("Lines are counted at LF, CRLF and CR, and columns after a byte order mark", arguments: ["\n", "\r\n", "\r"])
    func lineEnds(end: String) {
        #expect(throws: JSONSyntaxError(line: 3, column: 3, reason: "unexpected '?' where a value was expected")) {
            _ = try JSONValue.parse([0xEF, 0xBB, 0xBF] + Fixture.bytes("{\"a\": 1,\(end) \"b\":\(end)  ?}"))
        }
    }
}
