// A run in which no data row is scored: the sentence that says why, naming
// the likeliest cause, so that the user is not handed an empty report.

extension ScoringReport {
    /// One sentence naming the likeliest reason why no row was scored, with
    /// a suggested fix; nil when some row was scored.
    ///
    /// The causes, in the order they are looked for: no data rows; every row
    /// screened out (Qualtrics previews, tests, spam); cells that suggest
    /// the wrong encoding (NUL bytes, replacement characters); cells holding
    /// another delimiter (the wrong delimiter); decimal commas; one value
    /// that is every invalid cell (a missing-answer code); every item cell
    /// invalid; no answers at all; too few answers for any scale.
    /// - Parameters:
    ///   - source: the file's name, at the start of the sentence.
    ///   - names: how the sentence names settings (`--missing-codes` on the command line).
    public func nobodyScoredReason(source: String, names: SettingNames = .library) -> String? {
        guard input.scored == 0 else { return nil }
        let start = "\(source): no row was scored"
        if input.rows == 0 {
            return "\(start): the file has a header but no data rows; check that it is the right file."
        }
        let screened = table.screenedOut.count
        if screened == input.rows {
            return "\(start): every response is a survey preview, test or spam (Status), none a respondent's; export the real responses."
        }
        let invalid = input.problems.filter { $0.kind == .invalidValue }
        let values = invalid.compactMap(\.value)
        let cells = table.rowCount * instrument.items.count
        func share(_ test: (String) -> Bool) -> Bool { !values.isEmpty && 2 * values.count(where: test) > values.count }
        func example(_ test: (String) -> Bool) -> String {
            let p = invalid.first { $0.value.map(test) ?? false }!
            return "\(QuotedValue.quote(p.value ?? "")) on line \(p.line)"
        }
        let encoding = names.usesCommandLineOptions ? "--encoding" : "ReadOptions.encoding"
        let delimiter = names.usesCommandLineOptions ? "--delimiter" : "ReadOptions.delimiter"
        let badText: (String) -> Bool = { $0.unicodeScalars.contains { $0 == "\u{0}" || $0 == "\u{FFFD}" } || $0.contains("\\x") }
        if share(badText) {
            return "\(start): the cells hold bytes that do not read as text in \(input.encoding.name) (such as \(example(badText))), so the file's encoding seems wrong; save it as UTF-8, or give its encoding with \(encoding)."
        }
        let otherDelimiter: (String) -> Bool = { $0.contains(";") || $0.contains("\t") || ($0.contains(",") && !Self.isDecimalComma($0)) }
        if share(otherDelimiter) {
            return "\(start): the item cells hold delimiters (such as \(example(otherDelimiter))), so the file seems to be read with the wrong delimiter; give the right one with \(delimiter)."
        }
        if share(Self.isDecimalComma) {
            return "\(start): the answers are written with a decimal comma (such as \(example(Self.isDecimalComma))), which is read only when the delimiter is not a comma; save the file with semicolons as delimiters, or the answers as whole numbers."
        }
        if let dominant = dominantInvalidValue, dominant.count == invalid.count, invalid.count == cells {
            return "\(start): every item cell is \(QuotedValue.quote(dominant.value)), which is not an answer on the response scale; check the export (answers as numbers or as the response labels)."
        }
        if !invalid.isEmpty && invalid.count == cells {
            return "\(start): every item cell is invalid (such as \(example { _ in true })); the answers must be whole numbers on the response scale \(instrument.responseScale.min) to \(instrument.responseScale.max)\(instrument.responseScale.labels == nil ? "" : " or its labels"), so check the export's settings."
        }
        if let dominant = dominantInvalidValue {
            return "\(start): most item cells that are not empty are \(QuotedValue.quote(dominant.value)) (\(dominant.count) cells), which is not an answer on the response scale; if it means no answer, give \(names.name(.missingCodes)) \(dominant.value), and check that the file has answers."
        }
        let answered = (0..<table.rowCount).contains { r in (0..<instrument.items.count).contains { table.answer(row: r, item: $0) != nil } }
        if !answered {
            return "\(start): no row has an answer: every item cell is empty\(invalid.isEmpty ? "" : ", invalid") or a missing code; check that this is the file with the answers."
        }
        return "\(start): no row answers enough of any scale's items (\(names.name(.minAnswered)) \(JSONValue.format(options.minAnswered))); lower \(names.name(.minAnswered)) or check the file."
    }

    /// Whether a cell is a number written with a decimal comma ("3,0", "2,5").
    static func isDecimalComma(_ value: String) -> Bool {
        let parts = value.split(separator: ",", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
