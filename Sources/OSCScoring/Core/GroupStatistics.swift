// Reliability and agreement computed for a whole report: per scale over the
// sample, per scale and group level from the one-way ANOVA, and per group
// (school or authority) from its respondents' answers.

/// Within-group agreement of one group (a school or an authority) on one scale.
///
/// Each index is documented with its formula and edge cases on `Agreement`
/// (`Statistics/Rwg.swift`, `Awg.swift`, `AverageDeviation.swift`).
///
/// Validated against: R 4.2.2 with multilevel 2.7 on the shipped example,
/// every school and authority and every scale, listwise with multilevel's
/// own functions and pairwise with the rule written out in R (1e-9;
/// `Tests/OSCScoringTests/Reference/example`).
public struct GroupAgreement: Sendable, Equatable {
    /// rwg(j), James, Demaree & Wolf (1984), mean item variance truncated at the null (JSON `rwgj`).
    public let rwgJ: Double?
    /// r*wg(j), Lindell & Brandt (1999), no truncation (may be negative; JSON `rwgjStar`).
    public let rwgJStar: Double?
    /// rwg of the respondents' scale scores (James, Demaree & Wolf 1984).
    public let rwg: Double?
    /// awg, Brown & Hauenstein (2005), mean over items.
    public let awg: Double?
    /// AD about the item means, Burke, Finkelstein & Dusig (1999), mean over items.
    public let adMean: Double?
    /// AD about the item medians, mean over items.
    public let adMedian: Double?

    init(rwgJ: Double?, rwgJStar: Double?, rwg: Double?, awg: Double?, adMean: Double?, adMedian: Double?) {
        self.rwgJ = rwgJ
        self.rwgJStar = rwgJStar
        self.rwg = rwg
        self.awg = awg
        self.adMean = adMean
        self.adMedian = adMedian
    }

    /// Computes every agreement index for one group.
    /// - Parameters:
    ///   - block: the group's keyed answers to the scale's items.
    ///   - scores: the group's respondents' scale scores (NaN where none).
    ///   - responseScale: the instrument's response scale (the ends of awg).
    ///   - nullVariance: σ²_E of rwg, rwg(j) and r*wg(j).
    ///   - missing: which answers enter the multi-item indices.
    public init(block: ItemResponses, scores: [Double], responseScale: ResponseScale, nullVariance: Double, missing: MissingDataRule) {
        rwgJ = Agreement.rwgJ(block, nullVariance: nullVariance, missing: missing)
        rwgJStar = Agreement.rwgJStar(block, nullVariance: nullVariance, missing: missing)
        // Listwise: the scale scores of complete respondents only, as
        // multilevel on a listwise-deleted data frame.
        let usable: [Double]
        if missing == .listwise {
            usable = (0..<block.respondents).filter { block.isComplete(respondent: $0) }.map { scores[$0] }
        } else {
            usable = scores
        }
        rwg = Agreement.rwg(usable, nullVariance: nullVariance)
        awg = Agreement.awg(block, lowest: Double(responseScale.min), highest: Double(responseScale.max), missing: missing)
        adMean = Agreement.averageDeviation(block, about: .mean, missing: missing)
        adMedian = Agreement.averageDeviation(block, about: .median, missing: missing)
    }
}

/// Internal consistency of one scale over the whole sample.
public struct ScaleReliability: Sendable, Equatable {
    /// Cronbach's alpha and its companions (psych `alpha()`); nil for a single item.
    public let alpha: AlphaReliability?
    /// McDonald's omega total from one minimum-residual factor (psych `omega(nfactors = 1)`).
    public let omegaTotal: Double?
}

/// Between-group statistics of one scale at the school and authority levels.
public struct ScaleICC: Sendable, Equatable {
    /// One-way ANOVA of respondents' scale scores by school.
    public let school: OneWayANOVAICC?
    /// One-way ANOVA by authority (nil without an authority column).
    public let authority: OneWayANOVAICC?
    /// Random group resampling by school, when requested.
    public let schoolRGR: RGRAgreement?
    /// Random group resampling by authority, when requested.
    public let authorityRGR: RGRAgreement?
    /// Variance of respondents' scale scores between authorities, between
    /// schools within authorities and within schools, by REML for
    /// `score ~ 1 + (1 | authority/school)` (two-level without authorities).
    public let variance: VariancePartition?
}

/// Every reliability and agreement statistic of a report.
///
/// Validated end to end against psych 2.2.9 and multilevel 2.7 on the
/// shipped example (`ExampleStatisticsTests`): alpha and its companions to
/// 1e-9, omega to 1e-4, ICCs and agreement to 1e-9.
public struct ReportStatistics: Sendable {
    /// The settings the statistics were computed with (JSON `nullDistribution`, `missingData` and `rgr` in `settings`).
    public let options: StatisticsOptions
    /// The null variance used (JSON `nullVariance` in `settings`).
    public let nullVariance: Double
    /// Per scale (instrument order).
    public let reliability: [ScaleReliability]
    /// Per scale (instrument order).
    public let icc: [ScaleICC]
    /// `schoolAgreement[j][s]`: school j, scale s.
    let schoolAgreement: [[GroupAgreement]]
    /// `authorityAgreement[a][s]`: authority a, scale s.
    let authorityAgreement: [[GroupAgreement]]

