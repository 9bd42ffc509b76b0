// What the fuzz targets share: the libFuzzer driver, the instruments they
// read with, a comparable form of a read's result, and an independent CSV
// reader for checking the reports.

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LibFuzzerDriver
@testable import OSCScoring

public enum Fuzz {
    /// Runs libFuzzer with `body` as the target (from a `main.swift`: SwiftPM
    /// links an executable's own `main`, so libFuzzer's is not used).
    public static func run(_ body: @escaping @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, body))
    }

    /// The input as an array (empty for a null pointer).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// A failed check: prints what differs and aborts, which libFuzzer
    /// reports as a crash and saves the input of.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("FUZZ CHECK FAILED: " + message + "\n").utf8))
        abort()
    }

    /// The small instrument of the reader and report targets: four items,
    /// one reversed, two scales under a domain, a profile
    /// (Tests/OSCScoreCLITests/Fixtures/lq-demo.json plus the profile).
    public static let leadership: Instrument = {
        let json = """
        {"id": "lq-demo", "name": "Leadership climate", "version": "1.0.0",
         "responseScale": {"min": 1, "max": 5},
         "items": [{"id": "L01", "column": "LEAD01"}, {"id": "L02", "column": "LEAD02", "reverse": true},
                   {"id": "L03", "column": "LEAD03"}, {"id": "L04"}],
         "scales": [{"id": "leadership", "name": "Leadership", "items": ["L01", "L02"]},
                    {"id": "support", "name": "Support", "items": ["L03", "L04"]},
                    {"id": "climate", "name": "Climate", "level": "domain", "scales": ["leadership", "support"]}],
         "profiles": [{"id": "climate", "name": "Climate profile", "band": 2,
                       "scales": [{"scale": "leadership", "favourable": "high"}, {"scale": "support", "favourable": "low"}]}]}
        """
        return try! Instrument(json: Array(json.utf8), source: "fuzz")
    }()

    /// Three answer options, two items, one scale (Fixtures/three-point.json).
    public static let threePoint: Instrument = {
        let json = #"{"id": "three-point", "responseScale": {"min": 1, "max": 3}, "items": [{"id": "a"}, {"id": "b"}], "scales": [{"id": "s", "items": ["a", "b"]}]}"#
        return try! Instrument(json: Array(json.utf8), source: "fuzz")
    }()

    /// The bundled OSC with the made-up demo key (Examples/demo-key.csv).
    public static let oscDemo: Instrument = {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let key = try! ScoringKey(contentsOf: root.appendingPathComponent("Examples/demo-key.csv").path)
        return try! BundledInstruments.osc().applying(key)
    }()

    /// Uses an instrument that loaded: when it is scorable (and small), a
    /// header of its columns and three rows over two schools are read and
    /// scored, and the JSON report (with respondents) must parse.
    public static func scoreSynthetic(_ instrument: Instrument) {
        guard (try? instrument.requireScorable()) != nil, instrument.items.count <= 64 else { return }
        let scale = instrument.responseScale
        // Columns are matched ignoring case and spaces, so two items may
        // claim one header name: the reader then reports a duplicate column.
        var csv = (["school"] + instrument.items.map(\.column)).map(ScoringReport.quoted).joined(separator: ",") + "\n"
        for r in 0..<3 {
            csv += (["S\(r % 2)"] + instrument.items.indices.map { i in String(scale.min + (i + r) % max(1, scale.options)) }).joined(separator: ",") + "\n"
        }
        guard let table = try? ResponseReader.read(Array(csv.utf8), instrument: instrument, source: "fuzz"),
              let report = try? ScoringReport(table: table, norms: .sample) else { return }
        let context = ReportContext(source: "fuzz.csv")
        let json = report.jsonBytes(context: context, includeRespondents: true)
        do {
            _ = try JSONSerialization.jsonObject(with: Data(json))
        } catch {
            fail("the report of a loaded instrument is not valid JSON (\(error)):\n\(String(decoding: json, as: UTF8.self))")
        }
        _ = report.tableText(context: context)
        _ = report.csv(level: .scale)
    }

    /// A small deterministic generator (split points and the like from a seed).
    public struct Random {
        var state: UInt64
        public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
        public mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let x = (state >> 33) ^ state
            return bound <= 0 ? 0 : Int(x % UInt64(bound))
        }
    }
}

