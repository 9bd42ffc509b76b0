// Minimisation of a smooth function of two variables over the quadrant
// x ≥ 0, y ≥ 0 by projected Newton steps (Bertsekas 1982, SIAM J. Control
// Optim. 20:221–246) with exact derivatives, an eigenvalue-modified Hessian
// where it is not positive definite (Nocedal & Wright 2006, Numerical
// Optimization, §3.4) and an Armijo backtracking search along the projected path.

import Foundation

/// Projected Newton minimisation of f(x, y) subject to x ≥ 0, y ≥ 0, either variable optionally held at 0.
///
/// ```
/// working set  W = { k free : x_k > 0 or ∂f/∂x_k < 0 }
/// step         d_W = −H̃_WW⁻¹ g_W     (H̃: H with eigenvalues |λ|, floored, where H is not positive definite)
/// next point   x⁺ = max(0, x + α d), α = 1, ½, ¼, … until f(x⁺) ≤ f(x) + 10⁻⁴ gᵀ(x⁺ − x)
/// stop         gᵀH̃⁻¹g ≤ 10⁻²⁰ (the Newton decrement, in units of f) after one last full step,
///              or when no step decreases f
/// ```
/// A coordinate at 0 whose Newton step points below 0 leaves the working set
/// for that step. Steps are capped at max(1, 10 x_k) per coordinate so a bad
/// start cannot jump far. Near the minimum the iteration converges
/// quadratically, so the result is reproducible to rounding.
///
/// Complexity: one evaluation of f with its derivatives per line-search trial;
/// typically 5–15 iterations.
enum ProjectedNewton {
    /// Where the iteration stopped.
    struct Minimum: Sendable {
        /// The minimiser (x, y), each ≥ 0.
        var point: SIMD2<Double>
        /// f with its gradient and Hessian at `point`.
        var value: SecondOrderDual
        /// Newton steps taken.
        var iterations: Int
        /// True when `point` satisfies the first- and second-order conditions
        /// for a local minimum on the quadrant: `stationarity` ≤ 10⁻¹⁰.
        var converged: Bool
    }

    /// The Newton decrement stopping the iteration.
    static let decrementTolerance = 1e-20
    /// The stationarity measure below which a point counts as a minimum.
    static let stationarityTolerance = 1e-10
    /// The most Newton steps taken.
    static let maximumIterations = 200

    /// Minimises `f` from `start` over x ≥ 0, y ≥ 0; a variable with `free` false is held at 0.
    static func minimize(from start: SIMD2<Double>, free: (x: Bool, y: Bool),
                         _ f: (SIMD2<Double>) -> SecondOrderDual) -> Minimum
    {
        let isFree = [free.x, free.y]
        var x = SIMD2(free.x ? max(0, start.x) : 0, free.y ? max(0, start.y) : 0)
        var e = f(x)
        var iterations = 0
        while iterations < maximumIterations {
            let g = SIMD2(e.dx, e.dy)
            var working = [Bool](repeating: false, count: 2)
            for k in 0..<2 { working[k] = isFree[k] && !(x[k] == 0 && g[k] > 0) }
            var d = direction(e, working: working, at: x)
            for k in 0..<2 where working[k] && x[k] == 0 && d[k] < 0 {
                working[k] = false
                d = direction(e, working: working, at: x)
            }
            let decrement = -(g * d).sum()
            if !(decrement > decrementTolerance) {
                // Inside the region of quadratic convergence: one last full step
                // takes the point to rounding, unless rounding makes it worse.
                var last = x
                for k in 0..<2 where working[k] { last[k] = max(0, x[k] + d[k]) }
                if last != x {
                    let t = f(last)
                    if t.value <= e.value + 1e-13 * max(1, abs(e.value)) {
                        x = last
                        e = t
                    }
                }
                break
            }

            var alpha = 1.0
            var accepted: (SIMD2<Double>, SecondOrderDual)?
            let slack = 1e-13 * max(1, abs(e.value))
            for _ in 0..<60 {
                var trial = x
                for k in 0..<2 where working[k] { trial[k] = max(0, x[k] + alpha * d[k]) }
                let t = f(trial)
                if t.value <= e.value + 1e-4 * (g * (trial - x)).sum() + slack {
                    accepted = (trial, t)
                    break
                }
                alpha *= 0.5
            }
            iterations += 1
            guard let (next, value) = accepted, next != x else { break }
            x = next
            e = value
        }
        return Minimum(point: x, value: e, iterations: iterations,
                       converged: stationarity(e, at: x, free: free) <= stationarityTolerance)
    }

