// A one-factor model fitted to a correlation matrix by minimum residual
// (unweighted least squares on the off-diagonal correlations), as psych's
// fa(fm = "minres"). Harman & Jones (1966); Revelle, psych `fa`.

import Foundation

/// The loadings of one common factor fitted by minimum residual (MINRES / ULS).
///
/// ```
/// minimise  f(λ) = Σ_{i<j} (r_ij − λ_i λ_j)²
/// ```
/// The diagonal is not fitted, so the communalities λ_i² are free; at the
/// optimum λ is the first principal axis of R with λ_i² on the diagonal,
/// the fixed point iterated principal axis factoring converges to. psych
/// minimises the same residual over the uniquenesses ψ = 1 − λ² with
/// L-BFGS-B (bounds 0.005 ≤ ψ ≤ 1) and stops at a loose tolerance; this fit
/// runs Newton's method (Levenberg–Marquardt damped) to machine precision.
///
/// Heywood cases: a communality above psych's bound 0.995 (ψ < 0.005) is
/// fixed at 0.995 and the other loadings are refitted. psych then reads the
/// loadings from an eigendecomposition at the bound, so such fits agree with
/// psych only approximately.
///
/// Large scales (more than `denseItems` items): the same damped Newton
/// iteration without forming the Hessian, each step solved by conjugate
/// gradients from Hessian–vector products (one product with R each, O(J²)),
/// from a start of at most 100 power iterations; the same minimum to
/// rounding (tests: 1e-9 against the dense path).
///
/// Complexity: O(J³) per Newton step, a few dozen steps, up to `denseItems`
/// items; above, O(J²) per conjugate-gradient step, at most
/// `productBudget` products with R in all.
enum OneFactorMinimumResidual {
    /// ψ lower bound of psych's `fa` (uniqueness), i.e. λ² ≤ 1 − 0.005.
    static let maximumCommunality = 0.995
    /// The most items fitted with the dense Hessian and Cholesky steps (the
    /// path the R references were checked with).
    static let denseItems = 128
    /// The most products with R of one matrix-free fit (about 4 s at 1,000 items).
    static let productBudget = 4_000

    /// The loadings λ for a row-major J × J correlation matrix, J ≥ 3; nil if the fit fails.
    /// - Parameter matrixFree: Newton steps by conjugate gradients; nil: above `denseItems` items.
    static func loadings(correlation r: [Double], items j: Int, matrixFree: Bool? = nil) -> [Double]? {
        precondition(r.count == j * j && j >= 3)
        let large = matrixFree ?? (j > denseItems)
        var lambda = large ? principalComponentStart(r, items: j, shift: 1, iterations: 100, tolerance: 1e-8)
                           : principalComponentStart(r, items: j)
        var fixed = [Bool](repeating: false, count: j)
        var budget = productBudget
        for _ in 0...j {
            let fit = large ? matrixFreeNewton(r, items: j, start: lambda, fixed: fixed, budget: &budget)
                            : newton(r, items: j, start: lambda, fixed: fixed)
            guard let fitted = fit else { return nil }
            lambda = fitted
            let offending = (0..<j).filter { !fixed[$0] && lambda[$0] * lambda[$0] > maximumCommunality }
            if offending.isEmpty { return lambda }
            for i in offending {
                fixed[i] = true
                lambda[i] = (lambda[i] < 0 ? -1 : 1) * maximumCommunality.squareRoot()
            }
            if fixed.allSatisfy({ $0 }) { return lambda }
        }
        return lambda
    }

    /// f(λ) = Σ_{i<j} (r_ij − λ_i λ_j)².
    static func residual(_ r: [Double], items j: Int, _ lambda: [Double]) -> Double {
        var sum = 0.0
        for a in 0..<j {
            for b in (a + 1)..<j {
                let e = r[a * j + b] - lambda[a] * lambda[b]
                sum += e * e
            }
        }
        return sum
    }

    /// Start: the first principal component of R, λ = v √e (power iteration
    /// on R + shift·I; the default shift J makes every eigenvalue positive).
    static func principalComponentStart(_ r: [Double], items j: Int, shift: Double? = nil,
                                        iterations: Int = 500, tolerance: Double = 1e-12) -> [Double] {
        var v = [Double](repeating: 1 / Double(j).squareRoot(), count: j)
        let shift = shift ?? Double(j)
        for _ in 0..<iterations {
            var w = [Double](repeating: 0, count: j)
            for a in 0..<j {
                var s = shift * v[a]
                for b in 0..<j { s += r[a * j + b] * v[b] }
                w[a] = s
            }
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { break }
            w = w.map { $0 / norm }
            let change = zip(v, w).map { abs($0 - $1) }.max()!
            v = w
            if change < tolerance { break }
        }
        var e = 0.0
        for a in 0..<j { for b in 0..<j { e += v[a] * r[a * j + b] * v[b] } }
        return v.map { $0 * max(e, 1e-6).squareRoot() }
    }

