import Foundation
import Testing
@testable import OSCScoring

/// Reading a file in two parts on two threads must give exactly what one pass gives.
@Suite("Reading a file in two parts")
struct TwoPartReadTests {
    /// A random responses file with every kind of finding, quoted fields
    /// (some spanning lines), blank lines, CRLF or LF line ends.
    static func randomFile(seed: UInt64, rows: Int) -> [UInt8] {
        var rng = Xoshiro256StarStar(seed: seed)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let end = seed % 2 == 0 ? "\n" : "\r\n"
        var text = "respondent,school,authority,LEAD01,LEAD02,LEAD03,L04" + end
        for r in 0..<rows {
            if pick(40) == 0 { text += end; continue }
            let id = pick(15) == 0 ? "r\(pick(r + 1))" : (pick(30) == 0 ? "" : "r\(r)-\(seed)")
            let school = pick(25) == 0 ? "\"S\(pick(6)),\nquoted\"" : "S\(pick(6))"
            let authority = pick(20) == 0 ? "" : "A\(pick(3))"
            let cells = (0..<4).map { _ -> String in
                switch pick(30) {
                case 0: return "x"
                case 1: return "7"
                case 2: return ""
                case 3: return "\"3\""
                default: return String(1 + pick(5))
                }
            }
            text += ([id, school, authority] + cells).joined(separator: ",") + end
        }
        if seed % 3 == 0 { text.removeLast(end.count) }  // no line break at the end
        return Array(text.utf8)
    }

    static func write(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "osc-two-part-\(UUID().uuidString).csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func expectSame(_ a: ResponseTable, _ b: ResponseTable, _ note: String) {
        #expect(a.rowCount == b.rowCount, "\(note)")
        #expect(a.answerCodes == b.answerCodes && a.lines == b.lines && a.respondentIDs == b.respondentIDs, "\(note)")
        #expect(a.distinctSchools == b.distinctSchools && a.rowSchools == b.rowSchools, "\(note)")
        #expect(a.problems == b.problems, "\(note): \(a.problems.count) vs \(b.problems.count) findings")
        #expect(a.blankLines == b.blankLines, "\(note)")
    }

    @Test("Rows, lines, schools and findings equal one pass's", arguments: 0..<40)
    func sameAsOnePass(seed: Int) throws {
        let bytes = Self.randomFile(seed: UInt64(seed), rows: 50 + seed * 7)
        let path = try Self.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let instrument = try Fixture.leadership()
        let onePass = try ResponseReader.read(bytes, instrument: instrument, source: path)
        let twoParts = try #require(try ResponseReader.readInTwoParts(path: path, instrument: instrument, options: ReadOptions(), minimumSize: 0, headerStep: 16))
        Self.expectSame(twoParts.table, onePass, "seed \(seed)")
        #expect(!onePass.problems.isEmpty)
    }

    @Test("Errors in the second part are reported as one pass reports them")
    func errorsInSecondPart() throws {
        let instrument = try Fixture.leadership()
        let good = (0..<200).map { "r\($0),S1,A,1,2,3,4\n" }.joined()
        var strict = ReadOptions()
        strict.strict = true
        for (tail, options) in [("r900,S1,A,1,2\n", ReadOptions()), ("r901,S1,A,1,2,3,\"4\n", ReadOptions()), ("r902,S1,A,1,9,3,4\n", strict)] {
            let bytes = Array(("respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n" + good + good + tail).utf8)
            let path = try Self.write(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            var onePass = ""
            do { _ = try ResponseReader.read(bytes, instrument: instrument, options: options, source: path) } catch { onePass = error.message }
            var twoParts = ""
            do { _ = try ResponseReader.readInTwoParts(path: path, instrument: instrument, options: options, minimumSize: 0, headerStep: 16) } catch {
                twoParts = (error as? ResponseFileError)?.message ?? "\(error)"
            }
            #expect(!onePass.isEmpty && onePass == twoParts)
        }
    }

    @Test("A quoted field spanning the middle of the file is read whole")
    func quoteAcrossTheSplit() throws {
        let instrument = try Fixture.leadership()
        let rows = (0..<20).map { "r\($0),S1,A,1,2,3,4\n" }.joined()
        let long = "\"" + String(repeating: "line\n", count: 200) + "\""
        let bytes = Array(("respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n" + rows + "r99,\(long),A,1,2,3,4\n" + rows).utf8)
        let path = try Self.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let onePass = try ResponseReader.read(bytes, instrument: instrument, source: path)
        let twoParts = try #require(try ResponseReader.readInTwoParts(path: path, instrument: instrument, options: ReadOptions(), minimumSize: 0, headerStep: 16))
        Self.expectSame(twoParts.table, onePass, "quote across the split")
        #expect(onePass.rowCount == 41)
    }
}

extension TwoPartReadTests {
    @Test("A named pipe is left to the one-pass reader without being opened (its writer's data would be lost)")
    func namedPipe() throws {
        let path = NSTemporaryDirectory() + "osc-two-part-\(UUID().uuidString).fifo"
        #expect(mkfifo(path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Opening a pipe with no writer would block: returning at all shows it was not opened.
        #expect(try ResponseReader.readInTwoParts(path: path, instrument: Fixture.leadership(), options: ReadOptions(), minimumSize: 0) == nil)
    }
}

private extension Error {
    var message: String { (self as? ResponseFileError)?.message ?? "\(self)" }
}
