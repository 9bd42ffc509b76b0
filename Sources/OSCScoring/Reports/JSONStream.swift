// JSON written straight into bytes, in the layout of `JSONValue.write`,
// without building a value tree first: the schools, authorities and
// respondents of the report, which are nearly all of its bytes.

/// A JSON text being written. Each list or object is opened with
/// `inline`: true when every member is a plain value (number, string,
/// boolean, null, empty list or object), so that it stays on one line,
/// as `JSONValue.write` lays it out; false for one member per line.
struct JSONStream {
    var out: [UInt8]
    /// Per open list or object: whether it is inline, and its member count.
    private var inline: [Bool] = []
    private var counts: [Int] = []
    /// The indent of the value being written (as `JSONValue.write`'s `indent`).
    private var indent: Int

    init(out: [UInt8] = [], indent: Int) {
        self.out = out
        self.indent = indent
        inline.reserveCapacity(16)
        counts.reserveCapacity(16)
    }

    @inline(__always)
    private mutating func newline(_ depth: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }

    /// The separator before a member of the innermost list or object.
    @inline(__always)
    private mutating func separator() {
        let k = counts.count - 1
        if counts[k] > 0 { out.append(UInt8(ascii: ",")) }
        if inline[k] {
            if counts[k] > 0 { out.append(0x20) }
        } else {
            newline(indent + 1)
        }
        counts[k] += 1
    }

    mutating func beginObject(inline isInline: Bool) { open(UInt8(ascii: "{"), isInline) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray(inline isInline: Bool) { open(UInt8(ascii: "["), isInline) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8, _ isInline: Bool) {
        out.append(bracket)
        if !inline.isEmpty, !inline[inline.count - 1] { indent += 1 }
        inline.append(isInline)
        counts.append(0)
    }

    private mutating func close(_ bracket: UInt8) {
        let wasInline = inline.removeLast(), count = counts.removeLast()
        if !wasInline, count > 0 { newline(indent) }
        out.append(bracket)
        if !inline.isEmpty, !inline[inline.count - 1] { indent -= 1 }
    }

    /// Starts a member of the innermost object: `"name": `. The name needs no escape.
    @inline(__always)
    mutating func key(_ name: StaticString) {
        separator()
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\"")); out.append(UInt8(ascii: ":")); out.append(0x20)
    }

    /// Member names from data, quoted and escaped once: `"name": `.
    static func keys(_ names: [String]) -> [[UInt8]] {
        names.map { name in
            var bytes: [UInt8] = []
            JSONValue.quote(name, into: &bytes)
            bytes.append(UInt8(ascii: ":")); bytes.append(0x20)
            return bytes
        }
    }

    /// Starts a member with a name from `keys(_:)`.
    @inline(__always)
    mutating func key(quoted: [UInt8]) {
        separator()
        out.append(contentsOf: quoted)
    }

    /// Starts a member whose name comes from data (escaped as needed).
    mutating func key(_ name: String) {
        separator()
        JSONValue.quote(name, into: &out)
        out.append(UInt8(ascii: ":")); out.append(0x20)
    }

    /// Starts an element of the innermost list.
    @inline(__always)
    mutating func element() { separator() }

    @inline(__always)
    mutating func number(_ value: Double) { JSONValue.appendNumber(value, to: &out) }

    /// A number, or null when nil or not finite.
    @inline(__always)
    mutating func number(_ value: Double?) {
        if let value { JSONValue.appendNumber(value, to: &out) } else { null() }
    }

    @inline(__always)
    mutating func integer(_ value: Int) { JSONValue.appendInteger(Int64(value), to: &out) }

    mutating func string(_ value: String?) {
        if let value { JSONValue.quote(value, into: &out) } else { null() }
    }

    /// A string that needs no escape.
    mutating func plain(_ value: StaticString) {
        out.append(UInt8(ascii: "\""))
        value.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
    }

    mutating func bool(_ value: Bool) {
        (value ? "true" as StaticString : "false").withUTF8Buffer { out.append(contentsOf: $0) }
    }

    mutating func bool(_ value: Bool?) {
        if let value { bool(value) } else { null() }
    }

    mutating func null() { ("null" as StaticString).withUTF8Buffer { out.append(contentsOf: $0) } }
}

