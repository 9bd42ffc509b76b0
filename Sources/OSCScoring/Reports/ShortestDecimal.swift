// The shortest round-trip text of a double, written straight into a byte
// buffer: the same text as `Double.description`, faster and without a
// text stream in between.

/// Writes doubles as `Double.description` does, for the values reports
/// write most (finite, normal, from about 1e-14 up to 2⁵³), by exact
/// integer arithmetic; every other value, and every value whose digits
/// are a close call (a tie between two candidates, or an end of the
/// rounding interval within 2⁻⁵⁰ of a candidate), is left to
/// `Double.write(to:)`, so that the output never differs.
///
/// The method: with v = m·2^e, the rounding interval (the reals that read
/// back as v) runs from the midpoint with the double below to the midpoint
/// with the double above. Scaled by 10^k so that v·10^k has 17 or 18
/// integer digits, both ends and v are exact fractions over 2^s in 128
/// bits. The shortest digits are the largest power of ten with a multiple
/// inside the interval; of its multiples inside, the one nearest v. That
/// is the definition `Double.description` implements (shortest, then
/// closest; Swift's SwiftDtoa), checked on many millions of doubles in
/// `ShortestDecimalTests`.
enum ShortestDecimal {
    /// 5^0 ... 5^27.
    private static let powersOfFive: [UInt64] = {
        var powers: [UInt64] = [1]
        for _ in 1...27 { powers.append(powers.last! * 5) }
        return powers
    }()

    private static let powersOfTen: [UInt64] = {
        var powers: [UInt64] = [1]
        for _ in 1...19 { powers.append(powers.last! &* 10) }
        return powers
    }()

