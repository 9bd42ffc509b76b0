// A small seeded pseudo-random generator, so that resampling results are
// reproducible across runs, machines and Swift versions. Blackman & Vigna
// (2021), xoshiro256** 1.0, seeded by SplitMix64 (Steele, Lea & Flood 2014).

/// xoshiro256**: a fast 64-bit generator with 256 bits of state, seeded from one 64-bit number.
///
/// The same seed gives the same stream everywhere (unlike
/// `SystemRandomNumberGenerator`, and independent of the standard library's
/// shuffle algorithm, which is not specified). It is not cryptographic.
///
/// Validated against: the reference C implementation's outputs for a known
/// state (tests).
struct Xoshiro256StarStar: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the four state words with successive SplitMix64 outputs of `seed`.
    init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// Starts from an explicit state (for tests against the reference implementation).
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// A uniform integer in 0..<bound without modulo bias (Lemire 2019).
    mutating func nextBelow(_ bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold {
                product = next().multipliedFullWidth(by: b)
            }
        }
        return Int(product.high)
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
