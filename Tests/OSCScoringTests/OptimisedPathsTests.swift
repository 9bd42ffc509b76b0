// The fast paths (exact integer sums, answer counts) against the plain
// block functions that are validated against R, on random data with
// missing answers.

import Testing
@testable import OSCScoring

@Suite("Optimised paths equal the plain ones")
struct OptimisedPathsTests {
    /// A random table: `rows` respondents in `schools` schools, the leadership
    /// instrument's four items plus extra columns, answers 1–5 with about
    /// `missingRate` missing, some constant items per school.
    static func randomTable(seed: UInt64, rows: Int, schools: Int, missingRate: Double) throws -> ResponseTable {
        var rng = Xoshiro256StarStar(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        var csv = "respondent,school,authority,LEAD01,LEAD02,LEAD03,L04\n"
        for r in 0..<rows {
            let school = Int(rng.next() % UInt64(schools))
            var cells: [String] = []
            for item in 0..<4 {
                if uniform() < missingRate { cells.append(""); continue }
                // School 0 answers item 2 with a constant; others vary around a school level.
                let value = school == 0 && item == 2 ? 3 : max(1, min(5, 1 + Int(uniform() * 5) + (school % 3) - 1))
                cells.append(String(value))
            }
            csv += "r\(r),S\(school),A\(school % 3)," + cells.joined(separator: ",") + "\n"
        }
        return try Fixture.read(csv)
    }

    static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-12) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return abs(x - y) <= tolerance * max(1, abs(y))
        default: return false
        }
    }

    @Test("Alpha and omega from exact pairwise sums equal the block functions", arguments: [(1 as UInt64, 0.0), (2, 0.05), (3, 0.3), (4, 0.6)])
    func reliability(seed: UInt64, missingRate: Double) throws {
        let table = try Self.randomTable(seed: seed, rows: 157, schools: 7, missingRate: missingRate)
        let instrument = table.instrument
        let n = instrument.items.count
        let sums = PairwiseSums(columns: table.keyedColumns(), rows: table.rowCount, items: n,
                                needed: [Bool](repeating: true, count: n * n))
        let tiled = table.answerCodes.withUnsafeBufferPointer {
            PairwiseSums(codes: $0, rows: table.rowCount, items: n, keyed: table.keyedCodeTable(), needed: [Bool](repeating: true, count: n * n))
        }
        #expect(tiled.n == sums.n && tiled.s == sums.s && tiled.q == sums.q && tiled.p == sums.p)
        for items in instrument.scaleItemIndices + [[0], [0, 2], [1, 2, 3]] {
            let block = table.itemResponses(rows: 0..<table.rowCount, items: items)
            let plain = Reliability.alpha(block)
            let fast = Reliability.alpha(sums: sums, subset: items, valueShift: 0, respondents: table.rowCount)
            #expect((plain == nil) == (fast == nil), "items \(items)")
            if let plain, let fast {
                #expect(Self.close(fast.alpha, plain.alpha) && Self.close(fast.alphaLower, plain.alphaLower) && Self.close(fast.alphaUpper, plain.alphaUpper))
                #expect(Self.close(fast.standardizedAlpha, plain.standardizedAlpha) && Self.close(fast.averageR, plain.averageR))
                for (f, p) in zip(fast.items, plain.items) {
                    #expect(f.n == p.n && f.excluded == p.excluded)
                    #expect(Self.close(f.mean, p.mean) && Self.close(f.sd, p.sd) && Self.close(f.rDrop, p.rDrop) && Self.close(f.alphaIfDeleted, p.alphaIfDeleted))
                }
            }
            #expect(Self.close(Reliability.omegaTotal(sums: sums, subset: items), Reliability.omegaTotal(block), 1e-10), "omega \(items)")
        }
    }

    @Test("The vector kernel's sums equal a plain loop for every length and offset, codes up to 5 and up to 15",
          arguments: [0, 1, 15, 16, 17, 2047, 2048, 2049, 5000], [6, 16])
    func pairSums(rows: Int, codes: Int) {
        var rng = Xoshiro256StarStar(seed: UInt64(rows) + 11)
        // Mostly the top code with codes up to 15: the largest sums the lanes can hold.
        func code() -> UInt8 { codes == 16 && rng.next() % 4 != 0 ? 15 : UInt8(rng.next() % UInt64(codes)) }
        let x = (0..<rows).map { _ in code() }, y = (0..<rows).map { _ in code() }
        var expected = (n: 0, sa: 0, sb: 0, qa: 0, qb: 0, p: 0)
        for (u, v) in zip(x, y) where u != 0 && v != 0 {
            let a = Int(u), b = Int(v)
            expected = (expected.n + 1, expected.sa + a, expected.sb + b, expected.qa + a * a, expected.qb + b * b, expected.p + a * b)
        }
        let got = x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in
            PairwiseSums.pairSums(xp.baseAddress ?? UnsafePointer(bitPattern: 1)!, yp.baseAddress ?? UnsafePointer(bitPattern: 1)!, rows: rows)
        } }
        #expect(got == expected)
    }

    @Test("Agreement from answer counts equals the block functions, per school and for unions of schools", arguments: [
        (5 as UInt64, 0.0, MissingDataRule.pairwise), (6, 0.1, .pairwise), (7, 0.4, .pairwise), (8, 0.1, .listwise), (9, 0.4, .listwise),
    ])
    func agreement(seed: UInt64, missingRate: Double, rule: MissingDataRule) throws {
        let table = try Self.randomTable(seed: seed, rows: 120, schools: 9, missingRate: missingRate)
        let report = try ScoringReport(table: table, statistics: StatisticsOptions(missing: rule))
        let moments = GroupAggregation.moments(schools: report.schoolAggregates, scores: report.scores)
        let counts = AgreementCounts(table: table, status: RowStatus(scores: report.scores), groups: report.schools.map(\.rows32),
                                     moments: moments, missing: rule)
        let groupings = report.schools.indices.map { [$0] } + [[0, 1], [2, 3, 4], Array(report.schools.indices)]
        for groups in groupings {
            let rows = groups.flatMap { report.schools[$0].rowIndices }
            for s in table.instrument.scales.indices {
                for null in [2.0, 0.9] {
                    let fast = counts.agreement(groups: groups, scale: s, table: table, scores: report.scores, nullVariance: null)
                    let plain = ReportStatistics.agreement(table: table, scores: report.scores, rows: rows, scale: s, nullVariance: null, missing: rule)
                    #expect(Self.close(fast.rwgJ, plain.rwgJ) && Self.close(fast.rwgJStar, plain.rwgJStar) && Self.close(fast.rwg, plain.rwg),
                            "groups \(groups) scale \(s): \(fast) vs \(plain)")
                    #expect(Self.close(fast.awg, plain.awg) && Self.close(fast.adMean, plain.adMean) && Self.close(fast.adMedian, plain.adMedian),
                            "groups \(groups) scale \(s): \(fast) vs \(plain)")
                }
            }
        }
    }

    @Test("School summaries from the parallel pass equal the plain ones; ICCs and the partition from them equal those from the scores",
          arguments: [(11 as UInt64, 0.1), (12, 0.4)])
    func schoolSummaries(seed: UInt64, missingRate: Double) throws {
        let table = try Self.randomTable(seed: seed, rows: 150, schools: 11, missingRate: missingRate)
        let scores = RespondentScores(table: table, options: ScoringOptions())
        let summaries = GroupAggregation.summaries(table: table, scores: scores, threads: 2)
        let (schools, moments) = (summaries.schools, summaries.moments)
        #expect(schools == GroupAggregation.schools(table: table, scores: scores))
        #expect(summaries.status.bits == RowStatus(scores: scores).bits)
        let plain = GroupAggregation.moments(schools: schools, scores: scores)
        for (fast, slow) in zip(moments.all + moments.complete, plain.all + plain.complete) {
            #expect(fast.n == slow.n && Self.close(fast.sum, slow.sum) && Self.close(fast.squares, slow.squares), "\(fast) vs \(slow)")
        }
        let authorityOfSchool = GroupAggregation.authorityIndices(schools: schools)
        for s in table.instrument.scales.indices {
            var y = [Double](repeating: .nan, count: table.rowCount)
            var school = [Int](repeating: -1, count: table.rowCount), authority = school
            for (j, aggregate) in schools.enumerated() {
                for r in aggregate.rowIndices {
                    y[r] = scores.values[r * scores.scaleCount + s]
                    school[r] = j
                    authority[r] = authorityOfSchool[j]
                }
            }
            let bySchool = schools.indices.map { moments.all[$0 * scores.scaleCount + s] }
            let fromScores = IntraclassCorrelation.oneWay(scores: y, groups: school)
            let fromMoments = IntraclassCorrelation.oneWay(groups: bySchool)
            #expect(fromScores != nil && Self.close(fromScores?.icc1, fromMoments?.icc1) && Self.close(fromScores?.f, fromMoments?.f))
            let partition = VariancePartitioning.threeLevel(scores: y, authorities: authority, schools: school)
            let partitionFromMoments = VariancePartitioning.threeLevel(schools: bySchool, authorityOfSchool: authorityOfSchool)
            #expect(partition != nil && Self.close(partition?.school, partitionFromMoments?.school, 1e-9)
                    && Self.close(partition?.authority, partitionFromMoments?.authority, 1e-9)
                    && Self.close(partition?.residual, partitionFromMoments?.residual, 1e-9),
                    "\(String(describing: partition)) vs \(String(describing: partitionFromMoments))")
        }
    }

    @Test("Pair sums in row tiles on two threads equal those of the column-major copy", arguments: [(31 as UInt64, 1), (32, 2047), (33, 2048), (34, 6001)])
    func tiledPairSums(seed: UInt64, rows: Int) throws {
        let table = try Self.randomTable(seed: seed, rows: rows, schools: 5, missingRate: 0.2)
        let n = table.instrument.items.count
        var needed = [Bool](repeating: false, count: n * n)
        needed[0 * n + 2] = true
        needed[3 * n + 1] = true
        let plain = PairwiseSums(columns: table.keyedColumns(), rows: rows, items: n, needed: needed, threads: 1)
        for threads in [1, 2, 3] {
            let tiled = table.answerCodes.withUnsafeBufferPointer {
                PairwiseSums(codes: $0, rows: rows, items: n, keyed: table.keyedCodeTable(), needed: needed, threads: threads)
            }
            #expect(tiled.n == plain.n && tiled.s == plain.s && tiled.q == plain.q && tiled.p == plain.p, "threads \(threads)")
        }
        #expect(plain.n[0 * n + 2] > 0 && plain.p[3 * n + 1] > 0)
    }

    /// Random row-major codes for the row-tile pair sums, with the keyed
    /// code table, the needed pairs and the keyed columns the column-major
    /// path takes (the table applied cell by cell).
    struct RowTileCase: CustomStringConvertible, Sendable {
        let rows: Int, items: Int, options: Int, missingRate: Double
        /// "cliques" (nested groups, as scales and their domains), "sparse"
        /// (a few random pairs) or "all".
        let needed: String
        /// Tables of every kind (identity, reversed, shifted, irregular) instead of
        /// `ResponseTable.keyedCodeTable`'s two.
        let irregular: Bool
        let seed: UInt64
        var description: String { "\(rows)×\(items), \(options) options, \(missingRate) missing, \(needed)\(irregular ? ", irregular tables" : "")" }

        func make() -> (codes: [UInt8], keyed: [UInt8], needed: [Bool], columns: [UInt8]) {
            var rng = Xoshiro256StarStar(seed: seed)
            func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
            var keyed = [UInt8](repeating: 0, count: items * 16)
            for i in 0..<items {
                let kind = irregular ? rng.nextBelow(4) : rng.nextBelow(2)
                for c in 1..<16 {
                    let value: Int
                    switch kind {
                    case 0: value = c <= options ? c : 0                                  // as answered
                    case 1: value = c <= options ? options + 1 - c : 0                    // reversed
                    case 2: value = c <= min(options, 13) ? c + 2 : 0                     // shifted
                    default: value = rng.nextBelow(4) == 0 ? 0 : 1 + rng.nextBelow(15)   // anything, holes included
                    }
                    keyed[i * 16 + c] = UInt8(value)
                }
            }
            var codes = [UInt8](repeating: 0, count: rows * items)
            let silent = items > 2 ? rng.nextBelow(items) : -1   // an item nobody answers
            for r in 0..<rows {
                let empty = r % 7 == 3                               // rows with every answer missing
                for i in 0..<items where !empty && i != silent && uniform() >= missingRate {
                    // Mostly the top codes (the largest sums), now and then codes past the options (keyed 0).
                    let top = rng.nextBelow(8) == 0 ? 15 : options
                    codes[r * items + i] = UInt8(rng.nextBelow(2) == 0 ? top : 1 + rng.nextBelow(top))
                }
            }
            var pairs = [Bool](repeating: false, count: items * items)
            switch needed {
            case "all":
                pairs = [Bool](repeating: true, count: items * items)
            case "sparse":
                for _ in 0..<max(1, items / 3) { pairs[rng.nextBelow(items) * items + rng.nextBelow(items)] = true }
            default:
                // Groups of 2–8 items in a random order, every group paired
                // within itself and every second group with the next one.
                let order = (0..<items).shuffled(using: &rng)
                var start = 0, groups: [[Int]] = []
                while start < items {
                    let size = min(items - start, 2 + rng.nextBelow(7))
                    groups.append(Array(order[start..<start + size]))
                    start += size
                }
                for (g, group) in groups.enumerated() {
                    let scale = g % 2 == 0 && g + 1 < groups.count ? group + groups[g + 1] : group
                    for a in scale { for b in scale { pairs[a * items + b] = true } }
                }
            }
            var columns = [UInt8](repeating: 0, count: rows * items)
            for r in 0..<rows { for i in 0..<items { columns[i * rows + r] = keyed[i * 16 + Int(codes[r * items + i])] } }
            return (codes, keyed, pairs, columns)
        }
    }

    static let rowTileCases: [RowTileCase] = [
        RowTileCase(rows: 0, items: 5, options: 5, missingRate: 0.1, needed: "all", irregular: false, seed: 51),
        RowTileCase(rows: 40, items: 0, options: 5, missingRate: 0.1, needed: "all", irregular: false, seed: 50),
        RowTileCase(rows: 1, items: 3, options: 5, missingRate: 0.1, needed: "all", irregular: true, seed: 52),
        RowTileCase(rows: 15, items: 17, options: 15, missingRate: 0.3, needed: "cliques", irregular: false, seed: 53),
        RowTileCase(rows: 17, items: 16, options: 7, missingRate: 0.02, needed: "cliques", irregular: true, seed: 54),
        RowTileCase(rows: 300, items: 1, options: 4, missingRate: 0.2, needed: "all", irregular: false, seed: 55),
        RowTileCase(rows: 513, items: 37, options: 15, missingRate: 0.3, needed: "cliques", irregular: false, seed: 56),
        RowTileCase(rows: 513, items: 29, options: 5, missingRate: 0.6, needed: "sparse", irregular: true, seed: 57),
        RowTileCase(rows: 2_049, items: 23, options: 5, missingRate: 0.02, needed: "cliques", irregular: false, seed: 58),
        RowTileCase(rows: 2_100, items: 33, options: 15, missingRate: 0.45, needed: "all", irregular: true, seed: 59),
        RowTileCase(rows: 2_600, items: 12, options: 15, missingRate: 0.0, needed: "cliques", irregular: false, seed: 60),
    ]

    @Test("Pair sums from row tiles (corrections, masks or the cheaper) equal those of the keyed column-major copy", arguments: rowTileCases)
    func rowTilePairSums(_ example: RowTileCase) {
        let (codes, keyed, needed, columns) = example.make()
        let (rows, items) = (example.rows, example.items)
        let reference = PairwiseSums(columns: columns, rows: rows, items: items, needed: needed, threads: 1)
        for method in [RowTiles.Method.cheaper, .corrections, .masks] {
            for threads in [1, 2, 3] {
                let tiled = codes.withUnsafeBufferPointer {
                    PairwiseSums(codes: $0, rows: rows, items: items, keyed: keyed, needed: needed, threads: threads, method: method)
                }
                #expect(tiled.n == reference.n, "n, \(method), \(threads) threads")
                #expect(tiled.s == reference.s, "s, \(method), \(threads) threads")
                #expect(tiled.q == reference.q, "q, \(method), \(threads) threads")
                #expect(tiled.p == reference.p, "p, \(method), \(threads) threads")
            }
        }
        let plain = codes.withUnsafeBufferPointer { PairwiseSums(codes: $0, rows: rows, items: items, keyed: keyed, needed: needed) }
        #expect(plain.n == reference.n && plain.s == reference.s && plain.q == reference.q && plain.p == reference.p)
        // Not vacuous: with rows, some needed pair of different items was answered together.
        if rows > 100 {
            #expect((0..<items).contains { a in (0..<items).contains { b in a != b && needed[a * items + b] && reference.n[a * items + b] > 0 } } || items == 1)
        }
    }

    @Test("Listwise counts through nested scale chains equal the direct counts (OSC example and the random leadership data)")
    func chainedListwiseCounts() throws {
        let example = try ExampleStatisticsTests.report(.listwise)
        let random = try ScoringReport(table: try Self.randomTable(seed: 41, rows: 300, schools: 8, missingRate: 0.2),
                                       statistics: StatisticsOptions(missing: .listwise))
        for report in [example, random] {
            #expect(ScaleChains(report.instrument.scaleItemIndices, itemCount: report.instrument.items.count) != nil)
            let moments = GroupAggregation.moments(schools: report.schoolAggregates, scores: report.scores)
            func counts(_ chains: Bool, vectors: Bool = true) -> AgreementCounts {
                AgreementCounts(table: report.table, status: RowStatus(scores: report.scores), groups: report.schools.map(\.rows32), moments: moments,
                                missing: .listwise, nestedChains: chains, vectorCounts: vectors)
            }
            let chained = counts(true), scalar = counts(true, vectors: false), direct = counts(false)
            #expect(chained.counts == direct.counts && chained.complete == direct.complete)
            #expect(scalar.counts == direct.counts && scalar.complete == direct.complete)
            #expect(chained.vectorFallbacks == 0)
            for missing in [MissingDataRule.listwise, .pairwise] {
                let status = RowStatus(scores: report.scores), groups = report.schools.map(\.rows32)
                let one = AgreementCounts(table: report.table, status: status, groups: groups, moments: moments, missing: missing, threads: 1)
                nonisolated(unsafe) var alongside = 0
                let two = AgreementCounts(table: report.table, status: status, groups: groups, moments: moments, missing: missing, threads: 2) {
                    alongside += 1
                }
                #expect(one.counts == two.counts && one.complete == two.complete && alongside == 1, "\(missing)")
            }
            #expect(direct.counts.contains { $0 > 0 })
        }
        // Scales that overlap without nesting have no chains (the direct count is used).
        #expect(ScaleChains([[0, 1], [1, 2]], itemCount: 3) == nil)
        #expect(ScaleChains([[0, 1], [0, 1, 2], [3]], itemCount: 5)?.classScales == [[0, 1], [1], [2], []])
    }

    @Test("Scale descriptives and school summaries from the one-pass shifted sums (two threads) equal two-pass Descriptives of the scores",
          arguments: [0.1, 0.6])
    func scaleDescriptives(missingRate: Double) throws {
        let table = try Self.randomTable(seed: 23, rows: 5000, schools: 9, missingRate: missingRate)
        let scores = RespondentScores(table: table, options: ScoringOptions())
        let values = scores.values
        let plain = (0..<scores.scaleCount).map { s in Descriptives((0..<scores.rowCount).map { values[$0 * scores.scaleCount + s] }) }
        let summaries = GroupAggregation.summaries(table: table, scores: scores, threads: 2)
        for (fast, slow) in zip(summaries.scaleDescriptives, plain) {
            #expect(fast.n == slow.n && Self.close(fast.mean, slow.mean, 1e-13) && Self.close(fast.sd, slow.sd, 1e-12), "\(fast) vs \(slow)")
        }
        #expect(plain.allSatisfy { $0.n > 0 && $0.n < scores.rowCount || missingRate < 0.2 })
        for (j, school) in summaries.schools.enumerated() {
            for s in 0..<scores.scaleCount {
                let d = Descriptives(school.rowIndices.map { values[$0 * scores.scaleCount + s] })
                #expect(school.scores[s].n == d.n && Self.close(school.scores[s].mean, d.mean, 1e-13) && Self.close(school.scores[s].sd, d.sd, 1e-12),
                        "school \(j) scale \(s)")
            }
        }
    }

    @Test("Score sums: exact with one answer count, shifted after another; both agree with two passes")
    func scoreSums() {
        // Scores S / 7 + 0 with one answer count: exact; the mean 203 / 56 = 3.625 exactly.
        let codeSums = [25, 25, 26, 26, 25, 25, 26, 25]
        var exact = ScoreSums(), integer = IntegerSums()
        for s in codeSums { exact.add(codeSum: s, answers: 7, offset: 0); integer.add(s) }
        let e = exact.moments(offset: 0)
        #expect(exact.isExact && e.n == 8 && e.mean == 3.625 && integer.moments(answers: 7, offset: 0) == e)
        let plain = ScoreMoments(codeSums.map { Double($0) / 7 })
        #expect(Self.close(e.squares, plain.squares, 1e-14) && e.squares > 0)
        // With an offset (a scale from 0: codes are answers + 1).
        var shiftedScale = ScoreSums()
        for s in codeSums { shiftedScale.add(codeSum: s, answers: 7, offset: -1) }
        #expect(shiftedScale.moments(offset: -1).mean == 3.625 - 1)
        // Mixed answer counts: shifted after the first change, against two passes on random scores.
        var generator = Xoshiro256StarStar(seed: 99)
        for _ in 0..<20 {
            var sums = ScoreSums(), values: [Double] = []
            for _ in 0..<Int(generator.next() % 300 + 2) {
                let m = Int(generator.next() % 3) + 5, s = (0..<m).reduce(0) { t, _ in t + Int(generator.next() % 5) + 1 }
                sums.add(codeSum: s, answers: m, offset: 2)
                values.append(Double(s + 2 * m) / Double(m))
            }
            let fast = sums.moments(offset: 2), reference = ScoreMoments(values)
            #expect(fast.n == reference.n && Self.close(fast.mean, reference.mean, 1e-14) && Self.close(fast.squares, reference.squares, 1e-12),
                    "\(fast) vs \(reference)")
        }
        var one = ScoreSums()
        one.add(codeSum: 3, answers: 1, offset: 0)
        #expect(one.moments(offset: 0).n == 1 && one.moments(offset: 0).squares == 0 && one.moments(offset: 0).mean == 3)
        #expect(ScoreSums().moments(offset: 0).n == 0)
        // The 128-bit numerator: n Σ S² − (Σ S)² beyond 64 bits.
        let big = IntegerSums.centredNumerator(n: 1 << 40, total: 1 << 40, totalSquares: (1 << 40) + 3)
        #expect(big == Double(1 << 40) * Double((1 << 40) + 3) - Double(1 << 40) * Double(1 << 40))
    }

    /// Keyed-row packing (sixteen codes at a time, each answer weighted so
    /// that one sum gives the count and the sum) against the table look-up
    /// of `pack(row:work:into:)`, on every row of random answers with
    /// missing and out-of-range codes.
    static func checkPacking(_ instrument: Instrument, rows: Int, seed: UInt64, expectWeighted: Bool) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        let options = instrument.responseScale.options
        let columns = instrument.items.map(\.column)
        var csv = "respondent,school," + columns.joined(separator: ",") + "\n"
        for r in 0..<rows {
            // Some rows answer everything; others miss about a quarter, or give codes outside the scale.
            let kind = r % 3
            let cells = columns.indices.map { _ -> String in
                let u = rng.next() % 100
                if kind > 0 && u < 25 { return "" }
                if kind == 2 && u < 30 { return String(options + 1 + Int(rng.next() % 3)) }
                return String(instrument.responseScale.min + Int(rng.next() % UInt64(options)))
            }
            csv += "r\(r),S\(r % 5)," + cells.joined(separator: ",") + "\n"
        }
        let table = try ResponseReader.read(Fixture.bytes(csv), instrument: instrument, options: ReadOptions(), source: "t.csv")
        let scores = RespondentScores(table: table, options: ScoringOptions())
        let plan = scores.plan, itemCount = instrument.items.count, scaleCount = scores.scaleCount
        #expect(plan.isAffine)
        #expect((plan.answerShift > 0) == expectWeighted, "answer shift \(String(plan.answerShift))")
        let vectorBytes = max(16, plan.rowVectors * 16)
        let padded = UnsafeMutableRawPointer.allocate(byteCount: vectorBytes, alignment: 16)
        let keyed = UnsafeMutableRawPointer.allocate(byteCount: vectorBytes, alignment: 16)
        let work = UnsafeMutablePointer<Int>.allocate(capacity: 2 * scaleCount)
        let fast = UnsafeMutablePointer<UInt32>.allocate(capacity: scaleCount), plain = UnsafeMutablePointer<UInt32>.allocate(capacity: scaleCount)
        defer { padded.deallocate(); keyed.deallocate(); work.deallocate(); fast.deallocate(); plain.deallocate() }
        var differing = 0
        scores.codes.withUnsafeBufferPointer { codes in
            for r in 0..<table.rowCount {
                let row = codes.baseAddress! + r * itemCount
                padded.initializeMemory(as: UInt8.self, repeating: 0, count: vectorBytes)
                padded.copyMemory(from: row, byteCount: itemCount)
                plan.keyRow(UnsafeRawPointer(padded), into: keyed)
                plan.pack(keyedRow: keyed.assumingMemoryBound(to: UInt8.self), work: work, into: fast)
                plan.pack(row: row, work: work, into: plain)
                for s in 0..<scaleCount where fast[s] != plain[s] { differing += 1 }
            }
        }
        #expect(differing == 0)
        // Not vacuous: some rows miss answers on some scale, some answer every item.
        #expect((0..<table.rowCount).contains { r in (0..<scaleCount).contains { !scores.isComplete(row: r, scale: $0) } })
        #expect((0..<table.rowCount).contains { r in (0..<scaleCount).allSatisfy { scores.isComplete(row: r, scale: $0) } })
    }

    @Test("Packing keyed rows with weighted answers equals the table look-up: the OSC with the demo key, the leadership fixture, and scales too long to weight")
    func keyedRowPacking() throws {
        let osc = try BundledInstruments.osc().applying(ScoringKey(contentsOf: Fixture.repositoryRoot + "/Examples/demo-key.csv"))
        try Self.checkPacking(osc, rows: 600, seed: 91, expectWeighted: true)
        try Self.checkPacking(try Fixture.leadership(), rows: 300, seed: 92, expectWeighted: true)
        // 11 options and a 24-item scale: 11 × 24 = 264 needs a weight of 512, which does not fit a byte.
        let items = (1...30).map { #"{"id": "I\#($0)"\#($0 % 4 == 0 ? ", \"reverse\": true" : "")}"# }.joined(separator: ", ")
        let long = (1...24).map { #""I\#($0)""# }.joined(separator: ", "), short = (25...30).map { #""I\#($0)""# }.joined(separator: ", ")
        let wide = try Instrument(json: Fixture.bytes(#"{"id": "w", "responseScale": {"min": 0, "max": 10}, "items": [\#(items)], "scales": [{"id": "long", "items": [\#(long)]}, {"id": "short", "items": [\#(short)]}, {"id": "all", "scales": ["long", "short"]}]}"#), source: "w.json")
        try Self.checkPacking(wide, rows: 300, seed: 93, expectWeighted: false)
        // 5 options and a 24-item scale: 120 < 128, weighted.
        let narrow = try Instrument(json: Fixture.bytes(#"{"id": "n", "responseScale": {"min": 1, "max": 5}, "items": [\#(items)], "scales": [{"id": "long", "items": [\#(long)]}, {"id": "short", "items": [\#(short)]}, {"id": "all", "scales": ["long", "short"]}]}"#), source: "n.json")
        try Self.checkPacking(narrow, rows: 300, seed: 94, expectWeighted: true)
    }
}