    /// Appends the text of `d` (any double; not finite ones as Swift spells them).
    @inline(__always)
    static func append(_ d: Double, to out: inout [UInt8]) {
        if #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *) {
            if appendFast(d, to: &out) { return }
        }
        appendSlow(d, to: &out)
    }

    /// `Double.write(to:)`, the reference.
    static func appendSlow(_ d: Double, to out: inout [UInt8]) {
        var sink = ByteSink()
        swap(&sink.bytes, &out)
        d.write(to: &sink)
        swap(&sink.bytes, &out)
    }

    /// A text stream into a byte array; takes ASCII output (such as a
    /// Double's digits) as bytes without a `String` in between.
    private struct ByteSink: TextOutputStream {
        var bytes: [UInt8] = []
        mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }
        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
    }

    /// The exact path; false (and nothing written) when the value is left
    /// to `appendSlow`.
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    static func appendFast(_ d: Double, to out: inout [UInt8]) -> Bool {
        let bits = d.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        guard biased != 0, biased != 0x7FF else { return false }  // zero, subnormal, not finite
        let fraction = bits & ((1 << 52) - 1)
        let m = fraction | (1 << 52)
        let e = biased - 1075  // |v| = m·2^e
        let b = e + 52  // |v| in [2^b, 2^(b+1))
        // From 2⁵³ up, Swift writes an exponent ("9.007199254740994e+15").
        guard b <= 52 else { return false }
        // floor(log10 |v|) or one less.
        let estimate = Int((Double(b) * 0.30102999566398120).rounded(.down))
        let k = 16 - estimate
        guard k >= 0, k <= 27 else { return false }
        let s = 2 - e - k  // |v|·10^k = 4m·5^k / 2^s
        guard s >= 1, s <= 100 else { return false }
        let p5 = UInt128(powersOfFive[k])
        // |v|·10^k and the two ends of its rounding interval, as fractions over 2^s.
        let mid = UInt128(m << 2) &* p5
        let up = mid &+ (p5 << 1)
        let low = mid &- ((fraction == 0 && biased > 1) ? p5 : (p5 << 1))
        let mask = (UInt128(1) << s) &- 1
        let vInt = UInt64(truncatingIfNeeded: mid >> s), vFrac = mid & mask
        guard vInt >= 10_000_000_000_000_000, vInt < 10_000_000_000_000_000_000 else { return false }
        let uInt = UInt64(truncatingIfNeeded: up >> s), uFrac = up & mask
        let lInt = UInt64(truncatingIfNeeded: low >> s), lFrac = low & mask
        // An end of the interval on or within 2^-50 of an integer: a close
        // call whether a candidate there reads back; left to Swift.
        let near: UInt128 = s > 50 ? UInt128(1) << (s - 50) : 1
        let one = UInt128(1) << s
        if uFrac < near || one &- uFrac < near || lFrac < near || one &- lFrac < near { return false }
        // The candidates: integers lo...hi (the ends are not integers).
        let lo = lInt &+ 1, hi = uInt
        // The largest power of ten with a multiple in lo...hi.
        var j = 0, p: UInt64 = 1
        while j < 18 {
            let q = powersOfTen[j + 1]
            if (hi / q) &* q >= lo { j += 1; p = q } else { break }
        }
        // Of those multiples, the nearest to v.
        let below = (vInt / p) &* p, above = below &+ p
        let c: UInt64
        if below < lo {
            c = above
        } else if above > hi {
            c = below
        } else {
            // v - below = r + f, above - v = p - r - f; below is nearer when 2(r + f) < p.
            let t = Int64(bitPattern: p) &- 2 &* Int64(bitPattern: vInt &- below)
            if t >= 3 {
                c = below
            } else if t <= -1 {
                c = above
            } else {
                let twice = vFrac << 1, target = UInt128(UInt64(t)) << s
                let distance = twice > target ? twice &- target : target &- twice
                if distance < near { return false }
                c = twice < target ? below : above
            }
        }
        let digits = c / p
        var n = 1
        while n < 20, digits >= powersOfTen[n] { n += 1 }
        let exponent = n - 1 + j - k  // |v| ≈ d.ddd × 10^exponent
        writeText(digits: digits, count: n, exponent: exponent, negative: d < 0, to: &out)
        return true
    }

    /// Lays out `count` digits as Swift does: "0.00123" down to exponent
    /// -4, "1.23e-05" below, "123.45" inside, "1230.0" for a whole number.
    private static func writeText(digits: UInt64, count n: Int, exponent: Int, negative: Bool, to out: inout [UInt8]) {
        // Digits right-aligned in text[0..<24], assembled in text[24..<64].
        var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &storage) { raw in
            let text = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var rest = digits
            var i = 24
            while rest >= 100 {
                let pair = Int(rest % 100)
                rest /= 100
                i -= 2
                text[i] = UInt8(48 + pair / 10)
                text[i + 1] = UInt8(48 + pair % 10)
            }
            if rest >= 10 {
                i -= 2
                text[i] = UInt8(48 + rest / 10)
                text[i + 1] = UInt8(48 + rest % 10)
            } else {
                i -= 1
                text[i] = UInt8(48 + rest)
            }
            let first = 24 - n
            var o = 24
            if negative { text[o] = UInt8(ascii: "-"); o += 1 }
            if exponent < -4 {
                text[o] = text[first]; o += 1
                if n > 1 {
                    text[o] = UInt8(ascii: "."); o += 1
                    for q in (first + 1)..<24 { text[o] = text[q]; o += 1 }
                }
                text[o] = UInt8(ascii: "e"); text[o + 1] = UInt8(ascii: "-"); o += 2
                let x = -exponent
                text[o] = UInt8(48 + x / 10); text[o + 1] = UInt8(48 + x % 10); o += 2
            } else if exponent < 0 {
                text[o] = UInt8(ascii: "0"); text[o + 1] = UInt8(ascii: "."); o += 2
                for _ in 0..<(-exponent - 1) { text[o] = UInt8(ascii: "0"); o += 1 }
                for q in first..<24 { text[o] = text[q]; o += 1 }
            } else if exponent + 1 < n {
                for q in first...(first + exponent) { text[o] = text[q]; o += 1 }
                text[o] = UInt8(ascii: "."); o += 1
                for q in (first + exponent + 1)..<24 { text[o] = text[q]; o += 1 }
            } else {
                for q in first..<24 { text[o] = text[q]; o += 1 }
                for _ in 0..<(exponent + 1 - n) { text[o] = UInt8(ascii: "0"); o += 1 }
                text[o] = UInt8(ascii: "."); text[o + 1] = UInt8(ascii: "0"); o += 2
            }
            out.append(contentsOf: UnsafeBufferPointer(start: text + 24, count: o - 24))
        }
    }
}
