// The field delimiter of a responses file, as a library user names it.

/// The character that separates the fields of a responses file: given in
/// `ReadOptions.delimiter`, or detected from the header line (the candidate
/// that occurs most often outside quotes; comma on a tie). JSON
/// `settings.delimiter` writes its `rawValue` (`"comma"`, `"tab"`, `"semicolon"`).
public enum FieldDelimiter: String, Sendable, CaseIterable, Equatable {
    /// `,`, the CSV default.
    case comma
    /// A tab: Excel's "Text (Tab delimited)" and the UK Data Service's tab files.
    case tab
    /// `;`, Excel's CSV where the decimal separator is a comma.
    case semicolon

    /// The delimiter's byte in the file.
    public var byte: UInt8 {
        switch self {
        case .comma: return UInt8(ascii: ",")
        case .tab: return UInt8(ascii: "\t")
        case .semicolon: return UInt8(ascii: ";")
        }
    }

    /// The delimiter whose byte this is; nil for any other byte.
    public init?(byte: UInt8) {
        guard let match = Self.allCases.first(where: { $0.byte == byte }) else { return nil }
        self = match
    }
}