    /// The Newton decrement gᵀH⁻¹g over the free coordinates that are off
    /// their bound or pushed into the quadrant by the gradient: 0 at a
    /// Karush–Kuhn–Tucker point, +infinity where that Hessian is not positive definite.
    static func stationarity(_ e: SecondOrderDual, at x: SIMD2<Double>, free: (x: Bool, y: Bool)) -> Double {
        let useX = free.x && !(x.x == 0 && e.dx >= 0)
        let useY = free.y && !(x.y == 0 && e.dy >= 0)
        switch (useX, useY) {
        case (false, false):
            return 0
        case (true, false):
            return e.dxx > 0 ? e.dx * e.dx / e.dxx : .infinity
        case (false, true):
            return e.dyy > 0 ? e.dy * e.dy / e.dyy : .infinity
        case (true, true):
            let det = e.dxx * e.dyy - e.dxy * e.dxy
            guard e.dxx > 0, det > 0 else { return .infinity }
            return (e.dyy * e.dx * e.dx - 2 * e.dxy * e.dx * e.dy + e.dxx * e.dy * e.dy) / det
        }
    }

    /// −H̃⁻¹g on the working coordinates (0 elsewhere), capped at max(1, 10 x_k) per coordinate.
    static func direction(_ e: SecondOrderDual, working: [Bool], at x: SIMD2<Double>) -> SIMD2<Double> {
        var d = SIMD2<Double>(0, 0)
        switch (working[0], working[1]) {
        case (false, false):
            return d
        case (true, false):
            d.x = -e.dx / modifiedCurvature(e.dxx)
        case (false, true):
            d.y = -e.dy / modifiedCurvature(e.dyy)
        case (true, true):
            let a = e.dxx, b = e.dxy, c = e.dyy
            let det = a * c - b * b
            if a > 0, det > 0, det > 1e-14 * a * c {
                d = SIMD2((-c * e.dx + b * e.dy) / det, (b * e.dx - a * e.dy) / det)
            } else {
                // Eigendecomposition of [[a, b], [b, c]]; eigenvalues replaced by |λ| (floored).
                let mid = (a + c) / 2, radius = ((a - c) * (a - c) / 4 + b * b).squareRoot()
                let l1 = mid + radius, l2 = mid - radius
                let v1: SIMD2<Double>
                if b != 0 {
                    let u = SIMD2(l1 - c, b)
                    v1 = u / (u * u).sum().squareRoot()
                } else {
                    v1 = a >= c ? SIMD2(1, 0) : SIMD2(0, 1)
                }
                let v2 = SIMD2(-v1.y, v1.x)
                let floor = max(1e-8 * max(abs(l1), abs(l2)), .leastNormalMagnitude)
                let g = SIMD2(e.dx, e.dy)
                d = -((v1 * g).sum() / max(abs(l1), floor)) * v1 - ((v2 * g).sum() / max(abs(l2), floor)) * v2
            }
        }
        var scale = 1.0
        for k in 0..<2 where d[k] != 0 {
            let cap = max(1, 10 * x[k])
            if abs(d[k]) > cap { scale = min(scale, cap / abs(d[k])) }
        }
        return scale * d
    }

    /// h when positive, else |h| floored at the smallest normal (the step cap then limits the move).
    private static func modifiedCurvature(_ h: Double) -> Double {
        h > 0 ? h : max(abs(h), .leastNormalMagnitude)
    }
}
