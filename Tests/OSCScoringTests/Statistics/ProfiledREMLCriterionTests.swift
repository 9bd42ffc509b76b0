import Foundation
import Testing
@testable import OSCScoring

@Suite("The profiled REML criterion from per-school summaries")
struct ProfiledREMLCriterionTests {
    /// 3 authorities, 7 schools of 1–5 respondents (one school of one).
    private static let authorities = [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3]
    private static let schools = [10, 10, 10, 11, 11, 12, 12, 20, 20, 20, 20, 20, 21, 30, 30, 31, 31, 31, 31, 31]
    private static let scores: [Double] = [3.2, 2.8, 3.9, 4.1, 3.7, 2.2, 2.9, 3.3, 3.6, 4.4, 3.1, 3.8, 2.5,
                                           1.9, 2.4, 3.0, 2.6, 2.2, 3.4, 2.9]

    /// −2ℓ_R by dense linear algebra: V = I + θ_s Z_s Z_sᵀ + θ_a Z_a Z_aᵀ, Cholesky V = LLᵀ.
    private static func dense(_ ta: Double, _ ts: Double) -> (criterion: Double, mean: Double) {
        let n = scores.count
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var e = i == j ? 1.0 : 0
                if schools[i] == schools[j] { e += ts }
                if authorities[i] == authorities[j] { e += ta }
                v[i * n + j] = e
            }
        }
        // Cholesky, lower triangle in place.
        for j in 0..<n {
            var d = v[j * n + j]
            for k in 0..<j { d -= v[j * n + k] * v[j * n + k] }
            d = d.squareRoot()
            v[j * n + j] = d
            for i in (j + 1)..<n {
                var s = v[i * n + j]
                for k in 0..<j { s -= v[i * n + k] * v[j * n + k] }
                v[i * n + j] = s / d
            }
        }
        func solveLower(_ b: [Double]) -> [Double] {
            var x = b
            for i in 0..<n {
                for k in 0..<i { x[i] -= v[i * n + k] * x[k] }
                x[i] /= v[i * n + i]
            }
            return x
        }
        let one = solveLower([Double](repeating: 1, count: n)), y = solveLower(scores)
        let oo = one.reduce(0) { $0 + $1 * $1 }
        let oy = zip(one, y).reduce(0) { $0 + $1.0 * $1.1 }
        let yy = y.reduce(0) { $0 + $1 * $1 }
        let logDet = (0..<n).reduce(0) { $0 + 2 * log(v[$1 * n + $1]) }
        let r = yy - oy * oy / oo
        let dof = Double(n - 1)
        return (logDet + log(oo) + dof * (1 + log(2 * Double.pi * r / dof)), oy / oo)
    }

    private static let criterion = NestedDesign(scores: scores, authorities: authorities, schools: schools)!.criterion

    @Test("the closed form equals the dense computation", arguments: [
        (0.0, 0.0), (0.3, 0.0), (0.0, 0.7), (0.25, 0.4), (2.0, 0.05), (40.0, 15.0),
    ])
    func closedFormEqualsDense(ta: Double, ts: Double) {
        let e = Self.criterion.evaluate(authorityRatio: ta, schoolRatio: ts)
        let d = Self.dense(ta, ts)
        #expect(abs(e.criterion.value - d.criterion) < 1e-12 * abs(d.criterion), "θ = (\(ta), \(ts))")
        #expect(abs(Self.criterion.centre + e.centredMean - d.mean) < 1e-13)
    }

    @Test("the gradient and Hessian match central differences", arguments: [(0.25, 0.4), (0.0, 0.7), (3.0, 0.02)])
    func derivativesMatchDifferences(ta: Double, ts: Double) {
        let c = Self.criterion
        func f(_ a: Double, _ s: Double) -> SecondOrderDual { c.evaluate(authorityRatio: a, schoolRatio: s).criterion }
        let e = f(ta, ts)
        let h = 1e-6
        let fx = (f(ta + h, ts).value - f(ta - h, ts).value) / (2 * h)
        let fy = (f(ta, ts + h).value - f(ta, ts - h).value) / (2 * h)
        #expect(abs(e.dx - fx) < 1e-6 * max(1, abs(fx)))
        #expect(abs(e.dy - fy) < 1e-6 * max(1, abs(fy)))
        let xPlus = f(ta + h, ts), xMinus = f(ta - h, ts), yPlus = f(ta, ts + h), yMinus = f(ta, ts - h)
        let scale = max(1, abs(e.dxx), abs(e.dyy))
        #expect(abs(e.dxx - (xPlus.dx - xMinus.dx) / (2 * h)) < 1e-6 * scale)
        #expect(abs(e.dxy - (yPlus.dx - yMinus.dx) / (2 * h)) < 1e-6 * scale)
        #expect(abs(e.dxy - (xPlus.dy - xMinus.dy) / (2 * h)) < 1e-6 * scale)
        #expect(abs(e.dyy - (yPlus.dy - yMinus.dy) / (2 * h)) < 1e-6 * scale)
    }
}
