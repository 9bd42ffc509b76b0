// The count, sum and sum of squared deviations of a group's scores: all that
// the one-way ANOVA, the REML partition and rwg need of a group, so that
// those statistics cost O(groups) once each group is summarised.

/// Count, sum and sum of squared deviations about the mean of some scores.
///
/// Summaries of disjoint sets combine exactly (Chan, Golub & LeVeque 1983):
/// ```
/// n = Σ n_g,  sum = Σ sum_g,  squares = Σ squares_g + Σ n_g (ȳ_g − ȳ)²
/// ```
/// so the squares of a union never cancel. Scores are summarised in two
/// passes (mean first, then squared deviations), as `Descriptives`.
struct ScoreMoments: Sendable, Equatable {
    /// The number of scores.
    var n = 0
    /// Their sum.
    var sum = 0.0
    /// Σ (y − ȳ)².
    var squares = 0.0

    /// ȳ (NaN when n = 0).
    var mean: Double { sum / Double(n) }

    /// The sample variance `squares / (n − 1)`; nil when n < 2.
    var variance: Double? { n >= 2 ? squares / Double(n - 1) : nil }

    /// Summarises the non-NaN values in two passes.
    init(_ values: some Sequence<Double>) {
        for v in values where !v.isNaN {
            n += 1
            sum += v
        }
        guard n > 1 else { return }
        let m = sum / Double(n)
        for v in values where !v.isNaN { squares += (v - m) * (v - m) }
    }

    init(n: Int, sum: Double, squares: Double) {
        self.n = n
        self.sum = sum
        self.squares = squares
    }

    /// The summary of the union of disjoint sets (empty sets are skipped).
    static func pooled(_ parts: some Sequence<ScoreMoments>) -> ScoreMoments {
        var n = 0, sum = 0.0
        for p in parts where p.n > 0 {
            n += p.n
            sum += p.sum
        }
        guard n > 0 else { return ScoreMoments(n: 0, sum: 0, squares: 0) }
        let mean = sum / Double(n)
        var squares = 0.0
        for p in parts where p.n > 0 {
            let d = p.mean - mean
            squares += p.squares + Double(p.n) * d * d
        }
        return ScoreMoments(n: n, sum: sum, squares: squares)
    }
}
