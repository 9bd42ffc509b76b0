// Means and standard deviations, computed in two passes for accuracy.

/// The number of values, their mean and their sample standard deviation.
public struct Descriptives: Sendable, Equatable {
    /// The number of values.
    public let n: Int
    /// The arithmetic mean; nil when `n == 0`.
    public let mean: Double?
    /// The sample standard deviation, `sqrt(Σ(x − mean)² / (n − 1))`; nil when `n < 2`.
    public let sd: Double?

    /// Describes `values`, ignoring NaN.
    ///
    /// The mean and the squared deviations are summed in two passes, so the
    /// result does not lose digits when the values are large relative to
    /// their spread. Complexity: O(n).
    public init(_ values: some Sequence<Double>) {
        self.init(ScoreMoments(values))
    }

    /// From a count, sum and sum of squared deviations (`ScoreMoments`).
    init(_ moments: ScoreMoments) {
        n = moments.n
        mean = moments.n > 0 ? moments.mean : nil
        sd = moments.variance?.squareRoot()
    }
}