    /// Within-group agreement of every school on every scale, from all the
    /// school's rows: each index takes the answers it can use under
    /// `missing`; rwg uses the scale scores.
    ///
    /// Computed from answer counts per item (`AgreementCounts`), which gives
    /// the same indices as `GroupAgreement(block:…)` on the school's answers
    /// (tested on random data with missing answers) in O(rows × items).
    static func schoolAgreement(table: ResponseTable, scores: RespondentScores, schools: [SchoolAggregate],
                                counts: AgreementCounts, nullVariance: Double, threads: Int = 1) -> [[GroupAgreement]] {
        var result = [[GroupAgreement]](repeating: [], count: schools.count)
        result.withUnsafeMutableBufferPointer { result in
            let out = UncheckedSendableBox(result)
            // Schools interleaved between the threads; each writes its own entries.
            ParallelWork.run(count: max(1, threads), threads: max(1, threads)) { part in
                for j in stride(from: part, to: schools.count, by: max(1, threads)) {
                    out.value[j] = (0..<scores.scaleCount).map { s in
                        counts.agreement(groups: [j], scale: s, table: table, scores: scores, nullVariance: nullVariance)
                    }
                }
            }
        }
        return result
    }

    /// The plain path: one group's agreement from its block of answers, as
    /// `Agreement`'s functions compute it. The report uses `AgreementCounts`;
    /// the tests hold the two equal.
    static func agreement(table: ResponseTable, scores: RespondentScores, rows: [Int], scale s: Int,
                          nullVariance: Double, missing: MissingDataRule) -> GroupAgreement {
        GroupAgreement(block: table.itemResponses(rows: rows, items: table.instrument.scaleItemIndices[s]),
                       scores: rows.map { scores.value(row: $0, scale: s) },
                       responseScale: table.instrument.responseScale, nullVariance: nullVariance, missing: missing)
    }

    /// Assembles the statistics computed by `scaleReliability`, `scaleICCs`,
    /// `schoolAgreement` and `authorityAgreement` (see `ScoringReport.init`).
    init(options: StatisticsOptions, nullVariance: Double, scales: (reliability: [ScaleReliability], icc: [ScaleICC]),
         schoolAgreement: [[GroupAgreement]], authorityAgreement: [[GroupAgreement]]) {
        self.options = options
        self.nullVariance = nullVariance
        self.reliability = scales.reliability
        self.icc = scales.icc
        self.schoolAgreement = schoolAgreement
        self.authorityAgreement = authorityAgreement
    }

    /// Each scale's reliability (alpha and omega) over the whole sample,
    /// from every data row. Independent of `scaleICCs`: the report runs the
    /// two side by side.
    static func scaleReliability(table: ResponseTable, threads: Int) -> [ScaleReliability] {
        let instrument = table.instrument
        let scaleCount = instrument.scales.count

        // Every scale's covariances from one pass of exact integer sums over
        // the item pairs that share a scale (only those: memory grows with
        // the pairs within scales, not with the instrument's items squared).
        let sums = PhaseTrace.measure("pair sums") {
            table.answerCodes.withUnsafeBufferPointer { codes in
                PairwiseSums(codes: codes, rows: table.rowCount, keyed: table.keyedCodeTable(),
                             pairs: ItemPairs(items: instrument.items.count, scales: instrument.scaleItemIndices), threads: threads)
            }
        }
        let shift = Double(instrument.responseScale.min - 1)
        let reliability = PhaseTrace.measure("alpha omega") { (0..<scaleCount).map { s in
            let items = instrument.scaleItemIndices[s]
            return ScaleReliability(alpha: Reliability.alpha(sums: sums, subset: items, valueShift: shift, respondents: table.rowCount),
                                    omegaTotal: Reliability.omegaTotal(sums: sums, subset: items))
        } }
        return reliability
    }

