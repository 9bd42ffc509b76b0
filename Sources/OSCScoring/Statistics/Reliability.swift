// Internal consistency of a scale: Cronbach's alpha (CronbachAlpha.swift)
// and McDonald's omega total (OmegaTotal.swift).

/// Internal-consistency reliability of a scale's items over a sample.
///
/// Every function takes the answers of the whole sample (or any subsample) to
/// one scale's items as an ``ItemResponses`` block, already reverse-keyed,
/// `nan` for a skipped item. Nothing is imputed: covariances and
/// correlations use each pair's complete answers (psych's default).
public enum Reliability {}
