// What a statistical data file tells beyond its cells, kept with the table
// for the input section of the reports and for the groups' display names.

/// The cells of one column that the file itself marks as missing.
public struct DeclaredMissingCount: Sendable, Equatable {
    /// The column (variable) name.
    public let column: String
    /// Cells holding a value the variable declares missing (SPSS
    /// user-missing; Stata `.a` to `.z`).
    public let userMissing: Int
    /// System-missing cells (SPSS sysmis; Stata `.`).
    public let systemMissing: Int

    /// A count for one column.
    public init(column: String, userMissing: Int, systemMissing: Int) {
        self.column = column
        self.userMissing = userMissing
        self.systemMissing = systemMissing
    }
}

/// The facts of a statistical data file that a report echoes.
public struct DataFileFacts: Sendable, Equatable {
    /// The format ("SPSS system file", "SPSS ZLIB-compressed system file", "Stata 118").
    public let format: String
    /// The text encoding used for names, labels and strings (`utf-8`, `windows-1252`).
    public let encoding: String
    /// Per used column (items, school, authority, id) with any: its missing
    /// cells, in file order. They are missing answers (or empty ids) and
    /// produce no findings.
    public let declaredMissing: [DeclaredMissingCount]
    /// School id → display name, from the value labels of the school variable.
    public let schoolNames: [String: String]
    /// Authority id → display name, from the value labels of the authority variable.
    public let authorityNames: [String: String]

    /// Facts of one file.
    public init(format: String, encoding: String, declaredMissing: [DeclaredMissingCount] = [],
                schoolNames: [String: String] = [:], authorityNames: [String: String] = [:]) {
        self.format = format
        self.encoding = encoding
        self.declaredMissing = declaredMissing
        self.schoolNames = schoolNames
        self.authorityNames = authorityNames
    }

    /// All declared-missing cells (user- and system-missing).
    public var declaredMissingTotal: Int { declaredMissing.reduce(0) { $0 + $1.userMissing + $1.systemMissing } }
}

extension SchoolResult {
    /// The id, followed by the display name when there is one (`17 St Mary's`), for readable reports.
    package var shownName: String { name.map { "\(id) \($0)" } ?? id }
}

extension AuthorityResult {
    /// The id, followed by the display name when there is one, for readable reports.
    package var shownName: String { name.map { "\(id) \($0)" } ?? id }
}
