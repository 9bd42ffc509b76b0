// "Did you mean ...?" suggestions for misspelt column, item, scale and option names.

/// Finds the known names closest to a misspelt one, by edit distance.
package enum NameSuggestion {
    /// The Levenshtein distance between two strings, compared as lower-cased
    /// Unicode scalars. Complexity: O(|a|·|b|).
    package static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars), y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The longest name, in UTF-8 bytes, that is compared (longer names,
    /// asked for or offered, are never suggested): 256.
    package static let maximumNameLength = 256

    /// Up to `limit` candidates that are plausibly what was meant: within an
    /// edit distance of a third of the name's length (at least 2), closest
    /// first. Names longer than `maximumNameLength` bytes are skipped, and so
    /// are candidates whose length alone puts them too far, so a header of
    /// many long names costs little.
    package static func closest(to name: String, in candidates: [String], limit: Int) -> [String] {
        guard name.utf8.count <= maximumNameLength else { return [] }
        let allowed = Swift.max(2, name.count / 3)
        let length = name.lowercased().unicodeScalars.count
        var scored: [(name: String, distance: Int)] = []
        for candidate in candidates where candidate.utf8.count <= maximumNameLength && candidate != name {
            if abs(candidate.lowercased().unicodeScalars.count - length) > allowed { continue }
            let d = editDistance(name, candidate)
            if d <= allowed { scored.append((candidate, d)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        return scored.prefix(limit).map(\.name)
    }

    /// The single closest candidate, if any is plausible.
    package static func closest(to name: String, in candidates: [String]) -> String? {
        closest(to: name, in: candidates, limit: 1).first
    }
}
