// The statistics passes after reading (the schools pass, the answer counts,
// the pair sums, the scale statistics and the groups' agreement) against
// plain references, and the same results at every thread count, on random
// OSC data with missing answers: rows and columns with every answer missing,
// rows without a school, schools of one respondent, sizes that are not
// multiples of the vector width.

import Testing
@testable import OSCScoring

@Suite("Statistics kernels equal plain references at every thread count")
struct StatisticsKernelTests {
    /// The OSC with the demonstration key.
    static func instrument() throws -> Instrument {
        try BundledInstruments.osc().applying(ScoringKey(contentsOf: Fixture.repositoryRoot + "/Examples/demo-key.csv"))
    }

    /// A random OSC table: `rows` respondents in about `schools` schools
    /// (and three schools of one respondent), answers 1–5 with about
    /// `missingRate` missing, every 37th row with every answer missing,
    /// every 53rd without a school, item Q017 never answered.
    static func randomTable(seed: UInt64, rows: Int, schools: Int, missingRate: Double) throws -> ResponseTable {
        let instrument = try instrument()
        var rng = Xoshiro256StarStar(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let columns = instrument.items.map(\.column)
        var csv = "respondent,authority,school," + columns.joined(separator: ",") + "\n"
        for r in 0..<rows {
            let school: String
            if r % 53 == 7 {
                school = ""
            } else if r < 3 {
                school = "ONE\(r)"
            } else {
                school = "S\(rng.next() % UInt64(schools))"
            }
            let authority = school.isEmpty ? "" : "A\(school.utf8.count % 4)"
            var cells: [String] = []
            let level = Int(rng.next() % 3)
            for (i, column) in columns.enumerated() {
                if r % 37 == 5 || column == "Q017" || uniform() < missingRate { cells.append(""); continue }
                cells.append(String(max(1, min(5, 1 + Int(uniform() * 4) + level - (i % 2)))))
            }
            csv += "r\(r),\(authority),\(school)," + cells.joined(separator: ",") + "\n"
        }
        return try ResponseReader.read(Fixture.bytes(csv), instrument: instrument, source: "random.csv")
    }

    /// Whether row r answered every item of `items`.
    static func complete(_ table: ResponseTable, row r: Int, items: [Int]) -> Bool {
        let n = table.instrument.items.count
        return items.allSatisfy { table.answerCodes[r * n + $0] != 0 }
    }

    /// The answer counts written out: per group, scale, item and keyed code,
    /// over the group's rows (listwise: those complete on the scale).
    static func plainCounts(_ table: ResponseTable, groups: [[Int32]], missing: MissingDataRule) -> (counts: [Int32], complete: [Int]) {
        let scaleItems = table.instrument.scaleItemIndices, keyed = table.keyedCodeTable()
        let width = table.instrument.responseScale.options + 1, n = table.instrument.items.count
        var counts: [Int32] = [], completeRows: [Int] = []
        for rows in groups {
            for items in scaleItems {
                let used = rows.map(Int.init).filter { missing == .pairwise || Self.complete(table, row: $0, items: items) }
                if missing == .listwise { completeRows.append(used.count) }
                for i in items {
                    var perCode = [Int32](repeating: 0, count: width)
                    for r in used { perCode[Int(keyed[i * 16 + Int(table.answerCodes[r * n + i])])] += 1 }
                    counts += perCode
                }
            }
        }
        return (counts, completeRows)
    }

    static let threadCounts = [1, 2, 3, 5]

    @Test("A code above the options (never in a table the readers make) sends its school's listwise counts to the scalar count")
    func vectorCountFallback() throws {
        var table = try Self.randomTable(seed: 65, rows: 400, schools: 5, missingRate: 0.05)
        let school = try #require(table.schoolKey(row: 3))
        let options = table.instrument.responseScale.options
        var codes = [UInt8](repeating: 2, count: table.instrument.items.count)
        codes[40] = UInt8(options + 4)
        table.appendRow(line: 9_999, respondentID: "odd", school: school, codes: codes)
        let scores = RespondentScores(table: table, options: ScoringOptions())
        let summaries = GroupAggregation.summaries(table: table, scores: scores, threads: 1)
        let groups = summaries.schools.map(\.rows32)
        func counts(vectors: Bool) -> AgreementCounts {
            AgreementCounts(table: table, status: summaries.status, groups: groups, moments: summaries.moments, missing: .listwise,
                            vectorCounts: vectors)
        }
        let vector = counts(vectors: true), scalar = counts(vectors: false)
        #expect(vector.vectorFallbacks == 1)
        #expect(vector.counts == scalar.counts && vector.complete == scalar.complete)
        #expect(scalar.vectorFallbacks == 0)
    }

    @Test("Answer counts (pairwise, listwise direct and through scale chains) equal a plain count at 1, 2, 3 and 5 threads",
          arguments: [(61 as UInt64, 150, 0.02), (62, 411, 0.15), (63, 97, 0.6), (64, 9_000, 0.1)])
    func answerCounts(seed: UInt64, rows: Int, missingRate: Double) throws {
        let table = try Self.randomTable(seed: seed, rows: rows, schools: 13, missingRate: missingRate)
        let scores = RespondentScores(table: table, options: ScoringOptions())
        let summaries = GroupAggregation.summaries(table: table, scores: scores, threads: 1)
        let groups = summaries.schools.map(\.rows32)
        #expect(groups.contains { $0.count == 1 })
        for missing in [MissingDataRule.pairwise, .listwise] {
            let plain = Self.plainCounts(table, groups: groups, missing: missing)
            for (chains, vectors) in [(true, true), (true, false), (false, false)] where chains || missing == .listwise {
                for threads in Self.threadCounts {
                    nonisolated(unsafe) var alongside = 0
                    let fast = AgreementCounts(table: table, status: summaries.status, groups: groups, moments: summaries.moments,
                                               missing: missing, nestedChains: chains, vectorCounts: vectors, threads: threads) { alongside += 1 }
                    #expect(fast.counts == plain.counts, "\(missing), chains \(chains), vectors \(vectors), \(threads) threads")
                    #expect(fast.complete == plain.complete, "\(missing), chains \(chains), vectors \(vectors), \(threads) threads")
                    // The vector path counted every group itself (no group left to the scalar count).
                    #expect(fast.vectorFallbacks == 0)
                    #expect(alongside == 1)
                }
            }
        }
    }

    /// The schools pass written plainly: every row in file order, its
    /// packed sums read scale by scale, added to its school's sums (the same
    /// `ScoreSums` arithmetic, so the same bits) and to the sample's exact
    /// sums per scale and number of answers.
    static func plainSchoolsPass(_ table: ResponseTable, _ scores: RespondentScores, order: [SchoolKey])
        -> (all: [ScoreMoments], complete: [ScoreMoments], scored: [Int], descriptives: [Descriptives], bits: [UInt32]) {
        let scaleCount = scores.scaleCount, sizes = scores.scaleSizes, offset = scores.codeOffset
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
        var sums = [SchoolScaleSums](repeating: SchoolScaleSums(), count: order.count * scaleCount)
        var scored = [Int](repeating: 0, count: order.count)
        var sample = [[IntegerSums]](repeating: [], count: scaleCount)
        for s in 0..<scaleCount { sample[s] = [IntegerSums](repeating: IntegerSums(), count: sizes[s] + 1) }
        var status = RowStatus(rows: table.rowCount, scales: scaleCount)
        for r in 0..<table.rowCount {
            let j = table.schoolKey(row: r).map { position[$0]! }
            var any = false
            for s in 0..<scaleCount {
                let packed = scores.packed(row: r, scale: s)
                let answers = Int(packed & 0xFFF), codeSum = Int(packed >> 12)
                guard answers >= scores.requiredAnswers[s] else { continue }
                any = true
                sample[s][answers].add(codeSum)
                if answers == sizes[s] {
                    let (word, bit) = RowStatus.place(scale: s)
                    status.bits[r * status.words + word] |= bit
                }
                guard let j else { continue }
                sums[j * scaleCount + s].all.add(codeSum: codeSum, answers: answers, offset: offset)
                if answers == sizes[s] { sums[j * scaleCount + s].complete.add(codeSum) }
            }
            if any {
                status.bits[r * status.words] |= 1
                if let j { scored[j] += 1 }
            }
        }
        let descriptives = (0..<scaleCount).map { s in
            Descriptives(ScoreMoments.pooled((scores.requiredAnswers[s]...sizes[s]).map { sample[s][$0].moments(answers: $0, offset: offset) }))
        }
        return (sums.map { $0.all.moments(offset: offset) },
                sums.indices.map { sums[$0].complete.moments(answers: sizes[$0 % scaleCount], offset: offset) },
                scored, descriptives, status.bits)
    }

    @Test("The schools pass (rows in file order, schools split between the threads) gives bit for bit the sums of a plain loop over the rows in file order at 1, 2, 3 and 7 threads",
          arguments: [(71 as UInt64, 9_000, 0.03), (72, 6_100, 0.3)])
    func schoolsPassBitForBit(seed: UInt64, rows: Int, missingRate: Double) throws {
        let table = try Self.randomTable(seed: seed, rows: rows, schools: 37, missingRate: missingRate)
        let scores = RespondentScores(table: table, options: ScoringOptions())
        let plain = Self.plainSchoolsPass(table, scores, order: GroupAggregation.schools(table: table, scores: scores).map(\.key))
        // Not vacuous: rows without a school, and sums that left the exact form (rows with different numbers of answers).
        #expect(table.rowSchools.contains(-1))
        for threads in [1, 2, 3, 7] {
            let fast = GroupAggregation.summaries(table: table, scores: scores, threads: threads)
            #expect(fast.moments.all == plain.all, "\(threads) threads")
            #expect(fast.moments.complete == plain.complete, "\(threads) threads")
            #expect(fast.schools.map(\.respondents) == plain.scored, "\(threads) threads")
            #expect(fast.scaleDescriptives == plain.descriptives, "\(threads) threads")
            #expect(fast.status.bits == plain.bits, "\(threads) threads")
            #expect(fast.moments.all.contains { $0.n > 1 && $0.exact == nil })
        }
    }

    @Test("The schools pass gives the same summaries, descriptives and row status at 1, 2, 3 and 5 threads, and the plain ones")
    func schoolsPass() throws {
        // 10,500 rows: five parts of at least 2,048 rows.
        let table = try Self.randomTable(seed: 64, rows: 10_500, schools: 41, missingRate: 0.05)
        let scores = RespondentScores(table: table, options: ScoringOptions())
        let one = GroupAggregation.summaries(table: table, scores: scores, threads: 1)
        #expect(one.status.bits == RowStatus(scores: scores).bits)
        let plain = GroupAggregation.moments(schools: one.schools, scores: scores)
        for (fast, slow) in zip(one.moments.all + one.moments.complete, plain.all + plain.complete) {
            #expect(fast.n == slow.n && OptimisedPathsTests.close(fast.sum, slow.sum, 1e-11)
                    && OptimisedPathsTests.close(fast.squares, slow.squares, 1e-11), "\(fast) vs \(slow)")
        }
        for threads in Self.threadCounts.dropFirst() {
            let other = GroupAggregation.summaries(table: table, scores: scores, threads: threads)
            #expect(other.schools == one.schools, "\(threads) threads")
            #expect(other.moments.all == one.moments.all && other.moments.complete == one.moments.complete, "\(threads) threads")
            #expect(other.scaleDescriptives == one.scaleDescriptives, "\(threads) threads")
            #expect(other.status.bits == one.status.bits, "\(threads) threads")
        }
    }

