// The regularized incomplete beta function I_x(a, b), both tails, to full
// relative precision: a continued fraction (DiDonato & Morris 1992, ACM TOMS
// 708, `bfrac`, after Tretter & Walster 1979) evaluated with the modified
// Lentz method (Thompson & Barnett 1986), and the prefactor x^a y^b / B(a, b)
// of TOMS 708 (`brcomp`), so that large a and b lose no accuracy.

import Foundation

/// The regularized incomplete beta function and its complement.
///
/// ```
/// I_x(a, b) = (1 / B(a, b)) ∫₀ˣ t^(a−1) (1 − t)^(b−1) dt
/// ```
enum RegularizedIncompleteBeta {
    /// Both tails, I_x(a, b) and 1 − I_x(a, b), each to full relative precision.
    ///
    /// With λ = (a + b) y − b = a − (a + b) x (the distance below the mean,
    /// computed from whichever of x, y keeps it exact), when λ ≥ 0:
    /// ```
    /// I_x(a, b) = x^a y^b / B(a, b) · 1 / (β₀ + α₁/(β₁ + α₂/(β₂ + ⋯)))
    /// β₀ = (λ + 1)/(1 + 1/a)
    /// αₙ = (1 + (n−1)/a)(1 + (n−1)/a + b/a) (a/(a+2n−1))² · n(b−n) x²
    /// βₙ = n + n(b−n)x/(a+2n−1) + (1 + n/a)/(1 + 1/a + 2n/a) · (λ + 1 + n(1 + y))
    /// ```
    /// and, when λ < 0, the same with (a, x) and (b, y) exchanged for the
    /// upper tail. The tail computed directly is thus the one that does not
    /// contain the mean, the smaller one, so both tails keep their relative
    /// precision (the other is 1 − small). Unlike the textbook
    /// fraction (Press et al. 2007, `betacf`), this form has no cancellation
    /// when one parameter is huge and the other small (e.g. F with df 3 and 1e6).
    ///
    /// - Parameters:
    ///   - x: the argument, in [0, 1].
    ///   - y: 1 − x as the caller knows it (passing it separately keeps the
    ///     precision of a y computed without cancellation, as TOMS 708 does).
    ///   - a, b: the shape parameters, > 0 and finite.
    /// - Returns: `lower` = I_x(a, b), `upper` = 1 − I_x(a, b), and
    ///   `logPrefactor` = ln(x^a y^b / B(a, b)) (see ``logPrefactor(x:y:a:b:)``);
    ///   `nan` for invalid input.
    /// Complexity: O(√max(a, b)) iterations in the worst case, usually far fewer.
    static func tails(x: Double, y: Double, a: Double, b: Double)
        -> (lower: Double, upper: Double, logPrefactor: Double)
    {
        guard a > 0, b > 0, a.isFinite, b.isFinite, x >= 0, y >= 0, x <= 1, y <= 1 else {
            return (.nan, .nan, .nan)
        }
        if x == 0 { return (0, 1, -.infinity) }
        if y == 0 { return (1, 0, -.infinity) }
        let logFront = logPrefactor(x: x, y: y, a: a, b: b)
        let prefactor = exp(logFront)
        let lambda = a > b ? (a + b) * y - b : a - (a + b) * x
        if lambda >= 0 {
            let lower = prefactor * continuedFraction(a: a, b: b, x: x, y: y, lambda: lambda)
            return (lower, 1 - lower, logFront)
        } else {
            let upper = prefactor * continuedFraction(a: b, b: a, x: y, y: x, lambda: -lambda)
            return (1 - upper, upper, logFront)
        }
    }