    /// Each scale's ICCs, random group resampling and variance partition,
    /// from the respondents with a score and a school (at the authority
    /// level, every respondent in a school of the authority, whatever the
    /// schools' verdicts: these describe the design). Independent of
    /// `scaleReliability`.
    static func scaleICCs(table: ResponseTable, scores: RespondentScores, schools: [SchoolAggregate],
                          moments: SchoolMoments? = nil, options: StatisticsOptions, threads: Int) -> [ScaleICC] {
        let instrument = table.instrument
        let allRows = 0..<table.rowCount
        let scaleCount = instrument.scales.count
        // The ICCs and the variance partition from each school's summary
        // (schools hold the rows with a score and a school); authorities pool
        // their schools' summaries.
        let moments = moments ?? GroupAggregation.moments(schools: schools, scores: scores)
        let authorityOfSchool = GroupAggregation.authorityIndices(schools: schools)
        let authorityCount = (authorityOfSchool.max() ?? -1) + 1
        var schoolsOfAuthority = [[Int]](repeating: [], count: authorityCount)
        for (j, a) in authorityOfSchool.enumerated() where a >= 0 { schoolsOfAuthority[a].append(j) }
        // Random group resampling needs the scores themselves (only when asked for).
        var schoolOfRow: [Int] = [], authorityOfRow: [Int] = []
        if options.rgrReplications != nil {
            schoolOfRow = [Int](repeating: -1, count: table.rowCount)
            authorityOfRow = schoolOfRow
            for (j, school) in schools.enumerated() {
                for r in school.rowIndices {
                    schoolOfRow[r] = j
                    authorityOfRow[r] = authorityOfSchool[j]
                }
            }
        }
        // Progress of the replications of every scale and level, on a terminal.
        let progress = options.rgrReplications.flatMap { replications in
            options.showsProgress ? ProgressLine(label: "random group resampling",
                                                 total: replications * scaleCount * (table.hasAuthorityColumn ? 2 : 1)) : nil
        }
        defer { progress?.finish() }
        func column(_ s: Int) -> [Double] { allRows.map { scores.value(row: $0, scale: s) } }
        func resample(_ s: Int, _ groups: [Int], salt: UInt64) -> RGRAgreement? {
            guard let replications = options.rgrReplications else { return nil }
            let values = column(s)
            // multilevel's rgr.agree needs at least two members per group: leave smaller groups out.
            var size: [Int: Int] = [:]
            for (v, g) in zip(values, groups) where !v.isNaN && g >= 0 { size[g, default: 0] += 1 }
            let kept = zip(values, groups).map { v, g in (size[g] ?? 0) >= 2 ? g : -1 }
            return RandomGroupResampling.agree(scores: values, groups: kept, replications: replications, seed: options.seed &+ salt, keepingVariances: false,
                                              progress: progress.map { line in { line.advance() } })
        }
        func scaleICC(_ s: Int) -> ScaleICC {
            let bySchool = schools.indices.map { moments.all[$0 * scaleCount + s] }
            let byAuthority = schoolsOfAuthority.map { members in ScoreMoments.pooled(members.lazy.map { bySchool[$0] }) }
            return ScaleICC(
                school: IntraclassCorrelation.oneWay(groups: bySchool),
                authority: table.hasAuthorityColumn ? IntraclassCorrelation.oneWay(groups: byAuthority) : nil,
                schoolRGR: resample(s, schoolOfRow, salt: UInt64(2 * s)),
                authorityRGR: table.hasAuthorityColumn ? resample(s, authorityOfRow, salt: UInt64(2 * s + 1)) : nil,
                // The variance partition: respondents with a score and a school
                // (and, in three-level data, a school with an authority).
                variance: table.hasAuthorityColumn
                    ? VariancePartitioning.threeLevel(schools: bySchool, authorityOfSchool: authorityOfSchool)
                    : VariancePartitioning.twoLevel(schools: bySchool))
        }
        // Scales interleaved between the threads (each scale computed as on
        // one thread); random group resampling, which reports progress, on one.
        let icc = PhaseTrace.measure("icc, reml") {
            var icc = [ScaleICC?](repeating: nil, count: scaleCount)
            icc.withUnsafeMutableBufferPointer { icc in
                let out = UncheckedSendableBox(icc)
                ParallelWork.run(count: scaleCount, threads: options.rgrReplications == nil ? max(1, threads) : 1) { s in
                    out.value[s] = scaleICC(s)
                }
            }
            return icc.map { $0! }
        }
        return icc
    }

    /// Each authority's agreement on each scale, over the rows of the schools
    /// its aggregate includes on that scale.
    /// Authorities are interleaved between `threads` threads (each
    /// authority computed by one, as on one thread).
    static func authorityAgreement(table: ResponseTable, scores: RespondentScores, authorities: [AuthorityAggregate],
                                   counts: AgreementCounts, nullVariance: Double, threads: Int = 1) -> [[GroupAgreement]] {
        var result = [[GroupAgreement]](repeating: [], count: authorities.count)
        result.withUnsafeMutableBufferPointer { result in
            let out = UncheckedSendableBox(result)
            ParallelWork.run(count: authorities.count, threads: max(1, threads)) { a in
                out.value[a] = (0..<scores.scaleCount).map { s in
                    counts.agreement(groups: authorities[a].scores[s].includedSchools, scale: s, table: table, scores: scores,
                                     nullVariance: nullVariance)
                }
            }
        }
        return result
    }
}

/// Answer counts of every group (school) on every scale's items, from which
/// the agreement of any union of groups follows by addition: under the
/// pairwise rule over all the group's rows, under the listwise rule over
/// the rows that answered every item of the scale.
struct AgreementCounts {
    let missing: MissingDataRule
    let scaleCount: Int
    /// The number of codes per item: 0 (missing) and 1…options.
    let width: Int
    /// Scale s's items, in order, at `scaleStarts[s] ..< scaleStarts[s + 1]` of a group's block.
    let scaleStarts: [Int]
    /// Per group, a block of `scaleStarts.last! * width` counts: item k of
    /// scale s, code c at `(scaleStarts[s] + k) * width + c`.
    let counts: [Int32]
    /// Listwise: rows complete on scale s in group g at `g * scaleCount + s`.
    let complete: [Int]
    /// Each group's summaries of its scale scores (for rwg of the scale
    /// scores), in the order of the groups and from the same row status:
    /// under the listwise rule with nested scales, the counts of their
    /// summaries over complete rows are `complete`.
    let moments: SchoolMoments
    /// Groups whose listwise counts the vector path left to the scalar
    /// count (a code above the options, or a missing answer on a complete
    /// scale: never with a table's codes; the tests check that it stays 0).
    let vectorFallbacks: Int