    @Test("Pair sums are the same at 1, 2, 3 and 5 threads and equal a plain loop over the keyed codes")
    func pairSums() throws {
        let table = try Self.randomTable(seed: 65, rows: 2_777, schools: 7, missingRate: 0.1)
        let n = table.instrument.items.count, keyed = table.keyedCodeTable()
        let pairs = ItemPairs(items: n, scales: table.instrument.scaleItemIndices)
        let results = Self.threadCounts.map { threads in
            table.answerCodes.withUnsafeBufferPointer {
                PairwiseSums(codes: $0, rows: table.rowCount, keyed: keyed, pairs: pairs, threads: threads)
            }
        }
        for (k, result) in results.enumerated() { #expect(result.values == results[0].values, "\(Self.threadCounts[k]) threads") }
        // A few pairs against a plain loop (the diagonal, within and across facets).
        for (a, b) in [(0, 0), (16, 16), (0, 1), (3, 50), (16, 40), (104, 104)] {
            guard let sums = results[0].sums(a, b) else { continue }
            var plain = (n: 0, sa: 0, sb: 0, qa: 0, qb: 0, p: 0)
            for r in 0..<table.rowCount {
                let x = Int(keyed[a * 16 + Int(table.answerCodes[r * n + a])]), y = Int(keyed[b * 16 + Int(table.answerCodes[r * n + b])])
                guard x != 0 && y != 0 else { continue }
                plain.n += 1; plain.sa += x; plain.sb += y; plain.qa += x * x; plain.qb += y * y; plain.p += x * y
            }
            #expect(sums == plain, "pair (\(a), \(b))")
        }
    }

    @Test("The whole report's statistics and groups are the same at 1, 2, 3 and 5 threads, pairwise and listwise")
    func reportAtEveryThreadCount() throws {
        let table = try Self.randomTable(seed: 66, rows: 4_500, schools: 29, missingRate: 0.08)
        for missing in [MissingDataRule.pairwise, .listwise] {
            func report(_ threads: Int) throws -> ScoringReport {
                var options = StatisticsOptions(missing: missing)
                options.threads = threads
                return try ScoringReport(table: table, statistics: options, criteria: AggregationCriteria(includeAllSchools: true))
            }
            let one = try report(1)
            #expect(one.statistics.reliability.contains { $0.alpha != nil })
            for threads in Self.threadCounts.dropFirst() {
                let other = try report(threads)
                #expect(other.statistics.reliability == one.statistics.reliability, "\(missing), \(threads) threads")
                #expect(other.statistics.icc == one.statistics.icc, "\(missing), \(threads) threads")
                #expect(other.statistics.schoolAgreement == one.statistics.schoolAgreement, "\(missing), \(threads) threads")
                #expect(other.statistics.authorityAgreement == one.statistics.authorityAgreement, "\(missing), \(threads) threads")
                #expect(other.schools == one.schools && other.authorities == one.authorities, "\(missing), \(threads) threads")
                #expect(other.scaleDescriptives == one.scaleDescriptives, "\(missing), \(threads) threads")
            }
        }
    }

    @Test("Agreement of single-respondent and all-missing groups from counts equals the block functions")
    func smallGroupsAgreement() throws {
        let table = try Self.randomTable(seed: 67, rows: 60, schools: 3, missingRate: 0.3)
        for missing in [MissingDataRule.pairwise, .listwise] {
            var options = StatisticsOptions(missing: missing)
            options.threads = 3
            let report = try ScoringReport(table: table, statistics: options, criteria: AggregationCriteria(includeAllSchools: true))
            let singles = report.schoolAggregates.indices.filter { report.schoolAggregates[$0].rows == 1 }
            #expect(singles.count == 3)
            for j in report.schoolAggregates.indices {
                for s in table.instrument.scales.indices {
                    let plain = ReportStatistics.agreement(table: table, scores: report.scores, rows: report.schoolAggregates[j].rowIndices,
                                                           scale: s, nullVariance: report.statistics.nullVariance, missing: missing)
                    let fast = report.statistics.schoolAgreement[j][s]
                    #expect(OptimisedPathsTests.close(fast.rwgJ, plain.rwgJ) && OptimisedPathsTests.close(fast.rwg, plain.rwg)
                            && OptimisedPathsTests.close(fast.awg, plain.awg) && OptimisedPathsTests.close(fast.adMedian, plain.adMedian),
                            "school \(j) scale \(s): \(fast) vs \(plain)")
                }
            }
        }
    }
}
