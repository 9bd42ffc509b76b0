// The shape shared by the readers of statistical data files (SPSS `.sav` and
// `.zsav`, Stata `.dta`): the variables with their labels and missing-value
// declarations, and the cases, decoded one at a time into a reused row so
// that a file of any size is read in constant memory per case. The code that
// turns such a file into a `ResponseTable` applies the same rules as for a
// CSV (column names, school and authority ids, missing answers, findings).

/// A value of a variable, as a key of its value labels.
package enum DatasetValue: Hashable, Sendable {
    /// A number (never NaN).
    case number(Double)
    /// A string's UTF-8 bytes, without trailing padding spaces.
    case string([UInt8])
}

/// The user-missing values a variable declares (SPSS record 2 and 7.22;
/// Stata declares none: its `.a` to `.z` are marked per cell instead).
package struct DatasetMissingValues: Sendable, Equatable {
    /// Discrete numbers (SPSS: at most 3, or 1 with a range).
    package var numbers: [Double] = []
    /// A closed range of numbers; LOWEST is `-infinity`, HIGHEST `+infinity`.
    package var range: ClosedRange<Double>?
    /// Discrete strings (UTF-8, without trailing padding).
    package var strings: [[UInt8]] = []

    /// No declaration.
    package init() {}

    /// Whether `x` is declared missing.
    package func contains(_ x: Double) -> Bool {
        numbers.contains(x) || (range?.contains(x) ?? false)
    }

    /// Whether there is no declaration.
    package var isEmpty: Bool { numbers.isEmpty && range == nil && strings.isEmpty }
}

/// One variable (column) of a statistical data file.
package struct DatasetVariable: Sendable, Equatable {
    /// The name users know (SPSS long name of record 7.13, Stata name), UTF-8.
    package var name: String
    /// Whether the values are strings (else numbers).
    package var isString: Bool
    /// The value labels (SPSS records 3/4 and 7.21, Stata value-label tables), UTF-8.
    package var valueLabels: [DatasetValue: String] = [:]
    /// The declared user-missing values.
    package var missingValues = DatasetMissingValues()

    /// A variable without labels or missing values.
    package init(name: String, isString: Bool) {
        self.name = name
        self.isString = isString
    }
}

/// Why a cell holds no value.
package enum DatasetMissingKind: UInt8, Sendable {
    /// The cell holds a value.
    case present = 0
    /// SPSS system-missing, Stata `.`.
    case systemMissing = 1
    /// SPSS user-missing (declared) value, Stata `.a` to `.z`.
    case declaredMissing = 2
}

/// One case (row), decoded into storage that the reader reuses.
package struct DatasetCase: Sendable {
    /// Per variable: the number (numeric variables; 0 when the cell is missing).
    package var numbers: [Double]
    /// Per variable: the UTF-8 bytes without trailing padding (string variables; empty for numbers).
    package var strings: [[UInt8]]
    /// Per variable: whether the cell is missing, and how. A string cell
    /// equal to a declared missing string is `.declaredMissing`.
    package var missing: [DatasetMissingKind]

    /// Storage for `variableCount` variables.
    package init(variableCount: Int) {
        numbers = [Double](repeating: 0, count: variableCount)
        strings = [[UInt8]](repeating: [], count: variableCount)
        missing = [DatasetMissingKind](repeating: .present, count: variableCount)
    }
}

/// A file that is not a readable SPSS or Stata file: the one sentence to
/// show, with where in the file (a byte offset, a record) it went wrong.
package struct DatasetError: Error, Sendable, Equatable {
    /// The file name as given.
    package var source: String
    /// The byte offset in the file where the problem was found, when known.
    package var offset: Int?
    /// The case (1-based) being read, when the problem is in the data.
    package var caseNumber: Int?
    /// What is wrong, as a clause with a suggested fix ("record 7 subtype 13 is 12 bytes long but the file ends after 4; the file is truncated, export it again").
    package var reason: String

    /// Creates an error.
    package init(source: String, offset: Int? = nil, caseNumber: Int? = nil, reason: String) {
        self.source = source
        self.offset = offset
        self.caseNumber = caseNumber
        self.reason = reason
    }

    /// One sentence naming the file, the place and the problem.
    package var message: String {
        var place = ""
        if let caseNumber { place += ", case \(caseNumber)" }
        if let offset { place += ", byte \(offset)" }
        return "\(source)\(place): \(reason)"
    }
}

