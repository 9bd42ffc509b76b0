import Testing
@testable import OSCScoring

@Suite("Reading responses")
struct ResponseReaderTests {
    let header = "respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n"

    @Test("Columns are matched ignoring case and surrounding spaces, in any order")
    func columnsMatchLoosely() throws {
        let table = try Fixture.read(" l04 ,School,lead03, Lead02,LEAD01\n4,S1,3,2,1\n")
        #expect(table.answer(row: 0, item: 0) == 1)
        #expect(table.answer(row: 0, item: 3) == 4)
        #expect(!table.hasAuthorityColumn && !table.hasIDColumn)
        #expect(table.schoolKeys[0] == SchoolKey(authority: nil, school: "S1"))
    }

    @Test("Empty cells and missing codes are missing, not problems")
    func missingCells() throws {
        var options = ReadOptions()
        options.missingCodes = ["NA", "-9"]
        let table = try Fixture.read(header + "r1,S1,A,,NA,-9, 2 \n", options: options)
        #expect((0..<4).map { table.answer(row: 0, item: $0) } == [nil, nil, nil, 2])
        #expect(table.problems.isEmpty)
    }

    @Test("A one-character missing code is missing even when it is a digit on the scale")
    func digitMissingCode() throws {
        var options = ReadOptions()
        options.missingCodes = ["3", "x"]
        let table = try Fixture.read(header + "r1,S1,A,3,x,4,3\n", options: options)
        #expect((0..<4).map { table.answer(row: 0, item: $0) } == [nil, nil, 4, nil])
        #expect(table.problems.isEmpty)
    }

