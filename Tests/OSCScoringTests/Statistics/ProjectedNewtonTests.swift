import Foundation
import Testing
@testable import OSCScoring

@Suite("Projected Newton minimisation on the quadrant x ≥ 0, y ≥ 0")
struct ProjectedNewtonTests {
    /// (x − a)² + (x − a)(y − b) + 2(y − b)², a convex quadratic with its minimum at (a, b).
    private static func quadratic(_ a: Double, _ b: Double) -> (SIMD2<Double>) -> SecondOrderDual {
        { t in
            let u = SecondOrderDual.x(t.x) - a, v = SecondOrderDual.y(t.y) - b
            return u.squared + u * v + 2 * v.squared
        }
    }

    @Test("an interior minimum is found to rounding")
    func interiorMinimum() {
        let m = ProjectedNewton.minimize(from: SIMD2(5, 0.1), free: (true, true), Self.quadratic(1.5, 0.25))
        #expect(abs(m.point.x - 1.5) < 1e-14 && abs(m.point.y - 0.25) < 1e-14)
        #expect(m.converged)
        #expect(m.iterations <= 3)
    }

    @Test("a minimum outside the quadrant lands exactly on the boundary at the constrained optimum")
    func boundaryMinimum() {
        // Unconstrained minimum (−1, 2); on x = 0, ∂f/∂y = u + 4v = 0 gives y = b − (x − a)/4 = 1.75.
        let m = ProjectedNewton.minimize(from: SIMD2(3, 3), free: (true, true), Self.quadratic(-1, 2))
        #expect(m.point.x == 0)
        #expect(abs(m.point.y - 1.75) < 1e-14)
        #expect(m.converged)
        // Both coordinates pushed out: the corner.
        let corner = ProjectedNewton.minimize(from: SIMD2(1, 1), free: (true, true), Self.quadratic(-1, -1))
        #expect(corner.point == SIMD2(0, 0) && corner.converged)
    }

    @Test("a variable that is not free stays at 0")
    func heldVariable() {
        let m = ProjectedNewton.minimize(from: SIMD2(4, 4), free: (false, true), Self.quadratic(1, 1))
        #expect(m.point.x == 0)
        #expect(abs(m.point.y - 1.25) < 1e-14)
        #expect(m.converged)
    }

    @Test("a start where the Hessian is indefinite still reaches the minimum")
    func indefiniteStart() {
        // (x² − 1)² + (y − 1)² has f_xx = 12x² − 4 < 0 at x = 0.1.
        let f: (SIMD2<Double>) -> SecondOrderDual = { t in
            let x = SecondOrderDual.x(t.x), y = SecondOrderDual.y(t.y)
            return (x.squared - 1).squared + (y - 1).squared
        }
        let m = ProjectedNewton.minimize(from: SIMD2(0.1, 3), free: (true, true), f)
        #expect(abs(m.point.x - 1) < 1e-12 && abs(m.point.y - 1) < 1e-12, "\(m)")
        #expect(m.converged)
    }

    @Test("stationarity is 0 at a Karush–Kuhn–Tucker point and positive off it")
    func stationarityMeasure() {
        let f = Self.quadratic(-1, 2)
        #expect(ProjectedNewton.stationarity(f(SIMD2(0, 1.75)), at: SIMD2(0, 1.75), free: (true, true)) < 1e-28)
        #expect(ProjectedNewton.stationarity(f(SIMD2(0, 1)), at: SIMD2(0, 1), free: (true, true)) > 0.1)
        // At x = 0 with the gradient pointing into the quadrant the point is not a minimum.
        let g = Self.quadratic(1, 2)
        #expect(ProjectedNewton.stationarity(g(SIMD2(0, 2.25)), at: SIMD2(0, 2.25), free: (true, true)) > 0.1)
        #expect(ProjectedNewton.stationarity(g(SIMD2(0, 2.25)), at: SIMD2(0, 2.25), free: (false, true)) < 1e-28)
    }
}