/// A statistical data file being read: its variables, then its cases in order.
package protocol DatasetCases {
    /// The variables, in file order (an SPSS string's continuation slots and
    /// very long string segments are one variable here).
    var variables: [DatasetVariable] { get }
    /// The number of cases the file header declares; nil when it does not say (SPSS `ncases` of -1 without record 7.16).
    var declaredCaseCount: Int? { get }
    /// The file's text encoding as used to decode names, labels and strings (`TextEncoding.name`), for the input section.
    var encodingName: String { get }
    /// Decodes the next case into `row` (made with `variables.count`);
    /// returns false after the last case. A case count that disagrees with
    /// `declaredCaseCount` is an error.
    mutating func next(into row: inout DatasetCase) throws(DatasetError) -> Bool
    /// Decodes the next case with its item variables straight into answer
    /// codes: `codes[i]` is item i's code (`DatasetItemPlan`), 0 for no
    /// answer (each system-missing or declared missing cell counted in
    /// `systemMissing` or `userMissing` by variable), or 0xFF for a number
    /// off the response scale, left in `row.numbers[variable]`; the other
    /// variables are decoded into `row` as `next(into:)` does. Returns
    /// whether there was a case, and whether any code is 0xFF.
    mutating func next(into row: inout DatasetCase, plan: DatasetItemPlan, codes: inout [UInt8],
                       systemMissing: inout [Int], userMissing: inout [Int]) throws(DatasetError) -> (more: Bool, examine: Bool)
    /// The declared case count when the file could hold that many cases
    /// (so that rows may be reserved for it without trusting a crafted count); nil otherwise.
    var plausibleCaseCount: Int? { get }
    /// Up to `count` readers of consecutive parts of the cases still to be
    /// read, in order, each of at least `minimumCasesPerPart` cases, which
    /// together read what this reader would (each its own cases, numbered
    /// and placed as in one pass); nil when the file is not split.
    func split(into count: Int, minimumCasesPerPart: Int) -> [Self]?
    /// The cases decoded so far (with those of the parts before, in a part of `split(into:)`): the last case's number.
    var casesRead: Int { get }
}

extension DatasetCases {
    /// Not split: one reader reads the cases.
    package func split(into count: Int, minimumCasesPerPart: Int) -> [Self]? { nil }
}

/// Which variables are items, and the response scale their numbers are coded on.
package struct DatasetItemPlan: Sendable {
    /// Per variable: the index of the item it holds, or -1.
    package var itemOfVariable: [Int]
    /// Per item: its variable.
    package var itemColumns: [Int]
    /// The response scale's lowest and highest answers.
    package var scaleMin: Int, scaleMax: Int
    /// Items read from the same variable as an earlier item (`item` takes `of`'s code).
    package var aliases: [(item: Int, of: Int)] = []

    /// The plan for `variableCount` variables with item i in variable `itemColumns[i]`.
    package init(variableCount: Int, itemColumns: [Int], scaleMin: Int, scaleMax: Int) {
        itemOfVariable = [Int](repeating: -1, count: variableCount)
        for (i, v) in itemColumns.enumerated() {
            if itemOfVariable[v] < 0 { itemOfVariable[v] = i } else { aliases.append((i, itemOfVariable[v])) }
        }
        self.itemColumns = itemColumns
        self.scaleMin = scaleMin
        self.scaleMax = scaleMax
    }

    /// The same plan in storage of its own: readers of parts of a file on
    /// other threads then never count references to the same buffers (which
    /// makes the cores wait on each other, case after case).
    package func unshared() -> DatasetItemPlan {
        var plan = self
        plan.itemOfVariable = itemOfVariable.unshared()
        plan.itemColumns = itemColumns.unshared()
        plan.aliases = aliases.unshared()
        return plan
    }

    /// The code (1 for the lowest answer) of a whole number on the scale; nil for any other number.
    @inline(__always) package func code(_ x: Double) -> UInt8? {
        guard x >= Double(scaleMin), x <= Double(scaleMax), x == x.rounded(.towardZero) else { return nil }
        return UInt8(Int(x) - scaleMin + 1)
    }
}

