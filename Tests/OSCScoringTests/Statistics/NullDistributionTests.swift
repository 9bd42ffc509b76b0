import Testing
import OSCScoring

@Suite("Null distributions")
struct NullDistributionTests {
    @Test("the uniform null is (A² − 1)/12 for any number of options from 2")
    func uniformNullFormula() throws {
        #expect(try NullDistribution.uniform.variance(options: 5) == 2)
        #expect(try NullDistribution.uniform.variance(options: 2) == 0.25)
        #expect(try NullDistribution.uniform.variance(options: 7) == 4)
        #expect(try NullDistribution.uniform.variance(options: 20) == 399.0 / 12)
    }

    @Test("the skewed, triangular and normal nulls reproduce LeBreton & Senter's table")
    func tabulatedNulls() throws {
        let table: [NullDistribution: [Double]] = [
            .slight: [1.34, 1.85, 2.90, 3.47, 5.66, 6.30, 7.31],
            .moderate: [0.90, 1.26, 2.14, 2.79, 4.73, 5.09, 6.32],
            .heavy: [0.44, 0.69, 1.39, 2.35, 3.16, 3.46, 4.02],
            .triangular: [1.32, 1.45, 2.10, 2.81, 3.00, 2.89, 3.32],
            .normal: [1.04, 1.25, 1.40, 1.73, 1.58, 1.45, 1.40],
        ]
        for (shape, column) in table {
            for (offset, expected) in column.enumerated() {
                #expect(try shape.variance(options: 5 + offset) == expected, "\(shape) A = \(5 + offset)")
            }
        }
        // The table's uniform column is the formula, rounded to two decimals.
        for (a, rounded) in zip(5...11, [2.00, 2.92, 4.00, 5.25, 6.67, 8.25, 10.00]) {
            #expect(abs(try NullDistribution.uniform.variance(options: a) - rounded) < 0.005)
        }
    }

    @Test("a shape outside its tabulated range throws an error naming the option count")
    func untabulatedOptionCountsThrow() {
        #expect(throws: NullDistributionError.unsupportedOptionCount(.heavy, options: 4)) {
            try NullDistribution.heavy.variance(options: 4)
        }
        #expect(throws: NullDistributionError.unsupportedOptionCount(.normal, options: 12)) {
            try NullDistribution.normal.variance(options: 12)
        }
        #expect(throws: NullDistributionError.unsupportedOptionCount(.uniform, options: 1)) {
            try NullDistribution.uniform.variance(options: 1)
        }
        let message = NullDistributionError.unsupportedOptionCount(.slight, options: 4).description
        #expect(message.contains("not 4") && message.contains("5 to 11") && message.contains("uniform"))
    }
}