extension ScoringReport {
    /// Writes `schoolJSON(j, names:)` (the same text) to `json`; `keys` are
    /// the scale ids as `JSONStream.keys` makes them.
    func writeSchool(_ j: Int, names: SettingNames, keys: [[UInt8]], to json: inout JSONStream) {
        let school = schools[j]
        let withheld = school.suppressed
        let scales = instrument.scales
        json.beginObject(inline: false)
        json.key("id"); json.string(school.key.school)
        json.key("name"); json.string(school.name)
        json.key("authority"); json.string(school.key.authority)
        json.key("rows"); json.integer(school.rows)
        json.key("respondents"); json.integer(school.respondents)
        json.key("scores")
        json.beginObject(inline: scales.isEmpty)
        for s in scales.indices {
            let v = school.scores[s]
            json.key(quoted: keys[s])
            let plainEntry = v.verdict.reasons.isEmpty
            json.beginObject(inline: plainEntry)
            json.key("n"); json.integer(v.n)
            if withheld { json.key("suppressed"); json.bool(true) }
            json.key("mean"); withheld ? json.null() : json.number(v.mean)
            json.key("ciLower"); withheld ? json.null() : json.number(v.ciLower)
            json.key("ciUpper"); withheld ? json.null() : json.number(v.ciUpper)
            json.key("sd"); withheld ? json.null() : json.number(v.sd)
            json.key("groupMeanReliability"); json.number(v.groupMeanReliability)
            if let note = v.groupMeanReliabilityNote { json.key("groupMeanReliabilityNote"); json.string(note) }
            if let reference = normReferenced, reference.schoolNorms[scales[s].id] != nil {
                json.key("t"); withheld ? json.null() : json.number(v.norm?.t)
                json.key("percentile"); withheld ? json.null() : json.number(v.norm?.percentile)
                json.key("tReference"); json.plain(reference.choice.isSampleRelative ? "sample" : "norms")
                json.key("tFlagged"); json.bool(!v.verdict.aggregate)
                json.key("tReasons"); writeReasons(v.verdict.reasons, names: names, withheld: withheld, to: &json)
            }
            writeAgreement(v.agreement, withheld: withheld, to: &json)
            json.key("rwgjCritical"); json.number(v.rwgJCritical)
            json.key("rwgjAboveChance"); withheld ? json.null() : json.bool(v.rwgJAboveChance)
            json.key("aggregate"); json.bool(v.verdict.aggregate)
            json.key("reasons"); writeReasons(v.verdict.reasons, names: names, withheld: withheld, to: &json)
            json.endObject()
        }
        json.endObject()
        if criteria.suppressBelow != nil { json.key("suppressed"); json.bool(withheld) }
        writeProfiles(withheld ? nil : school.profiles, to: &json, names: names)
        if !withheld, let withheldBy = school.profilesWithheldBy, withheldBy.contains(where: { !$0.isEmpty }) {
            json.key("profilesWithheld")
            json.beginObject(inline: false)
            for p in instrument.profiles.indices where !withheldBy[p].isEmpty {
                json.key(instrument.profiles[p].id)
                json.beginObject(inline: false)
                json.key("scales")
                json.beginArray(inline: true)
                for s in withheldBy[p] { json.element(); json.string(scales[s].id) }
                json.endArray()
                json.key("message"); json.string(profileWithheldMessage(j, p, names: names))
                json.endObject()
            }
            json.endObject()
        }
        json.endObject()
    }

