// Planning a study of groups: how many respondents per school make a school
// mean reliable, and how many schools detect differences between schools.
// Spearman (1910), Brown (1910) and Bliese (2000) for ICC(2); the F ratio of
// the balanced one-way random-effects ANOVA (Scheffé 1959, ch. 7; Searle,
// Casella & McCulloch 1992, §3.5) for the power.

/// The numbers a study of respondents nested in schools is planned with,
/// from the intraclass correlation ICC(1) of the scale.
///
/// Every function needs 0 < ICC(1) < 1: with ICC(1) ≤ 0 the schools differ
/// no more than their respondents do, so no number of respondents makes a
/// school mean reliable and no number of schools detects a difference (the
/// functions return nil rather than divide by it).
public enum StudyPlanning {
    /// The most respondents per school or schools the planning functions
    /// search or report (10^9); a plan that needs more returns nil.
    public static let maximumCount = 1_000_000_000

    /// The reliability of a group mean over n respondents (ICC(2) of a school of n), by Spearman–Brown.
    ///
    /// ```
    /// ICC(2) = n ICC(1) / (1 + (n − 1) ICC(1))
    /// ```
    /// Citation: Spearman (1910), Brown (1910); Bliese (2000), eq. 3 for ICC(2)
    /// from ICC(1) (multilevel `gmeanrel`; psychometric `SBrel`).
    ///
    /// Edge cases: nil unless 0 < ICC(1) < 1 and n ≥ 1 are finite.
    ///
    /// Validated against: R 4.2.2, psychometric 2.3 `SBrel(n, ICC1)`
    /// (Tests/OSCScoringTests/Reference/planning; 1e-12).
    public static func groupMeanReliability(icc1: Double, respondents n: Double) -> Double? {
        guard valid(icc1), n.isFinite, n >= 1 else { return nil }
        return n * icc1 / (1 + (n - 1) * icc1)
    }

    /// The group size at which the group mean reaches reliability T, as a real number (the inverse of Spearman–Brown).
    ///
    /// ```
    /// k = T (1 − ICC(1)) / (ICC(1) (1 − T))
    /// ```
    /// Citation: Brown (1910); Bliese (2000); psychometric `SBlength(T, ICC1)`.
    ///
    /// Edge cases: nil unless 0 < ICC(1) < 1 and 0 < T < 1.
    ///
    /// Validated against: R 4.2.2, psychometric 2.3 `SBlength(T, ICC1)`; 1e-12.
    public static func exactRespondentsNeeded(icc1: Double, target: Double) -> Double? {
        guard valid(icc1), valid(target) else { return nil }
        return target * (1 - icc1) / (icc1 * (1 - target))
    }

    /// The smallest whole number of respondents n ≥ 1 whose group mean
    /// reaches reliability T: `n ICC(1) / (1 + (n − 1) ICC(1)) ≥ T`.
    ///
    /// The reliability grows with n, so n is `ceil(k)` of
    /// ``exactRespondentsNeeded(icc1:target:)``; a k within 1e-9 (relative)
    /// of a whole number counts as that number, so that rounding does not
    /// turn the exact k = 21 of ICC(1) = .10, T = .70 into 22.
    ///
    /// Worked example: ICC(1) = .10, T = .70 → k = .7 × .9 / (.1 × .3) = 21
    /// respondents per school (Bliese 2000's ICC(2) ≥ .70 convention).
    ///
    /// Edge cases: nil unless 0 < ICC(1) < 1 and 0 < T < 1, and when more
    /// than ``maximumCount`` respondents would be needed.
    public static func respondentsNeeded(icc1: Double, target: Double) -> Int? {
        guard let k = exactRespondentsNeeded(icc1: icc1, target: target), k <= Double(maximumCount) else { return nil }
        let whole = k.rounded()
        let n = abs(k - whole) <= 1e-9 * max(1, k) ? whole : k.rounded(.up)
        return max(1, Int(n))
    }

    /// The design effect of sampling n respondents per group: by how much
    /// clustering inflates the variance of a mean over simple random sampling.
    ///
    /// ```
    /// deff = 1 + (n − 1) ICC(1)        effective sample size = N / deff
    /// ```
    /// Citation: Kish (1965), §5.4.
    ///
    /// Edge cases: nil unless ICC(1) < 1 and n ≥ 1 are finite (a negative
    /// ICC(1) gives a design effect below 1).
    public static func designEffect(icc1: Double, respondents n: Double) -> Double? {
        guard icc1.isFinite, icc1 < 1, n.isFinite, n >= 1 else { return nil }
        return 1 + (n - 1) * icc1
    }

