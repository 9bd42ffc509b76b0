// A reader of ZIP archives held in memory (PKWARE's APPNOTE.TXT 6.3), for
// `.xlsx` workbooks: the central directory, stored and deflated members,
// data descriptors and ZIP64 sizes. Every length and offset read from the
// file is checked against the file's size before it is used.

/// The CRC-32 of ZIP, gzip and PNG (ISO 3309, polynomial 0xEDB88320
/// reflected), as APPNOTE 4.4.7 uses it for each member.
package enum CRC32 {
    /// Byte-at-a-time tables for slicing by 4.
    static let tables: [[UInt32]] = {
        var first = [UInt32](repeating: 0, count: 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            first[n] = c
        }
        var tables = [first]
        for k in 1..<4 {
            var t = [UInt32](repeating: 0, count: 256)
            for n in 0..<256 { t[n] = (tables[k - 1][n] >> 8) ^ first[Int(tables[k - 1][n] & 0xFF)] }
            tables.append(t)
        }
        return tables
    }()

    /// The CRC-32 of `bytes` (0 for no bytes).
    package static func checksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let t0 = tables[0], t1 = tables[1], t2 = tables[2], t3 = tables[3]
        var c: UInt32 = 0xFFFF_FFFF
        var i = 0
        let n = bytes.count
        while i + 4 <= n {
            c ^= UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            c = t3[Int(c & 0xFF)] ^ t2[Int((c >> 8) & 0xFF)] ^ t1[Int((c >> 16) & 0xFF)] ^ t0[Int(c >> 24)]
            i += 4
        }
        while i < n {
            c = t0[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
            i += 1
        }
        return ~c
    }

    /// The CRC-32 of an array of bytes.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0) }
    }
}

/// A ZIP archive that cannot be read, or a member that cannot be taken
/// from it: the file, where, what is wrong and what to do.
package struct ZipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as the user named it.
    package var source: String
    /// The byte offset in the file of the damaged structure, if known.
    package var offset: Int?
    /// The member concerned, if any.
    package var member: String?
    /// What is wrong, as a clause ("the member's CRC-32 0x… does not match
    /// 0x… of its data").
    package var reason: String
    /// What the user can do about it, as a clause.
    package var fix: String

    /// The fix for damage: the usual cause is a partial download or copy.
    package static let damaged = "the workbook is damaged or incomplete, save it again from Excel (or copy or download it again)"

    /// An error in `source`.
    package init(source: String, offset: Int? = nil, member: String? = nil, reason: String, fix: String = ZipError.damaged) {
        self.source = source
        self.offset = offset
        self.member = member
        self.reason = reason
        self.fix = fix
    }

    /// One sentence: "book.xlsx, member 'xl/workbook.xml' at byte 1,234:
    /// the member's CRC-32 … does not match …; the workbook is damaged …".
    package var message: String {
        var place = source
        if let member { place += ", member '\(member)'" }
        if let offset { place += " at byte \(offset)" }
        return "\(place): \(reason); \(fix)."
    }

    /// The message.
    package var description: String { message }
}

/// One member of a ZIP archive, as its central directory entry describes it
/// (ZIP64 sizes and offsets already applied).
package struct ZipEntry: Sendable, Equatable {
    /// The member's path in the archive (UTF-8; names without the UTF-8 flag
    /// are read as UTF-8 too, which covers the ASCII names of Office files).
    package var name: String
    /// The compression method: 0 stored, 8 deflated (others are listed but
    /// cannot be read).
    package var method: Int
    /// The general purpose bit flags (bit 0 encrypted, bit 3 data
    /// descriptor, bit 11 UTF-8 name).
    package var flags: Int
    /// Bytes of the member's data in the archive.
    package var compressedSize: Int
    /// Bytes of the member once decompressed.
    package var uncompressedSize: Int
    /// The CRC-32 of the decompressed data.
    package var crc32: UInt32
    /// Where the member's local file header starts.
    package var localHeaderOffset: Int
}

