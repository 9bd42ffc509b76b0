// The JSON report written straight to bytes against the plain path: the
// value tree's text (`json(context:)`), and numbers against
// `Double.description`.

import Foundation
import Testing
@testable import OSCScoring

@Suite("JSON written straight to bytes: the value tree's text, numbers as Double.description")
struct JSONStreamTests {
    /// The formatting before the direct writer: integers below 1e15 without
    /// ".0", every other finite double as `description`.
    static func reference(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
    }

    static func written(_ d: Double) -> String {
        var out: [UInt8] = []
        JSONValue.appendNumber(d, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Doubles of every kind: random bit patterns (any exponent),
    /// statistics-like values, ratios of small integers, short decimals,
    /// integers past 1e15, powers of two and their neighbours, subnormals.
    static func doubles(_ count: Int, seed: UInt64) -> [Double] {
        var random = Xoshiro256StarStar(seed: seed)
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 0.1, 0.2, 0.3, 1e-5, 1e-4, 0.001, 1e15, 1e16, 9007199254740992, 9007199254740993,
                                4503599627370496.5, 1e15 + 0.5, 123456789012345.67, 2.2250738585072014e-308, 5e-324,
                                Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, Double.ulpOfOne, 1 - Double.ulpOfOne / 2,
                                1e23, 9.999999999999999e22, 5e-310, 0.30000000000000004, 2.9999999999999996, 1e-11, 1e-12, 9.5e-12]
        for e in -1074...1023 {
            let p = Double(sign: .plus, exponent: e, significand: 1)
            values += [p, p.nextUp, p.nextDown, -p]
        }
        while values.count < count {
            let bits = random.next()
            switch bits % 8 {
            case 0, 1:
                values.append(Double(bitPattern: random.next()))
            case 2:
                // Random significand, exponent near 1 (the values reports write most).
                let exponent = UInt64(1023 - 40 + Int(random.next() % 60))
                values.append(Double(bitPattern: (random.next() & ((1 << 52) - 1)) | exponent << 52 | (bits & (1 << 63))))
            case 3:
                values.append(Double(random.next() % 1_000_000) / Double(1 + random.next() % 10_000))
            case 4:
                let places = Int(random.next() % 18)
                values.append(Double(Int64(random.next() % 100_000_000_000)) / pow(10, Double(places)))
            case 5:
                values.append(Double(random.next() >> (random.next() % 64)) * (bits & 1 == 0 ? 1 : -1))
            case 6:
                // Subnormals.
                values.append(Double(bitPattern: random.next() & ((1 << 52) - 1)))
            default:
                values.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))))
            }
        }
        return values.filter(\.isFinite)
    }

    @Test("Every double is written as Double.description writes it (integers below 1e15 without '.0'): random bit patterns, statistics-like values, short decimals, integers, subnormals, signed zeros, the ends of the range")
    func numbersAreWrittenAsDescription() {
        var mismatches: [String] = []
        for d in Self.doubles(600_000, seed: 17) {
            let expected = Self.reference(d), got = Self.written(d)
            if got != expected, mismatches.count < 10 { mismatches.append("\(d.bitPattern): \(got) ≠ \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // Not finite: null (JSON) or the caller's text.
        #expect(Self.written(.infinity) == "null" && Self.written(-.infinity) == "null" && Self.written(.nan) == "null")
        var cell: [UInt8] = []
        JSONValue.appendNumber(.nan, to: &cell, nonFinite: "")
        #expect(cell.isEmpty)
        #expect(Self.written(-0.0) == "0" && Self.written(-12) == "-12" && Self.written(999_999_999_999_999) == "999999999999999")
        #expect(Self.written(1e15) == "1000000000000000.0" && Self.written(1e16) == "1e+16" && Self.written(0.1) == "0.1" && Self.written(1.0 / 3) == "0.3333333333333333")
        #expect(Self.written(1e-5) == "1e-05" && Self.written(-2.5e-7) == "-2.5e-07" && Self.written(1234.5) == "1234.5")
    }

    @Test("The exact path writes nearly every value a report writes (means, SDs, correlations), leaving only close calls to description")
    func exactPathCoversTypicalValues() {
        guard #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *) else { return }
        var random = Xoshiro256StarStar(seed: 5)
        var fast = 0
        let count = 100_000
        for _ in 0..<count {
            let d = Double(random.next() >> 11) / Double(1 << 53) * 5 * (random.next() & 1 == 0 ? 1 : -1)
            var out: [UInt8] = []
            if ShortestDecimal.appendFast(d, to: &out) {
                fast += 1
                #expect(String(decoding: out, as: UTF8.self) == "\(d)")
            } else {
                #expect(out.isEmpty)
            }
        }
        #expect(fast >= count * 999 / 1000)
    }

    /// Responses with missing answers, odd ids and small schools.
    static func randomCSV(seed: UInt64, rows: Int) -> String {
        var random = Xoshiro256StarStar(seed: seed)
        var csv = "respondent,authority,school," + (1...105).map { String(format: "Q%03d", $0) }.joined(separator: ",") + "\n"
        for r in 0..<rows {
            let school = Int(random.next() % 9)
            let authority = school % 3
            let schoolID = school == 4 ? "\"S \"\"4\"\"\\x\"" : "S\(school)"
            csv += "R\(r),A\(authority),\(schoolID)"
            let style = random.next() % 4
            for _ in 0..<105 {
                let missing = random.next() % 100 < (style == 0 ? 40 : 8)
                csv += missing ? "," : ",\(1 + (style == 1 ? school % 5 : Int(random.next() % 5)))"
            }
            csv += "\n"
        }
        return csv
    }

    @Test("The streamed report is the value tree's text, byte for byte: random data with missing answers, listwise and pairwise, norms, suppression, random group resampling, respondents")
    func streamedReportIsTheTreeText() throws {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        let norms = try Norms(contentsOf: root + "/Examples/demo-norms.json", instrument: instrument)
        let example = try ResponseReader.read(path: root + "/Examples/synthetic-responses.csv", instrument: instrument).table
        var tables = [example]
        for seed in 1...3 as ClosedRange<UInt64> {
            tables.append(try ResponseReader.read(Array(Self.randomCSV(seed: seed, rows: 60 + 40 * Int(seed)).utf8), instrument: instrument, source: "random.csv"))
        }
        var cases = 0
        for (t, table) in tables.enumerated() {
            for variant in 0..<6 {
                var criteria = AggregationCriteria()
                criteria.includeAllSchools = variant % 2 == 0
                if variant >= 2 { criteria.suppressBelow = [5, 12, 30][t % 3] }
                if variant == 5 { criteria.minRespondents = 1 }
                var statistics = StatisticsOptions(missing: variant % 3 == 1 ? .listwise : .pairwise, rgrReplications: variant == 3 ? 3 : nil)
                statistics.threads = 1 + variant % 2
                let choice: NormsChoice? = [nil, .table(norms), .sample][variant % 3]
                let report = try ScoringReport(table: table, options: ScoringOptions(minAnswered: variant == 4 ? 0.9 : 0.5),
                                               statistics: statistics, criteria: criteria, norms: choice)
                for respondents in [false, true] {
                    let context = ReportContext(source: "random.csv", delimiter: .comma)
                    let tree = report.json(context: context, includeRespondents: respondents).bytes()
                    let streamed = report.jsonBytes(context: context, includeRespondents: respondents)
                    if streamed != tree {
                        let at = zip(streamed, tree).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(streamed.count, tree.count)
                        Issue.record("table \(t), variant \(variant), respondents \(respondents): differs at byte \(at): …\(String(decoding: streamed[max(0, at - 120)..<min(streamed.count, at + 80)], as: UTF8.self))… against …\(String(decoding: tree[max(0, at - 120)..<min(tree.count, at + 80)], as: UTF8.self))…")
                    }
                    cases += 1
                }
            }
        }
        #expect(cases == 48)
    }

    /// A random value tree: nested lists and objects (some empty, some of
    /// plain values only), numbers of every kind, strings that need escapes.
    static func randomTree(_ random: inout Xoshiro256StarStar, depth: Int, numbers: [Double]) -> JSONValue {
        let pick = random.next() % (depth >= 5 ? 5 : 8)
        switch pick {
        case 0: return .null
        case 1: return .bool(random.next() & 1 == 0)
        case 2, 3: return .number(numbers[Int(random.next() % UInt64(numbers.count))])
        case 4:
            let pieces = ["", "S0001", "a \"quoted\" name", "back\\slash", "tab\tand\nline", "\u{01}", "é ü 中", "x"]
            return .string(pieces[Int(random.next() % UInt64(pieces.count))] + String(random.next() % 100))
        case 5, 6:
            let count = Int(random.next() % 5)
            return .array((0..<count).map { _ in randomTree(&random, depth: depth + 1, numbers: numbers) })
        default:
            let count = Int(random.next() % 5)
            let names = ["mean", "sd", "a \"key\"", "n", "line\nbreak", "ü"]
            return .object((0..<count).map { k in (names[(k + Int(random.next() % 3)) % names.count], randomTree(&random, depth: depth + 1, numbers: numbers)) })
        }
    }

    /// Writes `value` with the stream's calls, as the report writers do.
    static func stream(_ value: JSONValue, to json: inout JSONStream) {
        switch value {
        case .null: json.null()
        case .bool(let b): json.bool(b)
        case .number(let d): json.number(d)
        case .string(let s): json.string(s)
        case .array(let elements):
            json.beginArray(inline: elements.allSatisfy(\.isPlain))
            for e in elements { json.element(); stream(e, to: &json) }
            json.endArray()
        case .object(let members):
            json.beginObject(inline: members.allSatisfy { $0.value.isPlain })
            for m in members { json.key(text: m.key); stream(m.value, to: &json) }
            json.endObject()
        }
    }

    @Test("The stream writes any value tree as JSONValue.write does: random nesting, empty and inline lists and objects, escaped strings and keys, numbers of every kind, starting from a block too small for it")
    func streamWritesAnyTreeAsTheTree() {
        var random = Xoshiro256StarStar(seed: 23)
        let numbers = Self.doubles(5_000, seed: 29) + [.nan, .infinity, -.infinity]
        var differences = 0
        for round in 0..<3_000 {
            let tree = Self.randomTree(&random, depth: 0, numbers: numbers)
            let indent = round % 4
            var expected: [UInt8] = []
            tree.write(to: &expected, indent: indent)
            // Some bytes already in the block, kept in front of the text.
            var block = ByteBlock(capacity: 1)
            block.base.initialize(repeating: 0x41, count: 3)
            block.count = 3
            var json = JSONStream(block: block, indent: indent)
            Self.stream(tree, to: &json)
            let written = json.finish()
            let text = Array(written.bytes)
            written.free()
            if text != [0x41, 0x41, 0x41] + expected {
                differences += 1
                if differences < 4 { Issue.record("round \(round): \(String(decoding: text, as: UTF8.self)) against \(String(decoding: expected, as: UTF8.self))") }
            }
        }
        #expect(differences == 0)
    }

    @Test("A report of many schools, authorities and respondents, rendered in many blocks on 1, 2 and 3 threads, is the value tree's text")
    func manyBlocksAreTheTreeText() throws {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        // 70 schools in 12 authorities, missing answers: several blocks of
        // schools (about 10 to a block) and of respondents (about 150).
        var random = Xoshiro256StarStar(seed: 41)
        var csv = "respondent,authority,school," + (1...105).map { String(format: "Q%03d", $0) }.joined(separator: ",") + "\n"
        for r in 0..<1_400 {
            let school = Int(random.next() % 70)
            csv += "R\(r),A\(school % 12),S\(school)"
            for _ in 0..<105 { csv += random.next() % 100 < 10 ? "," : ",\(1 + random.next() % 5)" }
            csv += "\n"
        }
        let table = try ResponseReader.read(Array(csv.utf8), instrument: instrument, source: "blocks.csv")
        for threads in 1...3 {
            var statistics = StatisticsOptions(missing: threads == 2 ? .listwise : .pairwise)
            statistics.threads = threads
            let report = try ScoringReport(table: table, statistics: statistics)
            #expect(report.schools.count == 70)
            let context = ReportContext(source: "blocks.csv", delimiter: .comma)
            for respondents in [false, true] {
                let tree = report.json(context: context, includeRespondents: respondents).bytes()
                var pieces = 0
                var streamed: [UInt8] = []
                try report.writeJSON(context: context, includeRespondents: respondents) { streamed.append(contentsOf: $0); pieces += 1 }
                #expect(streamed == tree, "\(threads) threads, respondents \(respondents)")
                #expect(pieces > (respondents ? 16 : 8))
            }
        }
    }

    @Test("A destination that fails stops the writer at once, with its error, and the renderers end")
    func failingSinkStops() throws {
        let root = Fixture.repositoryRoot
        let instrument = try BundledInstruments.osc().applying(ScoringKey(contentsOf: root + "/Examples/demo-key.csv"))
        let table = try ResponseReader.read(Array(Self.randomCSV(seed: 9, rows: 3000).utf8), instrument: instrument, source: "random.csv")
        let report = try ScoringReport(table: table)
        struct Full: Error {}
        var pieces = 0
        #expect(throws: Full.self) {
            try report.writeJSON(context: ReportContext(), includeRespondents: true) { _ in
                pieces += 1
                if pieces == 3 { throw Full() }
            }
        }
        #expect(pieces == 3)
    }
}
