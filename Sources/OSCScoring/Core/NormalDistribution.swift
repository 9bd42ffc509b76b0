// The standard normal distribution function, for percentiles of T-scores.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution.
public enum NormalDistribution {
    /// Φ(z), the probability that a standard normal variable is at most `z`.
    ///
    /// ```
    /// Φ(z) = erfc(−z / √2) / 2
    /// ```
    /// Computed with the C library's `erfc`, which keeps full relative
    /// accuracy in the lower tail. Validated against R's `pnorm` in the
    /// norms tests (1e-15 absolute at hand-picked points).
    public static func cdf(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }
}
