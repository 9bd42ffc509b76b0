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
    private static let powersOfFive: [UInt64] = [1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125, 6103515625, 30517578125, 152587890625, 762939453125, 3814697265625, 19073486328125, 95367431640625, 476837158203125, 2384185791015625, 11920928955078125, 59604644775390625, 298023223876953125, 1490116119384765625, 7450580596923828125]

    /// The low 50 bits: the fraction of `writeFast`'s fixed-point values.
    private static let fractionMask: UInt64 = (1 << 50) - 1

    /// "00", "01", ... "99".
    private static let pairDigits: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

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
        var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &storage) { raw in
            let text = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let n = writeFast(d, to: text)
            out.append(contentsOf: UnsafeBufferPointer(start: text, count: n))
            return n > 0
        }
    }

    /// The most bytes `write(_:to:)` writes ("-0.00012345678901234567",
    /// "-1.2345678901234567e-05"), with room to spare.
    static let maximumFastLength = 32

    /// Writes the text of `d` at `dest` (room for `maximumFastLength`
    /// bytes) when the exact path takes it, and returns its length; 0 (and
    /// nothing written) for a value left to `appendSlow`.
    @inline(__always)
    static func write(_ d: Double, to dest: UnsafeMutablePointer<UInt8>) -> Int {
        if #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *) {
            return writeFast(d, to: dest)
        }
        return 0
    }

    /// `appendFast` into memory: the length written, 0 when declined.
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    static func writeFast(_ d: Double, to dest: UnsafeMutablePointer<UInt8>) -> Int {
        let bits = d.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        guard biased != 0, biased != 0x7FF else { return 0 }  // zero, subnormal, not finite
        let fraction = bits & ((1 << 52) - 1)
        let m = fraction | (1 << 52)
        let e = biased - 1075  // |v| = m·2^e
        let b = e + 52  // |v| in [2^b, 2^(b+1))
        // From 2⁵³ up, Swift writes an exponent ("9.007199254740994e+15").
        guard b <= 52 else { return 0 }
        // floor(log10 |v|) or one less.
        let estimate = (b &* 78913) >> 18  // (exact for |b| < 1650 but at b·log10 2 near an integer; checked below)
        let k = 16 - estimate
        guard k >= 0, k <= 27 else { return 0 }
        let s = 2 - e - k  // |v|·10^k = 4m·5^k / 2^s
        guard s >= 1, s <= 100 else { return 0 }
        let p5 = UInt128(powersOfFive[k])
        // |v|·10^k and the two ends of its rounding interval, as fractions over 2^s.
        let product = (m << 2).multipliedFullWidth(by: powersOfFive[k])
        let mid = UInt128(product.high) << 64 | UInt128(product.low)
        let up = mid &+ (p5 << 1)
        let low = mid &- ((fraction == 0 && biased > 1) ? p5 : (p5 << 1))
        // Each value as a fixed-point number with 50 fraction bits (x·2^(50-s):
        // exact for s ≤ 50, the fraction's top 50 bits above): its integer
        // part fits 64 bits (below 2·10^17 here), and one shift of 128 bits
        // gives both parts.
        @inline(__always) func fixed(_ x: UInt128) -> (integer: UInt64, top: UInt64) {
            let t = s >= 50 ? x &>> (s &- 50) : x &<< (50 &- s)
            return (UInt64(truncatingIfNeeded: t &>> 50), UInt64(truncatingIfNeeded: t) & fractionMask)
        }
        let (vInt, _) = fixed(mid)
        guard vInt >= 10_000_000_000_000_000, vInt < 10_000_000_000_000_000_000 else { return 0 }
        let (uInt, uTop) = fixed(up), (lInt, lTop) = fixed(low)
        // An end of the interval on or within 2^-50 of an integer: a close
        // call whether a candidate there reads back; left to Swift. (The top
        // 50 fraction bits all 0 or all 1: that takes in every such end, and
        // a few more.)
        if (uTop &+ 1) & fractionMask <= 1 || (lTop &+ 1) & fractionMask <= 1 { return 0 }
        // The candidates: integers lo...hi (the ends are not integers).
        // The largest power of ten p = 10^j with a multiple in lo...hi:
        // loQ...hiQ are the multiples divided by p (constant divisions only).
        var loQ = lInt &+ 1, hiQ = uInt, vQ = vInt
        var j = 0, p: UInt64 = 1
        while true {
            let h = hiQ / 10, l = (loQ &+ 9) / 10
            if h < l { break }
            hiQ = h; loQ = l; vQ /= 10
            j += 1; p &*= 10
        }
        // Of those multiples, the nearest to v: vQ (below v) or vQ + 1.
        let digits: UInt64
        if vQ < loQ {
            digits = vQ &+ 1
        } else if vQ &+ 1 > hiQ {
            digits = vQ
        } else {
            // v - below = r + f, above - v = p - r - f; below is nearer when 2(r + f) < p.
            let r = vInt &- vQ &* p
            let t = Int64(bitPattern: p) &- 2 &* Int64(bitPattern: r)
            if t >= 3 {
                digits = vQ
            } else if t <= -1 {
                digits = vQ &+ 1
            } else {
                let vFrac = mid & ((UInt128(1) << s) &- 1)
                let near: UInt128 = s > 50 ? UInt128(1) << (s - 50) : 1
                let twice = vFrac << 1, target = UInt128(UInt64(t)) << s
                let distance = twice > target ? twice &- target : target &- twice
                if distance < near { return 0 }
                digits = twice < target ? vQ : vQ &+ 1
            }
        }
        // As many digits as vInt less j (never 99…9 rounded up: that would
        // be a multiple of 10p inside the interval).
        let n = (vInt >= 1_000_000_000_000_000_000 ? 19 : vInt >= 100_000_000_000_000_000 ? 18 : 17) - j
        let exponent = n - 1 + j - k  // |v| = d.ddd × 10^exponent
        return writeText(digits: digits, count: n, exponent: exponent, negative: d < 0, to: dest)
    }

    /// The eight decimal digits of `value` (below 10^8, with leading
    /// zeros) as ASCII bytes, first digit in the lowest byte: each step
    /// splits every lane in two with a multiply and shift (x / 100 is
    /// (x · 10486) >> 20 and x / 10 is (x · 103) >> 10 in these ranges).
    @inline(__always)
    private static func eightDigits(_ value: UInt32) -> UInt64 {
        let fours = UInt64(value / 10_000) | UInt64(value % 10_000) << 32
        let hundreds = ((fours &* 10486) >> 20) & 0x0000_007F_0000_007F
        let twos = hundreds | (fours &- hundreds &* 100) << 16
        let tens = ((twos &* 103) >> 10) & 0x000F_000F_000F_000F
        let ones = tens | (twos &- tens &* 10) << 8
        return ones &+ 0x3030_3030_3030_3030
    }

    /// Lays out `count` digits as Swift does: "0.00123" down to exponent
    /// -4, "1.23e-05" below, "123.45" inside, "1230.0" for a whole number.
    @inline(__always)
    private static func writeText(digits: UInt64, count n: Int, exponent: Int, negative: Bool, to dest: UnsafeMutablePointer<UInt8>) -> Int {
        // The digits right-aligned to byte 32 (at most 19), room on both sides.
        var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &storage) { raw -> Int in
            let text = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            // Eight digits at a time: bytes 24..<32, 16..<24, then the rest (at most 3).
            let low = digits % 100_000_000, high = digits / 100_000_000
            raw.storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: low)).littleEndian, toByteOffset: 24, as: UInt64.self)
            if n > 8 {
                raw.storeBytes(of: eightDigits(UInt32(truncatingIfNeeded: high % 100_000_000)).littleEndian, toByteOffset: 16, as: UInt64.self)
                if n > 16 {
                    let top = Int(truncatingIfNeeded: high / 100_000_000)  // below 1000
                    let pairs = pairDigits.utf8Start
                    text[13] = UInt8(truncatingIfNeeded: 48 + top / 100)
                    text[14] = pairs[2 &* (top % 100)]
                    text[15] = pairs[2 &* (top % 100) &+ 1]
                }
            }
            var first = 32 - n, end = 32
            if exponent >= 0 && exponent + 1 < n {
                // "123.45": the whole part one byte left, the point after it.
                for q in 0...exponent { text[first - 1 + q] = text[first + q] }
                first -= 1
                text[first + exponent + 1] = UInt8(ascii: ".")
            } else if exponent >= 0 {
                // "1230.0"
                for _ in 0..<(exponent + 1 - n) { text[end] = UInt8(ascii: "0"); end += 1 }
                text[end] = UInt8(ascii: "."); text[end + 1] = UInt8(ascii: "0"); end += 2
            } else if exponent >= -4 {
                // "0.00123"
                for _ in 0..<(-exponent - 1) { first -= 1; text[first] = UInt8(ascii: "0") }
                text[first - 2] = UInt8(ascii: "0"); text[first - 1] = UInt8(ascii: "."); first -= 2
            } else {
                // "1.23e-05"
                if n > 1 { text[first - 1] = text[first]; text[first] = UInt8(ascii: "."); first -= 1 }
                let x = -exponent
                text[end] = UInt8(ascii: "e"); text[end + 1] = UInt8(ascii: "-")
                text[end + 2] = UInt8(truncatingIfNeeded: 48 + x / 10); text[end + 3] = UInt8(truncatingIfNeeded: 48 + x % 10)
                end += 4
            }
            if negative { first -= 1; text[first] = UInt8(ascii: "-") }
            // 32 bytes at once (the text is at most 24, `first` below 32 in this 64-byte storage, and `dest` has
            // room for `maximumFastLength`): four word moves instead of a call to memcpy for the text's length.
            let source = UnsafeRawPointer(text + first), target = UnsafeMutableRawPointer(dest)
            for w in 0..<4 {
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: 8 &* w, as: UInt64.self), toByteOffset: 8 &* w, as: UInt64.self)
            }
            return end - first
        }
    }
}
