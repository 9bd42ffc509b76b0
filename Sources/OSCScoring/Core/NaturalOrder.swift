// Natural ordering of school and authority ids.

/// Orders strings as people expect ("S2" before "S10"): runs of digits
/// compare by value, everything else by Unicode scalar; strings equal in
/// this order (such as "S01" and "S1") fall back to `String`'s `<`.
package enum NaturalOrder {
    package static func less(_ a: String, _ b: String) -> Bool {
        let order = compare(a.unicodeScalars.map(\.value), b.unicodeScalars.map(\.value))
        return order < 0 || (order == 0 && a < b)
    }

    /// Natural comparison of two strings given as Unicode scalar values:
    /// negative when x comes first, positive when y does, 0 when they tie
    /// (the caller breaks ties). Allocates nothing, so a sort can prepare
    /// the scalars once per key.
    static func compare(_ x: [UInt32], _ y: [UInt32]) -> Int {
        func isDigit(_ s: UInt32) -> Bool { s >= 48 && s <= 57 }
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                // The digit runs without leading zeros: the longer is larger,
                // equal lengths compare digit by digit.
                var i2 = i, j2 = j
                while i2 < x.count && isDigit(x[i2]) { i2 += 1 }
                while j2 < y.count && isDigit(y[j2]) { j2 += 1 }
                var si = i, sj = j
                while si < i2 && x[si] == 48 { si += 1 }
                while sj < j2 && y[sj] == 48 { sj += 1 }
                if i2 - si != j2 - sj { return i2 - si < j2 - sj ? -1 : 1 }
                while si < i2 {
                    if x[si] != y[sj] { return x[si] < y[sj] ? -1 : 1 }
                    si += 1; sj += 1
                }
                i = i2; j = j2
            } else {
                if x[i] != y[j] { return x[i] < y[j] ? -1 : 1 }
                i += 1; j += 1
            }
        }
        let restX = x.count - i, restY = y.count - j
        return restX == restY ? 0 : (restX < restY ? -1 : 1)
    }
}
