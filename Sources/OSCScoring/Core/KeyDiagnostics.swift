// Key diagnostics: an item that correlates negatively with the rest of its
// scale, or a scale whose alpha is negative, is the sign of a reverse-keyed
// item entered the wrong way in the scoring key (the OSC's key is licensed
// and typed in by each user).

/// A sign that the scoring key may key an item the wrong way (JSON: an
/// entry of `input.keyFindings`, kind `suspectedKeying`).
///
/// Raised for every item whose corrected item-total correlation (psych
/// `r.drop`, ``ItemStatistics/rDrop``: the item against the sum of the
/// scale's other items, answers as keyed) is negative in a scale, and for
/// every scale whose Cronbach's alpha is negative. An item entered with the
/// wrong reverse flag correlates negatively with the rest of its scale, and
/// with enough such items the scale's alpha turns negative (Cronbach 1951;
/// item analysis as psych `alpha`, which warns of negatively correlated
/// items in the same way).
///
/// A warning, not an error: `validate` lists it but its exit status stays
/// as the data findings set it (a negative item-rest correlation can also
/// come from a poor item or chance in a small sample; only the user, with
/// the licensed key, can tell).
public struct KeyingFinding: Sendable, Equatable {
    /// The kinds of key finding.
    public enum Kind: String, Sendable {
        /// An item or scale that looks keyed the wrong way.
        case suspectedKeying
    }

    /// What kind of finding this is (JSON `kind`).
    public let kind: Kind
    /// The scale's id (JSON `scale`).
    public let scale: String
    /// The item's id (JSON `item`); nil for a scale whose alpha is negative.
    public let item: String?
    /// The item's data column (JSON `column`); nil for a scale finding.
    public let column: String?
    /// The item's r.drop in the scale (JSON `rDrop`); nil for a scale finding.
    public let rDrop: Double?
    /// The scale's raw alpha (JSON `alpha`).
    public let alpha: Double?
    /// Whether the key reverses the item now (JSON `reversed`); nil for a scale finding.
    public let reversed: Bool?

    /// One sentence: "item Q017 correlates negatively with the rest of
    /// 'rigidity' (r.drop -0.31); check whether it is reverse-keyed in your
    /// key (it is not reversed now)" (JSON `message`).
    public var message: String {
        if let item, let rDrop, let reversed {
            return "item \(item) correlates negatively with the rest of '\(scale)' (r.drop \(Self.text(rDrop))); check whether it is reverse-keyed in your key (it is \(reversed ? "" : "not ")reversed now)"
        }
        return "scale '\(scale)' has a negative alpha (\(alpha.map(Self.text) ?? "–")): its items correlate negatively on the whole; check the reverse flags of its items in your key"
    }

    /// Two decimals, three when two would show a negative value as 0.00.
    static func text(_ x: Double) -> String {
        DecimalText.fixed(x, places: abs(x) >= 0.005 ? 2 : 3)
    }
}

extension ScoringReport {
    /// Every suspected keying error, scale by scale in instrument order: the
    /// scale's negative alpha first, then its items with a negative r.drop
    /// in item order. An item in nested scales (a facet, its dimension and
    /// domain) is listed once per scale where it correlates negatively.
    public var keyFindings: [KeyingFinding] {
        var found: [KeyingFinding] = []
        for (s, scale) in instrument.scales.enumerated() {
            guard let alpha = statistics.reliability[s].alpha else { continue }
            if alpha.alpha < 0 {
                found.append(KeyingFinding(kind: .suspectedKeying, scale: scale.id, item: nil, column: nil, rDrop: nil,
                                           alpha: alpha.alpha, reversed: nil))
            }
            for (k, i) in instrument.scaleItemIndices[s].enumerated() {
                guard let rDrop = alpha.items[k].rDrop, rDrop < 0 else { continue }
                let item = instrument.items[i]
                found.append(KeyingFinding(kind: .suspectedKeying, scale: scale.id, item: item.id, column: item.column, rDrop: rDrop,
                                           alpha: alpha.alpha, reversed: item.reverse))
            }
        }
        return found
    }
}
