// The average deviation index AD: mean absolute deviation of the answers
// from the group's mean or median. Burke, Finkelstein & Dusig (1999).

/// The centre from which the average deviation index measures deviations.
public enum ADCentre: String, Sendable, CaseIterable, Equatable {
    /// The group mean, AD_M (multilevel `ad.m(type = "mean")`, the default).
    case mean
    /// The group median, AD_Md (multilevel `ad.m(type = "median")`).
    case median
}

extension Agreement {
    /// AD: the mean over items of the average absolute deviation from the group's centre.
    ///
    /// ```
    /// AD_k = Σᵢ |x_ik − c_k| / n_k        c_k = mean (or median) of item k, n_k its answers
    /// AD   = mean over items of AD_k
    /// ```
    /// The denominator is n, not n − 1. AD is in the scale's units; lower is
    /// more agreement, and AD ≤ A/6 (A response options) is the usual rule of
    /// thumb for practical agreement.
    ///
    /// Citation: Burke, Finkelstein & Dusig (1999).
    ///
    /// Edge cases: nil when the group has too few answers under `missing`
    /// (see ``Agreement``): multilevel gives NA for a group of one.
    ///
    /// Validated against: R 4.2.2, multilevel 2.7 `ad.m(x, grpid, type = "mean")`
    /// and `type = "median"` (listwise) and explicit per-item R code
    /// (pairwise); 1e-9.
    ///
    /// - Complexity: O(respondents × items) (plus a sort per item for the median).
    public static func averageDeviation(_ block: ItemResponses, about centre: ADCentre = .mean,
                                        missing: MissingDataRule = .pairwise) -> Double? {
        guard let columns = usableItemAnswers(block, missing: missing) else { return nil }
        let deviations = columns.map { answers -> Double in
            let c = centre == .mean ? SampleMoments.mean(answers) : SampleMoments.median(answers)
            var sum = 0.0
            for x in answers { sum += abs(x - c) }
            return sum / Double(answers.count)
        }
        return SampleMoments.mean(deviations)
    }
}
