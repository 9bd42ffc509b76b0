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
    /// The scores' sum as an exact fraction, when it is known: every score is
    /// `S / m` for one number of answers m and an integer S (as when every
    /// respondent answered the same number of items), and `total` is Σ S,
    /// so that `sum = total / m` and `mean = total / (n m)` exactly. Lets the
    /// one-way ANOVA tell equal group means from rounding noise.
    var exact: ExactTotal? = nil

    /// Σ S over scores `S / m` with one m: the exact form of a sum of scores.
    struct ExactTotal: Sendable, Equatable {
        var total: Int
        var answers: Int
    }

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

    init(n: Int, sum: Double, squares: Double, exact: ExactTotal? = nil) {
        self.n = n
        self.sum = sum
        self.squares = squares
        self.exact = exact
    }

    /// Whether the exact means of two summaries are equal; nil when either
    /// is not exact. `total_a / (n_a m_a) = total_b / (n_b m_b)`, compared
    /// by cross-multiplying in 128 bits.
    func hasEqualExactMean(_ other: ScoreMoments) -> Bool? {
        guard let a = exact, let b = other.exact, n > 0, other.n > 0 else { return nil }
        let left = a.total.multipliedFullWidth(by: other.n * b.answers)
        let right = b.total.multipliedFullWidth(by: n * a.answers)
        return left.high == right.high && left.low == right.low
    }

    /// The summary of the union of disjoint sets (empty sets are skipped).
    static func pooled(_ parts: some Sequence<ScoreMoments>) -> ScoreMoments {
        var n = 0, sum = 0.0
        // Exact while every part is exact with the same number of answers.
        var exact: ExactTotal? = nil, exactSoFar = true
        for p in parts where p.n > 0 {
            n += p.n
            sum += p.sum
            if exactSoFar, let e = p.exact, exact == nil || exact!.answers == e.answers {
                let (total, overflow) = (exact?.total ?? 0).addingReportingOverflow(e.total)
                if overflow { exactSoFar = false; exact = nil } else { exact = ExactTotal(total: total, answers: e.answers) }
            } else {
                exactSoFar = false
                exact = nil
            }
        }
        guard n > 0 else { return ScoreMoments(n: 0, sum: 0, squares: 0) }
        let mean = sum / Double(n)
        var squares = 0.0
        for p in parts where p.n > 0 {
            let d = p.mean - mean
            squares += p.squares + Double(p.n) * d * d
        }
        return ScoreMoments(n: n, sum: sum, squares: squares, exact: exact)
    }
}
