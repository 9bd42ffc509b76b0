// The complete report as JSON: every number, every row accounted for.

import Dispatch

/// Rendered blocks handed from renderer threads to the writing thread in order.
private final class BlockQueue: @unchecked Sendable {
    private var blocks: [ByteBlock?]
    private let ready: [DispatchSemaphore]
    private let lock = DispatchSemaphore(value: 1)
    private var stopped = false
    /// The room a new block starts with.
    private let blockCapacity: Int

    init(count: Int, blockCapacity: Int) {
        blocks = [ByteBlock?](repeating: nil, count: count)
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        self.blockCapacity = blockCapacity
    }

    func put(_ b: Int, _ block: ByteBlock) {
        lock.wait()
        blocks[b] = block
        lock.signal()
        ready[b].signal()
    }

    /// Waits for block b and removes it.
    func take(_ b: Int) -> ByteBlock {
        ready[b].wait()
        lock.wait()
        defer { lock.signal() }
        let block = blocks[b]!
        blocks[b] = nil
        return block
    }

    /// Blocks written out, kept (emptied) for later blocks.
    private var spares: [ByteBlock] = []

    /// An empty block, one written before when there is one.
    func spare() -> ByteBlock {
        lock.wait()
        defer { lock.signal() }
        return spares.popLast() ?? ByteBlock(capacity: blockCapacity)
    }

    /// Returns a block that has been written.
    func recycle(_ block: ByteBlock) {
        var block = block
        block.count = 0
        lock.wait()
        spares.append(block)
        lock.signal()
    }

    var cancelled: Bool {
        lock.wait()
        defer { lock.signal() }
        return stopped
    }

    func cancel() {
        lock.wait()
        stopped = true
        lock.signal()
    }

    /// Frees every block held (once the renderers have ended).
    func freeAll() {
        lock.wait()
        defer { lock.signal() }
        for block in spares { block.free() }
        spares = []
        for b in blocks.indices { blocks[b]?.free(); blocks[b] = nil }
    }
}

extension ScoringReport {
    /// The report as a JSON tree (see README "JSON output").
    /// - Parameters:
    ///   - context: the input, key and settings the report echoes.
    ///   - includeRespondents: add a `respondents` list with every
    ///     data row's scale scores.
    package func json(context: ReportContext, includeRespondents: Bool = false) -> JSONValue {
        var root: [(key: String, value: JSONValue)] = [
            ("instrument", instrumentJSON(context: context)),
            ("settings", settingsJSON(context: context)),
            ("input", inputJSON(context: context)),
            ("scales", .array(instrument.scales.indices.map { scaleJSON($0, names: context.settingNames) })),
            ("schools", .array(schools.indices.map { schoolJSON($0, names: context.settingNames) })),
            ("authorities", .array(authorities.indices.map { authorityJSON($0, names: context.settingNames) })),
        ]
        if includeRespondents {
            root.append(("respondents", .array((0..<table.rowCount).map(respondentJSON))))
        }
        return .object(root)
    }

    /// The same JSON text as `json(context:includeRespondents:).bytes()`,
    /// written one top-level member and one school, authority or respondent
    /// at a time, so that the whole tree never exists at once (a large
    /// report then needs far less memory).
    public func jsonBytes(context: ReportContext = ReportContext(), includeRespondents: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        // About 400 bytes per unit and scale (more with norms or respondents):
        // reserving once avoids copying a growing report several times.
        let units = schools.count + authorities.count
        out.reserveCapacity((1 << 16) + instrument.scales.count * (units * 420 + (includeRespondents ? table.rowCount * 30 : 0)))
        writeJSON(context: context, includeRespondents: includeRespondents) { out.append(contentsOf: $0) }
        return out
    }

