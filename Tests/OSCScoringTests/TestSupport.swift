// Shared fixtures for the library tests.

import Foundation
@testable import OSCScoring

enum Fixture {
    /// The folder holding this file's fixtures.
    static let folder: String = {
        let path = #filePath
        return String(path[..<path.lastIndex(of: "/")!]) + "/Fixtures"
    }()

    /// The repository root (two levels above Tests/OSCScoringTests).
    static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The four-item demonstration instrument of the issue (L02 reversed).
    static func leadership() throws -> Instrument {
        try Instrument(contentsOf: folder + "/lq-demo.json")
    }

    /// Reads CSV text with the leadership instrument.
    static func read(_ csv: String, options: ReadOptions = ReadOptions()) throws -> ResponseTable {
        try ResponseReader.read(bytes(csv), instrument: try leadership(), options: options, source: "test.csv")
    }

    /// Reads bytes through the streaming reader, which takes them as UTF-8
    /// as they are (as with `--encoding utf-8`, or standard input after its
    /// first chunk): bytes that are not UTF-8 stay bytes, shown as `\xHH`.
    static func readStreaming(_ bytes: [UInt8], instrument: Instrument, source: String) throws -> ResponseTable {
        var reader = ResponseReader(instrument: instrument, source: source)
        try reader.consume(bytes)
        return try reader.finish()
    }

    /// Parses CSV text into records of strings, feeding it in chunks of `chunk` bytes.
    static func records(_ text: String, chunk: Int = 1 << 20, delimiter: UInt8? = nil) throws -> [(line: Int, isBlank: Bool, fields: [String])] {
        var parser = CSVParser(delimiter: delimiter)
        var out: [(line: Int, isBlank: Bool, fields: [String])] = []
        let data = bytes(text)
        var start = 0
        while start < data.count {
            let end = min(data.count, start + chunk)
            try parser.parse(Array(data[start..<end])) { out.append(($0.line, $0.isBlank, $0.strings)) }
            start = end
        }
        try parser.finish { out.append(($0.line, $0.isBlank, $0.strings)) }
        return out
    }
}

extension Fixture {
    /// The JSON report without its input section, the delimiter and the
    /// groups' display names: what a data file and a CSV of the same data share.
    static func comparable(_ json: [String: Any]) -> NSDictionary {
        var json = json
        json["input"] = nil
        var settings = json["settings"] as! [String: Any]
        settings["delimiter"] = nil
        json["settings"] = settings
        for level in ["schools", "authorities"] {
            json[level] = (json[level] as! [[String: Any]]).map { group -> [String: Any] in
                var group = group
                group["name"] = nil
                return group
            }
        }
        return json as NSDictionary
    }
}
