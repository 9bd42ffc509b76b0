// What survey tools and spreadsheets put into a responses file besides the
// answers: Qualtrics' extra header rows and its Status and Finished
// columns, answers written as the choice's text, and headers that are
// question texts. See "Preparing your data" in the README.

/// The columns of a survey tool's export that the reader acts on.
struct SurveyExportColumns: Sendable {
    /// Whether the header is a Qualtrics export's (`ResponseId` with
    /// `StartDate`, `Status` or `Finished`; or the legacy `V1` ... `V10`).
    var isQualtrics = false
    /// Qualtrics' `Status` (`V7` in the legacy export): its response type.
    var status: Int?
    /// Qualtrics' `Finished` (`V10` in the legacy export).
    var finished: Int?
    /// The column that is the respondent id when there is no id column
    /// (`ResponseId`; `V1` in the legacy export).
    var idColumn: String?
}

/// The rules for survey tools' exports.
enum SurveyExport {
    /// The key a header is compared by here: letters and digits only,
    /// lower-cased ("Start Date" and "StartDate" are alike).
    static func key(_ text: String) -> String {
        String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }))
    }

    /// The Qualtrics columns of a header, if it is a Qualtrics export's.
    static func columns(header: [String]) -> SurveyExportColumns {
        var keys: [String: Int] = [:]
        for (k, name) in header.enumerated() where keys[key(name)] == nil { keys[key(name)] = k }
        var out = SurveyExportColumns()
        if keys["responseid"] != nil && (keys["startdate"] != nil || keys["status"] != nil || keys["finished"] != nil) {
            out.isQualtrics = true
            out.status = keys["status"]
            out.finished = keys["finished"]
            out.idColumn = header[keys["responseid"]!]
        } else if (1...10).allSatisfy({ keys["v\($0)"] != nil }) {
            // The legacy export: V1 ResponseID, V7 Status, V10 Finished; row 2 names them.
            out.isQualtrics = true
            out.status = keys["v7"]
            out.finished = keys["v10"]
            out.idColumn = header[keys["v1"]!]
        }
        return out
    }

    /// Row 2 of a Qualtrics header (each column's description: "Start Date"
    /// under `StartDate`, "Response Type" under `Status`; the legacy
    /// export's "ResponseID" under `V1`) or row 3 (`{"ImportId":"QID1"}`
    /// cells): at least two cells that describe their columns, or an
    /// import id.
    static func isQualtricsHeaderRow(_ cells: [[UInt8]], header: [String]) -> Bool {
        var described = 0
        for (k, cell) in cells.enumerated() where !cell.isEmpty {
            if cell.starts(with: Array("{\"ImportId\"".utf8)) { return true }
            let text = key(String(decoding: cell, as: UTF8.self))
            let name = key(header[k])
            if text == name || (name == "status" && text == "responsetype")
                || ["responseid", "responseset", "startdate", "enddate", "status", "finished"].contains(text) && name.hasPrefix("v") {
                described += 1
            }
        }
        return described >= 2
    }

    /// The reason a Qualtrics response is not a staff member's, from its
    /// `Status` cell: "Survey Preview" (code 1), "Survey Test" (2) or
    /// "Spam" (8); nil for a real response (IP Address 0, Imported 4, ...).
    static func screenedOut(status cell: UnsafeBufferPointer<UInt8>) -> String? {
        switch key(String(decoding: cell, as: UTF8.self)) {
        case "surveypreview", "1": return "a Survey Preview response (Status), not a respondent's"
        case "surveytest", "2": return "a Survey Test response (Status), not a respondent's"
        case "spam", "8": return "marked as Spam (Status)"
        default: return nil
        }
    }

    /// Whether a `Finished` cell says the response was not finished.
    static func isFalse(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        let k = key(String(decoding: cell, as: UTF8.self))
        return k == "false" || k == "0" || k == "no"
    }

    /// A header name that reads as question text (four words or more, or a
    /// question mark), the longest if several; nil when there is none.
    static func questionText(in header: [String]) -> String? {
        let texts = header.filter { name in
            name.split(whereSeparator: { $0 == " " }).count >= 4 || name.contains("?")
        }
        guard texts.count >= 2 else { return nil }
        return texts.max { $0.count < $1.count }.map { $0.count > 80 ? String($0.prefix(77)) + "..." : $0 }
    }

    /// The header names offered for a missing column: first those that
    /// start with its name (`Q001.1`, `Q001_1` for `Q001`: a survey tool's
    /// numbering of sub-questions), then the closest by edit distance; at most three.
    static func suggestions(for name: String, in header: [String]) -> [String] {
        let lower = ColumnName.normalized(name)
        let starting = header.filter { h in
            let n = ColumnName.normalized(h)
            return n.count > lower.count && n.hasPrefix(lower)
        }.sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
        var out = Array(starting.prefix(3))
        for candidate in NameSuggestion.closest(to: name, in: header, limit: 3) where out.count < 3 && !out.contains(candidate) {
            out.append(candidate)
        }
        return out
    }
}

/// Answers written as the text of the choice ("To a great extent"),
/// matched to the response scale's labels and aliases ignoring case,
/// spaces and punctuation.
enum ChoiceLabels {
    /// The key a label and a cell are compared by: letters and digits of
    /// the text, lower-cased; bytes that are not UTF-8 are kept as they are.
    static func key(_ cell: some Collection<UInt8>) -> [UInt8] {
        if cell.allSatisfy({ $0 < 0x80 }) {
            return cell.compactMap { b in
                switch b {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): return b + 32
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return b
                default: return nil
                }
            }
        }
        guard let text = String(validating: Array(cell), as: UTF8.self) else { return Array(cell) }
        return Array(SurveyExport.key(text).utf8)
    }

    /// The code (`x − min + 1`) of every label and alias of `scale`, by key.
    /// A key that two options share is left out (it names neither).
    static func codes(of scale: ResponseScale) -> [[UInt8]: UInt8] {
        var out: [[UInt8]: UInt8] = [:]
        var shared: Set<[UInt8]> = []
        for option in 0..<scale.options {
            var names: [String] = []
            if let labels = scale.labels, option < labels.count { names.append(labels[option]) }
            if let aliases = scale.aliases, option < aliases.count { names += aliases[option] }
            for name in names {
                let k = key(Array(name.utf8))
                guard !k.isEmpty else { continue }
                if let code = out[k], code != UInt8(option + 1) { shared.insert(k) }
                out[k] = UInt8(option + 1)
            }
        }
        for k in shared { out[k] = nil }
        return out
    }
}
