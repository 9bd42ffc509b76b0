// Standard input holding an SPSS or Stata file: recognised by its first
// bytes and read as that file, not as text.

import Foundation
import Testing

@Suite("Statistical data files on standard input")
struct BinaryStandardInputTests {
    @Test("An SPSS or Stata file piped to standard input gives the report of the same file named on the command line",
          arguments: ["Tests/OSCScoringTests/Fixtures/spss/pspp-bytecode.sav", "Tests/OSCScoringTests/Fixtures/spss/pspp.zsav",
                      "Tests/OSCScoringTests/Fixtures/spss/pspp-plain.sav", "Tests/OSCScoringTests/Fixtures/stata/pyreadstat-118.dta"])
    func pipedDataFileIsReadAsBinary(file: String) throws {
        let named = try Tool.shell("\(leadershipShell) --format json '\(file)'")
        let piped = try Tool.shell("cat '\(file)' | \(leadershipShell) --format json -")
        #expect(named.status == 0)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("\"declaredMissing\"") == named.stdout.contains("\"declaredMissing\""))
        #expect(piped.stdout.replacingOccurrences(of: "standard input", with: file) == named.stdout)
    }

    @Test("A truncated SPSS file on standard input stops with exit 65 naming standard input and the byte offset")
    func truncatedDataFileOnStandardInput() throws {
        let piped = try Tool.shell("cat Tests/OSCScoringTests/Fixtures/spss/truncated.sav | \(leadershipShell) -")
        #expect(piped.status == 65)
        #expect(piped.stderr.contains("standard input"))
        #expect(piped.stderr.contains("byte"))
        #expect(!piped.stderr.contains("line 1"))
    }
}
