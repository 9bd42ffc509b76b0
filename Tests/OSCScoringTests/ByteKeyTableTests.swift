import Testing
@testable import OSCScoring

@Suite("Byte-keyed hash table")
struct ByteKeyTableTests {
    @Test("Keys keep their first value through growth, and lookups find them")
    func keepsFirstValues() {
        var table = ByteKeyTable(capacity: 4)
        let keys = (0..<5000).map { Array("R\($0 % 3000)".utf8) } + [[], [0x1F], Array("é".utf8)]
        var firstSeen: [String: Int] = [:]
        for (k, key) in keys.enumerated() {
            let existing = key.withUnsafeBufferPointer { table.value(for: $0, insertingIfAbsent: k) }
            let name = String(decoding: key, as: UTF8.self) + "#\(key.count)"
            #expect(existing == firstSeen[name])
            if firstSeen[name] == nil { firstSeen[name] = k }
        }
        #expect(table.count == firstSeen.count)
        #expect(Array("R42".utf8).withUnsafeBufferPointer { table.value(for: $0) } == 42)
        #expect(Array("R3000".utf8).withUnsafeBufferPointer { table.value(for: $0) } == nil)
    }

    @Test("Keys of eight bytes and more, and keys of zero bytes that differ only in length, are kept apart")
    func longAndZeroKeys() {
        var table = ByteKeyTable(capacity: 4)
        var keys: [[UInt8]] = (0..<20).map { [UInt8](repeating: 0, count: $0) }
        for n in 0..<2000 { keys.append(Array("authority-\(n % 7)\u{1F}school-number-\(n)".utf8)) }
        for k in 0..<64 {
            var key = [UInt8](repeating: 0, count: 17)
            key[k % 17] = UInt8(1 + k / 17)
            keys.append(key)
        }
        for (k, key) in keys.enumerated() {
            #expect(key.withUnsafeBufferPointer { table.value(for: $0, insertingIfAbsent: k) } == nil, "key \(k) is new")
        }
        for (k, key) in keys.enumerated() {
            #expect(key.withUnsafeBufferPointer { table.value(for: $0) } == k)
        }
        #expect(table.count == keys.count)
    }

    @Test("The row index finds each id's first row through growth, comparing the ids kept outside it")
    func rowIndex() {
        var index = RowKeyIndex(capacity: 2)
        // Ids as a table keeps them: bytes one after another, with their ends.
        var bytes: [UInt8] = [], ends: [Int] = []
        let ids = (0..<6000).map { "R\($0 % 3500)" } + ["é", "R1x", "x"]
        var first: [String: Int] = [:]
        for (row, id) in ids.enumerated() {
            let key = Array(id.utf8)
            let found = key.withUnsafeBufferPointer { key in
                bytes.withUnsafeBufferPointer { all in
                    index.row(of: key, insertingRow: row) { r in UnsafeBufferPointer(rebasing: all[(r == 0 ? 0 : ends[r - 1])..<ends[r]]) }
                }
            }
            #expect(found == first[id], "\(id)")
            if first[id] == nil { first[id] = row }
            bytes += key
            ends.append(bytes.count)
        }
        #expect(index.count == first.count)
        let missing = Array("R3500".utf8).withUnsafeBufferPointer { key in
            bytes.withUnsafeBufferPointer { all in index.row(of: key) { r in UnsafeBufferPointer(rebasing: all[(r == 0 ? 0 : ends[r - 1])..<ends[r]]) } }
        }
        #expect(missing == nil)
    }

    @Test("Moving a large array releases its pages and appends every byte")
    func pageRelease() {
        var source = (0..<(3 << 20) + 12345).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 12) }
        let expected = [UInt8](repeating: 7, count: 1000) + source
        var destination = [UInt8](repeating: 7, count: 1000)
        PageRelease.move(&source, appendingTo: &destination)
        #expect(source.isEmpty && destination == expected)
        var empty: [UInt8] = []
        PageRelease.move(&empty, appendingTo: &destination)
        #expect(destination == expected)
    }
}
