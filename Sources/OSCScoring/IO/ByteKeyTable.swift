// A hash table keyed by byte strings, for the reader's per-row lookups
// (respondent ids, schools) without making a String or an Array per row.

/// Maps byte strings to integers. Open addressing with linear probing; keys
/// are copied into one growing byte store.
///
/// Complexity: O(key length) expected per lookup; memory O(total key bytes).
struct ByteKeyTable {
    /// One slot: the key's full hash, where its bytes lie in `store`
    /// (offset + 1; 0 = empty slot), their number, and the value. One slot
    /// is read per probe (one cache line), and a key's bytes only when the
    /// hashes agree.
    private struct Slot {
        var hash: UInt64 = 0
        var offset: UInt32 = 0
        var length: UInt32 = 0
        var value: Int = 0
    }

    private var store: [UInt8] = []
    private var slots: [Slot]
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
    }

    /// A hash of the bytes, eight at a time (multiply and xor-shift, the
    /// mixing steps of SplitMix64), its high and low halves both well
    /// mixed. Only lookups depend on it, never an order.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = key.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        guard let base = key.baseAddress else { return h }
        var i = 0
        while i + 8 <= n {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                word |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        h = (h ^ (h >> 30)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    private func equals(_ slot: Slot, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(slot.length) == key.count else { return false }
        let start = Int(slot.offset) - 1
        guard let keyBase = key.baseAddress else { return true }
        // Eight bytes at a time, then the rest (a byte loop with its bounds checks was most of a lookup).
        return store.withUnsafeBufferPointer { s in
            let stored = UnsafeRawPointer(s.baseAddress! + start), given = UnsafeRawPointer(keyBase)
            let n = key.count
            var k = 0
            while k &+ 8 <= n {
                if stored.loadUnaligned(fromByteOffset: k, as: UInt64.self) != given.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
                k &+= 8
            }
            while k < n {
                if stored.load(fromByteOffset: k, as: UInt8.self) != given.load(fromByteOffset: k, as: UInt8.self) { return false }
                k &+= 1
            }
            return true
        }
    }

    /// The value stored for `key`, if any.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(key)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var k = Int(truncatingIfNeeded: h) & mask
            while slots[k].offset != 0 {
                if slots[k].hash == h && equals(slots[k], key) { return slots[k].value }
                k = (k + 1) & mask
            }
            return nil
        }
    }

    /// The value stored for `key`, or nil after storing `value` for it.
    mutating func value(for key: UnsafeBufferPointer<UInt8>, insertingIfAbsent value: Int) -> Int? {
        if 2 * (count + 1) > slots.count { grow() }
        let h = Self.hash(key)
        let mask = slots.count - 1
        var k = Int(truncatingIfNeeded: h) & mask
        let found: Int? = slots.withUnsafeBufferPointer { slots in
            while slots[k].offset != 0 {
                if slots[k].hash == h && equals(slots[k], key) { return slots[k].value }
                k = (k + 1) & mask
            }
            return nil
        }
        if let found { return found }
        precondition(store.count + key.count < Int(UInt32.max), "keys up to 4 GB")
        slots[k] = Slot(hash: h, offset: UInt32(store.count + 1), length: UInt32(key.count), value: value)
        store.append(contentsOf: key)
        count += 1
        return nil
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        slots.withUnsafeMutableBufferPointer { slots in
            for slot in old where slot.offset != 0 {
                var k = Int(truncatingIfNeeded: slot.hash) & mask
                while slots[k].offset != 0 { k = (k + 1) & mask }
                slots[k] = slot
            }
        }
    }
}

/// Finds the first row with a given id among rows whose ids are kept
/// elsewhere (a table's id bytes): each slot holds the high 32 bits of the
/// id's hash, which also place it, and the row: 8 bytes. An id's bytes are
/// compared only when those bits agree. Open addressing with linear
/// probing, at most half full.
///
/// Complexity: O(id length) expected per lookup; 8 to 32 bytes per id.
struct RowKeyIndex {
    /// (hash >> 32) << 32 | (row + 1); 0 = empty.
    private var slots: [UInt64]
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
    }

    /// FNV-1a over the bytes, mixed: ids that differ only in their last
    /// bytes (`R0000001`, `R0000002`) land near each other, so that a file's
    /// ids in order are looked up with few cache misses (measured slower
    /// with `ByteKeyTable`'s hash, which scatters them, and again with
    /// SplitMix64's finalising multiply: 4–5 ms slower in each of two parts
    /// of 100,000 ids, although linear probing then walks 0.75 slots per new
    /// id on average instead of 5.1 and takes 8% fewer instructions).
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h ^ (h >> 29)
    }

    /// The row already indexed with id `key`, if any; `idOf(row)` gives a
    /// row's id bytes.
    func row(of key: UnsafeBufferPointer<UInt8>, idOf: (Int) -> UnsafeBufferPointer<UInt8>) -> Int? {
        let tag = Self.hash(key) >> 32
        return slots.withUnsafeBufferPointer { Self.walk($0, tag: tag, key: key, idOf: idOf).row }
    }

    /// The row already indexed with id `key`, or nil after indexing `row`
    /// under it (one hash and one walk of the slots for both).
    mutating func row(of key: UnsafeBufferPointer<UInt8>, insertingRow row: Int, idOf: (Int) -> UnsafeBufferPointer<UInt8>) -> Int? {
        precondition(row < Int(UInt32.max) - 1, "fewer than 2³² rows")
        // Room first, so that the empty slot the walk ends at is where the id goes.
        if 2 * (count + 1) > slots.count { grow() }
        let tag = Self.hash(key) >> 32
        let found: Int? = slots.withUnsafeMutableBufferPointer { slots in
            let walked = Self.walk(UnsafeBufferPointer(slots), tag: tag, key: key, idOf: idOf)
            if walked.row == nil { slots[walked.empty] = tag << 32 | UInt64(row + 1) }
            return walked.row
        }
        if found == nil { count += 1 }
        return found
    }

    /// From the place of the hash bits `tag`: the row whose id is `key`,
    /// or nil and the empty slot where the walk ended.
    @inline(__always)
    private static func walk(_ slots: UnsafeBufferPointer<UInt64>, tag: UInt64, key: UnsafeBufferPointer<UInt8>,
                             idOf: (Int) -> UnsafeBufferPointer<UInt8>) -> (row: Int?, empty: Int) {
        let mask = slots.count - 1
        var k = Int(truncatingIfNeeded: tag) & mask
        while slots[k] != 0 {
            if slots[k] >> 32 == tag {
                let row = Int(slots[k] & 0xFFFF_FFFF) - 1
                if idOf(row).elementsEqual(key) { return (row, k) }
            }
            k = (k + 1) & mask
        }
        return (nil, k)
    }

    private mutating func grow() {
        // A slot's place follows from the 32 hash bits it keeps.
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        slots.withUnsafeMutableBufferPointer { slots in
            for slot in old where slot != 0 {
                var k = Int(truncatingIfNeeded: slot >> 32) & mask
                while slots[k] != 0 { k = (k + 1) & mask }
                slots[k] = slot
            }
        }
    }
}