    /// Writes the text of `jsonBytes(context:includeRespondents:)` to `sink`
    /// in pieces, in order, while the rest is still being rendered: long
    /// lists (schools, authorities, respondents) are written straight into
    /// bytes (no value tree) in blocks on `StatisticsOptions.threads`
    /// threads, and each block is handed to `sink` (on the calling thread)
    /// as soon as it and the blocks before it are done, so that writing a
    /// file overlaps with rendering; rendering runs at most a few blocks
    /// ahead of `sink`, so memory stays small however large the report.
    /// `sink` may throw to stop.
    public func writeJSON(context: ReportContext, includeRespondents: Bool = false,
                          to sink: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        func flush() throws {
            try out.withUnsafeBufferPointer { try sink($0) }
            out.removeAll(keepingCapacity: true)
        }
        func key(_ name: String) {
            JSONValue.newline(&out, 1)
            JSONValue.quote(name, into: &out)
            out.append(contentsOf: ": ".utf8)
        }
        /// A list member written element by element, as `JSONValue.write` would;
        /// `size` is about the bytes of one element.
        func list(_ name: String, count: Int, size: Int, last: Bool, _ element: @escaping @Sendable (Int, inout JSONStream) -> Void) throws {
            key(name)
            if count == 0 {
                out.append(contentsOf: "[]".utf8)
            } else {
                // Elements are objects with lists or objects inside, never plain.
                out.append(UInt8(ascii: "["))
                try flush()
                try Self.renderInBlocks(count: count, elementSize: size, renderers: max(1, statistics.options.threads), element: element, sink: sink)
                JSONValue.newline(&out, 1)
                out.append(UInt8(ascii: "]"))
            }
            if !last { out.append(UInt8(ascii: ",")) }
        }
        out.append(UInt8(ascii: "{"))
        let head: [(String, JSONValue)] = [
            ("instrument", instrumentJSON(context: context)),
            ("settings", settingsJSON(context: context)),
            ("input", inputJSON(context: context)),
        ]
        for (name, value) in head {
            key(name)
            value.write(to: &out, indent: 1)
            out.append(UInt8(ascii: ","))
        }
        let report = self
        let names = context.settingNames
        // The scales (a few) from their trees; schools, authorities and
        // respondents (nearly all the bytes) straight into the bytes.
        // Sizes: about 470 bytes per scale of a school or authority, 30 of a respondent.
        let scaleCount = instrument.scales.count
        try list("scales", count: scaleCount, size: 4096, last: false) { s, json in json.tree(report.scaleJSON(s, names: names), indent: 2) }
        let keys = JSONStream.keys(instrument.scales.map(\.id))
        try list("schools", count: schools.count, size: 256 + 470 * scaleCount, last: false) { j, json in
            report.writeSchool(j, names: names, keys: keys, to: &json)
        }
        try list("authorities", count: authorities.count, size: 256 + 470 * scaleCount, last: !includeRespondents) { a, json in
            report.writeAuthority(a, names: names, keys: keys, to: &json)
        }
        if includeRespondents {
            try list("respondents", count: table.rowCount, size: 128 + 30 * scaleCount, last: true) { r, json in report.writeRespondent(r, keys: keys, to: &json) }
        }
        JSONValue.newline(&out, 0)
        out.append(UInt8(ascii: "}"))
        try flush()
    }

