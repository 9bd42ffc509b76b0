// Reads the CSV files written by Reference/statistics/make-reference.R.

import Foundation
import OSCScoring

/// One CSV file from `Tests/OSCScoringTests/Reference/statistics`, as rows of named fields.
///
/// The files are plain comma-separated values without quoting, numbers
/// printed with `%.17g`, and `NA` for a missing value.
struct ReferenceTable {
    let header: [String]
    let rows: [[Substring]]
    private let index: [String: Int]

    /// The folder holding the reference files, found from this source file's path.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // Statistics
        .deletingLastPathComponent()   // OSCScoringTests
        .appendingPathComponent("Reference/statistics")

    /// Loads `name` from the reference folder.
    init(_ name: String) throws {
        let url = ReferenceTable.folder.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline)
        guard !lines.isEmpty else { throw ReferenceTableError.empty(name) }
        header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        index = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        for (number, row) in rows.enumerated() where row.count != header.count {
            throw ReferenceTableError.ragged(name, line: number + 2)
        }
    }

    /// The text of `column` in `row`.
    func text(_ row: [Substring], _ column: String) -> String {
        guard let i = index[column] else { fatalError("no column \(column)") }
        return String(row[i])
    }

    /// The number in `column` of `row`; nil for `NA`.
    func number(_ row: [Substring], _ column: String) -> Double? {
        let t = text(row, column)
        if t == "NA" { return nil }
        if t == "Inf" { return .infinity }
        if t == "-Inf" { return -.infinity }
        guard let v = Double(t) else { fatalError("not a number: \(t) in \(column)") }
        return v
    }

    /// The number in `column`, which must be present.
    func value(_ row: [Substring], _ column: String) -> Double {
        guard let v = number(row, column) else { fatalError("unexpected NA in \(column)") }
        return v
    }
}

enum ReferenceTableError: Error {
    case empty(String)
    case ragged(String, line: Int)
}

/// The answers of `synthetic-responses.csv` or `edge-responses.csv`.
struct ReferenceResponses {
    /// Item names in file order: a1…a6, b1…b3.
    static let itemNames = ["a1", "a2", "a3", "a4", "a5", "a6", "b1", "b2", "b3"]
    /// The scales of the reference data.
    static let scales: [String: [String]] = [
        "A6": ["a1", "a2", "a3", "a4", "a5", "a6"], "B3": ["b1", "b2", "b3"],
        "A2": ["a1", "a2"], "A1": ["a1"],
    ]

    let authority: [Int]
    let school: [Int]
    /// answers[item name] = one value per respondent, `nan` when missing.
    let answers: [String: [Double]]

    init(_ name: String) throws {
        let table = try ReferenceTable(name)
        authority = table.rows.map { Int(table.value($0, "authority")) }
        school = table.rows.map { Int(table.value($0, "school")) }
        var answers: [String: [Double]] = [:]
        for item in ReferenceResponses.itemNames {
            answers[item] = table.rows.map { table.number($0, item) ?? .nan }
        }
        self.answers = answers
    }

    /// Schools in ascending order.
    var schools: [Int] { Array(Set(school)).sorted() }

    /// The block of `school`'s answers to `items`.
    func block(school id: Int, items: [String]) -> ItemResponses {
        let rows = school.indices.filter { school[$0] == id }
        var values: [Double] = []
        for r in rows { for item in items { values.append(answers[item]![r]) } }
        return ItemResponses(respondents: rows.count, items: items.count, values: values)
    }
}

/// The item blocks of `reliability-input.csv`, by set name.
func reliabilityBlocks() throws -> [String: ItemResponses] {
    let table = try ReferenceTable("reliability-input.csv")
    var cells: [String: [(row: Int, item: Int, value: Double)]] = [:]
    for r in table.rows {
        cells[table.text(r, "set"), default: []].append(
            (Int(table.value(r, "row")), Int(table.value(r, "item")), table.number(r, "value") ?? .nan))
    }
    return cells.mapValues { entries in
        let rows = entries.map(\.row).max()!, items = entries.map(\.item).max()!
        var values = [Double](repeating: .nan, count: rows * items)
        for e in entries { values[(e.row - 1) * items + (e.item - 1)] = e.value }
        return ItemResponses(respondents: rows, items: items, values: values)
    }
}

/// |actual − expected| ≤ tolerance · max(1, |expected|): absolute near zero,
/// relative for large values.
func isClose(_ actual: Double, _ expected: Double, tolerance: Double) -> Bool {
    if actual == expected { return true }
    return abs(actual - expected) <= tolerance * max(1, abs(expected))
}

/// |actual − expected| ≤ tolerance · |expected|.
func isRelativelyClose(_ actual: Double, _ expected: Double, tolerance: Double) -> Bool {
    if actual == expected { return true }
    return abs(actual - expected) <= tolerance * abs(expected)
}
