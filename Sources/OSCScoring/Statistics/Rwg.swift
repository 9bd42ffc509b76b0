// rwg, rwg(j) and r*wg(j): agreement as the observed variance relative to the
// variance expected if raters answered at random. James, Demaree & Wolf
// (1984); Lindell & Brandt (1999).

extension Agreement {
    /// rwg for one item or one score: 1 minus the group's variance over the null variance.
    ///
    /// ```
    /// rwg = 1 − min(s², σ²_E) / σ²_E          s² = sample variance (n − 1) of the answers
    /// ```
    /// The variance is truncated at the null, so rwg ∈ [0, 1].
    ///
    /// Citation: James, Demaree & Wolf (1984).
    ///
    /// Edge cases: `nan` values are dropped first; nil when fewer than two
    /// values remain (multilevel: NA for a group of one).
    ///
    /// Validated against: R 4.2.2, multilevel 2.7 `rwg(x, grpid, ranvar)`
    /// (every item of the synthetic and edge data, six null variances; 1e-9).
    ///
    /// - Parameters:
    ///   - values: the group's answers (`nan` for missing).
    ///   - nullVariance: σ²_E, e.g. `NullDistribution.uniform.variance(options: 5)` = 2.
    /// - Precondition: `nullVariance` is positive and finite.
    /// - Complexity: O(n).
    public static func rwg(_ values: [Double], nullVariance: Double) -> Double? {
        precondition(nullVariance > 0 && nullVariance.isFinite, "the null variance must be positive")
        guard let variance = SampleMoments.variance(SampleMoments.present(values)) else { return nil }
        return 1 - min(variance, nullVariance) / nullVariance
    }

    /// rwg(j): agreement on a J-item scale, from the mean item variance truncated at the null.
    ///
    /// ```
    /// s̄² = min(mean over items of s²_k, σ²_E)
    /// rwg(j) = J (1 − s̄²/σ²_E) / [ J (1 − s̄²/σ²_E) + s̄²/σ²_E ]
    /// ```
    /// J is the scale's item count (`block.items`) under both rules. rwg(j) is
    /// 0 when the mean item variance reaches the null and 1 when every item
    /// has zero variance.
    ///
    /// Citation: James, Demaree & Wolf (1984).
    ///
    /// Edge cases: nil for a block without items, and when the group has too
    /// few answers under `missing` (see ``Agreement``): listwise, fewer than
    /// two complete respondents; pairwise, no item with two answers. Items
    /// with fewer than two answers are left out of the mean (pairwise).
    ///
    /// Validated against: R 4.2.2, multilevel 2.7 `rwg.j(x, grpid, ranvar)`
    /// (listwise; one-item scales against `rwg`, since `rwg.j` stops for a
    /// single column) and explicit per-item R code for the pairwise rule
    /// (Tests/OSCScoringTests/Reference); 1e-9.
    ///
    /// - Precondition: `nullVariance` is positive and finite.
    /// - Complexity: O(respondents × items).
    public static func rwgJ(_ block: ItemResponses, nullVariance: Double,
                            missing: MissingDataRule = .pairwise) -> Double? {
        precondition(nullVariance > 0 && nullVariance.isFinite, "the null variance must be positive")
        guard let meanVariance = meanItemVariance(block, missing: missing) else { return nil }
        let ratio = min(meanVariance, nullVariance) / nullVariance
        let j = Double(block.items)
        return j * (1 - ratio) / (j * (1 - ratio) + ratio)
    }

    /// r*wg(j): Lindell & Brandt's multi-item agreement, without truncation.
    ///
    /// ```
    /// r*wg(j) = 1 − (mean over items of s²_k) / σ²_E
    /// ```
    /// Unlike rwg(j) it does not grow with J and is negative when the answers
    /// vary more than random answering would.
    ///
    /// Citation: Lindell & Brandt (1999); Lindell, Brandt & Whitney (1999).
    ///
    /// Edge cases: as ``rwgJ(_:nullVariance:missing:)``.
    ///
    /// Validated against: R 4.2.2, multilevel 2.7 `rwg.j.lindell(x, grpid, ranvar)`
    /// (listwise) and explicit per-item R code (pairwise); 1e-9.
    ///
    /// - Precondition: `nullVariance` is positive and finite.
    /// - Complexity: O(respondents × items).
    public static func rwgJStar(_ block: ItemResponses, nullVariance: Double,
                                missing: MissingDataRule = .pairwise) -> Double? {
        precondition(nullVariance > 0 && nullVariance.isFinite, "the null variance must be positive")
        guard let meanVariance = meanItemVariance(block, missing: missing) else { return nil }
        return 1 - meanVariance / nullVariance
    }
}
