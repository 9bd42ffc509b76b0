// Student's t distribution (its quantiles, from the F distribution) and the
// t interval of a mean: what R's `qt` and `t.test(x)$conf.int` give.

import Foundation

/// Student's t distribution with `df` degrees of freedom: its quantiles.
///
/// Derived from the F distribution: if T has a t distribution on df
/// degrees of freedom, T² has an F(1, df) distribution, and T is symmetric
/// about 0, so `P(T > t) = P(F(1, df) > t²) / 2` for t ≥ 0.
public enum StudentTDistribution {
    /// The quantile: the t with P(T ≤ t) = p.
    ///
    /// ```
    /// t_p = +√ F⁻¹_upper(2 (1 − p); 1, df)   for p > ½
    /// t_p = −√ F⁻¹_upper(2 p; 1, df)         for p < ½,   t_½ = 0
    /// ```
    /// (F⁻¹_upper(q) the x with P(F > x) = q). Both 2 (1 − p) and 2 p are
    /// exact in floating point, so the tails keep full relative precision.
    ///
    /// Citation: the t–F relation, e.g. Johnson, Kotz & Balakrishnan (1995),
    /// ch. 28; the F quantile as ``FDistribution/quantile(_:df1:df2:)``.
    ///
    /// Edge cases: −infinity for p = 0, +infinity for p = 1, 0 for p = ½;
    /// `nan` for p outside [0, 1] or `df` not positive and finite.
    ///
    /// Validated against: R 4.2.2 `qt(p, df)` for df from 1 to 1e6 and p
    /// from 1e-12 to 1 − 1e-12, within 1e-12 relative
    /// (`Tests/OSCScoringTests/Reference/intervals`).
    ///
    /// Complexity: one F quantile.
    public static func quantile(_ p: Double, df: Double) -> Double {
        guard p >= 0, p <= 1, df > 0, df.isFinite else { return .nan }
        if p == 0.5 { return 0 }
        if p > 0.5 { return FDistribution.upperQuantile(2 * (1 - p), df1: 1, df2: df).squareRoot() }
        return -FDistribution.upperQuantile(2 * p, df1: 1, df2: df).squareRoot()
    }

    /// The two-sided critical value of a `confidence` interval: the t with
    /// P(|T| ≤ t) = confidence, that is `quantile((1 + confidence) / 2)`
    /// without rounding (1 + confidence) / 2.
    ///
    /// ```
    /// t = √ F⁻¹_upper(1 − confidence; 1, df)
    /// ```
    /// Edge cases: 0 for confidence 0, +infinity for 1, `nan` outside [0, 1].
    ///
    /// Validated against: R 4.2.2 `qt((1 + confidence) / 2, df)`, 1e-12 relative.
    public static func twoSidedCritical(confidence: Double, df: Double) -> Double {
        guard confidence >= 0, confidence <= 1, df > 0, df.isFinite else { return .nan }
        return FDistribution.upperQuantile(1 - confidence, df1: 1, df2: df).squareRoot()
    }
}

/// A confidence interval of a mean (JSON `ciLower`, `ciUpper`).
public struct MeanInterval: Sendable, Equatable {
    /// The lower end (JSON `ciLower`).
    public let lower: Double
    /// The upper end (JSON `ciUpper`).
    public let upper: Double

    /// An interval from its two ends.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The fewest values for which an interval is given: 3. With two values
    /// the t interval has one degree of freedom and a 95% half-width of
    /// 12.71 s / √2 ≈ 9 standard deviations, wider than any response scale
    /// (R's `t.test` still gives it); with one there is no standard deviation.
    public static let minimumCount = 3

    /// The t interval of a mean over `n` values with sample standard
    /// deviation `sd` (n − 1 denominator), as R's `t.test(x, conf.level = confidence)$conf.int`.
    ///
    /// ```
    /// mean ± t_{(1 + c)/2}(n − 1) · sd / √n
    /// ```
    /// For a school: its respondents' scale scores. For an authority: its
    /// included schools' means, each school counting once (G − 1 degrees of
    /// freedom), which is the interval of the authority's mean of school means.
    ///
    /// Citation: Student (1908); the usual one-sample t interval.
    ///
    /// Edge cases: nil when `n < minimumCount` (3), when the mean or sd is
    /// missing or not finite, or when `confidence` is not strictly between 0
    /// and 1. An sd of 0 (every value equal) gives the interval [mean, mean]
    /// (R's `t.test` stops: "data are essentially constant").
    ///
    /// Validated against: R 4.2.2 `t.test(x)$conf.int` for every school and
    /// authority mean of the shipped example at 0.95 and 0.90, within 1e-9
    /// (`Tests/OSCScoringTests/Reference/intervals`).
    public static func t(mean: Double?, sd: Double?, n: Int, confidence: Double) -> MeanInterval? {
        guard n >= minimumCount, confidence > 0, confidence < 1 else { return nil }
        return t(mean: mean, sd: sd, n: n, critical: StudentTDistribution.twoSidedCritical(confidence: confidence, df: Double(n - 1)))
    }

    /// The same with the critical value t_{(1 + c)/2}(n − 1) given (the
    /// report computes one per distinct n); nil when it is missing.
    static func t(mean: Double?, sd: Double?, n: Int, critical: Double?) -> MeanInterval? {
        guard n >= minimumCount, let critical, let mean, let sd, mean.isFinite, sd.isFinite, sd >= 0 else { return nil }
        let halfWidth = critical * sd / Double(n).squareRoot()
        guard halfWidth.isFinite else { return nil }
        return MeanInterval(lower: mean - halfWidth, upper: mean + halfWidth)
    }

    /// The critical values t_{(1 + c)/2}(n − 1) for each of `counts` (at
    /// least `minimumCount`), computed once per distinct count; empty when
    /// `confidence` is not strictly between 0 and 1.
    static func criticalValues<Counts: Sequence<Int>>(for counts: Counts, confidence: Double) -> [Int: Double] {
        guard confidence > 0, confidence < 1 else { return [:] }
        var out: [Int: Double] = [:]
        for n in counts where n >= minimumCount && out[n] == nil {
            out[n] = StudentTDistribution.twoSidedCritical(confidence: confidence, df: Double(n - 1))
        }
        return out
    }
}