    /// - Parameters:
    ///   - nestedChains: under the listwise rule, use `ScaleChains` when the
    ///     scales nest (one count per answer instead of one per scale the
    ///     item is in); false forces the direct count (for tests).
    ///   - vectorCounts: with `ScaleChains`, count 16 items at a time
    ///     (byte compares; see `listwiseCounts`); false forces the count
    ///     one answer at a time (for tests).
    ///   - threads: how many workers share the groups, in chunks of about
    ///     1/32 of the rows (integer counts: the same result).
    ///   - first: work for the first worker to do before it starts
    ///     counting (with one worker, done first).
    ///   - alongside: work for the second worker to do before it starts
    ///     counting (with one worker, done after `first`). The workers then
    ///     share the counting: whichever is free takes the next chunk.
    init(table: ResponseTable, status: RowStatus, groups: [[Int32]], moments: SchoolMoments, missing: MissingDataRule,
         nestedChains: Bool = true, vectorCounts: Bool = true, threads: Int = 1, first: (() -> Void)? = nil, alongside: (() -> Void)? = nil) {
        let instrument = table.instrument
        let itemCount = instrument.items.count, options = instrument.responseScale.options
        let width = options + 1
        let scaleItems = instrument.scaleItemIndices
        let scaleCount = scaleItems.count
        var starts = [0]
        for items in scaleItems { starts.append(starts.last! + items.count) }
        let flatItems = scaleItems.flatMap { $0 }
        let block = starts.last! * width
        // The keyed code of each (item, code) at item * 16 + code (`ResponseTable.keyedCodeTable`).
        let keyedTable = table.keyedCodeTable()
        var counts = [Int32](repeating: 0, count: groups.count * block)
        var complete = [Int](repeating: 0, count: missing == .listwise ? groups.count * scaleCount : 0)
        // Unsafe buffers throughout: the loops below run once per answer.
        let items = UnsafeMutableBufferPointer<Int>.allocate(capacity: flatItems.count)
        defer { items.deallocate() }
        _ = items.initialize(from: flatItems)
        // Groups in chunks of about 1/32 of the rows, taken in turn by the
        // workers (so a worker busy with `alongside` first simply takes
        // fewer); each group's counts are written by one worker only.
        var splits = [0]
        let total = groups.reduce(0) { $0 + $1.count }
        let chunkRows = threads > 1 ? max(1, total / 32) : max(1, total)
        var running = 0
        for (g, rows) in groups.enumerated() {
            running += rows.count
            if running >= chunkRows && g + 1 < groups.count { splits.append(g + 1); running = 0 }
        }
        splits.append(groups.count)
        let chunks = splits.count - 1
        let next = WorkCounter()
        // Per chunk, the groups the vector path left to the scalar count.
        let fallbacks = UnsafeMutableBufferPointer<Int>.allocate(capacity: chunks)
        fallbacks.initialize(repeating: 0)
        defer { fallbacks.deallocate() }
        let chains = missing == .listwise && nestedChains ? ScaleChains(scaleItems, itemCount: itemCount) : nil
        let held = vectorCounts ? chains.flatMap { Self.heldItems(chains: $0, itemCount: itemCount, words: status.words, options: options) } : nil
        defer { held?.entries.deallocate() }
        keyedTable.withUnsafeBufferPointer { keyedCodes in
        table.answerCodes.withUnsafeBufferPointer { codes in
        status.bits.withUnsafeBufferPointer { statusBits in
        starts.withUnsafeBufferPointer { starts in
        complete.withUnsafeMutableBufferPointer { complete in
            counts.withUnsafeMutableBufferPointer { out in
              let shared = UncheckedSendableBox((out, complete))
              let workers = max(1, threads)
              ParallelWork.run(count: workers, threads: workers) { worker in
                if worker == 0, let first { first() }
                if worker == min(1, workers - 1), let alongside { alongside() }
                while let chunk = next.claim(below: chunks) {
                let (out, complete) = shared.value
                let range = splits[chunk]..<splits[chunk + 1]
                switch missing {
                case .pairwise:
                    // Counts of the raw codes per item over all the group's
                    // rows (one increment per cell, no keying), then keyed
                    // and copied to every scale the item is in.
                    let perItem = UnsafeMutableBufferPointer<Int32>.allocate(capacity: itemCount * 16)
                    defer { perItem.deallocate() }
                    for g in range {
                        perItem.initialize(repeating: 0)
                        let counts = perItem.baseAddress!
                        for r32 in groups[g] {
                            let row = codes.baseAddress! + Int(r32) &* itemCount
                            for i in 0..<itemCount { counts[i &<< 4 | Int(row[i] & 15)] &+= 1 }
                        }
                        let base = g * block
                        for position in 0..<items.count {
                            let i = items[position]
                            for c in 0..<16 where counts[i << 4 | c] != 0 {
                                out[base + position * width + Int(keyedCodes[i << 4 | c])] += counts[i << 4 | c]
                            }
                        }
                    }
                case .listwise:
                    // Completeness per row and scale, from the rows' status bits.
                    let words = status.words
                    if let chains {
                        fallbacks[chunk] = Self.listwiseCounts(chains: chains, groups: groups, range: range, codes: codes, status: statusBits, words: words, keyed: keyedCodes,
                                            itemCount: itemCount, scaleCount: scaleCount, width: width, block: block,
                                            starts: starts, items: UnsafeBufferPointer(items), held: held, out: out)
                        // The complete rows per group and scale: the count of the
                        // group's summaries over its complete rows (the same rows:
                        // the status bits and those summaries come from one pass),
                        // checked against the direct count in the tests.
                        for g in range {
                            for s in 0..<scaleCount { complete[g * scaleCount + s] = moments.complete[g * scaleCount + s].n }
                        }
                        continue
                    }
                    for g in range {
                        let base = g * block
                        for r32 in groups[g] {
                            let r = Int(r32)
                            let row = codes.baseAddress! + r * itemCount
                            for s in 0..<scaleCount where RowStatus.isComplete(bits: statusBits, at: r * words, scale: s) {
                                complete[g * scaleCount + s] += 1
                                for position in starts[s]..<starts[s + 1] {
                                    let i = items[position]
                                    out[base + position * width + Int(keyedCodes[i << 4 + Int(row[i])])] += 1
                                }
                            }
                        }
                    }
                }
                }
              }
            }
        } } } } }
        self.missing = missing
        self.scaleCount = scaleCount
        self.width = width
        self.scaleStarts = starts
        self.counts = counts
        self.complete = complete
        self.moments = moments
        self.vectorFallbacks = fallbacks.reduce(0, +)
    }

