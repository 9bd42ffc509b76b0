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
}
