// JSON written straight into bytes, in the layout of `JSONValue.write`,
// without building a value tree first: the schools, authorities and
// respondents of the report, which are nearly all of its bytes.

/// Rendered bytes in memory of their own: `base[0..<count]` written, room
/// for `capacity`. Handed from a renderer to the writer and back (for the
/// next block) whole; freed with `free()` by whoever holds it last.
struct ByteBlock: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    var count: Int
    let capacity: Int

    /// An empty block with room for `capacity` bytes.
    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        count = 0
    }

    fileprivate init(base: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int) {
        self.base = base; self.count = count; self.capacity = capacity
    }

    /// The bytes written.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    func free() { base.deallocate() }
}

/// A JSON text being written, in the layout of `JSONValue.write`, into a
/// `ByteBlock` that grows as needed: every write is one room check and
/// plain stores (no array bookkeeping per byte). Each list or object is
/// opened with `inline`: true when every member is a plain value (number,
/// string, boolean, null, empty list or object), so that it stays on one
/// line, as `JSONValue.write` lays it out; false for one member per line.
/// The stream owns its block until `finish()` hands it back.
struct JSONStream {
    private var base: UnsafeMutablePointer<UInt8>
    private var count: Int
    private var capacity: Int
    /// Open lists and objects (the writers nest a few deep, never 64).
    private var level = 0
    /// Bit i: whether the list or object at level i is inline, and whether it has a member yet.
    private var inlineBits: UInt64 = 0, nonEmptyBits: UInt64 = 0
    /// The indent of the value being written (as `JSONValue.write`'s `indent`).
    private var indent: Int

    /// A stream writing after the bytes already in `block` (which it then owns).
    init(block: ByteBlock, indent: Int) {
        base = block.base; count = block.count; capacity = block.capacity
        self.indent = indent
    }

    /// The block with the text written; the stream is not to be used after.
    func finish() -> ByteBlock { ByteBlock(base: base, count: count, capacity: capacity) }

