// Random group resampling (RGR): is within-group variance smaller than in
// pseudo-groups of the same sizes drawn at random? Bliese & Halverson (2002);
// Bliese, Halverson & Rothberg (2000). multilevel `rgr.agree`.

import Foundation

/// The result of random group resampling, named as multilevel's `rgr.agree` and its summary.
public struct RGRAgreement: Sendable, Equatable {
    /// Number of pseudo-groups drawn, replications × G (`NRanGrp`; JSON `pseudoGroups`).
    public let pseudoGroupCount: Int
    /// Mean variance of the pseudo-groups (`AvRGRVar`).
    public let averagePseudoGroupVariance: Double
    /// Standard deviation (n − 1) of the pseudo-group variances (`SDRGRVar`).
    public let pseudoGroupVarianceSD: Double
    /// Mean within-group variance of the real groups (`AvGrpVar`).
    public let averageGroupVariance: Double
    /// z = (AvGrpVar − AvRGRVar) / (SDRGRVar / √G) (`zvalue`); negative when
    /// real groups agree more than random ones. nil when SDRGRVar = 0.
    public let z: Double?
    /// G, the number of real groups.
    public let groups: Int
    /// The pseudo-group variances in the order drawn (`RGRVARS`); empty
    /// when `agree` was asked not to keep them.
    public let pseudoGroupVariances: [Double]
    /// Quantiles (R type 7) of the pseudo-group variances at 0.005, 0.01,
    /// 0.025, 0.05, 0.10: the one-tailed lower limits of summary.rgr.agree.
    public let lowerPercentiles: [Double]
    /// Quantiles at 0.90, 0.95, 0.975, 0.99, 0.995: the upper limits.
    public let upperPercentiles: [Double]
}

/// Random group resampling for within-group agreement.
public enum RandomGroupResampling {
    /// The probabilities of `RGRAgreement.lowerPercentiles`.
    public static let lowerProbabilities = [0.005, 0.01, 0.025, 0.05, 0.10]
    /// The probabilities of `RGRAgreement.upperPercentiles`.
    public static let upperProbabilities = [0.90, 0.95, 0.975, 0.99, 0.995]

