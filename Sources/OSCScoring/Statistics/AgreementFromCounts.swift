// Within-group agreement from answer counts: the same indices as Agreement's
// block functions, computed from how many times each answer occurs per item.
// Answers on a short response scale make this exact and O(items × options)
// per group instead of O(respondents × items).

extension Agreement {
    /// rwg(j), r*wg(j), awg and AD (mean and median) of a scale from the
    /// counts of its items' answers in one group, under the pairwise rule:
    /// items with fewer than two answers are left out; nil when none is left.
    /// For the listwise rule, pass counts over the complete respondents only
    /// and their number as `listwiseComplete` (fewer than two gives nil).
    ///
    /// Same definitions and edge cases as `rwgJ`, `rwgJStar`, `awg` and
    /// `averageDeviation`; validated against them on random data with
    /// missing answers (1e-12).
    ///
    /// - Parameters:
    ///   - counts: item k's count of code c (1…options) at `counts[k * (options + 1) + c]`
    ///     (code 0, the missing answers, is not read), for `items` items.
    static func indices(counts: UnsafePointer<Int32>, items: Int, options: Int, valueShift: Int, lowest L: Double, highest H: Double,
                        nullVariance: Double, listwiseComplete: Int? = nil)
        -> (rwgJ: Double?, rwgJStar: Double?, awg: Double?, adMean: Double?, adMedian: Double?) {
        let none: (Double?, Double?, Double?, Double?, Double?) = (nil, nil, nil, nil, nil)
        if let complete = listwiseComplete, complete < 2 { return none }
        let width = options + 1
        // Sums over the items with at least two answers (each index's mean over items).
        var used = 0, variances = 0.0, awgCount = 0, awgs = 0.0, adMeans = 0.0, adMedians = 0.0
        for item in 0..<items {
            let itemCounts = counts + item * width
            // Zero counts add nothing to these integer sums (no branch per code).
            var k = 0, sum = 0, squares = 0
            for code in 1..<width {
                let c = Int(itemCounts[code])
                let v = code + valueShift
                k += c
                sum += c * v
                squares += c * v * v
            }
            guard k >= 2 else { continue }
            let m = Double(sum) / Double(k)
            // The median: the middle order statistic (mean of the two middle
            // ones for even k), both found in one walk up the codes.
            let lowRank = k % 2 == 1 ? (k + 1) / 2 : k / 2, highRank = k % 2 == 1 ? lowRank : k / 2 + 1
            var code = 1, seen = Int(itemCounts[1])
            while seen < lowRank && code < width - 1 { code += 1; seen += Int(itemCounts[code]) }
            let lowCode = code
            while seen < highRank && code < width - 1 { code += 1; seen += Int(itemCounts[code]) }
            let lowValue = Double(lowCode + valueShift), highValue = Double(code + valueShift)
            let median = k % 2 == 1 ? lowValue : (lowValue + highValue) / 2
            // Both mean absolute deviations in one loop; a code with no
            // answers adds +0.0, which leaves either sum as it is.
            var deviation = 0.0, medianDeviation = 0.0
            for code in 1..<width {
                let c = Double(itemCounts[code]), v = Double(code + valueShift)
                deviation += c * abs(v - m)
                medianDeviation += c * abs(v - median)
            }
            let variance = Double(k * squares - sum * sum) / (Double(k) * Double(k - 1))
            used += 1
            variances += variance
            adMeans += deviation / Double(k)
            adMedians += medianDeviation / Double(k)
            // awg with multilevel's bound rules.
            let kd = Double(k)
            if m == H || m == L {
                awgCount += 1
                awgs += 1
            } else if !(m < (L * (kd - 1) + H) / kd || m > (H * (kd - 1) + L) / kd) {
                let maximumVariance = ((H + L) * m - m * m - H * L) * (kd / (kd - 1))
                awgCount += 1
                awgs += 1 - 2 * variance / maximumVariance
            }
        }
        guard used > 0 else { return none }
        let meanVariance = variances / Double(used)
        let ratio = min(meanVariance, nullVariance) / nullVariance
        let j = Double(items)
        return (j * (1 - ratio) / (j * (1 - ratio) + ratio), 1 - meanVariance / nullVariance,
                awgCount == 0 ? nil : awgs / Double(awgCount), adMeans / Double(used), adMedians / Double(used))
    }
}
