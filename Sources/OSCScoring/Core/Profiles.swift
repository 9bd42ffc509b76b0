// Culture and climate profiles: "best", "average" or "worst" from T-scores,
// by rules that are data in the instrument file.

/// Which side of the cut-off is favourable for a scale in a profile.
public enum FavourableDirection: String, Sendable, Equatable {
    /// `high`: a T-score above the cut-off is favourable; `low`: one below it.
    case high, low
}

/// A profile rule: the scales it reads, the favourable direction of each,
/// and the cut-off in T units with an optional band counted as "at the norm".
///
/// Published OSC papers (Glisson et al. 2008) describe a "best" culture as
/// high on proficiency and low on rigidity and resistance, and a "best"
/// climate as high on engagement and functionality and low on stress; their
/// exact cut-offs are not public. The defaults here (cut-off 50, the
/// normative mean; no band) are an assumption a user can change in the
/// instrument file.
public struct Profile: Sendable, Equatable {
    /// One scale a profile reads, with its favourable direction.
    public struct Entry: Sendable, Equatable {
        /// The id of the scale whose T-score is read.
        public let scale: String
        /// Whether a high or a low T-score on the scale is favourable.
        public let favourable: FavourableDirection

        /// An entry for the scale with this id and favourable direction.
        /// - Parameters:
        ///   - scale: the scale's id (`Instrument`'s initialiser checks that it exists).
        ///   - favourable: the favourable side of the cut-off.
        public init(scale: String, favourable: FavourableDirection) {
            self.scale = scale
            self.favourable = favourable
        }
    }

    /// The profile's identifier, unique in the instrument, such as `culture` (the member name in a school's or authority's JSON `profiles`).
    public let id: String
    /// The profile's name for people; its `id` when none is given.
    public let name: String
    /// The scales the profile reads, in the order `classify(_:)` takes their T-scores.
    public let scales: [Entry]
    /// The cut-off in T units (default 50).
    public let cutoff: Double
    /// Half-width of the band around the cut-off counted as "at the norm" (default 0).
    public let band: Double

    /// A profile rule, unchecked here (`Instrument`'s initialiser refuses a duplicate id, no scales, an unknown scale, a negative band or boundaries that are not finite).
    /// - Parameters:
    ///   - id: the profile's identifier, unique in the instrument.
    ///   - name: its name for people; nil (the default) means the same as `id`.
    ///   - scales: the scales it reads, each with its favourable direction.
    ///   - cutoff: the cut-off in T units (default 50, the normative mean; an assumption, as the published cut-offs are not public).
    ///   - band: the half-width in T units around the cut-off counted as "at the norm" (default 0).
    public init(id: String, name: String? = nil, scales: [Entry], cutoff: Double = 50, band: Double = 0) {
        self.id = id
        self.name = name ?? id
        self.scales = scales
        self.cutoff = cutoff
        self.band = band
    }
}

/// The class of a unit on a profile.
public enum ProfileClass: String, Sendable, Equatable {
    /// `best`: every scale on its favourable side; `worst`: every scale on the other side; `average`: anything else.
    case best, average, worst
}

/// A unit's profile class and the scales that decided it.
public struct ProfileResult: Sendable, Equatable {
    /// Best, average or worst (JSON `class` in the profile's entry of `profiles`).
    public let profileClass: ProfileClass
    /// One sentence per scale: its T-score and which side of the cut-off it is on.
    public let reasons: [String]
}

extension Profile {
    /// Classifies a unit from its T-scores on the profile's scales (in the
    /// order of `scales`).
    ///
    /// A scale is favourable when its T is beyond `cutoff + band` on the
    /// favourable side (above for `high`, below for `low`), unfavourable
    /// when beyond `cutoff − band`/`cutoff + band` on the other side, and at
    /// the norm otherwise (a T exactly at a boundary is at the norm).
    /// "best" when every scale is favourable, "worst" when every scale is
    /// unfavourable, "average" otherwise.
    /// - Returns: nil when any T-score is missing.
    public func classify(_ tScores: [Double?]) -> ProfileResult? {
        precondition(tScores.count == scales.count, "one T-score per profile scale")
        var favourable = 0, unfavourable = 0
        var reasons: [String] = []
        let upper = cutoff + band, lower = cutoff - band
        for (entry, t) in zip(scales, tScores) {
            guard let t else { return nil }
            let above = t > upper, below = t < lower
            let text = "\(entry.scale) T \(DecimalText.fixed(t, places: 1))"
            if (entry.favourable == .high && above) || (entry.favourable == .low && below) {
                favourable += 1
                reasons.append("\(text) is \(above ? "above" : "below") \(Self.boundary(above ? upper : lower)) (favourable: \(entry.favourable.rawValue))")
            } else if above || below {
                unfavourable += 1
                reasons.append("\(text) is \(above ? "above" : "below") \(Self.boundary(above ? upper : lower)) (unfavourable: \(entry.favourable.rawValue) is favourable)")
            } else {
                reasons.append("\(text) is at the norm (\(band > 0 ? "\(Self.boundary(lower)) to \(Self.boundary(upper))" : Self.boundary(cutoff)))")
            }
        }
        let cls: ProfileClass = favourable == scales.count ? .best : unfavourable == scales.count ? .worst : .average
        return ProfileResult(profileClass: cls, reasons: reasons)
    }

    static func boundary(_ x: Double) -> String { DecimalText.shortest(x) }
}
