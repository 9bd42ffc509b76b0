// Covariances and correlations of items from pairwise-complete answers, as
// R's cov(x, use = "pairwise") and cor(x, use = "pairwise").

/// The item covariance and correlation matrices of a block, each entry from
/// the respondents who answered both items of its pair.
///
/// ```
/// C_ij = Σ (x_i − x̄_i|ij)(x_j − x̄_j|ij) / (n_ij − 1)     means over the n_ij rows answering both
/// C_ii = sample variance of item i's own answers
/// R_ij = C_ij / (s_i|ij · s_j|ij)                           sds over the same n_ij rows
/// ```
/// An entry is nil when fewer than two respondents answered both items, and
/// a correlation is nil when either item is constant over those rows
/// (R gives NA).
///
/// Validated against: R 4.2.2 `cov`/`cor` with `use = "pairwise"` (through
/// psych's `alpha` and the reference formulas; 1e-9).
///
/// Complexity: O(respondents × items²).
struct PairwiseMoments {
    let items: Int
    /// Row-major items × items; nil where undefined.
    let covariance: [Double?]
    /// Row-major items × items; 1 on the diagonal for an item with variance.
    let correlation: [Double?]

    init(items: Int, covariance: [Double?], correlation: [Double?]) {
        self.items = items
        self.covariance = covariance
        self.correlation = correlation
    }

    init(_ block: ItemResponses) {
        let j = block.items, n = block.respondents
        items = j
        var cov = [Double?](repeating: nil, count: j * j)
        var cor = [Double?](repeating: nil, count: j * j)
        // Two passes over the rows that answered both items: the pair's means,
        // then the centred sums, adding in respondent order (the same sums as
        // collecting the pairs first and using SampleMoments.mean).
        block.values.withUnsafeBufferPointer { x in
            for a in 0..<j {
                for b in a..<j {
                    var count = 0, sx = 0.0, sy = 0.0
                    for r in 0..<n {
                        let u = x[r * j + a], v = x[r * j + b]
                        if !u.isNaN && !v.isNaN {
                            count += 1
                            sx += u
                            sy += v
                        }
                    }
                    guard count >= 2 else { continue }
                    let mx = sx / Double(count), my = sy / Double(count)
                    var sxy = 0.0, sxx = 0.0, syy = 0.0
                    for r in 0..<n {
                        let u = x[r * j + a], v = x[r * j + b]
                        if !u.isNaN && !v.isNaN {
                            sxy += (u - mx) * (v - my)
                            sxx += (u - mx) * (u - mx)
                            syy += (v - my) * (v - my)
                        }
                    }
                    let denominator = Double(count - 1)
                    cov[a * j + b] = sxy / denominator
                    cov[b * j + a] = sxy / denominator
                    if sxx > 0 && syy > 0 {
                        let r = a == b ? 1 : sxy / (sxx.squareRoot() * syy.squareRoot())
                        cor[a * j + b] = r
                        cor[b * j + a] = r
                    }
                }
            }
        }
        covariance = cov
        correlation = cor
    }

    /// The covariance matrix as plain numbers, or nil if any entry is undefined.
    func completeCovariance() -> [Double]? {
        let values = covariance.compactMap { $0 }
        return values.count == covariance.count ? values : nil
    }

    /// The correlation matrix as plain numbers, or nil if any entry is undefined.
    func completeCorrelation() -> [Double]? {
        let values = correlation.compactMap { $0 }
        return values.count == correlation.count ? values : nil
    }
}
