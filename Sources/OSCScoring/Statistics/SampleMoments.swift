// Means, sample variances and medians of the answers that are present, the
// primitives every statistic here is built on.

/// Mean, sample variance (n − 1) and median of a list of numbers.
///
/// The variance is computed in two passes, Σ(x − x̄)²/(n − 1), which is as
/// accurate as R's `var` for the data here (answers on a short scale). The
/// mean is Σx/n, which for integer answers is the correctly rounded value R's
/// `mean` also returns, so equality tests such as awg's "mean equals the top
/// of the scale" agree with R.
enum SampleMoments {
    /// Σx / n; `nan` for an empty list.
    static func mean(_ values: [Double]) -> Double {
        var sum = 0.0
        for v in values { sum += v }
        return sum / Double(values.count)
    }

    /// Σ(x − x̄)² / (n − 1); nil for fewer than two values.
    static func variance(_ values: [Double]) -> Double? {
        guard values.count >= 2 else { return nil }
        let m = mean(values)
        var sum = 0.0
        for v in values {
            let d = v - m
            sum += d * d
        }
        return sum / Double(values.count - 1)
    }

    /// The middle value (mean of the two middle values for an even count, as
    /// R's `median`); `nan` for an empty list.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let half = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2
    }

    /// The values that are not `nan`.
    static func present(_ values: [Double]) -> [Double] {
        values.filter { !$0.isNaN }
    }
}
