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
}
