// Norms: the mean and standard deviation of each scale in a normative
// sample, against which school and authority means become T-scores.

/// What a norm describes: organisations' means or individual respondents.
public enum NormLevel: String, Sendable, Equatable {
    case organisation, respondent
}

/// A scale's normative mean and standard deviation.
public struct ScaleNorm: Sendable, Equatable {
    public let mean: Double
    public let sd: Double

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
    public let description: String?
    public let citation: String?
    public let level: NormLevel
    /// Norms by scale id.
    public let scales: [String: ScaleNorm]

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