/// Everything a read gives, in a comparable form: the table's rows, ids,
/// schools, findings and columns, or the error's message.
public enum ReadOutcome: Equatable, CustomStringConvertible {
    case table(Snapshot, delimiter: FieldDelimiter?)
    case error(String)

    public struct Snapshot: Equatable {
        public var rowCount: Int
        public var answerCodes: [UInt8]
        public var lines: [Int]
        public var ids: [String?]
        public var schools: [SchoolKey?]
        public var distinctSchools: [SchoolKey]
        public var problems: [DataProblem]
        public var blankLines: [Int]
        public var ignoredColumns: [String]
        public var hasAuthorityColumn: Bool
        public var hasIDColumn: Bool
        public var headerRowLines: [Int]
        public var screenedOut: [Exclusion]
        public var unfinishedRows: Int

        public init(_ t: ResponseTable) {
            rowCount = t.rowCount
            answerCodes = t.answerCodes
            lines = t.lines
            ids = t.respondentIDs
            schools = t.schoolKeys
            distinctSchools = t.distinctSchools
            problems = t.problems
            blankLines = t.blankLines
            headerRowLines = t.headerRowLines
            screenedOut = t.screenedOut
            unfinishedRows = t.unfinishedRows
            ignoredColumns = t.ignoredColumns
            hasAuthorityColumn = t.hasAuthorityColumn
            hasIDColumn = t.hasIDColumn
        }
    }

    public init(_ body: () throws -> (ResponseTable, FieldDelimiter?)) {
        do {
            let (table, delimiter) = try body()
            self = .table(Snapshot(table), delimiter: delimiter)
        } catch let error as ResponseFileError {
            self = .error(error.message)
        } catch {
            self = .error("\(error)")
        }
    }

    public var description: String {
        switch self {
        case let .error(message): return "error: \(message)"
        case let .table(s, delimiter):
            return "table (delimiter \(delimiter?.rawValue ?? "nil")): rows \(s.rowCount), lines \(s.lines), ids \(s.ids), "
                + "schools \(s.schools), distinct \(s.distinctSchools), codes \(s.answerCodes), problems \(s.problems), "
                + "blank \(s.blankLines), ignored \(s.ignoredColumns), authority \(s.hasAuthorityColumn), id \(s.hasIDColumn)"
        }
    }
}

/// An RFC 4180 reader written for the checks (independent of the
/// library's parser): fields of comma-delimited records, quotes doubled,
/// line breaks inside quotes, LF or CRLF line ends. nil when the text is
/// not well-formed CSV (a stray quote, an unterminated quote).
public func independentCSVRecords(_ bytes: [UInt8]) -> [[[UInt8]]]? {
    var records: [[[UInt8]]] = []
    var record: [[UInt8]] = []
    var field: [UInt8] = []
    var i = 0
    var atFieldStart = true
    let n = bytes.count
    while i < n {
        let b = bytes[i]
        if atFieldStart && b == UInt8(ascii: "\"") {
            // A quoted field: up to the closing quote.
            i += 1
            var closed = false
            while i < n {
                if bytes[i] == UInt8(ascii: "\"") {
                    if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") { field.append(0x22); i += 2; continue }
                    i += 1
                    closed = true
                    break
                }
                field.append(bytes[i])
                i += 1
            }
            guard closed else { return nil }
            // After the closing quote: a delimiter, a line end or the end.
            guard i == n || bytes[i] == UInt8(ascii: ",") || bytes[i] == 0x0A || (bytes[i] == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A) else { return nil }
            atFieldStart = false
            continue
        }
        atFieldStart = false
        switch b {
        case UInt8(ascii: ","):
            record.append(field); field = []; atFieldStart = true; i += 1
        case 0x0D where i + 1 < n && bytes[i + 1] == 0x0A:
            i += 1
            fallthrough
        case 0x0A:
            record.append(field); field = []; records.append(record); record = []; atFieldStart = true; i += 1
        case UInt8(ascii: "\""), 0x0D:
            return nil  // a quote inside an unquoted field, or a bare CR: not RFC 4180 as written
        default:
            field.append(b); i += 1
        }
    }
    if !atFieldStart || !record.isEmpty { record.append(field); records.append(record) }
    return records
}
