import Foundation
import Testing
@testable import OSCScoring

@Suite("ZIP archives")
struct ZipArchiveTests {
    static let folder = Fixture.repositoryRoot + "/Tests/OSCScoringTests/Reference/zip"

    static func archive(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: folder + "/" + name)!)
    }

    /// (archive, member, length, SHA-256) from expected.tsv.
    static let expected: [(archive: String, member: String, length: Int, sha256: String)] = {
        let text = String(decoding: FileManager.default.contents(atPath: folder + "/expected.tsv")!, as: UTF8.self)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t").map(String.init)
            return (f[0], f[1], Int(f[2])!, f[3])
        }
    }()

    @Test("CRC-32 gives the standard check value of \"123456789\"")
    func crc32() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test("Every member of the archives Python's zipfile wrote (stored, deflated, ZIP64, data descriptors, comment) reads as written")
    func pythonArchives() throws {
        var archives = Set<String>()
        for row in Self.expected {
            let zip = try ZipArchive(bytes: Self.archive(row.archive), source: row.archive)
            let data = try zip.contents(of: row.member, limit: 1 << 20)
            #expect(data.count == row.length, "\(row.archive) \(row.member)")
            #expect(SHA256.hex(data) == row.sha256, "\(row.archive) \(row.member)")
            archives.insert(row.archive)
        }
        #expect(archives == ["stored.zip", "deflated.zip", "zip64.zip", "streamed.zip", "nosig.zip", "zip64-central.zip"])
        let deflated = try ZipArchive(bytes: Self.archive("deflated.zip"), source: "deflated.zip")
        #expect(deflated.entries.map(\.name) == ["a.txt", "dir/b.csv", "empty.bin", "café/naïve.txt", "big.txt"])
        #expect(deflated.entries.allSatisfy { $0.method == 8 })
        #expect(deflated.entry(named: "big.txt")!.uncompressedSize > 65_536)
        let streamed = try ZipArchive(bytes: Self.archive("streamed.zip"), source: "streamed.zip")
        #expect(streamed.entries.allSatisfy { $0.flags & 8 != 0 })
        let zip64 = try ZipArchive(bytes: Self.archive("zip64-central.zip"), source: "zip64-central.zip")
        #expect(zip64.entries.map(\.uncompressedSize) == [13, 3913])
        #expect(zip64.entries[1].localHeaderOffset == 74)
        #expect(try ZipArchive(bytes: Self.archive("empty.zip"), source: "empty.zip").entries.isEmpty)
    }

    @Test("An encrypted member is refused with a reason and the fix")
    func encrypted() throws {
        let zip = try ZipArchive(bytes: Self.archive("encrypted.zip"), source: "book.xlsx")
        #expect(throws: ZipError(source: "book.xlsx", member: "a.txt",
                                 reason: "the member is encrypted (the workbook is protected with a password to open it)",
                                 fix: "remove the password in Excel (File, Info, Protect Workbook, Encrypt with Password) and save it again")) {
            try zip.contents(of: "a.txt", limit: 100)
        }
        #expect(try zip.contents(of: "dir/b.csv", limit: 1 << 20).count == 3913)
    }

    @Test("A member whose data do not match its CRC-32 is refused in one sentence naming the file, member and offset")
    func crcMismatch() throws {
        var bytes = Self.archive("stored.zip")
        let zip0 = try ZipArchive(bytes: bytes, source: "book.xlsx")
        let a = zip0.entry(named: "a.txt")!
        let start = a.localHeaderOffset + 30 + 5
        bytes[start] ^= 0x20  // "hello" -> "Hello"
        let zip = try ZipArchive(bytes: bytes, source: "book.xlsx")
        let actual = CRC32.checksum(Array("Hello, world\n".utf8))
        do {
            _ = try zip.contents(of: "a.txt", limit: 100)
            Issue.record("no error")
        } catch {
            #expect(error.message == "book.xlsx, member 'a.txt' at byte \(start): the member's CRC-32 0x\(Inflate.hex(a.crc32, digits: 8)) does not match 0x\(Inflate.hex(actual, digits: 8)) of its data; the workbook is damaged or incomplete, save it again from Excel (or copy or download it again).")
        }
    }

    @Test("Files that are not ZIP archives, split archives, missing members and members over the limit are refused")
    func refusals() throws {
        #expect(throws: ZipError.self) { try ZipArchive(bytes: [], source: "x.xlsx") }
        do {
            _ = try ZipArchive(bytes: Array("respondent,school\nR1,S1\n".utf8), source: "x.xlsx")
            Issue.record("no error")
        } catch {
            #expect(error.reason == "the file is not a ZIP archive (no end of central directory record)")
            #expect(error.message.hasPrefix("x.xlsx: the file is not a ZIP archive"))
        }
        var split = Self.archive("stored.zip")
        split[split.count - 22 + 4] = 1
        do {
            _ = try ZipArchive(bytes: split, source: "x.xlsx")
            Issue.record("no error")
        } catch {
            #expect(error.reason == "the archive is split over several disks, which is not supported")
        }
        let zip = try ZipArchive(bytes: Self.archive("deflated.zip"), source: "x.xlsx")
        #expect(throws: ZipError(source: "x.xlsx", reason: "the archive has no member 'xl/workbook.xml'")) {
            try zip.contents(of: "xl/workbook.xml", limit: 100)
        }
        do {
            _ = try zip.contents(of: "big.txt", limit: 1000)
            Issue.record("no error")
        } catch {
            #expect(error.reason.hasSuffix("bytes once decompressed, more than the limit of 1000 bytes"))
        }
        // A central directory offset beyond the file.
        var far = Self.archive("stored.zip")
        far[far.count - 22 + 16] = 0xFF; far[far.count - 22 + 19] = 0x7F
        #expect(throws: ZipError.self) { try ZipArchive(bytes: far, source: "x.xlsx") }
    }

    @Test("A local header that disagrees with the central directory is refused")
    func localHeaderMismatch() throws {
        var bytes = Self.archive("stored.zip")
        let entry = try ZipArchive(bytes: bytes, source: "x").entry(named: "a.txt")!
        bytes[entry.localHeaderOffset + 30] = UInt8(ascii: "b")  // the local name
        let zip = try ZipArchive(bytes: bytes, source: "x.xlsx")
        #expect(throws: ZipError(source: "x.xlsx", offset: entry.localHeaderOffset, member: "a.txt", reason: "the local header names the member 'b.txt'")) {
            try zip.contents(of: "a.txt", limit: 100)
        }
    }

    @Test("Every truncation of an archive is an error, never a crash")
    func everyTruncation() {
        for name in ["stored.zip", "zip64-central.zip", "nosig.zip", "zip64.zip"] {
            let bytes = Self.archive(name)
            for length in 0..<bytes.count {
                let cut = Array(bytes[0..<length])
                #expect(throws: ZipError.self, "\(name) cut to \(length) bytes") {
                    let zip = try ZipArchive(bytes: cut, source: name)
                    for entry in zip.entries { _ = try zip.contents(of: entry, limit: 1 << 20) }
                }
            }
        }
    }

    @Test("Any byte of an archive changed gives an error or the members as written, never a crash")
    func everyByteChanged() throws {
        for name in ["zip64-central.zip", "nosig.zip", "zip64.zip"] {
            let original = Self.archive(name)
            let rows = Self.expected.filter { $0.archive == name }
            for i in 0..<original.count {
                for value: UInt8 in [0xFF, original[i] ^ 0x01] {
                    var bytes = original
                    bytes[i] = value
                    guard let zip = try? ZipArchive(bytes: bytes, source: name) else { continue }
                    for entry in zip.entries {
                        guard let data = try? zip.contents(of: entry, limit: 1 << 20) else { continue }
                        if let row = rows.first(where: { $0.member == entry.name }) {
                            #expect(SHA256.hex(data) == row.sha256, "\(name) byte \(i) = \(value), \(entry.name)")
                        }
                    }
                }
            }
        }
    }
}
