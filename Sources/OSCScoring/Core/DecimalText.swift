// Numbers written with a fixed number of decimals, for messages and readable reports.

/// Fixed-decimal text without Foundation's formatters.
public enum DecimalText {
    /// `x` with `places` decimals, rounded half away from zero ("2.88",
    /// "-0.05", "3.00"); "nan" or "inf" when not finite, and the shortest
    /// form ("6e+51") when `x` times 10^places reaches 2^53, where a double
    /// has no fraction digits left (and an Int might not hold it).
    public static func fixed(_ x: Double, places: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        guard abs(x) * scale < 0x1p53 else { return "\(x)" }
        let scaled = (abs(x) * scale).rounded()
        let whole = (scaled / scale).rounded(.down)
        let fraction = String(Int(scaled - whole * scale))
        let padded = String(repeating: "0", count: max(0, places - fraction.count)) + fraction
        return (x < 0 && scaled > 0 ? "-" : "") + String(Int(whole)) + (places > 0 ? "." + padded : "")
    }

    /// A finite double in its shortest form: integers without ".0", others
    /// with the fewest digits that read back to the same double ("0.05").
    public static func shortest(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
