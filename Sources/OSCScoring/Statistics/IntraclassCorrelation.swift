// ICC(1) and ICC(2) from a one-way random-effects ANOVA of an individual
// score on group membership, computed from group sums. Bliese (2000);
// Shrout & Fleiss (1979); McGraw & Wong (1996).

import Foundation

/// The one-way ANOVA of a score on groups and the intraclass correlations derived from it.
///
/// Names follow multilevel's `ICC1`/`ICC2` and R's `summary(aov(...))`.
public struct OneWayANOVAICC: Sendable, Equatable {
    /// ICC(1) = (MSB − MSW)/(MSB + (k − 1) MSW): the share of a person's score
    /// variance that lies between groups. May be negative.
    public let icc1: Double
    /// ICC(2) = (MSB − MSW)/MSB = 1 − 1/F: the reliability of the group means.
    /// −infinity when MSB = 0 (all group means equal): not a number any
    /// output writes (JSON `null`, CSV empty, a dash in readable reports).
    public let icc2: Double
    /// Lower end of the 95% confidence interval of ICC(1).
    public let icc1Lower: Double
    /// Upper end of the 95% confidence interval of ICC(1).
    public let icc1Upper: Double
    /// F = MSB/MSW (+infinity when MSW = 0 < MSB).
    public let f: Double
    /// Between-groups degrees of freedom, G − 1.
    public let df1: Int
    /// Within-groups degrees of freedom, N − G.
    public let df2: Int
    /// P(F(df1, df2) > f), the upper-tail p-value.
    public let p: Double
    /// Mean square between groups, Σ n_g (ȳ_g − ȳ)² / (G − 1).
    public let meanSquareBetween: Double
    /// Mean square within groups, Σ (y − ȳ_g)² / (N − G).
    public let meanSquareWithin: Double
    /// k = N/G, the mean group size used in ICC(1) (multilevel's choice; not
    /// the unbalanced-design k₀).
    public let k: Double
    /// G, the number of groups with at least one score.
    public let groups: Int
    /// N, the number of scores used.
    public let n: Int

    // ICC(2) interval, design effect and effective N.
    /// Lower end of the 95% confidence interval of ICC(2), 1 − 1/F_L from
    /// the same F bound as ICC(1)'s (psychometric `ICC2.CI`). −infinity when
    /// F = 0 (written `null`).
    public let icc2Lower: Double
    /// Upper end of the 95% confidence interval of ICC(2), 1 − 1/F_U (psychometric `ICC2.CI`).
    public let icc2Upper: Double
}

extension OneWayANOVAICC {
    /// The design effect of the clustering, `1 + (k − 1) ICC(1)` with k = N/G
    /// as for ICC(2) (Kish 1965): how many times larger the variance of the
    /// overall mean is than with N independent respondents.
    ///
    /// Edge cases: an ICC(1) ≤ 0 (no variance between groups beyond chance,
    /// including F = 0) is read as no clustering, so the design effect is 1
    /// (the formula would give less than 1, even 0 at F = 0, claiming more
    /// information than N independent respondents); F = infinity (ICC(1) = 1)
    /// gives k.
    ///
    /// Validated against: the formula written out in R with multilevel 2.7's
    /// `ICC1` (`Tests/OSCScoringTests/Reference/intervals`), 1e-9.
    public var designEffect: Double { 1 + (k - 1) * max(icc1, 0) }

    /// The effective sample size `N / designEffect`: the number of
    /// independent respondents that would give the overall mean the same
    /// precision. N when ICC(1) ≤ 0, G when ICC(1) = 1.
    public var effectiveN: Double { Double(n) / designEffect }

    /// Whether ICC(1) ≤ 0, so that `designEffect` is taken as 1.
    public var designEffectIsTruncated: Bool { !(icc1 > 0) }
}

