// Norms: the mean and standard deviation of each scale in a normative
// sample, against which school and authority means become T-scores.

/// What a norm describes: organisations' means or individual respondents.
public enum NormLevel: String, Sendable, Equatable {
    /// `organisation`: norms of organisations' means; `respondent`: norms of individual staff (a norms file's `level`).
    case organisation, respondent
}

/// A scale's normative mean and standard deviation.
public struct ScaleNorm: Sendable, Equatable {
    /// The normative mean of the scale, in the scale's answer units (1–5 for the OSC).
    public let mean: Double
    /// The normative standard deviation, in the same units; a norms file must give a positive one.
    public let sd: Double

    /// A norm with this mean and standard deviation (unchecked here; `score(_:)` needs `sd` > 0 for a finite T).
    /// - Parameters:
    ///   - mean: the normative mean.
    ///   - sd: the normative standard deviation.
    public init(mean: Double, sd: Double) {
        self.mean = mean
        self.sd = sd
    }

    /// The T-score and percentile of `x` against this norm.
    public func score(_ x: Double) -> NormScore {
        let z = (x - mean) / sd
        return NormScore(t: 50 + 10 * z, percentile: 100 * NormalDistribution.cdf(z))
    }
}

/// A value placed against a norm.
public struct NormScore: Sendable, Equatable {
    /// `t = 50 + 10 (x − mean) / sd`.
    public let t: Double
    /// `100 Φ((x − mean) / sd)`: the percentage of the normative population
    /// below `x` under a normal model.
    public let percentile: Double
}

/// A normative table for one instrument, as read from a norms file.
///
/// The OSC's normative tables belong to the instrument's developers and are
/// not public; osc-score ships none and invents none.
public struct Norms: Sendable, Equatable {
    /// The file the norms came from.
    public let source: String
    /// The instrument the norms belong to.
    public let instrument: String
    /// What the normative sample is, from the file's `description`, or nil (JSON `description` in `settings.norms`).
    public let description: String?
    /// Where the norms are published, from the file's `citation`, or nil (JSON `citation` in `settings.norms`).
    public let citation: String?
    /// Whether the norms describe organisations' means or individual respondents (JSON `level` in `settings.norms`).
    public let level: NormLevel
    /// Norms by scale id.
    public let scales: [String: ScaleNorm]

    /// A normative table, unchecked here (`init(json:source:instrument:)` checks a file's contents).
    /// - Parameters:
    ///   - source: the file the norms came from (JSON `source` in `settings.norms`).
    ///   - instrument: the id of the instrument the norms belong to.
    ///   - description: what the normative sample is, or nil.
    ///   - citation: where the norms are published, or nil.
    ///   - level: whether the norms describe organisations or respondents.
    ///   - scales: the norm of each scale that has one, by scale id.
    public init(source: String, instrument: String, description: String?, citation: String?, level: NormLevel, scales: [String: ScaleNorm]) {
        self.source = source
        self.instrument = instrument
        self.description = description
        self.citation = citation
        self.level = level
        self.scales = scales
    }
}

/// Where T-scores come from.
public enum NormsChoice: Sendable, Equatable {
    /// A normative table (`--norms FILE`).
    case table(Norms)
    /// The study itself (`--norms sample`): each school mean against the mean
    /// and SD (n − 1) of all the school means in the data, each authority
    /// mean against all the authority means. Sample-relative, not normative.
    case sample

    /// Whether the T-scores are relative to the study's own units.
    public var isSampleRelative: Bool { self == .sample }
}

extension Norms {
    /// Sample-relative norms: per scale, the mean and SD (n − 1) of the
    /// given unit means; scales with fewer than two means or an SD of 0 get none.
    public static func sampleRelative(means: [[Double?]], scaleIDs: [String]) -> [String: ScaleNorm] {
        var out: [String: ScaleNorm] = [:]
        for (s, id) in scaleIDs.enumerated() {
            let d = Descriptives(means.compactMap { $0[s] })
            if let mean = d.mean, let sd = d.sd, sd > 0 { out[id] = ScaleNorm(mean: mean, sd: sd) }
        }
        return out
    }
}