    /// Writes `authorityJSON(a, names:)` (the same text) to `json` (`keys` as for `writeSchool`).
    func writeAuthority(_ a: Int, names: SettingNames, keys: [[UInt8]], to json: inout JSONStream) {
        let authority = authorities[a]
        let withheld = authority.suppressed
        let scales = instrument.scales
        json.beginObject(inline: false)
        json.key("id"); json.string(authority.id)
        json.key("name"); json.string(authority.name)
        json.key("schools"); json.integer(authority.schoolIndices.count)
        json.key("respondents"); json.integer(authority.respondents)
        json.key("scores")
        json.beginObject(inline: scales.isEmpty)
        for s in scales.indices {
            let v = authority.scores[s]
            json.key(quoted: keys[s])
            json.beginObject(inline: v.excludedSchools.isEmpty)
            json.key("schools"); json.integer(v.schools)
            if withheld { json.key("suppressed"); json.bool(true) }
            json.key("schoolsExcluded"); json.integer(v.excludedSchools.count)
            json.key("excludedSchools")
            json.beginArray(inline: true)
            for school in v.excludedSchools { json.element(); json.string(schools[school].key.school) }
            json.endArray()
            json.key("n"); json.integer(v.n)
            json.key("mean"); withheld ? json.null() : json.number(v.mean)
            json.key("ciLower"); withheld ? json.null() : json.number(v.ciLower)
            json.key("ciUpper"); withheld ? json.null() : json.number(v.ciUpper)
            json.key("respondentMean"); withheld ? json.null() : json.number(v.respondentMean)
            json.key("sd"); withheld ? json.null() : json.number(v.sd)
            if let reference = normReferenced, reference.authorityNorms[scales[s].id] != nil {
                json.key("t"); withheld ? json.null() : json.number(v.norm?.t)
                json.key("percentile"); withheld ? json.null() : json.number(v.norm?.percentile)
                json.key("tReference"); json.plain(reference.choice.isSampleRelative ? "sample" : "norms")
            }
            writeAgreement(v.agreement, withheld: withheld, to: &json)
            json.endObject()
        }
        json.endObject()
        if criteria.suppressBelow != nil { json.key("suppressed"); json.bool(withheld) }
        writeProfiles(withheld ? nil : authority.profiles, to: &json, names: names)
        json.endObject()
    }

    /// Writes `respondentJSON(r)` (the same text) to `json` (`keys` as for `writeSchool`).
    func writeRespondent(_ r: Int, keys: [[UInt8]], to json: inout JSONStream) {
        let scales = instrument.scales
        json.beginObject(inline: false)
        json.key("line"); json.integer(table.line(row: r))
        json.key("id"); json.string(table.respondentID(row: r))
        let key = table.schoolKey(row: r)
        json.key("school"); json.string(key?.school)
        json.key("authority"); json.string(key?.authority)
        json.key("scores")
        json.beginObject(inline: true)
        for s in scales.indices { json.key(quoted: keys[s]); json.number(scores.score(row: r, scale: s)) }
        json.endObject()
        json.endObject()
    }

    /// `agreementMembers`, null where withheld.
    private func writeAgreement(_ g: GroupAgreement, withheld: Bool, to json: inout JSONStream) {
        json.key("rwgj"); withheld ? json.null() : json.number(g.rwgJ)
        json.key("rwgjStar"); withheld ? json.null() : json.number(g.rwgJStar)
        json.key("rwg"); withheld ? json.null() : json.number(g.rwg)
        json.key("awg"); withheld ? json.null() : json.number(g.awg)
        json.key("adMean"); withheld ? json.null() : json.number(g.adMean)
        json.key("adMedian"); withheld ? json.null() : json.number(g.adMedian)
    }

    /// `reasonsJSON`, with the messages of a withheld unit replaced.
    private func writeReasons(_ reasons: [AggregationReason], names: SettingNames, withheld: Bool, to json: inout JSONStream) {
        json.beginArray(inline: reasons.isEmpty)
        for reason in reasons {
            json.element()
            json.beginObject(inline: true)
            json.key("code"); json.string(reason.code)
            json.key("message")
            if withheld { json.plain("withheld with the suppressed results") } else { json.string(reason.message(names)) }
            json.endObject()
        }
        json.endArray()
    }

    /// `profileMembers`.
    private func writeProfiles(_ results: [ProfileResult?]?, to json: inout JSONStream, names: SettingNames) {
        guard !instrument.profiles.isEmpty else { return }
        let profiles = instrument.profiles
        json.key("profiles")
        json.beginObject(inline: !profiles.indices.contains { (results?[$0] ?? nil) != nil })
        for p in profiles.indices {
            json.key(profiles[p].id)
            guard let result = results?[p] ?? nil else { json.null(); continue }
            json.beginObject(inline: result.reasons.isEmpty)
            json.key("class"); json.string(result.profileClass.rawValue)
            json.key("reasons")
            json.beginArray(inline: true)
            for reason in result.reasons { json.element(); json.string(reason) }
            json.endArray()
            json.endObject()
        }
        json.endObject()
        if normReferenced == nil {
            json.key("profilesNote"); json.string(Self.noNormsNote(names))
        } else if results?.contains(where: { $0 == nil }) ?? true {
            json.key("profilesNote")
            json.plain("a profile is null where a T-score it reads is missing (no mean or no norm for the scale), or where the school's mean cannot stand for its staff on a scale it reads (profilesWithheld), or where the unit is suppressed")
        }
    }
}