/// Intraclass correlations for scores nested in groups.
public enum IntraclassCorrelation {
    /// ICC(1), ICC(2), the F test and a 95% interval for ICC(1) from the one-way ANOVA of scores on groups.
    ///
    /// ```
    /// MSB = Σ_g n_g (ȳ_g − ȳ)² / (G − 1)        MSW = Σ_g Σ_i (y_gi − ȳ_g)² / (N − G)
    /// k = N / G                                   F = MSB / MSW on (G − 1, N − G)
    /// ICC(1) = (MSB − MSW) / (MSB + (k − 1) MSW)  ICC(2) = (MSB − MSW) / MSB
    /// p = P(F(G − 1, N − G) > F)
    /// F_L = F / F₀.₉₇₅(G − 1, N − G)              F_U = F · F₀.₉₇₅(N − G, G − 1)
    /// lower = (F_L − 1)/(F_L + k − 1)             upper = (F_U − 1)/(F_U + k − 1)
    /// ICC(2) lower = 1 − 1/F_L                    ICC(2) upper = 1 − 1/F_U
    /// ```
    /// The mean squares come from group sums in two passes over the data
    /// (group means first, then squared deviations), which equals R's
    /// `aov` without its dense N × G model matrix.
    ///
    /// Citation: Bliese (2000) for ICC(1)/ICC(2) with k = N/G; Shrout &
    /// Fleiss (1979) and McGraw & Wong (1996) for the intervals (psych `ICC`;
    /// psychometric's `ICC1.CI` and `ICC2.CI`, which take k − 1 = (N − G)/G).
    ///
    /// Edge cases:
    /// - Rows with a `nan` score or a negative group id are dropped first.
    /// - nil when fewer than two groups remain (no between-group variance) or
    ///   N − G < 1 (every group has one score: no within-group variance), and
    ///   when all scores are equal (MSB = MSW = 0: F is 0/0).
    /// - MSW = 0 < MSB (every group internally constant): F = +infinity,
    ///   ICC(1) = ICC(2) = 1, p = 0 and the interval is [1, 1] (the limits as
    ///   MSW → 0), and so is ICC(2)'s. R gives F = Inf, ICC1 = ICC2 = 1 and a NaN interval.
    /// - MSB = 0 < MSW (all group means equal, decided exactly from exact
    ///   sums, see `equalMeans`): F = 0, p = 1, ICC(1) = −1/(k − 1) with the
    ///   interval at that value, and ICC(2) = −infinity with its interval
    ///   [−infinity, −infinity] (R's limit; writers
    ///   show it as `null` or a dash, never as a number). R's `aov` instead
    ///   gives the rounding noise of equal means (an F of about 1e-30).
    ///
    /// Validated against: R 4.2.2, multilevel 2.7 `ICC1(aov(y ~ as.factor(g)))`,
    /// `ICC2(...)`, `summary(aov(...))` for F, df, p and mean squares, and the
    /// interval formula with R's `qf`; 1e-9 (school and authority level of the
    /// synthetic data, groups of one, 300 sparse group ids); the ICC(2)
    /// interval against psychometric 2.3 `ICC2.CI` (school and authority level
    /// of every scale of the shipped example, and edge cases), 1e-9.
    ///
    /// - Parameters:
    ///   - scores: one score per person, `nan` when missing.
    ///   - groups: the person's group id (any non-negative integer), same length.
    /// - Complexity: O(N) expected (a hash of group ids).
    public static func oneWay(scores: [Double], groups: [Int]) -> OneWayANOVAICC? {
        precondition(scores.count == groups.count, "one group id per score")
        // Group id → slot in order of first appearance: by direct addressing
        // when the ids are small (the usual 0..<G), by hashing otherwise.
        let largest = groups.max() ?? -1
        let direct = largest < 4 * scores.count + 1024
        var slotOfId = [Int](repeating: -1, count: direct ? largest + 1 : 0)
        var slot: [Int: Int] = [:]
        var counts: [Int] = []
        var sums: [Double] = []
        var member: [Int] = []   // slot per kept row, -1 when dropped
        member.reserveCapacity(scores.count)
        for (y, g) in zip(scores, groups) {
            guard !y.isNaN, g >= 0 else { member.append(-1); continue }
            let s: Int
            if let existing = direct ? (slotOfId[g] >= 0 ? slotOfId[g] : nil) : slot[g] {
                s = existing
            } else {
                s = counts.count
                if direct { slotOfId[g] = s } else { slot[g] = s }
                counts.append(0)
                sums.append(0)
            }
            counts[s] += 1
            sums[s] += y
            member.append(s)
        }
        var squares = [Double](repeating: 0, count: counts.count)
        let means = zip(sums, counts).map { $0 / Double($1) }
        for (y, s) in zip(scores, member) where s >= 0 {
            let d = y - means[s]
            squares[s] += d * d
        }
        return oneWay(groups: (0..<counts.count).map { ScoreMoments(n: counts[$0], sum: sums[$0], squares: squares[$0]) })
    }

