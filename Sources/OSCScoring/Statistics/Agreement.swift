// Within-group agreement: how closely the members of one group (a school's
// staff) answer a scale's items. The indices themselves are in Rwg.swift,
// Awg.swift and AverageDeviation.swift.

/// Within-group agreement indices for one group's answers to one scale.
///
/// Every function takes the answers of one group (an ``ItemResponses`` block:
/// the group's respondents × the scale's items, `nan` for a skipped item) and
/// returns nil when the group has too few answers for the index to exist.
///
/// ## Missing answers
/// The multi-item indices take a ``MissingDataRule``:
/// - `.listwise` keeps only the respondents who answered every item; with
///   fewer than two such respondents the index is nil. This reproduces
///   multilevel 2.7, where such a group is NA or absent from the output.
/// - `.pairwise` takes each item's own answers in the group. An item with
///   fewer than two answers is left out of the average over items; when no
///   item has two answers the index is nil. For rwg(j), J stays the scale's
///   item count (`block.items`).
public enum Agreement {
    /// The answers that enter a multi-item index under `rule`: one array per
    /// usable item, each with at least two answers; nil when none is usable.
    ///
    /// Listwise: the complete respondents' answers to every item (nil when
    /// fewer than two respondents are complete). Pairwise: each item's present
    /// answers, items with fewer than two left out.
    static func usableItemAnswers(_ block: ItemResponses, missing rule: MissingDataRule) -> [[Double]]? {
        guard block.items > 0 else { return nil }
        switch rule {
        case .listwise:
            let complete = block.completeRespondents()
            guard complete.respondents >= 2 else { return nil }
            return (0..<complete.items).map { complete.answers(item: $0) }
        case .pairwise:
            let columns = (0..<block.items).map { block.answers(item: $0) }.filter { $0.count >= 2 }
            return columns.isEmpty ? nil : columns
        }
    }

    /// The mean over usable items of the items' sample variances, s̄²; nil as
    /// ``usableItemAnswers(_:missing:)``.
    static func meanItemVariance(_ block: ItemResponses, missing rule: MissingDataRule) -> Double? {
        guard let columns = usableItemAnswers(block, missing: rule) else { return nil }
        let variances = columns.map { SampleMoments.variance($0)! }
        return SampleMoments.mean(variances)
    }
}
