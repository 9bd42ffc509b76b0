import Testing
@testable import OSCScoring

@Suite("Regularized incomplete beta function")
struct RegularizedIncompleteBetaTests {
    @Test("the incomplete beta function is symmetric: I_x(a, b) = 1 − I_(1−x)(b, a)")
    func incompleteBetaSymmetry() {
        for (a, b, x) in [(0.5, 0.5, 0.3), (2.0, 7.0, 0.1), (40.0, 3.0, 0.9), (5e5, 1.5, 0.999997)] {
            let forward = RegularizedIncompleteBeta.tails(x: x, y: 1 - x, a: a, b: b)
            let backward = RegularizedIncompleteBeta.tails(x: 1 - x, y: x, a: b, b: a)
            #expect(isRelativelyClose(forward.lower, backward.upper, tolerance: 1e-14))
            #expect(isRelativelyClose(forward.upper, backward.lower, tolerance: 1e-14))
        }
        // I_x(1, 1) = x
        #expect(isRelativelyClose(RegularizedIncompleteBeta.tails(x: 0.37, y: 0.63, a: 1, b: 1).lower, 0.37,
                                  tolerance: 4e-16))
    }

    @Test("the fraction stays accurate with one huge and one small parameter")
    func hugeAndSmallParameters() {
        // I_y(5e5, 1.5) at y = 1 − 6.251365965610847e-6; mpmath 1.3.0 (50 digits) gives the
        // continued-fraction factor 0.36525682284349648 (the textbook fraction loses 3e-11 here).
        let w = 6.251365965610847e-06
        let factor = RegularizedIncompleteBeta.continuedFraction(
            a: 5e5, b: 1.5, x: 0.5 - w + 0.5, y: w, lambda: -(1.5 - (5e5 + 1.5) * w))
        #expect(isRelativelyClose(factor, 0.36525682284349648, tolerance: 1e-14))
    }

    @Test("the prefactor equals its direct formula where that is exact")
    func prefactorForSmallParameters() {
        // x^a y^b / B(a, b) with a = b = ½: √(x y) / π
        let lp = RegularizedIncompleteBeta.logPrefactor(x: 0.5, y: 0.5, a: 0.5, b: 0.5)
        #expect(abs(lp - (-0.69314718055994530942 - 1.1447298858494001741)) < 1e-15)
    }
}