/// A ZIP archive read from bytes in memory (PKWARE APPNOTE.TXT 6.3).
///
/// `init` finds the end of central directory record by a backwards scan
/// over at most the largest comment (65,535 bytes), follows the ZIP64 end
/// record through its locator when there is one, and reads every central
/// directory entry, with ZIP64 extra fields for sizes and offsets that do
/// not fit 32 bits. `contents(of:limit:)` reads a stored or deflated member
/// after checking its local header against the central entry, with or
/// without a data descriptor (signed or not), and checks its CRC-32.
/// Encrypted members and archives split over several disks are refused
/// with a reason. Every length and offset is checked against the file's
/// size before it is used, so damaged or crafted archives give a `ZipError`,
/// never a trap or an allocation beyond the file's size or the limit.
///
/// Validated against archives written by CPython's `zipfile` (stored,
/// deflated, `force_zip64`, written to a non-seekable stream, with a
/// comment) and hand-made ones (unsigned data descriptors, ZIP64 central
/// directory fields), and every truncation of a small archive
/// (`Tests/OSCScoringTests/Reference/zip/`).
package struct ZipArchive: Sendable {
    /// The file, as the user named it (for messages).
    package let source: String
    /// The members, in central directory order.
    package let entries: [ZipEntry]
    let bytes: [UInt8]

    /// The most members read from one archive (an `.xlsx` has a few dozen).
    package static let maximumEntries = 100_000

    /// Reads the central directory of the archive in `bytes`.
    package init(bytes: [UInt8], source: String) throws(ZipError) {
        self.bytes = bytes
        self.source = source
        let n = bytes.count
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
        func error(_ offset: Int?, _ reason: String, fix: String = ZipError.damaged) -> ZipError {
            ZipError(source: source, offset: offset, reason: reason, fix: fix)
        }
        let notZip = "an Excel workbook (.xlsx) is a ZIP archive: save the file again from Excel as 'Excel Workbook (.xlsx)', or give a CSV file"

        // End of central directory record (APPNOTE 4.3.16): 22 bytes and a
        // comment of up to 65,535 bytes, so it starts in the last 65,557.
        guard n >= 22 else {
            throw error(nil, n == 0 ? "the file is empty, not a ZIP archive" : "the file is \(n) bytes, too short for a ZIP archive", fix: notZip)
        }
        var eocd = -1
        var at = n - 22
        let lowest = max(0, n - 22 - 65_535)
        while at >= lowest {
            if bytes[at] == 0x50 && bytes[at + 1] == 0x4B && bytes[at + 2] == 5 && bytes[at + 3] == 6 && at + 22 + u16(at + 20) <= n {
                eocd = at
                break
            }
            at -= 1
        }
        guard eocd >= 0 else {
            let local = bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 3 && bytes[3] == 4
            throw error(nil, local
                ? "the end of central directory record is missing (the archive is cut short)"
                : "the file is not a ZIP archive (no end of central directory record)", fix: local ? ZipError.damaged : notZip)
        }
        var disk = u16(eocd + 4), directoryDisk = u16(eocd + 6)
        var entriesOnDisk = u16(eocd + 8), total = u16(eocd + 10)
        var directorySize = u32(eocd + 12), directoryOffset = u32(eocd + 16)

        // ZIP64 end of central directory locator (4.3.15), just before.
        if eocd >= 20 && u32(eocd - 20) == 0x0706_4B50 {
            let locator = eocd - 20
            let recordOffset = u64(locator + 8)
            guard u32(locator + 4) == 0, u32(locator + 16) <= 1 else {
                throw error(locator, "the archive is split over several disks, which is not supported", fix: "join the parts into one file, or save the workbook again from Excel")
            }
            guard locator >= 56, recordOffset <= UInt64(locator - 56) else {
                throw error(locator, "the ZIP64 end of central directory locator points to byte \(recordOffset), outside the file")
            }
            let record = Int(recordOffset)
            guard u32(record) == 0x0606_4B50 else {
                throw error(record, "the ZIP64 end of central directory record is missing where its locator points")
            }
            disk = u32(record + 16)
            directoryDisk = u32(record + 20)
            let onDisk = u64(record + 24), all = u64(record + 32), size = u64(record + 40), offset = u64(record + 48)
            guard onDisk <= UInt64(n), all <= UInt64(n), size <= UInt64(n), offset <= UInt64(n) else {
                throw error(record, "the ZIP64 end of central directory record gives sizes beyond the file's \(n) bytes")
            }
            entriesOnDisk = Int(onDisk)
            total = Int(all)
            directorySize = Int(size)
            directoryOffset = Int(offset)
        }
        guard disk == 0, directoryDisk == 0, entriesOnDisk == total else {
            throw error(eocd, "the archive is split over several disks, which is not supported", fix: "join the parts into one file, or save the workbook again from Excel")
        }
        guard directoryOffset <= n, directorySize <= n - directoryOffset, directoryOffset + directorySize <= eocd else {
            throw error(eocd, "the central directory (\(directorySize) bytes at byte \(directoryOffset)) lies outside the file's \(n) bytes")
        }
        guard total <= Self.maximumEntries else {
            throw error(eocd, "the archive declares \(total) members, more than the \(Self.maximumEntries) read")
        }

        // Central directory entries (4.3.12).
        var entries: [ZipEntry] = []
        entries.reserveCapacity(min(total, directorySize / 46))
        var p = directoryOffset
        let end = directoryOffset + directorySize
        for index in 0..<total {
            guard p + 46 <= end else {
                throw error(p, "the central directory ends after \(index) of its \(total) members")
            }
            guard u32(p) == 0x0201_4B50 else {
                throw error(p, "central directory entry \(index + 1) has no signature (PK\\1\\2)")
            }
            let flags = u16(p + 8), method = u16(p + 10)
            let crc = UInt32(truncatingIfNeeded: u32(p + 16))
            var compressed = u32(p + 20), uncompressed = u32(p + 24)
            let nameLength = u16(p + 28), extraLength = u16(p + 30), commentLength = u16(p + 32)
            var startDisk = u16(p + 34)
            var localOffset = u32(p + 42)
            let variable = nameLength + extraLength + commentLength
            guard p + 46 + variable <= end else {
                throw error(p, "central directory entry \(index + 1) runs past the end of the central directory")
            }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // ZIP64 extended information (4.5.3): the 8-byte values of the
            // fields that hold 0xFFFFFFFF (0xFFFF for the disk), in order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = u16(e), size = u16(e + 2)
                guard e + 4 + size <= extraEnd else {
                    throw ZipError(source: source, offset: e, member: name, reason: "an extra field of the central directory entry runs past its end")
                }
                if id == 1 {
                    var q = e + 4
                    func next() throws(ZipError) -> Int {
                        guard q + 8 <= e + 4 + size else {
                            throw ZipError(source: source, offset: e, member: name, reason: "the ZIP64 extra field is too short for the sizes it must hold")
                        }
                        let v = u64(q)
                        q += 8
                        guard v <= UInt64(Int.max) else {
                            throw ZipError(source: source, offset: e, member: name, reason: "the ZIP64 extra field gives a size of \(v) bytes")
                        }
                        return Int(v)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                    if compressed == 0xFFFF_FFFF { compressed = try next() }
                    if localOffset == 0xFFFF_FFFF { localOffset = try next() }
                    if startDisk == 0xFFFF {
                        guard q + 4 <= e + 4 + size else {
                            throw ZipError(source: source, offset: e, member: name, reason: "the ZIP64 extra field is too short for the disk number it must hold")
                        }
                        startDisk = u32(q)
                    }
                }
                e += 4 + size
            }
            guard startDisk == 0 else {
                throw ZipError(source: source, offset: p, member: name, reason: "the member starts on disk \(startDisk + 1): the archive is split over several disks, which is not supported",
                               fix: "join the parts into one file, or save the workbook again from Excel")
            }
            guard localOffset < n, compressed <= n else {
                throw ZipError(source: source, offset: p, member: name, reason: "the central directory puts the member (\(compressed) bytes at byte \(localOffset)) outside the file's \(n) bytes")
            }
            entries.append(ZipEntry(name: name, method: method, flags: flags, compressedSize: compressed,
                                    uncompressedSize: uncompressed, crc32: crc, localHeaderOffset: localOffset))
            p += 46 + variable
        }
        self.entries = entries
    }

    /// The entry named `name` (the first, if the archive holds it twice).
    package func entry(named name: String) -> ZipEntry? {
        entries.first { $0.name == name }
    }

    /// The decompressed contents of member `name`.
    ///
    /// - Parameter limit: the most bytes accepted once decompressed; a
    ///   member whose declared size is larger is refused before anything is
    ///   decompressed, and the decoder never writes past the declared size.
    /// - Throws: `ZipError` for a missing, encrypted, damaged or too large
    ///   member, an unsupported compression method, or a CRC-32 that does
    ///   not match.
    package func contents(of name: String, limit: Int) throws(ZipError) -> [UInt8] {
        guard let entry = entry(named: name) else {
            throw ZipError(source: source, reason: "the archive has no member '\(name)'")
        }
        return try contents(of: entry, limit: limit)
    }

    /// The decompressed contents of `entry` (one of `entries`); see
    /// `contents(of:limit:)`.
    package func contents(of entry: ZipEntry, limit: Int) throws(ZipError) -> [UInt8] {
        let n = bytes.count
        let name = entry.name
        func error(_ offset: Int?, _ reason: String, fix: String = ZipError.damaged) -> ZipError {
            ZipError(source: source, offset: offset, member: name, reason: reason, fix: fix)
        }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        if entry.flags & 1 != 0 || entry.method == 99 {
            throw error(nil, "the member is encrypted (the workbook is protected with a password to open it)",
                        fix: "remove the password in Excel (File, Info, Protect Workbook, Encrypt with Password) and save it again")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw error(nil, "the member uses compression method \(entry.method); only stored (0) and deflated (8) members can be read",
                        fix: "save the workbook again from Excel, which writes deflated members")
        }
        guard entry.uncompressedSize <= limit else {
            throw error(nil, "the member is \(entry.uncompressedSize) bytes once decompressed, more than the limit of \(limit) bytes",
                        fix: "split the data into smaller workbooks, or export it as CSV")
        }
        // Local file header (4.3.7), checked against the central entry.
        let h = entry.localHeaderOffset
        guard h <= n - 30 else {
            throw error(h, "the member's local header lies past the end of the file (\(n) bytes)")
        }
        guard u32(h) == 0x0403_4B50 else {
            throw error(h, "there is no local header (PK\\3\\4) where the central directory puts the member")
        }
        let localFlags = u16(h + 6), localMethod = u16(h + 8)
        let localCRC = UInt32(truncatingIfNeeded: u32(h + 14))
        let localCompressed = u32(h + 18), localUncompressed = u32(h + 22)
        let nameLength = u16(h + 26), extraLength = u16(h + 28)
        let start = h + 30 + nameLength + extraLength
        guard start <= n else {
            throw error(h, "the member's local header runs past the end of the file")
        }
        let localName = String(decoding: bytes[(h + 30)..<(h + 30 + nameLength)], as: UTF8.self)
        guard localName == name else {
            throw error(h, "the local header names the member '\(localName)'")
        }
        guard localMethod == entry.method else {
            throw error(h, "the local header gives compression method \(localMethod), the central directory \(entry.method)")
        }
        if localFlags & 1 != 0 {
            throw error(nil, "the member is encrypted (the workbook is protected with a password to open it)",
                        fix: "remove the password in Excel (File, Info, Protect Workbook, Encrypt with Password) and save it again")
        }
        if localFlags & 8 == 0 {
            // Sizes in the local header; 0xFFFFFFFF means they are in its
            // ZIP64 extra field (the central entry has them already).
            guard localCRC == entry.crc32,
                  localCompressed == 0xFFFF_FFFF || localCompressed == entry.compressedSize,
                  localUncompressed == 0xFFFF_FFFF || localUncompressed == entry.uncompressedSize else {
                throw error(h, "the local header (CRC-32 0x\(Inflate.hex(localCRC, digits: 8)), \(localCompressed) bytes) disagrees with the central directory (0x\(Inflate.hex(entry.crc32, digits: 8)), \(entry.compressedSize) bytes)")
            }
        }
        guard entry.compressedSize <= n - start else {
            throw error(start, "the member's \(entry.compressedSize) bytes of data run past the end of the file (\(n - start) bytes left)")
        }
        let dataEnd = start + entry.compressedSize
        if localFlags & 8 != 0 {
            // Data descriptor (4.3.9): an optional signature, the CRC-32,
            // then the sizes in 4 or (ZIP64) 8 bytes each.
            var d = dataEnd
            if d + 4 <= n && u32(d) == 0x0807_4B50 { d += 4 }
            guard d + 12 <= n else {
                throw error(dataEnd, "the member's data descriptor is missing (the archive is cut short)")
            }
            let crc = UInt32(truncatingIfNeeded: u32(d))
            guard crc == entry.crc32 else {
                throw error(d, "the data descriptor's CRC-32 0x\(Inflate.hex(crc, digits: 8)) disagrees with the central directory's 0x\(Inflate.hex(entry.crc32, digits: 8))")
            }
        }
        let data: [UInt8]
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw error(h, "the stored member is \(entry.compressedSize) bytes in the archive but declares \(entry.uncompressedSize)")
            }
            data = Array(bytes[start..<dataEnd])
        } else {
            let result: Result<(output: [UInt8], consumed: Int), InflateError> = bytes.withUnsafeBufferPointer { all in
                do throws(InflateError) {
                    return .success(try Inflate.raw(UnsafeBufferPointer(rebasing: all[start..<dataEnd]), outputLimit: entry.uncompressedSize))
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .failure(let e):
                throw error(start + e.offset, "the compressed data are damaged: \(e.reason)")
            case .success(let (output, consumed)):
                guard output.count == entry.uncompressedSize else {
                    throw error(start, "the member decompresses to \(output.count) bytes, not the \(entry.uncompressedSize) it declares")
                }
                guard consumed == entry.compressedSize else {
                    throw error(start + consumed, "the compressed data end after \(consumed) of the member's \(entry.compressedSize) bytes")
                }
                data = output
            }
        }
        let crc = CRC32.checksum(data)
        guard crc == entry.crc32 else {
            throw error(start, "the member's CRC-32 0x\(Inflate.hex(entry.crc32, digits: 8)) does not match 0x\(Inflate.hex(crc, digits: 8)) of its data")
        }
        return data
    }
}