    /// Renders list elements 0..<count (each on a new line at indent 2,
    /// commas between) in blocks of about 128 kB (`elementSize` is about
    /// the bytes of one element) on `renderers` threads, passing each block
    /// to `sink` in order as soon as it is ready. The renderers run at most
    /// `window` blocks ahead of `sink`, so that a slow destination does not
    /// make the whole text wait in memory, and the text in memory at once
    /// stays near `window` blocks, however large the report.
    private static func renderInBlocks(count: Int, elementSize: Int, renderers renderCount: Int,
                                       element: @escaping @Sendable (Int, inout JSONStream) -> Void,
                                       sink: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let target = 1 << 17
        let blockSize = max(1, min(1024, target / max(1, elementSize)))
        let window = max(8, 2 * renderCount)
        let blocks = (count + blockSize - 1) / blockSize
        // Room for the block's elements and a quarter more, so that a block seldom grows.
        let rendered = BlockQueue(count: blocks, blockCapacity: min(count, blockSize) * elementSize * 5 / 4 + 4096)
        defer { rendered.freeAll() }
        @Sendable func render(_ b: Int) {
            var json = JSONStream(block: rendered.spare(), indent: 2)
            for k in b * blockSize..<min(count, (b + 1) * blockSize) {
                json.newline(2)
                element(k, &json)
                if k + 1 < count { json.byte(UInt8(ascii: ",")) }
            }
            rendered.put(b, json.finish())
        }
        guard blocks > 1 else {
            render(0)
            let block = rendered.take(0)
            defer { rendered.recycle(block) }
            try sink(block.bytes)
            return
        }
        // The renderers take blocks in turn; this thread writes them in order.
        let renderers = DispatchGroup()
        let next = WorkCounter()
        // Created at 0 and raised to `window`: libdispatch traps when a
        // semaphore is freed below the value it was created with, which a
        // failed write (renderers ahead of the writer) leaves behind.
        let room = DispatchSemaphore(value: 0)
        for _ in 0..<window { room.signal() }
        for _ in 0..<renderCount {
            DispatchQueue.global().async(group: renderers) {
                while true {
                    room.wait()
                    guard let b = next.claim(below: blocks), !rendered.cancelled else { room.signal(); return }
                    render(b)
                }
            }
        }
        // Runs before the blocks are freed (defers run last first).
        defer { renderers.wait() }
        do {
            for b in 0..<blocks {
                let block = rendered.take(b)
                defer { rendered.recycle(block) }
                try sink(block.bytes)
                room.signal()
            }
        } catch {
            rendered.cancel()
            // Wake renderers waiting for room; each then sees the cancel.
            for _ in 0..<renderCount { room.signal() }
            throw error
        }
    }

    /// One entry of `respondents`.
    func respondentJSON(_ r: Int) -> JSONValue {
        let scales = instrument.scales
        return .object([
            ("line", .number(Double(table.line(row: r)))), ("id", .string(table.respondentID(row: r))),
            ("school", .string(table.schoolKey(row: r)?.school)), ("authority", .string(table.schoolKey(row: r)?.authority)),
            ("scores", .object(scales.indices.map { s in (scales[s].id, .number(scores.score(row: r, scale: s))) })),
        ])
    }

    /// The `instrument` member.
    func instrumentJSON(context: ReportContext) -> JSONValue {
        .object([
            ("id", .string(instrument.id)), ("name", .string(instrument.name)),
            ("version", .string(instrument.version)), ("items", .number(Double(instrument.items.count))),
            ("key", .string(context.keySource)), ("keySource", .string(context.keyOrigin?.rawValue)),
        ])
    }

    /// The `settings` member: every option that shaped the numbers.
    func settingsJSON(context: ReportContext) -> JSONValue {
        let rgr: JSONValue = statistics.options.rgrReplications.map {
            .object([("replications", .number(Double($0))), ("seed", .number(Double(statistics.options.seed)))])
        } ?? .null
        return .object([
            ("minAnswered", .number(options.minAnswered)),
            ("missingCodes", .array(context.readOptions.missingCodes.map(JSONValue.string))),
            ("strict", .bool(context.readOptions.strict)),
            ("foldCase", .bool(context.readOptions.foldCase)),
            ("schoolColumn", .string(context.readOptions.schoolColumn)),
            ("authorityColumn", table.hasAuthorityColumn ? .string(context.readOptions.authorityColumn) : .null),
            ("idColumn", table.hasIDColumn ? .string(context.readOptions.idColumn) : .null),
            ("delimiter", .string(context.delimiter?.rawValue)),
            ("encoding", .string(context.readOptions.encoding.map { ReadOptions.canonicalEncodingName($0) ?? $0 })),
            ("nullDistribution", .string(statistics.options.nullName)),
            ("nullVariance", .number(statistics.nullVariance)),
            ("missingData", .string(statistics.options.missing.rawValue)),
            ("rgr", rgr),
            ("confidence", .number(statistics.options.confidence)),
            ("threads", .number(Double(statistics.options.threads))),
            ("minRespondents", .number(Double(criteria.minRespondents))),
            ("rwgThreshold", .number(criteria.rwgThreshold)),
            ("alphaLevel", .number(criteria.alphaLevel)),
            ("icc2Threshold", .number(criteria.icc2Threshold)),
            ("includeAllSchools", .bool(criteria.includeAllSchools)),
            ("suppressBelow", criteria.suppressBelow.map { .number(Double($0)) } ?? .null),
            ("norms", normsSettingsJSON()),
            // Chance agreement (Dunlap et al. 2003): how `rwgjCritical` is simulated.
            ("rwgjChance", .object([
                ("percentile", .number(RwgJChance.probability)), ("draws", .number(Double(RwgJChance.defaultDraws))),
                ("seed", .number(Double(RwgJChance.defaultSeed))), ("maximumRespondents", .number(Double(RwgJChance.maximumRespondents))),
                ("available", .bool(RwgJChance.answerWeights(statistics.options.null, options: instrument.responseScale.options) != nil)),
            ])),
        ])
    }