    /// Damped Newton iterations on f with the `fixed` loadings held constant.
    static func newton(_ r: [Double], items j: Int, start: [Double], fixed: [Bool]) -> [Double]? {
        var lambda = start
        var f = residual(r, items: j, lambda)
        var damping = 1e-3
        for _ in 0..<2000 {
            // Gradient and Hessian of f.
            var g = [Double](repeating: 0, count: j)
            var h = [Double](repeating: 0, count: j * j)
            for a in 0..<j {
                var sumSquares = 0.0
                for b in 0..<j where b != a {
                    let e = r[a * j + b] - lambda[a] * lambda[b]
                    g[a] -= 2 * e * lambda[b]
                    sumSquares += lambda[b] * lambda[b]
                    h[a * j + b] = 2 * lambda[a] * lambda[b] - 2 * e
                }
                h[a * j + a] = 2 * sumSquares
            }
            for a in 0..<j where fixed[a] {
                g[a] = 0
                for b in 0..<j { h[a * j + b] = 0; h[b * j + a] = 0 }
                h[a * j + a] = 1
            }
            if g.allSatisfy({ $0 == 0 }) { return lambda }
            let step = dampedStep(from: lambda, f: f, damping: damping, residual: { residual(r, items: j, $0) }) { mu in
                var damped = h
                for a in 0..<j { damped[a * j + a] += mu }
                return choleskySolve(damped, g.map { -$0 }, size: j)
            }
            (lambda, f, damping) = (step.lambda, step.f, step.damping)
            if step.outcome != .accepted { return lambda }
        }
        return lambda
    }

    /// How a damped Newton step ended.
    enum StepOutcome {
        /// A step that does not increase f was taken; iterate on.
        case accepted
        /// The step taken was below 1e-15 relative to the loadings: converged.
        case converged
        /// No damping in 60 tenfold raises gave a decrease: at the minimum to rounding.
        case stalled
        /// `hasBudget` said stop before a step was accepted.
        case outOfBudget
    }

    /// One damped Newton step, shared by `newton` and `matrixFreeNewton`:
    /// tries the step `solve(μ)` (nil: the damped system is not positive
    /// definite), raising μ tenfold up to 60 times, until one does not
    /// increase f; after a step μ falls tenfold (not below 1e-12).
    static func dampedStep(from lambda: [Double], f: Double, damping: Double, residual: ([Double]) -> Double,
                           hasBudget: () -> Bool = { true }, solve: (Double) -> [Double]?)
        -> (outcome: StepOutcome, lambda: [Double], f: Double, damping: Double) {
        var damping = damping
        for _ in 0..<60 {
            guard hasBudget() else { return (.outOfBudget, lambda, f, damping) }
            if let step = solve(damping) {
                let trial = zip(lambda, step).map { $0 + $1 }
                let ft = residual(trial)
                if ft <= f {
                    let size = step.map { abs($0) }.max()!
                    let converged = size <= 1e-15 * max(1, trial.map { abs($0) }.max()!)
                    return (converged ? .converged : .accepted, trial, ft, max(damping / 10, 1e-12))
                }
            }
            damping *= 10
        }
        return (.stalled, lambda, f, damping)
    }

    /// y = R v without the diagonal of R (rows of R as vectors; O(J²)).
    static func offDiagonalProduct(_ r: UnsafeBufferPointer<Double>, _ v: [Double], items j: Int) -> [Double] {
        var y = [Double](repeating: 0, count: j)
        v.withUnsafeBufferPointer { v in
            for a in 0..<j {
                let row = r.baseAddress! + a * j
                var s0 = SIMD4<Double>(), s1 = s0
                var b = 0
                while b + 8 <= j {
                    s0 += UnsafeRawPointer(row + b).loadUnaligned(as: SIMD4<Double>.self) * UnsafeRawPointer(v.baseAddress! + b).loadUnaligned(as: SIMD4<Double>.self)
                    s1 += UnsafeRawPointer(row + b + 4).loadUnaligned(as: SIMD4<Double>.self) * UnsafeRawPointer(v.baseAddress! + b + 4).loadUnaligned(as: SIMD4<Double>.self)
                    b += 8
                }
                var sum = (s0 + s1).sum()
                while b < j { sum += row[b] * v[b]; b += 1 }
                y[a] = sum - row[a] * v[a]
            }
        }
        return y
    }

