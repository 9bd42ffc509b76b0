// Forward-mode differentiation to second order in two variables: a number
// carries its value, gradient and Hessian, and arithmetic propagates all
// three by the chain rule. Griewank & Walther (2008), Evaluating
// Derivatives, 2nd ed., ch. 13 (Taylor arithmetic).

import Foundation

/// A value with its exact gradient and Hessian with respect to two variables (x, y).
///
/// ```
/// u = (u, ∂u/∂x, ∂u/∂y, ∂²u/∂x², ∂²u/∂x∂y, ∂²u/∂y²)
/// (u·v)ₓᵧ = uₓᵧ v + uₓ vᵧ + uᵧ vₓ + u vₓᵧ
/// f(u)ₓᵧ = f″(u) uₓ uᵧ + f′(u) uₓᵧ            (reciprocal, log)
/// ```
/// The derivatives are exact up to rounding (no step size), which lets a
/// Newton iteration converge to machine precision.
///
/// Complexity: O(1) per operation (at most about 20 flops).
struct SecondOrderDual: Sendable, Equatable {
    var value: Double
    /// ∂/∂x.
    var dx: Double
    /// ∂/∂y.
    var dy: Double
    /// ∂²/∂x².
    var dxx: Double
    /// ∂²/∂x∂y.
    var dxy: Double
    /// ∂²/∂y².
    var dyy: Double

    init(value: Double, dx: Double = 0, dy: Double = 0, dxx: Double = 0, dxy: Double = 0, dyy: Double = 0) {
        self.value = value
        self.dx = dx
        self.dy = dy
        self.dxx = dxx
        self.dxy = dxy
        self.dyy = dyy
    }

    /// A constant: all derivatives zero.
    init(_ constant: Double) {
        self.init(value: constant)
    }

    /// The variable x at `value` (∂/∂x = 1).
    static func x(_ value: Double) -> SecondOrderDual { SecondOrderDual(value: value, dx: 1) }

    /// The variable y at `value` (∂/∂y = 1).
    static func y(_ value: Double) -> SecondOrderDual { SecondOrderDual(value: value, dy: 1) }

    /// A function of y alone from its value and first and second derivatives.
    static func ofY(_ value: Double, _ first: Double, _ second: Double) -> SecondOrderDual {
        SecondOrderDual(value: value, dy: first, dyy: second)
    }

    /// f(self) for f with value `f0`, first derivative `f1` and second `f2` at `self.value`.
    func applying(_ f0: Double, _ f1: Double, _ f2: Double) -> SecondOrderDual {
        SecondOrderDual(value: f0, dx: f1 * dx, dy: f1 * dy,
                        dxx: f2 * dx * dx + f1 * dxx,
                        dxy: f2 * dx * dy + f1 * dxy,
                        dyy: f2 * dy * dy + f1 * dyy)
    }

    /// 1/u.
    var reciprocal: SecondOrderDual {
        let r = 1 / value
        return applying(r, -r * r, 2 * r * r * r)
    }

    /// log u (u > 0).
    var log: SecondOrderDual {
        let r = 1 / value
        return applying(Foundation.log(value), r, -r * r)
    }

    /// u².
    var squared: SecondOrderDual { applying(value * value, 2 * value, 2) }

    static func + (a: SecondOrderDual, b: SecondOrderDual) -> SecondOrderDual {
        SecondOrderDual(value: a.value + b.value, dx: a.dx + b.dx, dy: a.dy + b.dy,
                        dxx: a.dxx + b.dxx, dxy: a.dxy + b.dxy, dyy: a.dyy + b.dyy)
    }

    static func - (a: SecondOrderDual, b: SecondOrderDual) -> SecondOrderDual {
        SecondOrderDual(value: a.value - b.value, dx: a.dx - b.dx, dy: a.dy - b.dy,
                        dxx: a.dxx - b.dxx, dxy: a.dxy - b.dxy, dyy: a.dyy - b.dyy)
    }

    static func * (a: SecondOrderDual, b: SecondOrderDual) -> SecondOrderDual {
        SecondOrderDual(value: a.value * b.value,
                        dx: a.dx * b.value + a.value * b.dx,
                        dy: a.dy * b.value + a.value * b.dy,
                        dxx: a.dxx * b.value + 2 * a.dx * b.dx + a.value * b.dxx,
                        dxy: a.dxy * b.value + a.dx * b.dy + a.dy * b.dx + a.value * b.dxy,
                        dyy: a.dyy * b.value + 2 * a.dy * b.dy + a.value * b.dyy)
    }

    static func / (a: SecondOrderDual, b: SecondOrderDual) -> SecondOrderDual {
        a * b.reciprocal
    }

    static func + (a: SecondOrderDual, c: Double) -> SecondOrderDual {
        var r = a
        r.value += c
        return r
    }

    static func - (a: SecondOrderDual, c: Double) -> SecondOrderDual { a + (-c) }

    static func * (c: Double, a: SecondOrderDual) -> SecondOrderDual {
        SecondOrderDual(value: c * a.value, dx: c * a.dx, dy: c * a.dy,
                        dxx: c * a.dxx, dxy: c * a.dxy, dyy: c * a.dyy)
    }

    static func += (a: inout SecondOrderDual, b: SecondOrderDual) { a = a + b }
}
