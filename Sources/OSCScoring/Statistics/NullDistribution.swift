// The "random response" null distributions of rwg and rwg(j): the variance
// the answers would have if raters answered at random with a given response
// bias. Uniform: James, Demaree & Wolf (1984). Skewed, triangular and normal
// nulls: LeBreton & Senter (2008), Table 3 (as in LeBreton's `WGA`).

/// The shape of the response distribution expected when raters do not agree.
///
/// The null variance σ²_E is the denominator of rwg, rwg(j) and r*wg(j). The
/// uniform null assumes every option is equally likely; the skewed nulls
/// model leniency or acquiescence, the triangular and normal nulls a central
/// tendency. A smaller null variance gives lower agreement for the same data.
public enum NullDistribution: String, Sendable, CaseIterable, Equatable {
    /// Every option equally likely: σ²_EU = (A² − 1)/12.
    case uniform
    /// Slightly skewed (LeBreton & Senter 2008).
    case slight
    /// Moderately skewed (LeBreton & Senter 2008).
    case moderate
    /// Heavily skewed (LeBreton & Senter 2008).
    case heavy
    /// Triangular, peaked at the middle option (LeBreton & Senter 2008).
    case triangular
    /// Normal, centred on the middle option (LeBreton & Senter 2008).
    case normal

    /// The response options for which LeBreton & Senter (2008) tabulate the
    /// non-uniform nulls.
    public static let tabulatedOptions: ClosedRange<Int> = 5...11

    /// The null ("random response") variance σ²_E for a scale with `A` response options.
    ///
    /// ```
    /// uniform:      σ²_EU = (A² − 1) / 12                 any A ≥ 2 (A = 5 → 2)
    /// other shapes: σ²_E from LeBreton & Senter (2008)   A = 5 … 11
    ///
    ///  A   slight  moderate  heavy  triangular  normal
    ///  5    1.34     0.90     0.44     1.32      1.04
    ///  6    1.85     1.26     0.69     1.45      1.25
    ///  7    2.90     2.14     1.39     2.10      1.40
    ///  8    3.47     2.79     2.35     2.81      1.73
    ///  9    5.66     4.73     3.16     3.00      1.58
    /// 10    6.30     5.09     3.46     2.89      1.45
    /// 11    7.31     6.32     4.02     3.32      1.40
    /// ```
    /// Citation: James, Demaree & Wolf (1984) for the uniform null; LeBreton &
    /// Senter (2008) for the others.
    ///
    /// - Throws: ``NullDistributionError/unsupportedOptionCount(_:options:)``
    ///   when A < 2 (uniform) or A is outside 5…11 (the tabulated shapes).
    ///
    /// Validated against: the table in LeBreton & Senter (2008) as quoted in
    /// STATISTICS.md (hand-checked test per cell).
    public func variance(options A: Int) throws -> Double {
        switch self {
        case .uniform:
            guard A >= 2 else { throw NullDistributionError.unsupportedOptionCount(self, options: A) }
            return Double(A * A - 1) / 12
        default:
            guard NullDistribution.tabulatedOptions.contains(A) else {
                throw NullDistributionError.unsupportedOptionCount(self, options: A)
            }
            let row = A - NullDistribution.tabulatedOptions.lowerBound
            switch self {
            case .slight: return [1.34, 1.85, 2.90, 3.47, 5.66, 6.30, 7.31][row]
            case .moderate: return [0.90, 1.26, 2.14, 2.79, 4.73, 5.09, 6.32][row]
            case .heavy: return [0.44, 0.69, 1.39, 2.35, 3.16, 3.46, 4.02][row]
            case .triangular: return [1.32, 1.45, 2.10, 2.81, 3.00, 2.89, 3.32][row]
            case .normal: return [1.04, 1.25, 1.40, 1.73, 1.58, 1.45, 1.40][row]
            case .uniform: preconditionFailure("handled above")
            }
        }
    }
}

/// A null variance that cannot be given for the requested number of options.
public enum NullDistributionError: Error, Equatable, CustomStringConvertible {
    /// The shape has no null variance for this many response options.
    case unsupportedOptionCount(NullDistribution, options: Int)

    /// One sentence naming the shape and the number of options, with the numbers of options the shape supports.
    public var description: String {
        switch self {
        case let .unsupportedOptionCount(shape, options) where shape == .uniform:
            return "The uniform null distribution needs at least 2 response options, not \(options)."
        case let .unsupportedOptionCount(shape, options):
            return "The \(shape.rawValue) null distribution is tabulated (LeBreton & Senter 2008) "
                + "for 5 to 11 response options, not \(options); use the uniform null for this scale."
        }
    }
}
