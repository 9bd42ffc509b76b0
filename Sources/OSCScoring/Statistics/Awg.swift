// awg: agreement relative to the largest variance possible at the group's
// mean. Brown & Hauenstein (2005), with multilevel's bound rules.

extension Agreement {
    /// awg: the mean over items of Brown & Hauenstein's agreement index.
    ///
    /// For one item with k answers, mean M and sample variance s², on a scale
    /// from L (`lowest`) to H (`highest`):
    /// ```
    /// a_wg = 1 − 2 s² / ( [(H + L) M − M² − H L] · k/(k − 1) )
    /// undefined when M < (L (k − 1) + H)/k  or  M > (H (k − 1) + L)/k
    /// = 1 when M = H or M = L                  (applied last: overrides the bounds)
    /// awg = mean of the defined item values
    /// ```
    /// The denominator is the largest variance possible at mean M, so awg
    /// does not depend on where the mean lies; it ranges from −1 (maximal
    /// disagreement) to 1. Near the ends of the scale the maximum variance is
    /// too small to judge agreement, hence the bounds.
    ///
    /// Citation: Brown & Hauenstein (2005).
    ///
    /// Edge cases: nil when the group has too few answers under `missing`
    /// (see ``Agreement``) or when every item's mean is beyond the bounds
    /// (multilevel gives NaN, the mean of nothing). Item means are compared
    /// exactly, as multilevel does.
    ///
    /// Validated against: R 4.2.2, multilevel 2.7 `awg(x, grpid, range = c(1, 5))`
    /// (listwise; one-item scales use its single-variable branch) and explicit
    /// per-item R code with multilevel's item formula (pairwise); 1e-9.
    ///
    /// - Complexity: O(respondents × items).
    public static func awg(_ block: ItemResponses, lowest: Double, highest: Double,
                           missing: MissingDataRule = .pairwise) -> Double? {
        precondition(lowest < highest, "the scale's lowest option must be below its highest")
        guard let columns = usableItemAnswers(block, missing: missing) else { return nil }
        let defined = columns.compactMap { itemAwg($0, lowest: lowest, highest: highest) }
        return defined.isEmpty ? nil : SampleMoments.mean(defined)
    }

    /// a_wg of one item's answers (k ≥ 2); nil beyond the bounds.
    static func itemAwg(_ answers: [Double], lowest L: Double, highest H: Double) -> Double? {
        let k = Double(answers.count)
        let m = SampleMoments.mean(answers)
        if m == H || m == L { return 1 }
        if m < (L * (k - 1) + H) / k || m > (H * (k - 1) + L) / k { return nil }
        let variance = SampleMoments.variance(answers)!
        let maximumVariance = ((H + L) * m - m * m - H * L) * (k / (k - 1))
        return 1 - 2 * variance / maximumVariance
    }
}