    /// The same analysis from each group's count, sum and sum of squared
    /// deviations (groups with no score are skipped): what the report uses,
    /// with the groups summarised once (`ScoreMoments`).
    ///
    /// ```
    /// ȳ = Σ sum_g / N,  SSB = Σ n_g (ȳ_g − ȳ)²,  SSW = Σ squares_g
    /// ```
    /// Validated with `oneWay(scores:groups:)`, which reduces to it.
    static func oneWay(groups: [ScoreMoments]) -> OneWayANOVAICC? {
        var groupCount = 0, n = 0, total = 0.0, within = 0.0
        for g in groups where g.n > 0 {
            groupCount += 1
            n += g.n
            total += g.sum
            within += g.squares
        }
        guard groupCount >= 2, n - groupCount >= 1 else { return nil }
        let grandMean = total / Double(n)
        let between = equalMeans(groups, grandMean: grandMean, n: n) ? 0 : groups.reduce(0.0) { sum, g in
            guard g.n > 0 else { return sum }
            let d = g.mean - grandMean
            return sum + Double(g.n) * d * d
        }
        let df1 = groupCount - 1, df2 = n - groupCount
        let msb = between / Double(df1)
        let msw = within / Double(df2)
        guard msb > 0 || msw > 0 else { return nil }
        let k = Double(n) / Double(groupCount)

        if msw == 0 {
            // Every group internally constant (and, by the guard, the means differ).
            return OneWayANOVAICC(icc1: 1, icc2: 1, icc1Lower: 1, icc1Upper: 1, f: .infinity,
                                  df1: df1, df2: df2, p: 0, meanSquareBetween: msb,
                                  meanSquareWithin: msw, k: k, groups: groupCount, n: n,
                                  icc2Lower: 1, icc2Upper: 1)
        }
        if msb == 0 {
            // Every group mean equal: F = 0, ICC(1) = −MSW/((k − 1) MSW) =
            // −1/(k − 1) (−infinity when k = 1 cannot happen: N − G ≥ 1),
            // ICC(2) = −infinity, p = 1 and the interval collapses to ICC(1)'s
            // lower limit −1/(k − 1) at both ends (F_L = F_U = 0).
            let icc1 = -1 / (k - 1)
            return OneWayANOVAICC(icc1: icc1, icc2: -.infinity, icc1Lower: icc1, icc1Upper: icc1, f: 0,
                                  df1: df1, df2: df2, p: 1, meanSquareBetween: 0,
                                  meanSquareWithin: msw, k: k, groups: groupCount, n: n,
                                  icc2Lower: -.infinity, icc2Upper: -.infinity)
        }
        let f = msb / msw
        let icc1 = (msb - msw) / (msb + (k - 1) * msw)
        let icc2 = (msb - msw) / msb
        let p = FDistribution.survival(f, df1: Double(df1), df2: Double(df2))
        let fLower = f / FDistribution.quantile(0.975, df1: Double(df1), df2: Double(df2))
        let fUpper = f * FDistribution.quantile(0.975, df1: Double(df2), df2: Double(df1))
        return OneWayANOVAICC(
            icc1: icc1, icc2: icc2,
            icc1Lower: (fLower - 1) / (fLower + k - 1), icc1Upper: (fUpper - 1) / (fUpper + k - 1),
            f: f, df1: df1, df2: df2, p: p, meanSquareBetween: msb, meanSquareWithin: msw,
            k: k, groups: groupCount, n: n,
            icc2Lower: 1 - 1 / fLower, icc2Upper: 1 - 1 / fUpper)
    }

    /// Whether every group's mean equals the grand mean, so that the
    /// between-groups sum of squares is exactly zero (not the rounding noise
    /// of subtracting equal means, whose F of about 1e-30 would give an
    /// ICC(2) of about −1e30).
    ///
    /// When every group's sum is exact (`ScoreMoments.exact`: the scores are
    /// integer sums over one number of answers, as when every respondent
    /// answered every item), the means are compared exactly as fractions.
    /// Otherwise two means count as equal when they differ by no more than
    /// the rounding of their sums can explain: `|ȳ_g − ȳ| ≤ 4 (n_g + N) ε max(|ȳ_g|, |ȳ|)`
    /// (ε = 2⁻⁵², the bound of recursive summation), far below any
    /// difference of two distinct means of answers on a response scale.
    static func equalMeans(_ groups: [ScoreMoments], grandMean: Double, n: Int) -> Bool {
        let present = groups.filter { $0.n > 0 }
        guard let first = present.first else { return true }
        if present.allSatisfy({ $0.exact != nil }) {
            return present.allSatisfy { first.hasEqualExactMean($0) == true }
        }
        return present.allSatisfy { g in
            let tolerance = 4 * Double(g.n + n) * Double.ulpOfOne * max(abs(g.mean), abs(grandMean))
            return abs(g.mean - grandMean) <= tolerance
        }
    }
}
