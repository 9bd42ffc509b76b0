// Quoting a value from the input in a message or finding, briefly.

/// A value from the input as a message quotes it: in single quotes, at most
/// `shownCharacters` characters of it (then "…" and the value's length),
/// line breaks and other control characters shown as escapes, so that a
/// message stays one short line whatever the cell holds.
enum QuotedValue {
    /// The most characters of a value a message shows.
    static let shownCharacters = 60

    /// `'value'`, or `'first 60 characters…' (N characters)` for a longer value.
    static func quote(_ value: String) -> String {
        var count = 0
        var end = value.endIndex
        for i in value.indices {
            if count == shownCharacters { end = i; break }
            count += 1
        }
        guard end < value.endIndex else { return "'" + TextTable.visible(value) + "'" }
        return "'" + TextTable.visible(String(value[..<end])) + "…' (\(value.count) characters)"
    }
}
