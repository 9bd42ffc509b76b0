// How agreement statistics treat a respondent who skipped some of a scale's
// items.

/// Which answers of a group enter a multi-item agreement statistic
/// (rwg(j), r*wg(j), awg, AD).
///
/// - ``listwise``: only respondents who answered every item of the scale
///   (R's `na.exclude`), exactly as multilevel 2.7 (`rwg.j`, `awg`, `ad.m`).
///   A respondent who skipped one item is lost for all items.
/// - ``pairwise``: each item uses its own available answers in the group (as
///   multilevel 2.8's `listwise = FALSE`). An item with fewer than two answers
///   in the group is left out of the average over items (multilevel 2.8 stops
///   with an error there instead). For rwg(j), J stays the scale's item count.
///   osc-score's default.
public enum MissingDataRule: String, Sendable, CaseIterable, Equatable {
    /// Each item's own answers; items with fewer than two answers left out.
    case pairwise
    /// Complete respondents only (multilevel 2.7).
    case listwise
}