    /// Damped Newton iterations on f with the `fixed` loadings held constant,
    /// without the Hessian: each step (H + μI) d = −g solved by conjugate
    /// gradients from products H v = 4λ(λ·v) − 4λ²v − 2 R_off v + 2(S − λ²) v
    /// (S = Σλ², fixed coordinates left out). A product with negative
    /// curvature raises μ as a failed Cholesky factorisation does. Stops at the
    /// same step size as `newton` or when no step decreases f; nil (the fit
    /// failed: omega is not reported) when `budget` products with R are
    /// spent first, rather than an unconverged λ reported as a result.
    static func matrixFreeNewton(_ r: [Double], items j: Int, start: [Double], fixed: [Bool], budget: inout Int) -> [Double]? {
        guard budget > 0 else { return nil }
        return r.withUnsafeBufferPointer { r in
            var lambda = start
            func residual(_ lambda: [Double]) -> Double {
                var sum = 0.0
                for a in 0..<j {
                    let row = r.baseAddress! + a * j, la = lambda[a]
                    var s = 0.0
                    for b in (a + 1)..<j {
                        let e = row[b] - la * lambda[b]
                        s += e * e
                    }
                    sum += s
                }
                return sum
            }
            var f = residual(lambda)
            var damping = 1e-3
            for _ in 0..<2000 {
                guard budget > 0 else { return nil }
                let rl = offDiagonalProduct(r, lambda, items: j)
                budget -= 1
                let squares = lambda.reduce(0) { $0 + $1 * $1 }
                var g = [Double](repeating: 0, count: j)
                for a in 0..<j where !fixed[a] { g[a] = -2 * (rl[a] - lambda[a] * (squares - lambda[a] * lambda[a])) }
                if g.allSatisfy({ $0 == 0 }) { return lambda }
                let gradientNorm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
                // Inexact Newton: the forcing term shrinks with the gradient (superlinear convergence).
                let forcing = min(0.1, gradientNorm.squareRoot())
                func product(_ v: [Double], _ mu: Double) -> [Double] {
                    let rv = offDiagonalProduct(r, v, items: j)
                    var dot = 0.0
                    for a in 0..<j { dot += lambda[a] * v[a] }
                    var out = [Double](repeating: 0, count: j)
                    for a in 0..<j where !fixed[a] {
                        let la = lambda[a]
                        out[a] = 4 * la * (dot - la * v[a]) - 2 * rv[a] + (2 * (squares - la * la) + mu) * v[a]
                    }
                    return out
                }
                func solve(_ mu: Double) -> [Double]? {
                    var x = [Double](repeating: 0, count: j)
                    var residual = g.map { -$0 }, direction = residual
                    var rr = gradientNorm * gradientNorm
                    let target = forcing * forcing * rr
                    for _ in 0..<min(j, 500) {
                        guard budget > 0 else { break }
                        let ap = product(direction, mu)
                        budget -= 1
                        var curvature = 0.0
                        for a in 0..<j { curvature += direction[a] * ap[a] }
                        guard curvature > 0 else { return nil }
                        let alpha = rr / curvature
                        var next = 0.0
                        for a in 0..<j {
                            x[a] += alpha * direction[a]
                            residual[a] -= alpha * ap[a]
                            next += residual[a] * residual[a]
                        }
                        if next <= target { break }
                        let beta = next / rr
                        rr = next
                        for a in 0..<j { direction[a] = residual[a] + beta * direction[a] }
                    }
                    return x
                }
                let step = dampedStep(from: lambda, f: f, damping: damping, residual: residual, hasBudget: { budget > 0 }, solve: solve)
                switch step.outcome {
                case .accepted: (lambda, f, damping) = (step.lambda, step.f, step.damping)
                case .converged, .stalled: return step.lambda
                case .outOfBudget: return nil
                }
            }
            return lambda
        }
    }

    /// Solves A x = b for a symmetric positive definite A (row-major n × n); nil if A is not positive definite.
    static func choleskySolve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0...i {
                var s = a[i * n + k]
                for m in 0..<k { s -= l[i * n + m] * l[k * n + m] }
                if i == k {
                    guard s > 0 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + k] = s / l[k * n + k]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = b[i]
            for m in 0..<i { s -= l[i * n + m] * y[m] }
            y[i] = s / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for m in (i + 1)..<n { s -= l[m * n + i] * x[m] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}
