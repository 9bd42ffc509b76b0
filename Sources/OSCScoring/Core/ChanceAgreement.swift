// Each school's rwg(j) against its 95th percentile under random answering
// (Dunlap, Burke & Smith-Crowe 2003), for `SchoolScaleResult.rwgJCritical`.

extension RwgJChance {
    /// The critical value of every school and scale, from one simulation of
    /// every size and scale length (``criticalValues(sizes:lengths:weights:nullVariance:draws:seed:threads:)``).
    ///
    /// - Parameters:
    ///   - respondents: the school's respondents on the scale that rwg(j)
    ///     uses: those with a score (pairwise), or those who answered every
    ///     item (listwise).
    ///   - scaleItems: J of each scale.
    /// - Returns: `[school][scale]`, nil where the null has no distribution
    ///   (``answerWeights(_:options:)``), n < 2 or n > ``maximumRespondents``.
    static func schoolCriticalValues(schools: Int, scaleItems: [Int], respondents: (Int, Int) -> Int, null: NullVariance,
                                     options: Int, nullVariance: Double, threads: Int) -> [[Double?]] {
        var result = [[Double?]](repeating: [Double?](repeating: nil, count: scaleItems.count), count: schools)
        guard let weights = answerWeights(null, options: options), schools > 0 else { return result }
        // The default settings: each school's value read from the table, no set of sizes or dictionary.
        var largest = 0
        for s in scaleItems.indices {
            for g in 0..<schools {
                let n = respondents(g, s)
                if n >= 2 && n <= maximumRespondents && n > largest { largest = n }
            }
        }
        guard largest > 0 else { return result }
        var simulated: [Int] = []
        let tabulated = isTabulated(weights: weights, nullVariance: nullVariance, draws: defaultDraws, seed: defaultSeed)
            && largest <= tabulatedRespondents
        for (s, j) in scaleItems.enumerated() where j >= 1 && largest * j <= maximumCells {
            guard tabulated && j <= tabulatedLengths else { simulated.append(s); continue }
            // Each size's value decoded once per scale.
            var value = [Double](repeating: .nan, count: largest + 1)
            for g in 0..<schools {
                let n = respondents(g, s)
                guard n >= 2 && n <= largest else { continue }
                if value[n].isNaN { value[n] = tabulatedValue(n: n, items: j) }
                result[g][s] = value[n]
            }
        }
        guard !simulated.isEmpty else { return result }
        var sizes = Set<Int>()
        for s in scaleItems.indices { for g in 0..<schools { sizes.insert(respondents(g, s)) } }
        let table = criticalValues(sizes: sizes, lengths: Set(simulated.map { scaleItems[$0] }), weights: weights,
                                   nullVariance: nullVariance, threads: threads)
        for s in simulated {
            for g in 0..<schools { result[g][s] = table[Key(n: respondents(g, s), items: scaleItems[s])] }
        }
        return result
    }
}

extension ScoringReport {
    /// The readable reports' sentence under the schools' table: on each
    /// summary scale, how many schools' rwg(j) is above its 95th percentile
    /// under random answering; nil when no school has a critical value.
    func chanceAgreementLine(titles: [String]) -> String? {
        let summary = instrument.summaryScaleIndices
        guard schools.contains(where: { school in summary.contains { school.scores[$0].rwgJAboveChance != nil } }) else { return nil }
        let parts = zip(titles, summary).map { title, s in
            let judged = schools.compactMap { $0.scores[s].rwgJAboveChance }
            return "\(title) \(judged.filter { $0 }.count) of \(judged.count)"
        }
        return "rwg(j) above chance, the 95th percentile of rwg(j) when a school of its size answers at random (\(JSONValue.format(Double(RwgJChance.defaultDraws))) simulated schools; Dunlap et al. 2003): " + parts.joined(separator: ", ") + "."
    }
}
