// The reliability of one group's mean at its own size, from ICC(1):
// Spearman–Brown, as Bliese (2000) and multilevel's `gmeanrel` give it.

/// The reliability of a group's mean (Bliese 2000).
public enum GroupMeanReliability {
    /// The reliability of the mean of `groupSize` members' scores:
    ///
    /// ```
    /// λ_j = n_j ICC(1) / (1 + (n_j − 1) ICC(1))
    /// ```
    /// the Spearman–Brown formula with the ICC(1) of the one-way ANOVA (the
    /// value osc-score reports as `icc1`): how well this group's mean, at its
    /// size, tells it apart from the other groups. ICC(2) is the same formula
    /// at the mean group size k.
    ///
    /// Citation: Bliese (2000), eq. 5; multilevel's `gmeanrel`, which uses the
    /// same formula with the ICC of a random-intercept model (`lme`) instead
    /// of the ANOVA ICC(1).
    ///
    /// Edge cases: nil when ICC(1) ≤ 0 or is not finite (the groups differ no
    /// more than chance makes them, so no group's mean is a reliable measure
    /// of its group: the formula would give 0 or less, or divide by zero
    /// where 1 + (n_j − 1) ICC(1) = 0; `note(icc1:)` says it in words), and
    /// when `groupSize < 1`. ICC(1) = 1 (F = infinity) gives 1; a group of one
    /// gives ICC(1).
    ///
    /// Validated against: R 4.2.2, multilevel 2.7 `gmeanrel(lme(...))$MeanRel`
    /// given gmeanrel's own ICC and group sizes, and the formula with
    /// `multilevel::ICC1(aov)` for every school and scale of the shipped
    /// example and the edge cases, 1e-9 (`Tests/OSCScoringTests/Reference/intervals`).
    public static func reliability(groupSize: Int, icc1: Double) -> Double? {
        guard groupSize >= 1, icc1 > 0, icc1.isFinite else { return nil }
        let n = Double(groupSize)
        return n * icc1 / (1 + (n - 1) * icc1)
    }

    /// Why there is no group-mean reliability, as one sentence (JSON
    /// `groupMeanReliabilityNote`), or nil when there is one.
    /// - Parameters:
    ///   - groupSize: the group's members with a score.
    ///   - icc1: the ICC(1) between the groups; nil when it cannot be computed.
    public static func note(groupSize: Int, icc1: Double?) -> String? {
        guard let icc1 else {
            return "no ICC(1) between schools on this scale (fewer than two schools with scores, every school with a single score, or all scores equal), so the reliability of a school's mean is not known"
        }
        if groupSize < 1 { return "no respondent has a score on this scale" }
        if icc1 > 0, icc1.isFinite { return nil }
        return "ICC(1) between schools is \(ScoringReport.brief(icc1)), not above 0: schools differ no more than chance makes them, so no school's mean reliably tells it apart from the others (the reliability would be 0 or less)"
    }
}
