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
        var n = 0
        var sum = 0.0
        for v in values where !v.isNaN {
            n += 1
            sum += v
        }
        self.n = n
        guard n > 0 else { mean = nil; sd = nil; return }
        let m = sum / Double(n)
        mean = m
        guard n > 1 else { sd = nil; return }
        var squares = 0.0
        for v in values where !v.isNaN { squares += (v - m) * (v - m) }
        sd = (squares / Double(n - 1)).squareRoot()
    }

    init(n: Int, mean: Double?, sd: Double?) {
        self.n = n
        self.mean = mean
        self.sd = sd
    }
}