    /// ln(x^a y^b / B(a, b)), accurate in absolute terms (so its exponential
    /// is accurate in relative terms) for all a, b > 0.
    ///
    /// For min(a, b) ≥ 8 (TOMS 708 `brcomp`), with x₀ = a/(a+b), y₀ = b/(a+b),
    /// λ = a − (a+b)x and rlog1(t) = t − ln(1+t):
    /// ```
    /// ln(x^a y^b / B) = −½ ln 2π + ½ ln(b x₀) − [a·rlog1(−λ/a) + b·rlog1(λ/b)] − [δ(a) + δ(b) − δ(a+b)]
    /// ```
    /// Otherwise `a ln x + b ln y − ln B(a, b)`, with ln B from
    /// ``LogGamma/logBeta(_:_:)`` and ln x, ln y taken from whichever of x and
    /// y is the more precise.
    ///
    /// The same quantity is F·f(F) for the F distribution, which makes it the
    /// Newton derivative of the quantile search.
    static func logPrefactor(x: Double, y: Double, a: Double, b: Double) -> Double {
        if min(a, b) >= 8 {
            let h: Double, x0: Double, y0: Double, lambda: Double
            if a > b {
                h = b / a
                x0 = 1 / (1 + h)
                y0 = h / (1 + h)
                lambda = (a + b) * y - b
            } else {
                h = a / b
                x0 = h / (1 + h)
                y0 = 1 / (1 + h)
                lambda = a - (a + b) * x
            }
            var e = -lambda / a
            let u = abs(e) > 0.6 ? e - log(x / x0) : relativeLogComplement(e)
            e = lambda / b
            let v = abs(e) > 0.6 ? e - log(y / y0) : relativeLogComplement(e)
            let stirling = LogGamma.stirlingCorrection(a) + LogGamma.stirlingCorrection(b)
                - LogGamma.stirlingCorrection(a + b)
            return -LogGamma.halfLogTwoPi + 0.5 * log(b * x0) - (a * u + b * v) - stirling
        }
        let logX: Double, logY: Double
        if x <= 0.375 {
            logX = log(x)
            logY = log1p(-x)
        } else if y > 0.375 {
            logX = log(x)
            logY = log(y)
        } else {
            logX = log1p(-y)
            logY = log(y)
        }
        return a * logX + b * logY - LogGamma.logBeta(a, b)
    }

    /// rlog1(t) = t − ln(1 + t) for |t| ≤ 0.6, without cancellation.
    ///
    /// With r = t/(2 + t), ln(1 + t) = 2 artanh r, so
    /// ```
    /// t − ln(1 + t) = t²/(2 + t) − 2 (r³/3 + r⁵/5 + r⁷/7 + ⋯)
    /// ```
    static func relativeLogComplement(_ t: Double) -> Double {
        let r = t / (2 + t)
        let r2 = r * r
        var power = r * r2
        var series = 0.0
        var k = 3.0
        for _ in 0..<200 {  // |r| ≤ 0.43, so about 25 terms reach 1e-17
            let term = power / k
            series += term
            if abs(term) <= abs(series) * 1e-17 { break }
            power *= r2
            k += 2
        }
        return t * t / (2 + t) - 2 * series
    }

    /// The continued fraction of TOMS 708 `bfrac`, I_x(a, b) · B(a, b) / (x^a y^b),
    /// for λ = a − (a + b) x ≥ 0, evaluated by the modified Lentz method.
    ///
    /// ```
    /// 1 / (β₀ + α₁/(β₁ + α₂/(β₂ + ⋯)))      (αₙ, βₙ as in tails(x:y:a:b:))
    /// ```
    static func continuedFraction(a: Double, b: Double, x: Double, y: Double, lambda: Double) -> Double {
        let tiny = 1e-300
        let maximumIterations = 1_000_000
        let c = lambda + 1
        let c0 = b / a
        let c1 = 1 / a + 1
        let yp1 = y + 1
        var p = 1.0  // 1 + (n − 1)/a
        var s = a + 1  // a + 2n − 1
        // Lentz for f = β₀ + α₁/(β₁ + ⋯); the fraction is 1/f.
        var f = c / c1
        if f == 0 { f = tiny }
        var lentzC = f
        var lentzD = 0.0
        var n = 1.0
        for _ in 0..<maximumIterations {
            let t = n / a
            let w = n * (b - n) * x
            var e = a / s
            let alpha = p * (p + c0) * e * e * (w * x)
            e = (t + 1) / (c1 + t + t)
            let beta = n + w / s + e * (c + n * yp1)
            p = t + 1
            s += 2
            lentzD = beta + alpha * lentzD
            if abs(lentzD) < tiny { lentzD = tiny }
            lentzC = beta + alpha / lentzC
            if abs(lentzC) < tiny { lentzC = tiny }
            lentzD = 1 / lentzD
            let delta = lentzC * lentzD
            f *= delta
            if abs(delta - 1) <= Double.ulpOfOne { break }
            n += 1
        }
        return 1 / f
    }
}
