// Cronbach's alpha with Feldt's confidence interval and item statistics, as
// psych::alpha computes them. Cronbach (1951); Feldt (1965); Feldt, Woodruff
// & Salih (1987).

/// Cronbach's alpha for a scale, with its interval and the statistics of each item.
public struct AlphaReliability: Sendable, Equatable {
    /// Raw alpha from the pairwise-complete covariance matrix C of the items used:
    /// (1 − tr C / 1'C1) · J/(J − 1). psych `raw_alpha`.
    public let alpha: Double
    /// Lower end of Feldt's 95% interval: 1 − (1 − α) F⁻¹(.975; n − 1, (n − 1)(J − 1)).
    public let alphaLower: Double
    /// Upper end of Feldt's 95% interval: 1 − (1 − α) F⁻¹(.025; n − 1, (n − 1)(J − 1)).
    public let alphaUpper: Double
    /// Standardized alpha from the pairwise correlation matrix R:
    /// (1 − J / 1'R1) · J/(J − 1). nil when a pairwise correlation is undefined.
    public let standardizedAlpha: Double?
    /// Mean inter-item correlation (1'R1 − J) / (J(J − 1)) from the pairwise R.
    /// nil when a pairwise correlation is undefined.
    public let averageR: Double?
    /// n: the number of data rows in the block (respondents, including those
    /// who answered nothing), used in Feldt's interval as psych does.
    public let n: Int
    /// J: the number of items used (items without variance are left out).
    public let itemsUsed: Int
    /// One entry per item of the block, in block order.
    public let items: [ItemStatistics]
}

/// The statistics of one item within a scale (psych `item.stats` and `alpha.drop`).
public struct ItemStatistics: Sendable, Equatable {
    /// Number of answers to the item.
    public let n: Int
    /// Mean of the answers; nil when nobody answered.
    public let mean: Double?
    /// Sample standard deviation (n − 1) of the answers; nil with fewer than two answers.
    public let sd: Double?
    /// Item–rest correlation, psych `r.drop`:
    /// (Σ_j C_kj − C_kk) / √(C_kk · 1'C₋ₖ₋ₖ1). nil for an excluded item or
    /// when the rest has no variance.
    public let rDrop: Double?
    /// Raw alpha of the other used items; nil for an excluded item and when
    /// fewer than two items would remain.
    public let alphaIfDeleted: Double?
    /// Whether the item was left out because it has no variance (or fewer than
    /// two answers), as psych does with a warning.
    public let excluded: Bool
}

extension Reliability {
    /// Cronbach's alpha with Feldt's 95% interval, standardized alpha, the mean inter-item correlation and item statistics.
    ///
    /// ```
    /// α      = (1 − tr C / 1'C1) · J/(J − 1)             C: pairwise-complete covariances
    /// α_std  = (1 − J / 1'R1) · J/(J − 1)                R: pairwise correlations
    /// r̄      = (1'R1 − J) / (J (J − 1))
    /// lower  = 1 − (1 − α) · F⁻¹(0.975; n − 1, (n − 1)(J − 1))
    /// upper  = 1 − (1 − α) · F⁻¹(0.025; n − 1, (n − 1)(J − 1))
    /// r.drop_k = (Σ_j C_kj − C_kk) / √(C_kk · 1'C₋ₖ₋ₖ1)
    /// α if k deleted = α of C without row and column k
    /// ```
    /// Items whose answers have no variance (constant, or fewer than two
    /// answers) are left out first and J counts the rest, as psych does.
    ///
    /// Citation: Cronbach (1951); Feldt (1965), Feldt, Woodruff & Salih (1987)
    /// for the interval.
    ///
    /// Edge cases:
    /// - nil when fewer than two items have variance (alpha is undefined for
    ///   one item), when a pairwise covariance is undefined (two items never
    ///   answered together by two respondents), or when 1'C1 ≤ 0.
    /// - `standardizedAlpha`, `averageR`: nil when a pairwise correlation is
    ///   undefined (an item constant over the rows it shares with another).
    /// - Two items: `alphaIfDeleted` is nil (one item has no alpha). psych
    ///   2.2.9 reports C₁₂/C₂₂ for item 1 and C₁₂/C₁₁ for item 2 instead.
    /// - alpha can be negative (items covarying negatively); nothing is clamped.
    ///
    /// Validated against: R 4.2.2, psych 2.2.9 `alpha(x)` (defaults:
    /// `use = "pairwise"`): `raw_alpha`, `feldt`, `item.stats` (n, mean, sd,
    /// r.drop) and `alpha.drop$raw_alpha`, 1e-9, including a constant item
    /// and an item answered once. `standardizedAlpha` and `averageR` follow
    /// psych ≥ 2.4 (pairwise `cor`); psych 2.2.9 takes `cov2cor(C)`, which
    /// differs with missing data, so they are validated against R's
    /// `cor(x, use = "pairwise")` and the formulas above.
    ///
    /// - Complexity: O(respondents × items²); the item statistics O(items³)
    ///   up to 128 items, O(items²) above.
    public static func alpha(_ block: ItemResponses) -> AlphaReliability? {
        let answers = (0..<block.items).map { block.answers(item: $0) }
        let statistics = answers.map { values in
            (n: values.count, mean: values.isEmpty ? nil : SampleMoments.mean(values),
             sd: SampleMoments.variance(values).map { $0.squareRoot() })
        }
        return alpha(itemStatistics: statistics, respondents: block.respondents) { used in
            PairwiseMoments(block.selectingItems(used))
        }
    }

