// A hash table keyed by byte strings, for the reader's per-row lookups
// (respondent ids, schools) without making a String or an Array per row.

/// Maps byte strings to integers. Open addressing with linear probing; keys
/// are copied into one growing byte store.
///
/// Complexity: O(key length) expected per lookup; memory O(total key bytes).
struct ByteKeyTable {
    private var store: [UInt8] = []
    /// Per slot: key offset + 1 (0 = empty), key length, value.
    private var offsets: [Int]
    private var lengths: [Int]
    private var values: [Int]
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        offsets = [Int](repeating: 0, count: size)
        lengths = offsets
        values = offsets
    }

    /// FNV-1a over the bytes.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    private func equals(_ slot: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lengths[slot] == key.count else { return false }
        let start = offsets[slot] - 1
        return store.withUnsafeBufferPointer { s in
            for k in 0..<key.count where s[start + k] != key[k] { return false }
            return true
        }
    }

    /// The value stored for `key`, if any.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Int? {
        let mask = offsets.count - 1
        var slot = Self.hash(key) & mask
        while offsets[slot] != 0 {
            if equals(slot, key) { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The value stored for `key`, or nil after storing `value` for it.
    mutating func value(for key: UnsafeBufferPointer<UInt8>, insertingIfAbsent value: Int) -> Int? {
        if 2 * (count + 1) > offsets.count { grow() }
        let mask = offsets.count - 1
        var slot = Self.hash(key) & mask
        while offsets[slot] != 0 {
            if equals(slot, key) { return values[slot] }
            slot = (slot + 1) & mask
        }
        offsets[slot] = store.count + 1
        lengths[slot] = key.count
        values[slot] = value
        store.append(contentsOf: key)
        count += 1
        return nil
    }

    private mutating func grow() {
        let old = (offsets, lengths, values)
        let size = offsets.count * 2
        offsets = [Int](repeating: 0, count: size)
        lengths = offsets
        values = offsets
        let mask = size - 1
        store.withUnsafeBufferPointer { s in
            for k in old.0.indices where old.0[k] != 0 {
                let key = UnsafeBufferPointer(rebasing: s[(old.0[k] - 1)..<(old.0[k] - 1 + old.1[k])])
                var slot = Self.hash(key) & mask
                while offsets[slot] != 0 { slot = (slot + 1) & mask }
                offsets[slot] = old.0[k]
                lengths[slot] = old.1[k]
                values[slot] = old.2[k]
            }
        }
    }
}
