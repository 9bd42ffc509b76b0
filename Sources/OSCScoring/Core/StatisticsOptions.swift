import Foundation

// How the reliability and agreement statistics are computed.

/// Where the null ("random response") variance of rwg, rwg(j) and r*wg(j) comes from.
public enum NullVariance: Sendable, Equatable {
    /// A distribution shape; the variance follows from the number of options.
    case distribution(NullDistribution)
    /// A variance given directly (`--null-variance X`).
    case fixed(Double)
}

/// Settings of the reliability and agreement statistics.
public struct StatisticsOptions: Sendable, Equatable {
    /// The null variance: uniform `(A² − 1)/12` by default (James, Demaree &
    /// Wolf 1984), a skewed shape (LeBreton & Senter 2008), or a fixed value.
    public var null: NullVariance = .distribution(.uniform)
    /// Missing answers in agreement statistics: each item's own answers in
    /// the group (pairwise, the default) or only respondents who answered
    /// every item of the scale (listwise, as multilevel 2.7).
    public var missing: MissingDataRule = .pairwise
    /// Random group resampling replications (Bliese & Halverson 2002); nil: not run.
    public var rgrReplications: Int?
    /// The seed of random group resampling.
    public var seed: UInt64 = 20_020_101
    /// Whether random group resampling shows its progress on standard
    /// error (a line rewritten in place, after the first second); the
    /// command line sets it when standard error is a terminal.
    public var showsProgress = false
    /// The most replications of random group resampling the command line
    /// accepts (`--rgr`): about half a minute on the shipped example.
    public static let maximumRGRReplications = 10_000

    // Intervals of means.
    /// The confidence level of the t intervals of school and authority
    /// means (default 0.95; JSON `confidence` in `settings`, `--confidence`).
    /// A value not strictly between 0 and 1 gives no intervals. The
    /// intervals of ICC(1), ICC(2) and alpha stay at 95%.
    public var confidence = 0.95

    /// Threads the statistics may use (at least 1; default
    /// ``StatisticsOptions/defaultThreads``, the active processors; JSON
    /// `threads` in `settings`, `--threads N`). Every number in the results
    /// is the same whatever the thread count: the work is split into pieces
    /// fixed by the data, and sums of pieces are combined in a fixed order.
    public var threads = StatisticsOptions.defaultThreads

    /// The thread count used when none is given: the machine's active
    /// processors (`ProcessInfo.activeProcessorCount`), or the environment
    /// variable `OSC_SCORE_THREADS` when it holds a whole number from 1 to
    /// ``StatisticsOptions/maximumThreads``.
    public static var defaultThreads: Int {
        if let text = ProcessInfo.processInfo.environment["OSC_SCORE_THREADS"], let n = Int(text), n >= 1, n <= maximumThreads {
            return n
        }
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, maximumThreads))
    }

    /// The most threads accepted (`--threads`): 256.
    public static let maximumThreads = 256

    /// Settings with the given null, missing-data rule and random group resampling; `showsProgress` starts false.
    /// - Parameters:
    ///   - null: the null variance of rwg, rwg(j) and r*wg(j) (default the uniform distribution).
    ///   - missing: which answers enter the agreement statistics (default pairwise).
    ///   - rgrReplications: random group resampling replications, or nil (the default) not to run it.
    ///   - seed: the seed of random group resampling (default 20020101).
    public init(null: NullVariance = .distribution(.uniform), missing: MissingDataRule = .pairwise,
                rgrReplications: Int? = nil, seed: UInt64 = 20_020_101) {
        self.null = null
        self.missing = missing
        self.rgrReplications = rgrReplications
        self.seed = seed
    }

    /// The null variance σ²_E for a response scale.
    /// - Throws: `NullDistributionError` when a skewed shape is not tabulated
    ///   for the scale's number of options (LeBreton & Senter give A = 5…11).
    public func nullVariance(for scale: ResponseScale) throws(NullDistributionError) -> Double {
        switch null {
        case .fixed(let v): return v
        case .distribution(let shape):
            do { return try shape.variance(options: scale.options) } catch let error as NullDistributionError { throw error } catch {
                throw .unsupportedOptionCount(shape, options: scale.options)
            }
        }
    }

    /// The name of the null for reports: the shape, or "fixed".
    public var nullName: String {
        switch null {
        case .fixed: return "fixed"
        case .distribution(let shape): return shape.rawValue
        }
    }
}