    /// The power of the one-way ANOVA F test to detect variance between G groups of n respondents at level α.
    ///
    /// In the balanced one-way random-effects model with between-group
    /// variance τ² and within-group variance σ², MSB/MSW is λ times an
    /// F(G − 1, G(n − 1)) variable, λ = 1 + n τ²/σ² = 1 + n ICC/(1 − ICC):
    /// ```
    /// F_crit = F⁻¹(1 − α; G − 1, G (n − 1))
    /// power  = P( F(G − 1, G (n − 1)) > F_crit / (1 + n ICC(1) / (1 − ICC(1))) )
    /// ```
    /// Citation: Scheffé (1959), The Analysis of Variance, §7.2 (the
    /// distribution of the F ratio under the random-effects model); Searle,
    /// Casella & McCulloch (1992), Variance Components, §3.5.
    ///
    /// Edge cases: nil unless 0 < ICC(1) < 1, 0 < α < 1, G ≥ 2 and n ≥ 2.
    ///
    /// Validated against: a simulation in R 4.2.2 of the balanced one-way
    /// model (Tests/OSCScoringTests/Reference/planning: 20,000 replications
    /// per design, within 4 Monte Carlo standard errors) and R's `pf`/`qf`
    /// for the formula; 1e-9.
    public static func power(icc1: Double, respondents n: Int, schools g: Int, alpha: Double) -> Double? {
        guard n >= 2, g >= 2 else { return nil }
        return power(icc1: icc1, groupSize: Double(n), groups: g, withinDF: Double(g) * Double(n - 1), alpha: alpha)
    }

    /// The power of the F test for G groups of mean size k with `withinDF`
    /// degrees of freedom within groups (N − G), as
    /// ``power(icc1:respondents:schools:alpha:)`` with λ = 1 + k ICC/(1 − ICC):
    /// the approximation for an unbalanced study, with k = N/G as for ICC(2).
    ///
    /// Edge cases: nil unless 0 < ICC(1) < 1, 0 < α < 1, G ≥ 2, k > 1 and
    /// withinDF ≥ 1.
    public static func power(icc1: Double, groupSize k: Double, groups g: Int, withinDF: Double, alpha: Double) -> Double? {
        guard valid(icc1), valid(alpha), g >= 2, k.isFinite, k > 1, withinDF.isFinite, withinDF >= 1 else { return nil }
        let df1 = Double(g - 1)
        let critical = FDistribution.quantile(1 - alpha, df1: df1, df2: withinDF)
        let lambda = 1 + k * icc1 / (1 - icc1)
        let power = FDistribution.survival(critical / lambda, df1: df1, df2: withinDF)
        return power.isFinite ? power : nil
    }

    /// The smallest number of schools G ≥ 2 of n respondents each for which
    /// ``power(icc1:respondents:schools:alpha:)`` reaches `power`.
    ///
    /// The power grows with G; the smallest G is found by doubling and then
    /// halving the bracket (O(log G) evaluations).
    ///
    /// Edge cases: nil unless 0 < ICC(1) < 1, 0 < α < 1, 0 < power < 1 and
    /// n ≥ 2, and when more than ``maximumCount`` schools would be needed.
    public static func schoolsNeeded(icc1: Double, respondents n: Int, alpha: Double, power target: Double) -> Int? {
        guard valid(icc1), valid(alpha), valid(target), n >= 2 else { return nil }
        func reaches(_ g: Int) -> Bool { (power(icc1: icc1, respondents: n, schools: g, alpha: alpha) ?? 0) >= target }
        var low = 1, high = 2
        while !reaches(high) {
            guard high < maximumCount else { return nil }
            low = high
            high = min(maximumCount, high * 2)
        }
        // reaches(high), !reaches(low) (G = 1 has no test).
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if reaches(middle) { high = middle } else { low = middle }
        }
        return high
    }

    /// 0 < x < 1 and finite.
    static func valid(_ x: Double) -> Bool { x > 0 && x < 1 }
}