    /// Alpha from each item's count, mean and SD and a way to get the pairwise
    /// moments of the items used; shared by the block path and the exact
    /// integer path (`PairwiseSums`).
    /// - Parameter fromRowSums: each item's r.drop and alpha if deleted from
    ///   the row sums of C (O(J²)) rather than from its rest of C added up
    ///   afresh (O(J³)); nil: from the row sums above `directDropItems` items.
    static func alpha(itemStatistics: [(n: Int, mean: Double?, sd: Double?)], respondents n: Int, fromRowSums: Bool? = nil,
                      moments makeMoments: ([Int]) -> PairwiseMoments) -> AlphaReliability? {
        let sds = itemStatistics.map(\.sd)
        let used = itemStatistics.indices.filter { (sds[$0] ?? 0) > 0 }
        let j = used.count
        guard j >= 2 else { return nil }

        let moments = makeMoments(used)
        guard let c = moments.completeCovariance() else { return nil }
        let total = c.reduce(0, +)
        guard total > 0 else { return nil }
        let alpha = rawAlpha(c, items: j)

        var standardized: Double? = nil, averageR: Double? = nil
        if let r = moments.completeCorrelation() {
            let sumR = r.reduce(0, +)
            let jd = Double(j)
            standardized = (1 - jd / sumR) * jd / (jd - 1)
            averageR = (sumR - jd) / (jd * (jd - 1))
        }

        let df1 = Double(n - 1), df2 = Double((n - 1) * (j - 1))
        let lower = 1 - (1 - alpha) * FDistribution.quantile(0.975, df1: df1, df2: df2)
        let upper = 1 - (1 - alpha) * FDistribution.quantile(0.025, df1: df1, df2: df2)

        // Above `directDropItems` items: 1'C₋ₖ₋ₖ1 = 1'C1 − 2 Σ_j C_kj + C_kk and
        // tr C₋ₖ₋ₖ = tr C − C_kk, the same to rounding in O(J²) in all.
        var rowSums: [Double]? = nil, trace = 0.0
        if fromRowSums ?? (j > directDropItems) {
            rowSums = (0..<j).map { k in (0..<j).reduce(0.0) { $0 + c[k * j + $1] } }
            trace = (0..<j).reduce(0.0) { $0 + c[$1 * j + $1] }
        }
        var position = [Int](repeating: -1, count: itemStatistics.count)
        for (k, item) in used.enumerated() { position[item] = k }

        var perItem: [ItemStatistics] = []
        for item in itemStatistics.indices {
            let count = itemStatistics[item].n, mean = itemStatistics[item].mean
            let k = position[item]
            guard k >= 0 else {
                perItem.append(ItemStatistics(n: count, mean: mean, sd: sds[item],
                                              rDrop: nil, alphaIfDeleted: nil, excluded: true))
                continue
            }
            if let rowSums {
                let own = c[k * j + k], restSum = total - 2 * rowSums[k] + own
                let denominator = own * restSum
                let rDrop = denominator > 0 ? (rowSums[k] - own) / denominator.squareRoot() : nil
                let jd = Double(j - 1)
                let alphaIfDeleted: Double? = j >= 3 ? (1 - (trace - own) / restSum) * jd / (jd - 1) : nil
                perItem.append(ItemStatistics(n: count, mean: mean, sd: sds[item], rDrop: rDrop,
                                              alphaIfDeleted: alphaIfDeleted, excluded: false))
                continue
            }
            let rest = (0..<j).filter { $0 != k }
            let restSum = rest.reduce(0.0) { s, a in rest.reduce(s) { $0 + c[a * j + $1] } }
            let itemRest = (0..<j).reduce(0.0) { $0 + c[k * j + $1] } - c[k * j + k]
            let denominator = c[k * j + k] * restSum
            let rDrop = denominator > 0 ? itemRest / denominator.squareRoot() : nil
            var alphaIfDeleted: Double? = nil
            if j >= 3 {
                var reduced: [Double] = []
                for a in rest { for b in rest { reduced.append(c[a * j + b]) } }
                alphaIfDeleted = rawAlpha(reduced, items: j - 1)
            }
            perItem.append(ItemStatistics(n: count, mean: mean, sd: sds[item], rDrop: rDrop,
                                          alphaIfDeleted: alphaIfDeleted, excluded: false))
        }
        return AlphaReliability(alpha: alpha, alphaLower: lower, alphaUpper: upper,
                                standardizedAlpha: standardized, averageR: averageR,
                                n: n, itemsUsed: j, items: perItem)
    }

    /// The most items for which each item's r.drop and alpha if deleted are
    /// summed afresh from its rest of C (O(J³), as the R references were
    /// checked); larger scales use the row sums (O(J²)).
    static let directDropItems = 128

    /// (1 − tr C / 1'C1) · J/(J − 1) for a row-major J × J covariance matrix.
    static func rawAlpha(_ c: [Double], items j: Int) -> Double {
        var trace = 0.0, total = 0.0
        for a in 0..<j {
            trace += c[a * j + a]
            for b in 0..<j { total += c[a * j + b] }
        }
        let jd = Double(j)
        return (1 - trace / total) * jd / (jd - 1)
    }
}
