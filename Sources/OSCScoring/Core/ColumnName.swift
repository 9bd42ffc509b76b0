// How data column headers are matched to the names an instrument expects.

/// Column headers are matched ignoring case and surrounding spaces.
package enum ColumnName {
    /// The form in which two headers are compared: trimmed of spaces and
    /// tabs, ASCII letters lower-cased (other characters kept as they are).
    package static func normalized(_ name: String) -> String {
        var bytes = Array(name.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        return String(decoding: bytes[start...].map { (0x41...0x5A).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
