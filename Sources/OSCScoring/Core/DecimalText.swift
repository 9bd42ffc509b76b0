// Numbers written with a fixed number of decimals, for messages and readable reports.

/// Fixed-decimal text without Foundation's formatters. Total: every Double,
/// finite or not, formats without trapping.
package enum DecimalText {
    /// The text of a value that is not finite: "∞", "−∞", or "–" for NaN
    /// (no number). Readable reports show a dash for any of them with the
    /// reason beside it; JSON and CSV never reach here (`null`, empty).
    package static func nonFinite(_ x: Double) -> String {
        x.isNaN ? "–" : x > 0 ? "∞" : "−∞"
    }

    /// `x` with `places` decimals (0 to 15), rounded half away from zero
    /// ("2.88", "-0.05", "3.00"). Values whose digits do not fit in 64 bits
    /// (|x| 10^places ≥ 2⁶³) are written in the shortest form instead
    /// ("-1.3e+19"); values that are not finite as `nonFinite(_:)`.
    package static func fixed(_ x: Double, places: Int) -> String {
        guard x.isFinite else { return nonFinite(x) }
        let places = min(max(places, 0), 15)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9.2e18 else { return shortest(x) }
        let digits = UInt64(scaled), unit = UInt64(scale)
        let whole = digits / unit, fraction = String(digits % unit)
        let padded = String(repeating: "0", count: max(0, places - fraction.count)) + fraction
        return (x < 0 && digits > 0 ? "-" : "") + String(whole) + (places > 0 ? "." + padded : "")
    }

    /// A double in its shortest form: integers without ".0", others with the
    /// fewest digits that read back to the same double ("0.05"); values that
    /// are not finite as `nonFinite(_:)`.
    package static func shortest(_ d: Double) -> String {
        guard d.isFinite else { return nonFinite(d) }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
