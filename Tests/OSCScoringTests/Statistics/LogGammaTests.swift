import Testing
@testable import OSCScoring

@Suite("Log-gamma")
struct LogGammaTests {
    @Test("log-gamma matches high-precision values to 1e-14 absolute")
    func logGammaMatchesHighPrecision() {
        // mpmath 1.3.0 loggamma at 30 digits.
        let reference: [(Double, Double)] = [
            (1e-10, 23.025850929882735274), (0.5, 0.57236494292470008707), (1, 0), (1.5, -0.12078223763524522235),
            (2, 0), (3.7, 1.4280723266653879219), (7.99, 8.5050116060884806764), (8, 8.5251613610654143002),
            (10, 12.801827480081469611), (12.5, 18.734347511936445702), (100, 359.13420536957539878),
            (1e6, 12815504.56914761166), (1e15, 33538776394910668.91),
        ]
        for (x, expected) in reference {
            #expect(isClose(LogGamma.value(x), expected, tolerance: 1e-15), "lnΓ(\(x))")
        }
        #expect(LogGamma.value(0).isNaN && LogGamma.value(-1).isNaN)
    }

    @Test("the Stirling correction is the remainder of Stirling's formula")
    func stirlingCorrectionIsRemainder() {
        // δ(10) = lnΓ(10) − (9.5 ln 10 − 10 + ½ ln 2π); mpmath 1.3.0 at 40 digits
        #expect(abs(LogGamma.stirlingCorrection(10) - 0.0083305634333628712565) < 1e-17)
    }

    @Test("the log-gamma ratio for a huge argument has no cancellation")
    func logRatioForHugeArgument() {
        // lnΓ(b) − lnΓ(b + ½) for b = 1e12; mpmath 1.3.0 at 40 digits. The direct
        // difference of two values near 2.6e13 would keep only two correct digits.
        #expect(abs(LogGamma.logRatio(a: 0.5, b: 1e12) - (-13.815510557964149104)) < 1e-14)
    }
}
