import Foundation
import Testing
@testable import OSCScoring

@Suite("F distribution")
struct FDistributionTests {
    @Test("cdf and survival match R's pf in both tails to 1e-12 relative, down to 1e-300")
    func bothTailsMatchRsPf() throws {
        let table = try ReferenceTable("f-distribution.csv")
        #expect(table.rows.count > 1500)
        var worst = 0.0
        var failures: [String] = []
        for row in table.rows {
            let df1 = table.value(row, "df1"), df2 = table.value(row, "df2"), x = table.value(row, "x")
            let lower = table.value(row, "lower"), upper = table.value(row, "upper")
            let cdf = FDistribution.cdf(x, df1: df1, df2: df2)
            let survival = FDistribution.survival(x, df1: df1, df2: df2)
            let errors = [abs(cdf - lower) / lower, abs(survival - upper) / upper]
            worst = max(worst, errors.max()!)
            if errors.max()! > 1e-12 {
                failures.append("df1=\(df1) df2=\(df2) x=\(x): cdf \(cdf) vs \(lower), survival \(survival) vs \(upper)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) points off; worst relative error \(worst):\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    @Test("quantile matches the exact quantile of R's pf to 1e-12 relative")
    func quantileMatchesExactReference() throws {
        let table = try ReferenceTable("f-quantile.csv")
        var failures: [String] = []
        for row in table.rows {
            let p = table.value(row, "p"), df1 = table.value(row, "df1"), df2 = table.value(row, "df2")
            let exact = table.value(row, "exact")
            let q = FDistribution.quantile(p, df1: df1, df2: df2)
            if !isRelativelyClose(q, exact, tolerance: 1e-12) {
                failures.append("p=\(p) df1=\(df1) df2=\(df2): \(q) vs \(exact) (R qf \(table.text(row, "qf")))")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) quantiles off:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    // MARK: Closed forms

    @Test("with one and one degrees of freedom the cdf is (2/π) arctan √x")
    func cauchyCase() {
        for x in [1e-6, 0.3, 1, 2.5, 40, 1e8] {
            let expected = 2 / Double.pi * atan(x.squareRoot())
            #expect(isRelativelyClose(FDistribution.cdf(x, df1: 1, df2: 1), expected, tolerance: 1e-14))
        }
        #expect(isRelativelyClose(FDistribution.cdf(1, df1: 1, df2: 1), 0.5, tolerance: 1e-15))
    }

    @Test("with two numerator degrees of freedom the upper tail is (1 + 2x/d)^(−d/2)")
    func twoNumeratorDegrees() {
        for (x, d) in [(0.5, 3.0), (3.0, 10.0), (50.0, 7.0), (200.0, 30.0)] {
            let expected = pow(1 + 2 * x / d, -d / 2)
            #expect(isRelativelyClose(FDistribution.survival(x, df1: 2, df2: d), expected, tolerance: 1e-13))
            if expected > 1e-10 {  // else 1 − expected rounds to 1
                #expect(isRelativelyClose(FDistribution.quantile(1 - expected, df1: 2, df2: d), x, tolerance: 1e-10))
            }
        }
    }

    @Test("the quantile inverts the cdf across the range")
    func quantileInvertsCdf() {
        for (df1, df2) in [(1.0, 1.0), (3.0, 40.0), (12.0, 5.0), (250.0, 1e6), (1e6, 2.0)] {
            for p in [1e-150, 1e-12, 0.01, 0.3, 0.5, 0.8, 0.999] {
                let q = FDistribution.quantile(p, df1: df1, df2: df2)
                #expect(isRelativelyClose(FDistribution.cdf(q, df1: df1, df2: df2), p, tolerance: 1e-11),
                        "df \(df1), \(df2), p \(p)")
            }
        }
    }

    @Test("the tails sum to one and tiny upper tails are not rounded to zero")
    func tailsAreComplementary() {
        #expect(FDistribution.cdf(3, df1: 4, df2: 9) + FDistribution.survival(3, df1: 4, df2: 9) == 1)
        let tiny = FDistribution.survival(5_000, df1: 5, df2: 200)
        #expect(tiny > 0 && tiny < 1e-200)
    }

    @Test("edge arguments give the limits, invalid ones NaN")
    func edgeArguments() {
        #expect(FDistribution.cdf(0, df1: 3, df2: 4) == 0)
        #expect(FDistribution.cdf(-1, df1: 3, df2: 4) == 0)
        #expect(FDistribution.survival(0, df1: 3, df2: 4) == 1)
        #expect(FDistribution.cdf(.infinity, df1: 3, df2: 4) == 1)
        #expect(FDistribution.survival(.infinity, df1: 3, df2: 4) == 0)
        #expect(FDistribution.cdf(.nan, df1: 3, df2: 4).isNaN)
        #expect(FDistribution.cdf(1, df1: 0, df2: 4).isNaN)
        #expect(FDistribution.cdf(1, df1: 3, df2: .infinity).isNaN)
        #expect(FDistribution.quantile(0, df1: 3, df2: 4) == 0)
        #expect(FDistribution.quantile(1, df1: 3, df2: 4) == .infinity)
        #expect(FDistribution.quantile(1.5, df1: 3, df2: 4).isNaN)
        #expect(FDistribution.quantile(-0.1, df1: 3, df2: 4).isNaN)
    }
}