    /// Compares the real groups' mean variance with that of random pseudo-groups of the same sizes.
    ///
    /// ```
    /// each replication: shuffle all N scores, cut them into pseudo-groups of the
    ///                   real sizes n_1 … n_G, take each pseudo-group's variance
    /// AvRGRVar = mean of the replications × G pseudo-group variances, SDRGRVar their SD
    /// AvGrpVar = mean over real groups of the within-group variance s²_g
    /// z        = (AvGrpVar − AvRGRVar) / (SDRGRVar / √G)
    /// ```
    /// Pseudo-groups are drawn without replacement within a replication, as
    /// multilevel's `ran.group`. multilevel asks for a number of pseudo-groups
    /// `nrangrps` and runs round(nrangrps / G) replications; here the number
    /// of replications is given directly.
    ///
    /// The generator is xoshiro256** seeded with `seed`, so a seed always
    /// gives the same result; it cannot reproduce R's random stream, so
    /// AvRGRVar, SDRGRVar, z and the percentiles match R only statistically.
    ///
    /// Citation: Bliese & Halverson (2002); Bliese, Halverson & Rothberg (2000).
    ///
    /// Edge cases: rows with a `nan` score or a negative group id are dropped
    /// (multilevel has no NA handling). nil when fewer than two groups remain,
    /// when any group has fewer than two scores (multilevel stops: "There
    /// must be at least two group members per group"), or `replications` < 1.
    ///
    /// Validated against: R 4.2.2, multilevel 2.7 `rgr.agree(x, grpid, nrangrps)`:
    /// AvGrpVar exactly (1e-9); AvRGRVar and SDRGRVar statistically.
    ///
    /// - Complexity: O(replications × N).
    ///
    /// `progress`, when given, is called after each replication. With
    /// `keepingVariances` false the replications × G pseudo-group variances
    /// are not kept in the result (the report's choice: 8 bytes each, for
    /// every scale and level).
    public static func agree(scores: [Double], groups: [Int], replications: Int,
                             seed: UInt64, keepingVariances: Bool = true, progress: (() -> Void)? = nil) -> RGRAgreement? {
        precondition(scores.count == groups.count, "one group id per score")
        guard replications >= 1, let sample = GroupedScores(scores: scores, groups: groups),
              sample.sizes.count >= 2, sample.sizes.allSatisfy({ $0 >= 2 })
        else { return nil }

        let realVariances = sample.members.map { SampleMoments.variance($0)! }
        let averageGroupVariance = SampleMoments.mean(realVariances)

        var generator = Xoshiro256StarStar(seed: seed)
        var pseudoVariances: [Double] = []
        let (expected, overflow) = replications.multipliedReportingOverflow(by: sample.sizes.count)
        pseudoVariances.reserveCapacity(overflow ? 1 << 20 : min(expected, 1 << 27))
        // As `pseudoGroups` followed by `SampleMoments.variance` of each
        // group (the same draws and the same sums in the same order), in
        // one buffer instead of new arrays per replication.
        let allScores = sample.allScores, sizes = sample.sizes
        var shuffled = allScores
        for _ in 0..<replications {
            shuffled.withUnsafeMutableBufferPointer { shuffled in
                allScores.withUnsafeBufferPointer { shuffled.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                var i = shuffled.count - 1
                while i > 0 {
                    let j = generator.nextBelow(i + 1)
                    shuffled.swapAt(i, j)
                    i -= 1
                }
                var start = 0
                for size in sizes {
                    let group = UnsafeBufferPointer(rebasing: shuffled[start..<(start + size)])
                    var sum = 0.0
                    for v in group { sum += v }
                    let m = sum / Double(size)
                    var squares = 0.0
                    for v in group {
                        let d = v - m
                        squares += d * d
                    }
                    pseudoVariances.append(squares / Double(size - 1))
                    start += size
                }
            }
            progress?()
        }
        let average = SampleMoments.mean(pseudoVariances)
        let sd = SampleMoments.variance(pseudoVariances)!.squareRoot()
        let g = Double(sample.sizes.count)
        let z = sd > 0 ? (averageGroupVariance - average) / (sd / g.squareRoot()) : nil
        let count = pseudoVariances.count
        let sorted: [Double]
        if keepingVariances {
            sorted = pseudoVariances.sorted()
        } else {
            pseudoVariances.sort()
            sorted = pseudoVariances
            pseudoVariances = []
        }
        return RGRAgreement(
            pseudoGroupCount: count,
            averagePseudoGroupVariance: average,
            pseudoGroupVarianceSD: sd,
            averageGroupVariance: averageGroupVariance,
            z: z,
            groups: sample.sizes.count,
            pseudoGroupVariances: pseudoVariances,
            lowerPercentiles: lowerProbabilities.map { quantile(sorted: sorted, $0) },
            upperPercentiles: upperProbabilities.map { quantile(sorted: sorted, $0) })
    }

    /// One replication: the scores shuffled (Fisher–Yates) and cut into
    /// consecutive pseudo-groups of the given sizes.
    static func pseudoGroups(_ scores: [Double], sizes: [Int],
                             using generator: inout Xoshiro256StarStar) -> [[Double]] {
        var shuffled = scores
        var i = shuffled.count - 1
        while i > 0 {
            let j = generator.nextBelow(i + 1)
            shuffled.swapAt(i, j)
            i -= 1
        }
        var groups: [[Double]] = []
        var start = 0
        for size in sizes {
            groups.append(Array(shuffled[start..<(start + size)]))
            start += size
        }
        return groups
    }

    /// R's default (type 7) quantile of sorted values, computed as R does:
    /// index = 1 + (n − 1)p, h = index − ⌊index⌋, (1 − h)·x₍⌊index⌋₎ + h·x₍⌈index⌉₎.
    static func quantile(sorted: [Double], _ p: Double) -> Double {
        let index = 1 + Double(sorted.count - 1) * p
        let lo = index.rounded(.down), hi = index.rounded(.up)
        let low = sorted[Int(lo) - 1], high = sorted[Int(hi) - 1]
        guard index > lo, high != low else { return low }
        let h = index - lo
        return (1 - h) * low + h * high
    }
}

/// Scores grouped by group id, groups in ascending id order (as R's `tapply`).
struct GroupedScores {
    /// Each group's scores, in input order.
    let members: [[Double]]
    /// The group sizes.
    var sizes: [Int] { members.map(\.count) }
    /// All kept scores, group after group.
    var allScores: [Double] { members.flatMap { $0 } }

    /// Groups the rows with a score and a non-negative group id; nil when none remain.
    init?(scores: [Double], groups: [Int]) {
        var byGroup: [Int: [Double]] = [:]
        for (y, g) in zip(scores, groups) where !y.isNaN && g >= 0 {
            byGroup[g, default: []].append(y)
        }
        guard !byGroup.isEmpty else { return nil }
        members = byGroup.keys.sorted().map { byGroup[$0]! }
    }
}
