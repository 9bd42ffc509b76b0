// A block of answers: respondents in rows, items in columns, missing as NaN.

/// The answers of a set of respondents to a set of items, stored row by row.
///
/// This is the input of every reliability and agreement statistic: the
/// answers of one scale's items, for the whole sample or for one group
/// (school or authority). Answers are already reverse-keyed. A missing
/// answer is `Double.nan`; nothing is imputed.
///
/// Complexity: subscripting is O(1); the storage is `respondents × items`
/// doubles.
public struct ItemResponses: Sendable, Equatable {
    /// Number of respondents (rows).
    public let respondents: Int
    /// Number of items (columns).
    public let items: Int
    /// Row-major answers: `values[r * items + i]`, `Double.nan` when missing.
    public private(set) var values: [Double]

    /// Creates a block from row-major answers (`nan` for missing).
    /// - Precondition: `values.count == respondents * items`.
    public init(respondents: Int, items: Int, values: [Double]) {
        precondition(respondents >= 0 && items >= 0 && values.count == respondents * items,
                     "ItemResponses needs respondents × items values")
        self.respondents = respondents
        self.items = items
        self.values = values
    }

    /// Creates a block from rows of optional answers (`nil` for missing).
    /// - Precondition: every row has the same length.
    public init(rows: [[Double?]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "ItemResponses rows must have equal length")
        self.init(respondents: rows.count, items: width,
                  values: rows.flatMap { row in row.map { $0 ?? .nan } })
    }

    /// The answer of respondent `r` to item `i`, `nan` when missing.
    public subscript(respondent r: Int, item i: Int) -> Double {
        get { values[r * items + i] }
        set { values[r * items + i] = newValue }
    }

    /// The answers of item `i` that are present, in respondent order.
    public func answers(item i: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(respondents)
        for r in 0..<respondents {
            let v = values[r * items + i]
            if !v.isNaN { out.append(v) }
        }
        return out
    }

    /// Whether respondent `r` answered every item.
    public func isComplete(respondent r: Int) -> Bool {
        let start = r * items
        for k in start..<(start + items) where values[k].isNaN { return false }
        return true
    }

    /// The block restricted to respondents who answered every item
    /// (listwise deletion, as R's `na.omit`).
    public func completeRespondents() -> ItemResponses {
        var kept: [Double] = []
        var count = 0
        for r in 0..<respondents where isComplete(respondent: r) {
            kept.append(contentsOf: values[(r * items)..<((r + 1) * items)])
            count += 1
        }
        return ItemResponses(respondents: count, items: items, values: kept)
    }
}