    /// The raw codes `listwiseCounts` keeps per item and level: 8 (mask 7)
    /// or 16 (mask 15) slots, as the answer options need.
    private static func codeMask(width: Int) -> Int { width <= 8 ? 7 : 15 }

    /// For the vector path of `listwiseCounts`, which items of a row are
    /// at level L or above: item i is when the row completes the (L + 1)-th
    /// scale of its chain, so per level L and 16-item vector v the items
    /// held are the union over the bytes of the row's status words of
    /// `table[((v × levels + L) × 4 words + b) × 256 + byte b]` (the items of
    /// v whose chain's scale at L has its status bit in byte b, where the
    /// byte has it set), each lane held `mask + 1` (8 or 16), 0 elsewhere:
    /// added over the levels and to the code, one byte per item gives both.
    /// Nil when the vector path does not apply (chains too long for that
    /// byte, or a table over 1 MB).
    private static func heldItems(chains: ScaleChains, itemCount: Int, words: Int, options: Int) -> HeldItems? {
        let maxLevel = chains.classScales.map(\.count).max() ?? 0
        let vectorCount = (itemCount + 15) / 16, statusBytes = 4 * words
        let tableSize = maxLevel * vectorCount * statusBytes * 256
        let mask = codeMask(width: options + 1)
        guard maxLevel >= 1, maxLevel * (mask + 1) + mask <= 255, options >= 1, tableSize <= 1 << 16 else { return nil }
        let table = UnsafeMutablePointer<SIMD16<UInt8>>.allocate(capacity: tableSize)
        // The byte and bit of the status of the scale at level l of item i's chain.
        func place(level l: Int, item i: Int) -> (byte: Int, bit: Int)? {
            let chain = chains.classScales[chains.classOfItem[i]]
            guard l < chain.count else { return nil }
            let (word, bit) = RowStatus.place(scale: chain[l])
            let k = bit.trailingZeroBitCount
            return (word * 4 + k / 8, k % 8)
        }
        for l in 0..<maxLevel {
            for v in 0..<vectorCount {
                let places = (0..<16).map { lane in v * 16 + lane < itemCount ? place(level: l, item: v * 16 + lane) : nil }
                for b in 0..<statusBytes {
                    var single = [SIMD16<UInt8>](repeating: SIMD16<UInt8>(), count: 8)
                    for lane in 0..<16 { if let p = places[lane], p.byte == b { single[p.bit][lane] = UInt8(mask + 1) } }
                    let entries = table + ((v * maxLevel + l) * statusBytes + b) * 256
                    entries[0] = SIMD16<UInt8>()
                    for x in 1..<256 { entries[x] = entries[x & (x - 1)] | single[x.trailingZeroBitCount] }
                }
            }
        }
        return HeldItems(entries: table, levels: maxLevel)
    }

    /// The table of `heldItems` and its number of levels (the longest
    /// chain), which sets both its layout and the byte keys of the vector
    /// path: `listwiseCounts` takes the levels from here, not again from the chains.
    private struct HeldItems {
        let entries: UnsafeMutablePointer<SIMD16<UInt8>>
        let levels: Int
    }

