import Foundation
import Testing
@testable import OSCScoring

@Suite("Second-order forward differentiation in two variables")
struct SecondOrderDualTests {
    /// f(x, y) = log(x y + x²) / (1 + y) − 3 x y², built from every operation.
    private static func f(_ x: SecondOrderDual, _ y: SecondOrderDual) -> SecondOrderDual {
        (x * y + x.squared).log / (y + 1) - 3 * (x * y * y)
    }

    private static func value(_ x: Double, _ y: Double) -> Double {
        log(x * y + x * x) / (1 + y) - 3 * x * y * y
    }

    @Test("the value is the plain evaluation")
    func valueIsPlainEvaluation() {
        let u = Self.f(.x(0.7), .y(1.3))
        #expect(abs(u.value - Self.value(0.7, 1.3)) < 1e-15)
    }

    @Test("the gradient and Hessian match central differences")
    func derivativesMatchCentralDifferences() {
        let (x, y, h) = (0.7, 1.3, 1e-4)
        let u = Self.f(.x(x), .y(y))
        let fx = (Self.value(x + h, y) - Self.value(x - h, y)) / (2 * h)
        let fy = (Self.value(x, y + h) - Self.value(x, y - h)) / (2 * h)
        #expect(abs(u.dx - fx) < 1e-7)
        #expect(abs(u.dy - fy) < 1e-7)
        // Second derivatives as central differences of the exact first derivatives.
        let xPlus = Self.f(.x(x + h), .y(y)), xMinus = Self.f(.x(x - h), .y(y))
        let yPlus = Self.f(.x(x), .y(y + h)), yMinus = Self.f(.x(x), .y(y - h))
        #expect(abs(u.dxx - (xPlus.dx - xMinus.dx) / (2 * h)) < 1e-7)
        #expect(abs(u.dxy - (yPlus.dx - yMinus.dx) / (2 * h)) < 1e-7)
        #expect(abs(u.dxy - (xPlus.dy - xMinus.dy) / (2 * h)) < 1e-7)
        #expect(abs(u.dyy - (yPlus.dy - yMinus.dy) / (2 * h)) < 1e-7)
    }

    @Test("a function of y alone carries no x derivatives")
    func functionOfYAlone() {
        let u = SecondOrderDual.ofY(2, 3, 4) * SecondOrderDual.ofY(5, 6, 7)
        // (fg)″ = f″g + 2f′g′ + fg″ = 4·5 + 2·3·6 + 2·7 = 70.
        #expect(u.value == 10 && u.dy == 27 && u.dyy == 70)
        #expect(u.dx == 0 && u.dxx == 0 && u.dxy == 0)
    }
}