    /// One entry of `scales`: descriptives, reliability, ICCs and verdicts.
    func scaleJSON(_ s: Int, names: SettingNames) -> JSONValue {
        let scale = instrument.scales[s], d = scaleDescriptives[s]
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(scale.id)), ("name", .string(scale.name)), ("level", .string(scale.level)),
            ("favourable", .string(scale.favourable?.rawValue)),
            ("items", .number(Double(instrument.scaleItemIndices[s].count))),
            ("requiredAnswers", .number(Double(scores.requiredAnswers[s]))),
            ("n", .number(Double(d.n))), ("mean", .number(d.mean)), ("sd", .number(d.sd)),
            ("reliability", reliabilityJSON(s)),
            ("icc", .object([("school", Self.iccJSON(statistics.icc[s].school)), ("authority", Self.iccJSON(statistics.icc[s].authority))])),
            ("aggregation", .object([
                ("school", Self.levelVerdictJSON(schoolLevelVerdicts[s], names: names)),
                ("authority", authorityLevelVerdicts.isEmpty ? .null : Self.levelVerdictJSON(authorityLevelVerdicts[s], names: names)),
            ])),
            ("variance", Self.varianceJSON(statistics.icc[s].variance)),
        ]
        if statistics.options.rgrReplications != nil {
            members.append(("rgr", .object([("school", rgrJSON(statistics.icc[s].schoolRGR)), ("authority", rgrJSON(statistics.icc[s].authorityRGR))])))
        }
        return .object(members)
    }

    /// One entry of `schools`.
    func schoolJSON(_ j: Int, names: SettingNames) -> JSONValue {
        let school = schools[j]
        let scaleIDs = instrument.scales.map(\.id)
        let scores: [(key: String, value: JSONValue)] = scaleIDs.indices.map { s in
            let v = school.scores[s]
            var members: [(key: String, value: JSONValue)] = [("n", .number(Double(v.n))), ("mean", .number(v.mean)),
                                                              ("ciLower", .number(v.ciLower)), ("ciUpper", .number(v.ciUpper)), ("sd", .number(v.sd)),
                                                              ("groupMeanReliability", .number(v.groupMeanReliability))]
            if let note = v.groupMeanReliabilityNote { members.append(("groupMeanReliabilityNote", .string(note))) }
            members.reserveCapacity(16)
            if let norms = normReferenced {
                let t = normMembers(v.norm, scale: s, norms: norms.schoolNorms)
                members += t
                // The verdict reaches the T-score: flagged, with the reasons beside it.
                if !t.isEmpty {
                    members.append(("tFlagged", .bool(!v.verdict.aggregate)))
                    members.append(("tReasons", Self.reasonsJSON(v.verdict.reasons, names: names)))
                }
            }
            members += Self.agreementMembers(v.agreement)
            // Chance agreement (Dunlap et al. 2003).
            members.append(("rwgjCritical", .number(v.rwgJCritical)))
            members.append(("rwgjAboveChance", v.rwgJAboveChance.map(JSONValue.bool) ?? .null))
            members.append(("aggregate", .bool(v.verdict.aggregate)))
            members.append(("reasons", Self.reasonsJSON(v.verdict.reasons, names: names)))
            return (scaleIDs[s], .object(members))
        }
        let entry = JSONValue.object([
            ("id", .string(school.key.school)), ("name", .string(school.name)), ("authority", .string(school.key.authority)),
            ("rows", .number(Double(school.rows))), ("respondents", .number(Double(school.respondents))),
            ("scores", .object(scores)),
        ] + suppressedMember(school.suppressed)
          + profileMembers(school.suppressed ? nil : school.profiles, names: names)
          + (school.suppressed ? [] : profilesWithheldMembers(j, names: names)))
        return school.suppressed ? Self.withheld(entry) : entry
    }

    /// `suppressed` of a school or authority, when suppression is on.
    func suppressedMember(_ suppressed: Bool) -> [(key: String, value: JSONValue)] {
        criteria.suppressBelow == nil ? [] : [("suppressed", .bool(suppressed))]
    }

    /// The members of a suppressed unit's scale entries that reveal its
    /// answers (means, spreads, agreement, T-scores and percentiles),
    /// written as null; the counts and verdicts stay.
    static let withheldMembers: Set<String> = ["mean", "ciLower", "ciUpper", "sd", "respondentMean", "t", "percentile", "rwgj", "rwgjStar", "rwg", "awg", "adMean", "adMedian", "rwgjAboveChance"]

    /// A school or authority entry with the numbers of every scale entry
    /// withheld (`withheldMembers` null, `suppressed: true` added), and
    /// reason messages without the values they quote.
    static func withheld(_ entry: JSONValue) -> JSONValue {
        guard case .object(var members) = entry, let k = members.firstIndex(where: { $0.key == "scores" }),
              case .object(let scores) = members[k].value else { return entry }
        members[k].value = .object(scores.map { scale in
            guard case .object(let values) = scale.value else { return scale }
            var out: [(key: String, value: JSONValue)] = values.map { member in
                if withheldMembers.contains(member.key) { return (member.key, .null) }
                if member.key == "reasons" || member.key == "tReasons", case .array(let reasons) = member.value {
                    return (member.key, .array(reasons.map { reason in
                        guard case .object(let parts) = reason else { return reason }
                        return .object(parts.map { $0.key == "message" ? ($0.key, .string("withheld with the suppressed results")) : $0 })
                    }))
                }
                return member
            }
            out.insert(("suppressed", .bool(true)), at: 1)
            return (scale.key, .object(out))
        })
        return .object(members)
    }

    /// `profilesWithheld` of a school whose mean cannot stand on a scale a
    /// profile reads: per withheld profile, those scales and why (nothing
    /// when no profile is withheld).
    func profilesWithheldMembers(_ j: Int, names: SettingNames) -> [(key: String, value: JSONValue)] {
        guard let withheld = schools[j].profilesWithheldBy, withheld.contains(where: { !$0.isEmpty }) else { return [] }
        let entries: [(key: String, value: JSONValue)] = instrument.profiles.indices.compactMap { p in
            guard !withheld[p].isEmpty else { return nil }
            return (instrument.profiles[p].id, .object([
                ("scales", .array(withheld[p].map { .string(instrument.scales[$0].id) })),
                ("message", .string(profileWithheldMessage(j, p, names: names))),
            ]))
        }
        return [("profilesWithheld", .object(entries))]
    }

    /// One entry of `authorities`.
    func authorityJSON(_ a: Int, names: SettingNames) -> JSONValue {
        let authority = authorities[a]
        let scaleIDs = instrument.scales.map(\.id)
        let scores: [(key: String, value: JSONValue)] = scaleIDs.indices.map { s in
            let v = authority.scores[s]
            var members: [(key: String, value: JSONValue)] = [
                ("schools", .number(Double(v.schools))),
                ("schoolsExcluded", .number(Double(v.excludedSchools.count))),
                ("excludedSchools", .array(v.excludedSchools.map { .string(schools[$0].key.school) })),
                ("n", .number(Double(v.n))),
                ("mean", .number(v.mean)), ("ciLower", .number(v.ciLower)), ("ciUpper", .number(v.ciUpper)),
                ("respondentMean", .number(v.respondentMean)), ("sd", .number(v.sd)),
            ]
            if let norms = normReferenced { members += normMembers(v.norm, scale: s, norms: norms.authorityNorms) }
            members += Self.agreementMembers(v.agreement)
            return (scaleIDs[s], .object(members))
        }
        let entry = JSONValue.object([
            ("id", .string(authority.id)), ("name", .string(authority.name)), ("schools", .number(Double(authority.schoolIndices.count))),
            ("respondents", .number(Double(authority.respondents))),
            ("scores", .object(scores)),
        ] + suppressedMember(authority.suppressed) + profileMembers(authority.suppressed ? nil : authority.profiles, names: names))
        return authority.suppressed ? Self.withheld(entry) : entry
    }

    /// The agreement members of a school's or authority's scale entry.
    static func agreementMembers(_ g: GroupAgreement) -> [(key: String, value: JSONValue)] {
        [("rwgj", .number(g.rwgJ)), ("rwgjStar", .number(g.rwgJStar)), ("rwg", .number(g.rwg)),
         ("awg", .number(g.awg)), ("adMean", .number(g.adMean)), ("adMedian", .number(g.adMedian))]
    }

    /// `t`, `percentile` and what they are relative to, for a scale with norms;
    /// nothing without norms or for a scale without a norm.
    func normMembers(_ score: NormScore??, scale s: Int, norms: [String: ScaleNorm]?) -> [(key: String, value: JSONValue)] {
        guard let reference = normReferenced, let norms, norms[instrument.scales[s].id] != nil, let score else { return [] }
        return [("t", .number(score?.t)), ("percentile", .number(score?.percentile)),
                ("tReference", .string(reference.choice.isSampleRelative ? "sample" : "norms"))]
    }

    /// The `profiles` member of a school or authority (and a note when there are no T-scores).
    func profileMembers(_ results: [ProfileResult?]?, names: SettingNames) -> [(key: String, value: JSONValue)] {
        guard !instrument.profiles.isEmpty else { return [] }
        let profiles = JSONValue.object(instrument.profiles.enumerated().map { p, profile in
            guard let result = results?[p] ?? nil else { return (profile.id, .null) }
            return (profile.id, .object([("class", .string(result.profileClass.rawValue)),
                                         ("reasons", .array(result.reasons.map(JSONValue.string)))]))
        })
        var members: [(key: String, value: JSONValue)] = [("profiles", profiles)]
        if normReferenced == nil {
            members.append(("profilesNote", .string(Self.noNormsNote(names))))
        } else if results?.contains(where: { $0 == nil }) ?? true {
            members.append(("profilesNote", .string("a profile is null where a T-score it reads is missing (no mean or no norm for the scale), or where the school's mean cannot stand for its staff on a scale it reads (profilesWithheld), or where the unit is suppressed")))
        }
        return members
    }

    static func noNormsNote(_ names: SettingNames) -> String {
        names.usesCommandLineOptions
            ? "no T-scores without norms: give --norms FILE (the instrument's normative means and SDs) or --norms sample (relative to this study)"
            : "no T-scores without norms: give NormsChoice.table (the instrument's normative means and SDs) or NormsChoice.sample (relative to this study)"
    }

    /// `settings.norms`: which norms were used, or null.
    func normsSettingsJSON() -> JSONValue {
        guard let reference = normReferenced else { return .null }
        switch reference.choice {
        case .sample:
            return .object([
                ("source", .string("sample")), ("sampleRelative", .bool(true)),
                ("description", .string("sample-relative: each school's mean against the mean and SD (n - 1) of all school means in this file, each authority's against all authority means; not normative")),
                ("scales", .array(instrument.scales.map(\.id).filter { reference.schoolNorms[$0] != nil }.map(JSONValue.string))),
            ])
        case .table(let norms):
            return .object([
                ("source", .string(norms.source)), ("sampleRelative", .bool(false)), ("instrument", .string(norms.instrument)),
                ("description", .string(norms.description)), ("citation", .string(norms.citation)), ("level", .string(norms.level.rawValue)),
                ("scales", .array(instrument.scales.map(\.id).filter { norms.scales[$0] != nil }.map(JSONValue.string))),
            ])
        }
    }

    /// The REML variance partition of a scale, or null when not estimable.
    static func varianceJSON(_ v: VariancePartition?) -> JSONValue {
        guard let v else { return .null }
        return .object([
            ("authority", .number(v.authority)), ("school", .number(v.school)), ("residual", .number(v.residual)),
            ("authorityShare", .number(v.authorityShare)), ("schoolShare", .number(v.schoolShare)), ("residualShare", .number(v.residualShare)),
            ("method", .string(v.method)), ("converged", .bool(v.converged)),
            ("intercept", .number(v.intercept)), ("remlCriterion", .number(v.remlCriterion)),
            ("respondents", .number(Double(v.respondents))), ("schools", .number(Double(v.schools))),
            ("authorities", v.authorities.map { .number(Double($0)) } ?? .null),
        ])
    }

    /// Verdict reasons as a list of {code, message}.
    static func reasonsJSON(_ reasons: [AggregationReason], names: SettingNames) -> JSONValue {
        .array(reasons.map { .object([("code", .string($0.code)), ("message", .string($0.message(names)))]) })
    }

    /// A level verdict: whether aggregation is justified and which criteria held.
    static func levelVerdictJSON(_ v: LevelVerdict, names: SettingNames) -> JSONValue {
        .object([
            ("justified", .bool(v.justified)),
            ("criteria", .object([("icc1Positive", .bool(v.icc1Positive)), ("fSignificant", .bool(v.fSignificant)), ("icc2Reliable", .bool(v.icc2Reliable))])),
            ("reasons", reasonsJSON(v.reasons, names: names)),
        ])
    }

    /// A one-way ANOVA ICC entry, or null.
    static func iccJSON(_ icc: OneWayANOVAICC?) -> JSONValue {
        guard let icc else { return .null }
        var members: [(key: String, value: JSONValue)] = [
            ("icc1", .number(icc.icc1)), ("icc2", .number(icc.icc2)), ("f", .number(icc.f)),
            ("df1", .number(Double(icc.df1))), ("df2", .number(Double(icc.df2))), ("p", .number(icc.p)),
            ("icc1Lower", .number(icc.icc1Lower)), ("icc1Upper", .number(icc.icc1Upper)),
            ("icc2Lower", .number(icc.icc2Lower)), ("icc2Upper", .number(icc.icc2Upper)),
            ("groups", .number(Double(icc.groups))), ("n", .number(Double(icc.n))), ("k", .number(icc.k)),
            ("designEffect", .number(icc.designEffect)), ("effectiveN", .number(icc.effectiveN)),
        ]
        if icc.designEffectIsTruncated { members.append(("designEffectNote", .string(Self.designEffectNote))) }
        return .object(members)
    }

    /// Why the design effect is 1 when ICC(1) ≤ 0 (JSON `designEffectNote`).
    static let designEffectNote = "ICC(1) is not above 0: no clustering beyond chance, so the design effect is taken as 1 and the effective N is N (the formula 1 + (k - 1) ICC(1) would claim more information than N independent respondents)"

    /// A random group resampling entry, or null.
    /// `p` is the one-tailed Φ(z) and `aboveChance` whether it is below the
    /// significance level.
    func rgrJSON(_ rgr: RGRAgreement?) -> JSONValue {
        guard let rgr else { return .null }
        return .object([
            ("groups", .number(Double(rgr.groups))), ("pseudoGroups", .number(Double(rgr.pseudoGroupCount))),
            ("averageGroupVariance", .number(rgr.averageGroupVariance)),
            ("averagePseudoGroupVariance", .number(rgr.averagePseudoGroupVariance)),
            ("pseudoGroupVarianceSD", .number(rgr.pseudoGroupVarianceSD)), ("z", .number(rgr.z)),
            ("p", .number(Self.rgrP(rgr))), ("aboveChance", .bool(rgrAboveChance(rgr))),
            ("lowerPercentiles", .object(zip(RandomGroupResampling.lowerProbabilities, rgr.lowerPercentiles).map { (JSONValue.format($0), .number($1)) })),
            ("upperPercentiles", .object(zip(RandomGroupResampling.upperProbabilities, rgr.upperPercentiles).map { (JSONValue.format($0), .number($1)) })),
        ])
    }

    /// The reliability entry of scale `s`.
    func reliabilityJSON(_ s: Int) -> JSONValue {
        let r = statistics.reliability[s]
        let itemIDs = instrument.scaleItemIndices[s].map { instrument.items[$0].id }
        return .object([
            ("alpha", .number(r.alpha?.alpha)), ("alphaLower", .number(r.alpha?.alphaLower)), ("alphaUpper", .number(r.alpha?.alphaUpper)),
            ("standardizedAlpha", .number(r.alpha?.standardizedAlpha)), ("averageR", .number(r.alpha?.averageR)),
            ("omegaTotal", .number(r.omegaTotal)), ("n", .number(Double(table.rowCount))),
            ("items", .array(itemIDs.enumerated().map { k, id in
                let item = r.alpha?.items[k]
                return .object([
                    ("item", .string(id)), ("rDrop", .number(item?.rDrop)), ("alphaIfDeleted", .number(item?.alphaIfDeleted)),
                    ("mean", .number(item?.mean)), ("sd", .number(item?.sd)), ("n", item.map { .number(Double($0.n)) } ?? .null),
                ])
            })),
        ])
    }

    /// The `input` member: the accounting of every row and every finding.
    package func inputJSON(context: ReportContext) -> JSONValue {
        .object([
            ("file", .string(context.source)),
            ("sheet", .string(input.sheet)),
            ("encoding", .string(input.encoding.name)),
            ("encodingSource", .string(input.encoding.origin.rawValue)),
            ("headerRowLines", .array(input.headerRowLines.map { .number(Double($0)) })),
            ("rows", .number(Double(input.rows))),
            ("scored", .number(Double(input.scored))),
            ("excluded", .number(Double(input.excluded.count))),
            ("exclusions", .array(input.excluded.map {
                .object([("line", .number(Double($0.line))), ("respondent", .string($0.respondent)), ("reason", .string($0.reason))])
            })),
            ("unfinished", .number(Double(input.unfinished))),
            ("withoutSchool", .number(Double(input.withoutSchool.count))),
            ("withoutSchoolLines", .array(input.withoutSchool.map { .number(Double($0)) })),
            ("blankLines", .array(input.blankLines.map { .number(Double($0)) })),
            ("ignoredColumns", .array(input.ignoredColumns.map(JSONValue.string))),
            ("dataFile", table.dataFile.map { .object([("format", .string($0.format)), ("encoding", .string($0.encoding))]) } ?? .null),
            ("declaredMissing", .array((table.dataFile?.declaredMissing ?? []).map {
                .object([("column", .string($0.column)), ("userMissing", .number(Double($0.userMissing))),
                         ("systemMissing", .number(Double($0.systemMissing)))])
            })),
            ("problems", .array(input.problems.map { p in
                .object([
                    ("line", .number(Double(p.line))), ("column", .string(p.column)),
                    ("columnNumber", p.columnNumber.map { .number(Double($0)) } ?? .null),
                    ("value", .string(p.value)), ("kind", .string(p.kind.rawValue)), ("problem", .string(p.problem)),
                ])
            })),
            // Suspected keying errors (warnings; `validate` does not fail on them).
            ("keyFindings", .array(keyFindings.map { f in
                .object([
                    ("kind", .string(f.kind.rawValue)), ("scale", .string(f.scale)), ("item", .string(f.item)), ("column", .string(f.column)),
                    ("rDrop", .number(f.rDrop)), ("alpha", .number(f.alpha)), ("reversed", f.reversed.map(JSONValue.bool) ?? .null),
                    ("message", .string(f.message)),
                ])
            })),
        ])
    }
}
