import Testing
@testable import OSCScoring

@Suite("Omega total")
struct OmegaTotalTests {
    @Test("omega total matches psych's omega within 1e-4 and the polished minres fit within 1e-9")
    func omegaMatchesR() throws {
        let blocks = try reliabilityBlocks()
        let table = try ReferenceTable("omega.csv")
        for row in table.rows {
            let set = table.text(row, "set")
            let omega = Reliability.omegaTotal(blocks[set]!)
            guard let psych = table.number(row, "omega_tot") else {
                #expect(omega == nil, "\(set): psych fails, so should we")
                continue
            }
            let value = try #require(omega, "\(set)")
            #expect(abs(value - psych) < 1e-4, "\(set): \(value) vs psych \(psych)")
            if let polished = table.number(row, "omega_uls_polished") {
                #expect(isClose(value, polished, tolerance: 1e-9), "\(set): \(value) vs polished \(polished)")
            }
        }
    }

    @Test("omega of two items is the standardized alpha of the pair, where psych's fit lands")
    func omegaOfTwoItems() throws {
        let blocks = try reliabilityBlocks()
        let alphas = try ReferenceTable("alpha.csv")
        let row = try #require(alphas.rows.first { alphas.text($0, "set") == "synthetic-A2" })
        let omega = try #require(Reliability.omegaTotal(blocks["synthetic-A2"]!))
        #expect(isClose(omega, alphas.value(row, "std_alpha_pairwise"), tolerance: 1e-12))
    }

    @Test("a three-item fit is exact: loadings from products of correlations")
    func threeItemFitIsExact() throws {
        // λ = (0.6, 0.8, 0.7): r12 = .48, r13 = .42, r23 = .56
        let r: [Double] = [1, 0.48, 0.42, 0.48, 1, 0.56, 0.42, 0.56, 1]
        let lambda = try #require(OneFactorMinimumResidual.loadings(correlation: r, items: 3))
        let sign = lambda[0] < 0 ? -1.0 : 1.0
        for (l, expected) in zip(lambda, [0.6, 0.8, 0.7]) {
            #expect(abs(sign * l - expected) < 1e-14)
        }
    }

    @Test("omega is undefined for one item and for a constant item")
    func omegaUndefinedCases() {
        #expect(Reliability.omegaTotal(ItemResponses(rows: [[1], [2], [3]])) == nil)
        #expect(Reliability.omegaTotal(ItemResponses(rows: [[1, 3, 2], [2, 3, 3], [3, 3, 5]])) == nil)
    }

    @Test("a Heywood case is held at psych's bound on the communality")
    func heywoodCaseIsBounded() throws {
        // r12 r13 / r23 = .9 · .8 / .6 = 1.2 > 1: unconstrained λ₁² would exceed 1
        let r: [Double] = [1, 0.9, 0.8, 0.9, 1, 0.6, 0.8, 0.6, 1]
        let lambda = try #require(OneFactorMinimumResidual.loadings(correlation: r, items: 3))
        #expect(abs(lambda[0] * lambda[0] - 0.995) < 1e-12)
        #expect(lambda.allSatisfy { $0 * $0 <= 0.995 + 1e-12 })
    }
}