    /// Listwise counts when the scales nest: each answer is counted once,
    /// under the number of its item's scales the row completes (a prefix of
    /// the item's chain), and each scale's counts are the sums over the
    /// levels at or above its place in the chain.
    ///
    /// With `held` (`heldItems`), 16 items are counted at a time: per row
    /// and vector, one byte per item holds code + (mask + 1) × level, then
    /// per (level, code) a byte compare and add over up to 255 rows into
    /// 32-bit counts per group, summed from the top level down. Measured at
    /// 200,000 × 105 (issue 17): see `Benchmarks/README.md`. The scalar
    /// count stays for instruments without the table and for a group with
    /// a code above the options (or a missing answer on a completed
    /// scale), and the tests compare both with the direct count.
    private static func listwiseCounts(chains: ScaleChains, groups: [[Int32]], range: Range<Int>, codes: UnsafeBufferPointer<UInt8>,
                                       status: UnsafeBufferPointer<UInt32>, words: Int,
                                       keyed: UnsafeBufferPointer<UInt8>, itemCount: Int, scaleCount: Int, width: Int, block: Int,
                                       starts: UnsafeBufferPointer<Int>, items: UnsafeBufferPointer<Int>, held: HeldItems?,
                                       out: UnsafeMutableBufferPointer<Int32>) -> Int {
        // Per item i, its levels 0…m (m its chain's length) at
        // base[i] + level * 8 (or 16) + code: level 0 takes the answers of rows that
        // complete none of the item's scales (not used), so that every
        // answer is counted without a branch.
        let classCount = chains.classScales.count
        // Raw codes are counted (8 or 16 a level, keyed when the levels are
        // added up; codes are at most the options, the mask keeps any other within the item).
        let mask = Self.codeMask(width: width), shift = mask.nonzeroBitCount
        var base = [Int](), next = 0
        for i in 0..<itemCount {
            base.append(next)
            next += (chains.classScales[chains.classOfItem[i]].count + 1) << shift
        }
        let levelCount = next
        // Per (scale, position): the item's base and the place of the scale
        // in the item's chain (1-based).
        var positionBase = [Int](), positionPlace = [Int]()
        for position in 0..<items.count {
            let i = items[position]
            positionBase.append(base[i])
            positionPlace.append(chains.placeInChain[position])
        }
        // The items of each chain with a scale (items in none are not
        // counted: their level 0 is never read), chain by chain: item
        // classItems[q] of chain classOf[q], with its levels at classBase[q].
        var itemList = [Int](), baseList = [Int](), classList = [Int]()
        for c in 0..<classCount where !chains.classScales[c].isEmpty {
            for i in 0..<itemCount where chains.classOfItem[i] == c { itemList.append(i); baseList.append(base[i]); classList.append(c) }
        }
        // Each chain's scales as status bits (`words` words a chain): a row
        // completes a prefix of its chain (the scales nest), so the prefix's
        // length is the number of these bits the row has set.
        let classMasks = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(1, classCount * words))
        defer { classMasks.deallocate() }
        classMasks.initialize(repeating: 0)
        for c in 0..<classCount {
            for s in chains.classScales[c] {
                let (word, bit) = RowStatus.place(scale: s)
                classMasks[c * words + word] |= bit
            }
        }
        let countedItems = itemList.count
        let topList = classList.map { chains.classScales[$0].count }
        let tables = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * countedItems + classCount)
        defer { tables.deallocate() }
        _ = tables.initialize(from: itemList + baseList + classList + topList + [Int](repeating: 0, count: classCount))
        let classItems = tables.baseAddress!, classBase = classItems + countedItems, classOf = classBase + countedItems
        // The length of each counted item's chain.
        let classTop = classOf + countedItems
        // Per row: the offset of each chain's level (its length, shifted).
        let levelOffset = classTop + countedItems
        let levels = UnsafeMutableBufferPointer<Int32>.allocate(capacity: levelCount)
        defer { levels.deallocate() }
        // The vector path (`countVectors`, with `held` from `heldItems`): 16
        // items at a time, rows padded to whole vectors.
        let vectorCount = (itemCount + 15) / 16, stride = vectorCount * 16
        let options = width - 1, maxLevel = held?.levels ?? 0
        let statusBytes = 4 * words
        let vectorised = held != nil
        // Rows per batch: byte counters hold up to 255.
        let batch = 255
        let maskedCodes = UnsafeMutableRawPointer.allocate(byteCount: vectorised ? vectorCount * batch * 16 : 16, alignment: 16)
        defer { maskedCodes.deallocate() }
        // A row's status words as bytes.
        let rowBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: statusBytes)
        defer { rowBytes.deallocate() }
        // A group's counts from the vector path: level L (1…), code c (1…options), item i at
        // ((L − 1) × options + c − 1) × stride + i: the rows at level L or above.
        let accumulated = UnsafeMutablePointer<Int32>.allocate(capacity: vectorised ? maxLevel * options * stride : 1)
        defer { accumulated.deallocate() }
        var fallbackGroups = 0
        positionBase.withUnsafeBufferPointer { positionBase in
        positionPlace.withUnsafeBufferPointer { positionPlace in
            // A group's rows are scattered through the table: they are first
            // copied together (independent loads the processor overlaps),
            // then counted from the copy (`stride` bytes a row, zero past the items).
            var gatheredCodes = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
            var gatheredStatus = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
            var gatheredCapacity = 0
            defer { gatheredCodes.deallocate(); gatheredStatus.deallocate() }
            /// The counts of gathered rows `first..<first + n` (n ≤ `batch`) added to
            /// `accumulated`, at each row's level; false when a code is above the
            /// options or an item of a completed scale is missing (the table's
            /// codes never are; kept as a guard), for the scalar count to redo the group.
            func countVectors(first: Int, n: Int) -> Bool {
                typealias Bytes = SIMD16<UInt8>
                let zero = Bytes(), top = Bytes(repeating: UInt8(options))
                var bad = SIMDMask<SIMD16<Int8>>()
                let tables = UnsafePointer(held.unsafelyUnwrapped.entries)
                // Per row and vector: code + (mask + 1) × level for each item
                // (0 for a missing answer at level 0), at (v × batch + k) × 16.
                for k in 0..<n {
                    let flags = gatheredStatus + (first + k) * words
                    for b in 0..<statusBytes { rowBytes[b] = UInt8(truncatingIfNeeded: flags[b &>> 2] &>> UInt32(truncatingIfNeeded: (b & 3) &* 8)) }
                    let row = UnsafeRawPointer(gatheredCodes + (first + k) * stride)
                    var entries = tables
                    // One status word (up to 32 scales): its four bytes' entries unrolled.
                    let r0 = Int(rowBytes[0]), r1 = 256 &+ Int(rowBytes[1])
                    let r2 = 512 &+ Int(rowBytes[2]), r3 = 768 &+ Int(rowBytes[3])
                    for v in 0..<vectorCount {
                        let x = row.load(fromByteOffset: v &* 16, as: Bytes.self)
                        var key = x
                        for l in 0..<maxLevel {
                            var items: Bytes
                            if statusBytes == 4 {
                                items = (entries[r0] | entries[r1]) | (entries[r2] | entries[r3])
                            } else {
                                items = entries[r0]
                                var b = 1
                                while b < statusBytes { items |= entries[b &<< 8 &+ Int(rowBytes[b])]; b &+= 1 }
                            }
                            // A code above the options anywhere (its key could pass for a
                            // higher level's), or a missing answer on a completed scale.
                            if l == 0 { bad .|= (x .> top) .| ((items .!= zero) .& (x .== zero)) }
                            key &+= items
                            entries += statusBytes &<< 8
                        }
                        maskedCodes.storeBytes(of: key, toByteOffset: (v &* batch &+ k) &* 16, as: Bytes.self)
                    }
                }
                if any(bad) { return false }
                let one = Bytes(repeating: 1), keys = maxLevel &* options
                for v in 0..<vectorCount {
                    let column = UnsafeRawPointer(maskedCodes + v &* batch &* 16)
                    // Key q (0…) is level q / options + 1, code q % options + 1;
                    // four keys at a time (counters in registers), then added to
                    // the group's 32-bit counts at ((level − 1) × options + code − 1) × stride.
                    @inline(__always) func value(_ q: Int) -> Bytes {
                        let level = q / options &+ 1, code = q % options &+ 1
                        return Bytes(repeating: UInt8(truncatingIfNeeded: q < keys ? level &* (mask &+ 1) &+ code : 0))
                    }
                    var q = 0
                    while q < keys {
                        let c0 = value(q), c1 = value(q &+ 1), c2 = value(q &+ 2), c3 = value(q &+ 3)
                        var n0 = zero, n1 = zero, n2 = zero, n3 = zero
                        for k in 0..<n {
                            let y = column.load(fromByteOffset: k &* 16, as: Bytes.self)
                            n0 &+= zero.replacing(with: one, where: y .== c0)
                            n1 &+= zero.replacing(with: one, where: y .== c1)
                            n2 &+= zero.replacing(with: one, where: y .== c2)
                            n3 &+= zero.replacing(with: one, where: y .== c3)
                        }
                        @inline(__always) func add(_ counts: Bytes, key: Int) {
                            let slot: Int = key &* stride &+ v &* 16
                            let target = UnsafeMutableRawPointer(accumulated + slot)
                            let sum = target.loadUnaligned(as: SIMD16<Int32>.self) &+ SIMD16<Int32>(truncatingIfNeeded: counts)
                            target.storeBytes(of: sum, as: SIMD16<Int32>.self)
                        }
                        add(n0, key: q)
                        if q &+ 1 < keys { add(n1, key: q &+ 1) }
                        if q &+ 2 < keys { add(n2, key: q &+ 2) }
                        if q &+ 3 < keys { add(n3, key: q &+ 3) }
                        q &+= 4
                    }
                }
                return true
            }
            for g in range {
                let rows = groups[g]
                if rows.count > gatheredCapacity {
                    gatheredCodes.deallocate(); gatheredStatus.deallocate()
                    gatheredCapacity = max(rows.count, 2 * gatheredCapacity)
                    gatheredCodes = .allocate(capacity: gatheredCapacity * stride)
                    gatheredCodes.initialize(repeating: 0, count: gatheredCapacity * stride)
                    gatheredStatus = .allocate(capacity: gatheredCapacity * words)
                }
                for (k, r32) in rows.enumerated() {
                    let r = Int(r32)
                    (gatheredCodes + k * stride).update(from: codes.baseAddress! + r * itemCount, count: itemCount)
                    for w in 0..<words { gatheredStatus[k * words + w] = status[r * words + w] }
                }
                let groupOut = out.baseAddress! + g * block
                if vectorised {
                    accumulated.initialize(repeating: 0, count: maxLevel * options * stride)
                    var counted = true, first = 0
                    while first < rows.count && counted {
                        counted = countVectors(first: first, n: min(batch, rows.count - first))
                        first += batch
                    }
                    if counted {
                        // Level L becomes the count over levels L…m, from the top down.
                        var l = maxLevel &- 1
                        while l >= 1 {
                            let here = accumulated + (l &- 1) &* options &* stride, above = here + options &* stride
                            for k in 0..<options &* stride { here[k] &+= above[k] }
                            l &-= 1
                        }
                        // Scale s at position p (k-th in its item's chain): the counts at level k.
                        for position in 0..<items.count {
                            let i = items[position]
                            let level: Int = positionPlace[position] &- 1
                            let sums: UnsafeMutablePointer<Int32> = accumulated + (level &* options &* stride &+ i)
                            for code in 1...options {
                                let n = sums[(code &- 1) &* stride]
                                if n != 0 { groupOut[position &* width &+ Int(keyed[i &<< 4 &+ code])] &+= n }
                            }
                        }
                        continue
                    }
                    fallbackGroups += 1
                }
                levels.initialize(repeating: 0)
                for k in 0..<rows.count {
                    let row = gatheredCodes + k * stride, flags = UnsafePointer(gatheredStatus + k * words)
                    // The row completes a prefix of each chain: its length
                    // (as the offset of its level), then each item counted
                    // at its chain's level, in one loop over the items.
                    let masks = classMasks.baseAddress!
                    if words == 1 {
                        let f = flags[0]
                        for c in 0..<classCount { levelOffset[c] = (f & masks[c]).nonzeroBitCount &<< shift }
                    } else {
                        for c in 0..<classCount {
                            var l = 0
                            for w in 0..<words { l &+= (flags[w] & masks[c &* words &+ w]).nonzeroBitCount }
                            levelOffset[c] = l &<< shift
                        }
                    }
                    let counts = levels.baseAddress!
                    for q in 0..<countedItems {
                        counts[classBase[q] &+ levelOffset[classOf[q]] &+ Int(row[classItems[q]]) & mask] &+= 1
                    }
                }
                // Each counted item's levels summed from the top down: level k
                // becomes the count over levels k…m (m its chain's length).
                for q in 0..<countedItems {
                    let itemLevels = levels.baseAddress! + classBase[q]
                    var l = classTop[q] &- 1
                    while l >= 1 {
                        let here = itemLevels + l &<< shift, above = here + (1 &<< shift)
                        for code in 0...mask { here[code] &+= above[code] }
                        l &-= 1
                    }
                }
                // Scale s at position p (k-th in its item's chain): those sums at level k.
                for position in 0..<items.count {
                    let sums = levels.baseAddress! + positionBase[position] + positionPlace[position] &<< shift
                    let i = items[position]
                    for code in 0...mask where sums[code] != 0 {
                        groupOut[position &* width &+ Int(keyed[i &<< 4 &+ code])] &+= sums[code]
                    }
                }
            }
        } }
        return fallbackGroups
    }

    /// The agreement of the union of `groups` on scale `s`.
    func agreement(groups: [Int], scale s: Int, table: ResponseTable, scores: RespondentScores, nullVariance: Double) -> GroupAgreement {
        let responseScale = table.instrument.responseScale
        let items = scaleStarts[s + 1] - scaleStarts[s]
        let block = scaleStarts.last! * width
        var listwiseComplete: Int? = nil
        if missing == .listwise {
            var n = 0
            for g in groups { n += complete[g * scaleCount + s] }
            listwiseComplete = n
        }
        let indices = counts.withUnsafeBufferPointer { counts in
            func compute(_ pointer: UnsafePointer<Int32>) -> (rwgJ: Double?, rwgJStar: Double?, awg: Double?, adMean: Double?, adMedian: Double?) {
                Agreement.indices(counts: pointer, items: items, options: width - 1, valueShift: responseScale.min - 1,
                                  lowest: Double(responseScale.min), highest: Double(responseScale.max),
                                  nullVariance: nullVariance, listwiseComplete: listwiseComplete)
            }
            let offset = scaleStarts[s] * width
            if groups.count == 1 { return compute(counts.baseAddress! + groups[0] * block + offset) }
            var sum = [Int32](repeating: 0, count: items * width)
            for g in groups {
                let base = g * block + offset
                for k in sum.indices { sum[k] += counts[base + k] }
            }
            return sum.withUnsafeBufferPointer { compute($0.baseAddress!) }
        }
        // rwg of the scale scores: every respondent with a score (pairwise) or
        // the complete respondents (listwise), pooled over the groups.
        let summaries = missing == .pairwise ? moments.all : moments.complete
        let pooled = groups.count == 1 ? summaries[groups[0] * scaleCount + s]
            : ScoreMoments.pooled(groups.lazy.map { summaries[$0 * scaleCount + s] })
        let rwg = pooled.variance.map { 1 - min($0, nullVariance) / nullVariance }
        return GroupAgreement(rwgJ: indices.rwgJ, rwgJStar: indices.rwgJStar, rwg: rwg, awg: indices.awg,
                              adMean: indices.adMean, adMedian: indices.adMedian)
    }
}