    @Test("Text, fractions and out-of-range numbers are reported with line and column and scored as missing")
    func invalidValuesAreReported() throws {
        let table = try Fixture.read(header + "r1,S1,A,x,3.5,0,6\nr2,S1,A,3.0,+2,5,1\n")
        #expect(table.problems.map { [String($0.line), $0.column!, $0.value!, $0.problem] } == [
            ["2", "LEAD01", "x", "not a number"],
            ["2", "LEAD02", "3.5", "not a whole number on the response scale 1 to 5"],
            ["2", "LEAD03", "0", "outside the response scale 1 to 5"],
            ["2", "L04", "6", "outside the response scale 1 to 5"],
        ])
        #expect(table.problems.map(\.columnNumber) == [4, 5, 6, 7])
        #expect((0..<4).map { table.answer(row: 1, item: $0) } == [3, 2, 5, 1])
    }

    @Test("Under --strict an invalid value stops the run at its line and column")
    func strictStops() {
        var options = ReadOptions()
        options.strict = true
        let error = #expect(throws: ResponseFileError.self) { try Fixture.read(header + "r1,S1,A,1,2,3,4\nr2,S1,A,1,2,x,4\n", options: options) }
        #expect(error?.message == "test.csv, line 3, column LEAD03 (6): 'x' is not a number; correct the cell, leave it empty if the answer is missing, or add the code to ReadOptions.missingCodes.")
        #expect(error?.message(.commandLine) == "test.csv, line 3, column LEAD03 (6): 'x' is not a number; correct the cell, leave it empty if the answer is missing, or add the code to --missing-codes.")
    }

    @Test("A row with the wrong number of fields stops the run naming the line")
    func wrongFieldCount() {
        let error = #expect(throws: ResponseFileError.self) { try Fixture.read(header + "r1,S1,A,1,2,3,4\nr2,S1,A,1,2,3\n") }
        #expect(error?.message == "test.csv, line 3: the row has 6 fields but the header has 7; check that line for an unquoted delimiter or a missing quote.")
    }

    @Test("An unterminated quote stops the run naming the line")
    func unterminatedQuote() {
        let error = #expect(throws: ResponseFileError.self) { try Fixture.read(header + "r1,\"S1,A,1,2,3,4\n") }
        #expect(error?.message.hasPrefix("test.csv, line 2, field 2: a quoted field starts here but its closing quote is missing") == true)
    }

    @Test("Every missing item column is listed with the closest header names")
    func missingColumnsListed() {
        let error = #expect(throws: ResponseFileError.self) { try Fixture.read("school,LEAD1,LEAD02,LEAD3\nS1,1,2,3\n") }
        #expect(error?.message == "test.csv: 3 columns not found in the header: 'LEAD01' (closest: 'LEAD02', 'LEAD1', 'LEAD3'), 'LEAD03' (closest: 'LEAD02', 'LEAD3', 'LEAD1'), 'L04'; rename the columns, or give their names in the key's column field.")
    }

    @Test("A missing school column suggests --school-column")
    func missingSchoolColumn() {
        let error = #expect(throws: ResponseFileError.self) { try Fixture.read("schools,LEAD01,LEAD02,LEAD03,L04\nS1,1,2,3,4\n") }
        #expect(error?.message == "test.csv: column not found in the header: 'school' (closest: 'schools'); name the right column with ReadOptions.schoolColumn, ReadOptions.authorityColumn or ReadOptions.idColumn.")
        #expect(error?.message(.commandLine) == "test.csv: column not found in the header: 'school' (closest: 'schools'); name the right column with --school-column, --authority-column or --id-column.")
    }

    @Test("A named authority or id column must exist")
    func namedColumnsMustExist() {
        var options = ReadOptions()
        options.authorityColumn = "LA"
        options.requireAuthorityColumn = true
        #expect(throws: ResponseFileError.self) { try Fixture.read("school,LEAD01,LEAD02,LEAD03,L04\nS1,1,2,3,4\n", options: options) }
    }

    @Test("A header with an item column twice is refused")
    func duplicateHeader() {
        let error = #expect(throws: ResponseFileError.self) { try Fixture.read("school,LEAD01,lead01,LEAD02,LEAD03,L04\nS1,1,1,2,3,4\n") }
        #expect(error?.message.contains("columns 2, 3") == true)
    }

    @Test("Duplicate respondent ids are reported with the first line")
    func duplicateIDs() throws {
        let table = try Fixture.read(header + "r1,S1,A,1,2,3,4\nr2,S1,A,1,2,3,4\nr1,S2,A,1,2,3,4\n")
        #expect(table.problems.map(\.problem) == ["duplicate respondent id (first on line 2)"])
        #expect(table.problems.first?.line == 4)
        #expect(table.rowCount == 3)
    }

    @Test("A school under two authorities is reported and kept as two schools")
    func schoolUnderTwoAuthorities() throws {
        let table = try Fixture.read(header + "r1,S1,A,1,2,3,4\nr2,S1,B,1,2,3,4\nr3,S1,B,1,2,3,4\n")
        #expect(table.problems.count == 1)
        #expect(table.problems.first?.kind == .schoolInSeveralAuthorities)
        #expect(Set(table.schoolKeys.compactMap { $0 }) == [SchoolKey(authority: "A", school: "S1"), SchoolKey(authority: "B", school: "S1")])
    }

    @Test("A row with an empty school is kept without a school")
    func emptySchoolKept() throws {
        let table = try Fixture.read(header + "r1, ,A,1,2,3,4\n")
        #expect(table.rowCount == 1)
        #expect(table.schoolKeys == [nil])
    }

    @Test("Blank lines are not data rows but are recorded")
    func blankLinesRecorded() throws {
        let table = try Fixture.read(header + "r1,S1,A,1,2,3,4\n\nr2,S1,A,1,2,3,4\n")
        #expect(table.rowCount == 2)
        #expect(table.blankLines == [3])
        #expect(table.lines == [2, 4])
        // Lines are kept only where they jump: blank lines, a record over two lines, CRLF.
        let jumpy = try Fixture.read(header + "r1,S1,A,1,2,3,4\n\n\nr2,S1,A,1,2,3,4\r\n\"r\n3\",S1,A,1,2,3,4\nr4,S1,A,1,2,3,4\nr5,,A,1,2,3,4\n")
        #expect(jumpy.lines == [2, 5, 6, 8, 9] && (0..<5).map { jumpy.line(row: $0) } == [2, 5, 6, 8, 9])
        #expect(jumpy.respondentIDs == ["r1", "r2", "r\n3", "r4", "r5"] && jumpy.respondentID(row: 2) == "r\n3")
    }

    @Test("Columns that are not used are listed")
    func ignoredColumns() throws {
        #expect(try Fixture.read("school,date,LEAD01,LEAD02,LEAD03,L04,comment\nS1,x,1,2,3,4,y\n").ignoredColumns == ["date", "comment"])
    }

    @Test("An empty file is an error")
    func emptyFile() {
        #expect(throws: ResponseFileError.emptyFile(source: "test.csv")) { try Fixture.read("") }
    }

    @Test("Reading in small chunks gives the same table as reading at once")
    func chunkedReadingIsSame() throws {
        let text = header + "r1,\"S 1\",A,1,2,3,4\r\nr2,S1,A,x,,5,\"4\"\r\n"
        let whole = try Fixture.read(text)
        var reader = ResponseReader(instrument: try Fixture.leadership(), source: "test.csv")
        for byte in Fixture.bytes(text) { try reader.consume([byte]) }
        let chunked = try reader.finish()
        #expect(chunked.answerCodes == whole.answerCodes)
        #expect(chunked.problems == whole.problems)
        #expect(chunked.schoolKeys == whole.schoolKeys)
    }
}
