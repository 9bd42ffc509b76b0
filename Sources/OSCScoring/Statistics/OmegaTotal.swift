// McDonald's omega total from a one-factor minimum-residual fit to the
// pairwise correlation matrix, as psych::omega(x, nfactors = 1)$omega.tot.
// McDonald (1999); Revelle & Zinbarg (2009).

extension Reliability {
    /// McDonald's ω total: the share of the (standardized) total-score variance due to the common factor.
    ///
    /// ```
    /// R   = pairwise correlation matrix of the items
    /// λ   = one-factor minimum-residual loadings (OneFactorMinimumResidual)
    /// R̃   = D R D,  D = diag(sign λ)            (psych reverses negatively loading items)
    /// ω_t = (1'R̃1 − Σ (1 − λ_i²)) / 1'R̃1
    /// ```
    /// The fit is iterated to machine precision, so it is tighter than
    /// psych's L-BFGS-B fit (which stops about 1e-6 short).
    ///
    /// Citation: McDonald (1999); Revelle & Zinbarg (2009) for psych's computation.
    ///
    /// Edge cases:
    /// - nil for fewer than two items, and when a pairwise correlation is
    ///   undefined (a constant item, or two items without two common
    ///   respondents); psych stops with an error there.
    /// - Two items: one factor is not identified (only λ₁λ₂ = r is fitted).
    ///   The equal-loading solution λ₁² = λ₂² = |r| is used, which is where
    ///   psych's fit lands from its symmetric start: ω_t = 2|r| / (1 + |r|),
    ///   the standardized alpha (Spearman–Brown) of the pair.
    /// - Three items: the fit is exact (λ₁² = r₁₂ r₁₃ / r₂₃, …) unless it is a
    ///   Heywood case.
    /// - Heywood cases (a communality above 0.995): the communality is held at
    ///   psych's bound 0.995 and the others refitted. psych 2.2.9 bounds the
    ///   uniqueness in its optimiser but then reports loadings from an
    ///   eigendecomposition that can exceed 1 (for r₁₂ = .9, r₁₃ = .8,
    ///   r₂₃ = .6: λ₁ = 1.022, ω_t = 0.9123; here 0.9094). Such results agree
    ///   with psych only roughly.
    ///
    /// Validated against: R 4.2.2, psych 2.2.9 `omega(x, nfactors = 1)$omega.tot`
    /// (1e-4; observed differences ≤ 4e-7, psych's fit tolerance) and psych's
    /// minres loadings polished by Newton's method in R (1e-9).
    ///
    /// - Complexity: O(respondents × items²) for R, then O(items³) per Newton
    ///   step up to 128 items and O(items²) per conjugate-gradient step above.
    public static func omegaTotal(_ block: ItemResponses) -> Double? {
        guard block.items >= 2 else { return nil }
        return omegaTotal(correlation: PairwiseMoments(block).completeCorrelation(), items: block.items)
    }

    /// Omega total from a pairwise correlation matrix (row-major, `items` ×
    /// `items`); nil when it is missing or the fit fails.
    /// - Parameter matrixFree: the fit's path (`OneFactorMinimumResidual.loadings`); nil: by size.
    static func omegaTotal(correlation: [Double]?, items j: Int, matrixFree: Bool? = nil) -> Double? {
        guard j >= 2, let r = correlation else { return nil }
        if j == 2 {
            let a = abs(r[1])
            return 2 * a / (1 + a)
        }
        guard let lambda = OneFactorMinimumResidual.loadings(correlation: r, items: j, matrixFree: matrixFree) else { return nil }
        let sign = lambda.map { $0 < 0 ? -1.0 : 1.0 }
        var total = 0.0
        for a in 0..<j { for b in 0..<j { total += sign[a] * sign[b] * r[a * j + b] } }
        guard total > 0 else { return nil }
        let uniqueness = lambda.reduce(0) { $0 + (1 - $1 * $1) }
        return (total - uniqueness) / total
    }
}