/// The scales containing each item, when they nest: for every item, its
/// scales ordered by size form a chain in which each scale's items lie
/// within the next's (the OSC's dimensions, domains and their parents).
/// A respondent complete on a scale is then complete on every smaller
/// scale of the chain, so which of an item's scales a row completes is a
/// prefix, given by one number.
struct ScaleChains {
    /// Distinct chains (scale indices, smallest first).
    let classScales: [[Int]]
    /// The chain of each item.
    let classOfItem: [Int]
    /// For each (scale, position) in scale order, flattened: the 1-based
    /// place of the scale in the chain of the item at that position.
    let placeInChain: [Int]

    /// nil when some item's scales do not nest.
    init?(_ scaleItems: [[Int]], itemCount: Int) {
        let sets = scaleItems.map(Set.init)
        var chainOfItem = [[Int]](repeating: [], count: itemCount)
        for (s, items) in scaleItems.enumerated() { for i in items { chainOfItem[i].append(s) } }
        var classes: [[Int]] = [], classIndex: [[Int]: Int] = [:], classOfItem: [Int] = []
        for i in 0..<itemCount {
            let chain = chainOfItem[i].sorted { (sets[$0].count, $0) < (sets[$1].count, $1) }
            for (a, b) in zip(chain, chain.dropFirst()) where !sets[a].isSubset(of: sets[b]) { return nil }
            if let c = classIndex[chain] {
                classOfItem.append(c)
            } else {
                classIndex[chain] = classes.count
                classOfItem.append(classes.count)
                classes.append(chain)
            }
        }
        self.classScales = classes
        self.classOfItem = classOfItem
        self.placeInChain = scaleItems.enumerated().flatMap { s, items in
            items.map { i in classes[classOfItem[i]].firstIndex(of: s)! + 1 }
        }
    }
}
