import Testing
@testable import OSCScoring

@Suite("CSV parser (RFC 4180)")
struct CSVParserTests {
    @Test("Quoted fields keep delimiters, doubled quotes and line breaks", arguments: [1, 2, 3, 7, 1 << 20])
    func quotedFieldsKeepTheirContent(chunk: Int) throws {
        let text = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,2,3\n"
        let records = try Fixture.records(text, chunk: chunk)
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "2", "3"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test("CRLF, LF and CR line ends all end records", arguments: ["\r\n", "\n", "\r"])
    func lineEndsEndRecords(end: String) throws {
        let records = try Fixture.records("a,b" + end + "1,2" + end + "3,4" + end)
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test("The last record needs no line break")
    func lastRecordWithoutLineBreak() throws {
        #expect(try Fixture.records("a,b\n1,").map(\.fields) == [["a", "b"], ["1", ""]])
    }

    @Test("A UTF-8 byte order mark is skipped")
    func byteOrderMarkIsSkipped() throws {
        let records = try Fixture.records("\u{FEFF}school,x\n1,2\n", chunk: 2)
        #expect(records.first?.fields == ["school", "x"])
    }

    @Test("Tab and semicolon delimiters are detected from the header", arguments: [("\t", UInt8(ascii: "\t")), (";", UInt8(ascii: ";")), (",", UInt8(ascii: ","))])
    func delimiterIsDetected(separator: String, byte: UInt8) throws {
        var parser = CSVParser()
        var rows: [[String]] = []
        try parser.parse(Fixture.bytes("a\(separator)b\(separator)\"c,d;e\"\n1\(separator)2\(separator)3\n")) { rows.append($0.strings) }
        try parser.finish { rows.append($0.strings) }
        #expect(parser.delimiter == byte)
        #expect(rows == [["a", "b", "c,d;e"], ["1", "2", "3"]])
    }

    @Test("A semicolon file with decimal commas is still read as semicolon-delimited")
    func semicolonWinsOverCommasInsideQuotes() throws {
        #expect(CSVDelimiter.detect(headerLine: Fixture.bytes("a;b;\"c,d\"")) == UInt8(ascii: ";"))
    }

    @Test("Blank lines are marked and numbered")
    func blankLinesAreMarked() throws {
        let records = try Fixture.records("a,b\n\n1,2\n\n")
        #expect(records.map(\.isBlank) == [false, true, false, true])
        #expect(records.map(\.line) == [1, 2, 3, 4])
    }

    @Test("An unterminated quote is an error naming the line where the field starts")
    func unterminatedQuoteThrows() {
        #expect(throws: CSVSyntaxError.unterminatedQuote(line: 3, field: 2)) {
            _ = try Fixture.records("a,b\n1,2\n3,\"open\n4,5\n")
        }
    }

    @Test("A quote inside an unquoted field is an error")
    func strayQuoteThrows() {
        #expect(throws: CSVSyntaxError.quoteInUnquotedField(line: 2, field: 2)) {
            _ = try Fixture.records("a,b\n1,2\"\n")
        }
    }

    @Test("Text after a closing quote is an error")
    func textAfterClosingQuoteThrows() {
        #expect(throws: CSVSyntaxError.textAfterClosingQuote(line: 2, field: 1, character: "x")) {
            _ = try Fixture.records("a,b\n\"1\"x,2\n")
        }
    }

    @Test("Field lines follow embedded line breaks")
    func fieldLinesFollowEmbeddedBreaks() throws {
        var parser = CSVParser(delimiter: UInt8(ascii: ","))
        var lines: [[Int]] = []
        try parser.parse(Fixture.bytes("\"a\nb\",c\n")) { r in lines.append((0..<r.fieldCount).map { r.line(ofField: $0) }) }
        #expect(lines == [[1, 2]])
    }
}