extension DatasetCases {
    /// `next(into:)`, then each item's number coded by `plan` (the plain path, for any reader).
    package mutating func next(into row: inout DatasetCase, plan: DatasetItemPlan, codes: inout [UInt8],
                               systemMissing: inout [Int], userMissing: inout [Int]) throws(DatasetError) -> (more: Bool, examine: Bool) {
        guard try next(into: &row) else { return (false, false) }
        var examine = false
        for i in plan.itemColumns.indices {
            let column = plan.itemColumns[i]
            codes[i] = 0
            switch row.missing[column] {
            case .systemMissing: systemMissing[column] += 1
            case .declaredMissing: userMissing[column] += 1
            case .present:
                if let code = plan.code(row.numbers[column]) { codes[i] = code } else {
                    codes[i] = 0xFF
                    examine = true
                }
            }
        }
        return (true, examine)
    }

    /// None by default: rows are not reserved.
    package var plausibleCaseCount: Int? { nil }
}

/// The kinds of file recognised from their first bytes.
package enum DataFileKind: Sendable, Equatable {
    /// SPSS system file (`$FL2`), uncompressed or bytecode-compressed.
    case spss
    /// SPSS ZLIB-compressed system file (`$FL3`).
    case spssZlib
    /// Stata `.dta` release 117 or later (`<stata_dta>`).
    case stata
    /// A ZIP container (`PK\u{3}\u{4}`): an Excel workbook when it holds `xl/workbook.xml`.
    case zip
    /// Anything else is read as delimited text.
    case text

    /// The kind of a file from its first bytes (at least 11 are needed for Stata).
    package init(magic: some Collection<UInt8>) {
        let head = Array(magic.prefix(11))
        func starts(_ s: String) -> Bool { head.starts(with: Array(s.utf8)) }
        if starts("$FL2") { self = .spss }
        else if starts("$FL3") { self = .spssZlib }
        else if starts("<stata_dta>") { self = .stata }
        else if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { self = .zip }
        else { self = .text }
    }
}

extension Array {
    /// A copy in a buffer of its own (a plain copy shares the buffer until either is written).
    package func unshared() -> [Element] { withUnsafeBufferPointer { Array($0) } }
}

extension DatasetMissingValues {
    /// The same declaration in storage of its own (`DatasetItemPlan.unshared()`).
    package func unshared() -> DatasetMissingValues {
        var copy = self
        copy.numbers = numbers.unshared()
        copy.strings = strings.map { $0.unshared() }
        return copy
    }
}

extension DatasetVariable {
    /// The same variable with its missing-value declaration in storage of
    /// its own (what a case's decoding reads; `DatasetItemPlan.unshared()`).
    package func unshared() -> DatasetVariable {
        var copy = self
        copy.missingValues = missingValues.unshared()
        return copy
    }
}

/// The cases of a reader decoded by the plain path alone: `next(into:)`,
/// then each item's number coded by the plan one at a time, never split.
/// The tests and the fuzz target compare a reader's direct decoding (and
/// its parts) with it.
package struct PlainCases<Base: DatasetCases>: DatasetCases {
    /// The reader whose plain `next(into:)` is used.
    package var file: Base
    /// Wraps `file`.
    package init(file: Base) { self.file = file }
    package var variables: [DatasetVariable] { file.variables }
    package var declaredCaseCount: Int? { file.declaredCaseCount }
    package var encodingName: String { file.encodingName }
    package var plausibleCaseCount: Int? { file.plausibleCaseCount }
    package var casesRead: Int { file.casesRead }
    package mutating func next(into row: inout DatasetCase) throws(DatasetError) -> Bool { try file.next(into: &row) }
}