    /// Makes room for `n` more bytes.
    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if capacity &- count < n { grow(n) }
    }

    @inline(never)
    private mutating func grow(_ n: Int) {
        let newCapacity = max(2 * capacity, count + n, 4096)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase; capacity = newCapacity
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b; count &+= 1
    }

    /// Appends bytes as they are.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    @inline(__always)
    private mutating func append(_ text: StaticString) {
        let n = text.utf8CodeUnitCount
        reserve(n)
        (base + count).update(from: text.utf8Start, count: n)
        count &+= n
    }

    /// A line break and the spaces of `depth` (two per level), as `JSONValue.newline`.
    @inline(__always)
    mutating func newline(_ depth: Int) {
        let spaces = 2 &* depth
        reserve(spaces &+ 9)
        let p = UnsafeMutableRawPointer(base + count)
        p.storeBytes(of: 0x0A, as: UInt8.self)
        // Eight spaces at a time (the room above allows the last store past the end).
        var k = 0
        while k < spaces {
            p.storeBytes(of: 0x2020_2020_2020_2020, toByteOffset: 1 &+ k, as: UInt64.self)
            k &+= 8
        }
        count &+= 1 &+ spaces
    }

    @inline(__always)
    private func isInline(_ k: Int) -> Bool { inlineBits >> UInt64(k) & 1 != 0 }

    /// The separator before a member of the innermost list or object.
    @inline(__always)
    private mutating func separator() {
        let k = level &- 1, bit: UInt64 = 1 << UInt64(k)
        let nonEmpty = nonEmptyBits & bit != 0
        if inlineBits & bit != 0 {
            if nonEmpty {
                reserve(2)
                base[count] = UInt8(ascii: ","); base[count &+ 1] = 0x20; count &+= 2
            }
        } else {
            if nonEmpty { byte(UInt8(ascii: ",")) }
            newline(indent &+ 1)
        }
        nonEmptyBits |= bit
    }

    mutating func beginObject(inline isInline: Bool) { open(UInt8(ascii: "{"), isInline) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray(inline isInline: Bool) { open(UInt8(ascii: "["), isInline) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    @inline(__always)
    private mutating func open(_ bracket: UInt8, _ isInline: Bool) {
        byte(bracket)
        if level > 0, !self.isInline(level &- 1) { indent &+= 1 }
        let bit: UInt64 = 1 << UInt64(level)
        if isInline { inlineBits |= bit } else { inlineBits &= ~bit }
        nonEmptyBits &= ~bit
        level &+= 1
    }

    @inline(__always)
    private mutating func close(_ bracket: UInt8) {
        level &-= 1
        let bit: UInt64 = 1 << UInt64(level)
        if inlineBits & bit == 0, nonEmptyBits & bit != 0 { newline(indent) }
        byte(bracket)
        if level > 0, !isInline(level &- 1) { indent &-= 1 }
    }

    /// Starts a member of the innermost object: `"name": `. The name needs no escape.
    @inline(__always)
    mutating func key(_ name: StaticString) {
        separator()
        let n = name.utf8CodeUnitCount
        reserve(n &+ 4)
        let p = base + count
        p[0] = UInt8(ascii: "\"")
        (p + 1).update(from: name.utf8Start, count: n)
        p[n &+ 1] = UInt8(ascii: "\""); p[n &+ 2] = UInt8(ascii: ":"); p[n &+ 3] = 0x20
        count &+= n &+ 4
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
        append(quoted)
    }

    /// Starts a member whose name comes from data (escaped as needed).
    mutating func key(text name: String) {
        separator()
        quote(name)
        reserve(2)
        base[count] = UInt8(ascii: ":"); base[count &+ 1] = 0x20; count &+= 2
    }

    /// Starts an element of the innermost list.
    @inline(__always)
    mutating func element() { separator() }

    /// A number as `JSONValue.appendNumber` writes it: null when not
    /// finite, whole numbers below 1e15 without a fraction, others with
    /// the shortest round-trip digits.
    @inline(__always)
    mutating func number(_ d: Double) {
        guard d.isFinite else { null(); return }
        // Whole (as `d == d.rounded()`, without a call to libm's round).
        if abs(d) < 1e15, Double(Int64(d)) == d {
            integer(Int64(d))
            return
        }
        reserve(ShortestDecimal.maximumFastLength)
        let n = ShortestDecimal.write(d, to: base + count)
        if n > 0 {
            count &+= n
        } else {
            var text: [UInt8] = []
            ShortestDecimal.appendSlow(d, to: &text)
            append(text)
        }
    }

    /// A number, or null when nil or not finite.
    @inline(__always)
    mutating func number(_ value: Double?) {
        if let value { number(value) } else { null() }
    }

    @inline(__always)
    mutating func integer(_ value: Int) { integer(Int64(value)) }

    /// The decimal digits of `value` (with "-" when negative), as `JSONValue.appendInteger`.
    @inline(__always)
    mutating func integer(_ value: Int64) {
        if value >= 0, value < 10 { byte(UInt8(truncatingIfNeeded: 48 &+ value)); return }
        reserve(20)
        var v = value.magnitude
        // Digits from the right into a scratch area, then copied in place.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let n = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var i = 24
            repeat {
                i &-= 1
                buffer[i] = UInt8(truncatingIfNeeded: 48 &+ v % 10)
                v /= 10
            } while v > 0
            if value < 0 { i &-= 1; buffer[i] = UInt8(ascii: "-") }
            (base + count).update(from: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + i, count: 24 &- i)
            return 24 &- i
        }
        count &+= n
    }

    /// A string quoted and escaped as `JSONValue.quote` writes it.
    mutating func quote(_ s: String) {
        // Most strings (ids, names) need no escape: checked and copied whole.
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            reserve(bytes.count &+ 2)
            base[count] = UInt8(ascii: "\"")
            if let source = bytes.baseAddress { (base + (count &+ 1)).update(from: source, count: bytes.count) }
            base[count &+ 1 &+ bytes.count] = UInt8(ascii: "\"")
            count &+= bytes.count &+ 2
            return true
        }
        if plain == true { return }
        var text: [UInt8] = []
        JSONValue.quote(s, into: &text)
        append(text)
    }

    mutating func string(_ value: String?) {
        if let value { quote(value) } else { null() }
    }

    /// A string that needs no escape.
    mutating func plain(_ value: StaticString) {
        byte(UInt8(ascii: "\""))
        append(value)
        byte(UInt8(ascii: "\""))
    }

    mutating func bool(_ value: Bool) { append(value ? "true" : "false") }

    mutating func bool(_ value: Bool?) {
        if let value { bool(value) } else { null() }
    }

    mutating func null() { append("null") }

    /// A value tree, as `JSONValue.write(to:indent:)` writes it.
    mutating func tree(_ value: JSONValue, indent: Int) {
        var text: [UInt8] = []
        value.write(to: &text, indent: indent)
        append(text)
    }
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
                json.key(text: instrument.profiles[p].id)
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
            json.key(text: profiles[p].id)
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
