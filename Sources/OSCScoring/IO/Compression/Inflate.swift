// DEFLATE (RFC 1951) and the zlib format around it (RFC 1950), decoded here
// so that the package needs no system zlib: `.zsav` files hold zlib streams
// and `.xlsx` workbooks are ZIP archives of raw DEFLATE members.
//
// The decoder is table-driven: every Huffman code is looked up in a table
// indexed by the next 10 (literal/length) or 8 (distance) bits of input,
// with a second-level table for the longer codes, and the entries carry the
// base value and extra-bit count of length and distance codes, so that one
// lookup decodes a symbol. Bits are read 64 at a time from the input; the
// whole output is kept, so a match copies from the output itself (the
// "window" is everything written so far).
//
// Speed: see the doc comment of `Inflate` and Benchmarks/README.md.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A DEFLATE or zlib stream that cannot be decoded: where and why.
///
/// `reason` is a clause that completes "the compressed data is damaged: …",
/// for example "invalid distance 40000 beyond the 1024 bytes written so
/// far", "stream ends inside a block" or "Adler-32 checksum 0x0A1B2C3D does
/// not match 0x0A1B2C3E"; the caller adds the file and member.
package struct InflateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset in the input (from its first byte, the zlib header
    /// included) at or just after the damage.
    package var offset: Int
    /// What is wrong, as a lowercase clause without a final full stop.
    package var reason: String

    /// An error at `offset` for `reason`.
    package init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// The reason and the offset, for messages and test failures.
    package var description: String { "\(reason) (at byte \(offset))" }
}

/// Decoders of DEFLATE data (RFC 1951) in raw form and in the zlib format
/// (RFC 1950).
///
/// Both read stored (RFC 1951 §3.2.4), fixed-Huffman (§3.2.6) and
/// dynamic-Huffman (§3.2.7) blocks and stop after the block marked final;
/// bytes after the stream are not read, and `consumed` says where it ended
/// (a caller that expects the stream to fill its input compares `consumed`
/// with the input's length, as `ZipArchive` does). `outputLimit` is
/// mandatory: a stream that would decode to more bytes is refused when it
/// gets there, so a crafted stream cannot make the decoder allocate without
/// bound (memory grows with the output actually written, up to the limit).
///
/// Every malformed stream throws `InflateError`, never traps or loops:
/// over-subscribed or incomplete code sets (an incomplete set is accepted
/// only for a single code of length 1, as zlib does), more than 286
/// literal/length or 30 distance codes, code length repeats without a
/// previous length or past the end, a missing end-of-block code, codes
/// 286 and 287 or distance codes 30 and 31 in a fixed block, distances
/// beyond the bytes written so far, a stored block whose LEN and NLEN
/// disagree, the reserved block type 3 and a stream that ends early.
///
/// Validated against CPython's `zlib` module (zlib 1.2.13): random and
/// structured data compressed at every level 0–9 with every strategy and
/// several `memLevel`/`wbits` settings, and corrupt streams
/// (`Tests/OSCScoringTests/Reference/deflate/`).
///
/// Speed (`-O`, measured in CPU time on the shared 2-core development
/// machine, 2026-12-01): 196 MB/s of output for a 13.9 MB responses CSV and
/// 270 MB/s for 35.5 MB of text, both compressed at level 6, Adler-32
/// included; CPython's zlib 1.2.13 (C) did 334 and 244 MB/s on the same
/// streams (Benchmarks/README.md).
package enum Inflate {
    /// Decodes raw DEFLATE data (no zlib header or checksum), as in ZIP
    /// members, from the start of `input`.
    ///
    /// - Returns: the decoded bytes and the number of input bytes the
    ///   stream occupies (its last byte is counted whole).
    /// - Throws: `InflateError` for malformed or truncated data, or output
    ///   beyond `outputLimit` bytes.
    package static func raw(_ input: UnsafeBufferPointer<UInt8>, outputLimit: Int) throws(InflateError) -> (output: [UInt8], consumed: Int) {
        var decoder = InflateDecoder(input: input, limit: max(0, outputLimit))
        defer { decoder.release() }
        try decoder.run()
        return (decoder.output(), decoder.consumed)
    }

    /// Decodes raw DEFLATE data held in an array; see
    /// `raw(_:outputLimit:)` for the buffer form.
    package static func raw(_ input: [UInt8], outputLimit: Int) throws(InflateError) -> (output: [UInt8], consumed: Int) {
        let result: Result<(output: [UInt8], consumed: Int), InflateError> = input.withUnsafeBufferPointer { buffer in
            do throws(InflateError) {
                return .success(try raw(buffer, outputLimit: outputLimit))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Decodes a zlib stream (RFC 1950): the two-byte header (CMF, FLG;
    /// compression method 8, a window of at most 32 KiB, the FCHECK bits),
    /// the DEFLATE data and the Adler-32 checksum of the output, which must
    /// match. A preset dictionary (FDICT) is refused: no format read here
    /// uses one.
    ///
    /// - Returns: the decoded bytes and the number of input bytes the
    ///   stream occupies, header and checksum included.
    /// - Throws: `InflateError` for a bad header, malformed or truncated
    ///   data, a checksum that does not match, or output beyond
    ///   `outputLimit` bytes.
    package static func zlib(_ input: UnsafeBufferPointer<UInt8>, outputLimit: Int) throws(InflateError) -> (output: [UInt8], consumed: Int) {
        guard input.count >= 2 else {
            throw InflateError(offset: input.count, reason: input.isEmpty ? "the zlib stream is empty" : "stream ends inside the zlib header")
        }
        let cmf = Int(input[0]), flg = Int(input[1])
        guard cmf & 0x0F == 8 else {
            throw InflateError(offset: 0, reason: "compression method \(cmf & 0x0F) is not DEFLATE (8), so this is not a zlib stream")
        }
        guard cmf >> 4 <= 7 else {
            throw InflateError(offset: 0, reason: "window size field \(cmf >> 4) is above the largest allowed (7, a 32 KiB window)")
        }
        guard (cmf * 256 + flg) % 31 == 0 else {
            throw InflateError(offset: 1, reason: "header check bits are wrong (CMF 0x\(hex(UInt32(cmf), digits: 2)), FLG 0x\(hex(UInt32(flg), digits: 2)) is not a multiple of 31)")
        }
        guard flg & 0x20 == 0 else {
            throw InflateError(offset: 1, reason: "the stream needs a preset dictionary (FDICT), which is not supported")
        }
        let body = UnsafeBufferPointer(rebasing: input[2...])
        let decoded: (output: [UInt8], consumed: Int)
        do throws(InflateError) {
            decoded = try raw(body, outputLimit: outputLimit)
        } catch {
            throw InflateError(offset: error.offset + 2, reason: error.reason)
        }
        let end = 2 + decoded.consumed
        guard end + 4 <= input.count else {
            throw InflateError(offset: input.count, reason: "stream ends inside the Adler-32 checksum")
        }
        let stored = UInt32(input[end]) << 24 | UInt32(input[end + 1]) << 16 | UInt32(input[end + 2]) << 8 | UInt32(input[end + 3])
        let computed = decoded.output.withUnsafeBufferPointer { adler32($0) }
        guard stored == computed else {
            throw InflateError(offset: end, reason: "Adler-32 checksum 0x\(hex(stored, digits: 8)) does not match 0x\(hex(computed, digits: 8)) of the decoded data")
        }
        return (decoded.output, end + 4)
    }

    /// Decodes a zlib stream held in an array; see `zlib(_:outputLimit:)`
    /// for the buffer form.
    package static func zlib(_ input: [UInt8], outputLimit: Int) throws(InflateError) -> (output: [UInt8], consumed: Int) {
        let result: Result<(output: [UInt8], consumed: Int), InflateError> = input.withUnsafeBufferPointer { buffer in
            do throws(InflateError) {
                return .success(try zlib(buffer, outputLimit: outputLimit))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The Adler-32 checksum of `bytes` (RFC 1950 §8.2), starting from 1.
    package static func adler32(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var i = 0
        let n = bytes.count
        guard let p = bytes.baseAddress else { return 1 }
        while i < n {
            // 5552 is the most bytes before b can pass 2^32 (zlib's NMAX).
            let end = min(n, i + 5552)
            while i + 4 <= end {
                a &+= UInt32(p[i]); b &+= a
                a &+= UInt32(p[i + 1]); b &+= a
                a &+= UInt32(p[i + 2]); b &+= a
                a &+= UInt32(p[i + 3]); b &+= a
                i += 4
            }
            while i < end { a &+= UInt32(p[i]); b &+= a; i += 1 }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

// MARK: - Huffman tables

/// Table entries (UInt32): bits 0–4 the bits to consume, bits 5–7 the kind,
/// bits 8–11 the extra bits (or a subtable's index bits), bits 16–31 the
/// value (a literal byte, a base length or distance, a subtable offset, or
/// the symbol of an invalid code, 0xFFFF for a code no symbol has).
private enum Entry {
    static let literal: UInt32 = 0 << 5
    static let base: UInt32 = 1 << 5
    static let endOfBlock: UInt32 = 2 << 5
    static let subtable: UInt32 = 3 << 5
    static let invalid: UInt32 = 4 << 5
    static let kindMask: UInt32 = 7 << 5

    @inline(__always) static func make(kind: UInt32, bits: Int, extra: Int = 0, value: Int) -> UInt32 {
        UInt32(bits) | kind | UInt32(extra) << 8 | UInt32(value) << 16
    }
    static let unassigned: UInt32 = make(kind: invalid, bits: 0, value: 0xFFFF)
}

/// What the symbols of a table stand for.
private enum TableKind {
    case literalLength, distance, codeLength
}

private enum HuffmanTable {
    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    static let literalRootBits = 10
    static let distanceRootBits = 8
    static let codeLengthRootBits = 7

    /// The fixed literal/length code of RFC 1951 §3.2.6 (288 symbols;
    /// 286 and 287 decode to errors).
    static let fixedLiteral: [UInt32] = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return try! build(lengths, kind: .literalLength, rootBits: literalRootBits).get()
    }()

    /// The fixed distance code: 32 codes of 5 bits (30 and 31 decode to
    /// errors).
    static let fixedDistance: [UInt32] = {
        try! build([UInt8](repeating: 5, count: 32), kind: .distance, rootBits: distanceRootBits).get()
    }()

    struct Problem: Error { var reason: String }

    static func entry(symbol: Int, kind: TableKind, bits: Int) -> UInt32 {
        switch kind {
        case .codeLength:
            return Entry.make(kind: Entry.literal, bits: bits, value: symbol)
        case .literalLength:
            if symbol < 256 { return Entry.make(kind: Entry.literal, bits: bits, value: symbol) }
            if symbol == 256 { return Entry.make(kind: Entry.endOfBlock, bits: bits, value: 256) }
            if symbol <= 285 {
                return Entry.make(kind: Entry.base, bits: bits, extra: lengthExtra[symbol - 257], value: lengthBase[symbol - 257])
            }
            return Entry.make(kind: Entry.invalid, bits: bits, value: symbol)
        case .distance:
            if symbol < 30 {
                return Entry.make(kind: Entry.base, bits: bits, extra: distanceExtra[symbol], value: distanceBase[symbol])
            }
            return Entry.make(kind: Entry.invalid, bits: bits, value: symbol)
        }
    }

    /// Builds the decoding table of the canonical Huffman code with these
    /// code lengths (RFC 1951 §3.2.2), or says why the lengths do not make
    /// a code.
    static func build(_ lengths: [UInt8], kind: TableKind, rootBits: Int) -> Result<[UInt32], Problem> {
        var count = [Int](repeating: 0, count: 16)
        var maxLength = 0
        for l in lengths where l > 0 {
            count[Int(l)] += 1
            maxLength = max(maxLength, Int(l))
        }
        let what: String
        switch kind {
        case .literalLength: what = "literal/length"
        case .distance: what = "distance"
        case .codeLength: what = "code length"
        }
        var left = 1
        for length in 1...15 {
            left <<= 1
            left -= count[length]
            if left < 0 {
                return .failure(Problem(reason: "the \(what) code lengths are over-subscribed (more codes than the lengths allow)"))
            }
        }
        let rootSize = 1 << rootBits
        if maxLength == 0 {
            // No codes at all: allowed (a block of literals only has no
            // distance codes); any code read from it is an error.
            return .success([UInt32](repeating: Entry.unassigned, count: rootSize))
        }
        if left > 0 && (kind == .codeLength || maxLength != 1) {
            return .failure(Problem(reason: "the \(what) code lengths are incomplete (they leave codes unassigned)"))
        }
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + count[length - 1]) << 1
            next[length] = code
        }
        // Reversed codes (DEFLATE sends Huffman codes most significant bit
        // first into a stream read least significant bit first).
        var reversed = [Int](repeating: 0, count: lengths.count)
        for (symbol, l) in lengths.enumerated() where l > 0 {
            let length = Int(l)
            var c = next[length]
            next[length] += 1
            var r = 0
            for _ in 0..<length { r = r << 1 | c & 1; c >>= 1 }
            reversed[symbol] = r
        }
        // Subtables for codes longer than the root: index bits per prefix.
        var subBits = [Int](repeating: 0, count: maxLength > rootBits ? rootSize : 0)
        if maxLength > rootBits {
            for (symbol, l) in lengths.enumerated() where Int(l) > rootBits {
                let prefix = reversed[symbol] & (rootSize - 1)
                subBits[prefix] = max(subBits[prefix], Int(l) - rootBits)
            }
        }
        var size = rootSize
        var subOffset = [Int](repeating: 0, count: subBits.count)
        for prefix in 0..<subBits.count where subBits[prefix] > 0 {
            subOffset[prefix] = size
            size += 1 << subBits[prefix]
        }
        var table = [UInt32](repeating: Entry.unassigned, count: size)
        for prefix in 0..<subBits.count where subBits[prefix] > 0 {
            table[prefix] = Entry.make(kind: Entry.subtable, bits: rootBits, extra: subBits[prefix], value: subOffset[prefix])
        }
        for (symbol, l) in lengths.enumerated() where l > 0 {
            let length = Int(l)
            let r = reversed[symbol]
            if length <= rootBits {
                let e = entry(symbol: symbol, kind: kind, bits: length)
                var i = r
                while i < rootSize { table[i] = e; i += 1 << length }
            } else {
                let prefix = r & (rootSize - 1)
                let bits = subBits[prefix], offset = subOffset[prefix]
                let rest = length - rootBits
                let e = entry(symbol: symbol, kind: kind, bits: rest)
                var i = r >> rootBits
                while i < 1 << bits { table[offset + i] = e; i += 1 << rest }
            }
        }
        return .success(table)
    }
}

// MARK: - The decoder

/// The state of one raw DEFLATE decode: the input, the bit buffer and the
/// output buffer (grown by doubling up to the limit, with 16 bytes of slack
/// past its capacity for the 8-byte match copies).
private struct InflateDecoder {
    let input: UnsafePointer<UInt8>?
    let count: Int
    let limit: Int
    var position = 0
    var bits: UInt64 = 0
    var bitCount = 0
    /// Zero bits added past the end of the input (always the top ones of
    /// `bits`); fewer bits left than this means the stream ran out.
    var padBits = 0
    var out: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var written = 0

    static let slack = 16

    init(input: UnsafeBufferPointer<UInt8>, limit: Int) {
        self.input = input.baseAddress
        self.count = input.count
        self.limit = limit
        let initial = min(limit, max(4096, min(input.count, 1 << 26) * 4))
        capacity = initial
        out = UnsafeMutablePointer<UInt8>.allocate(capacity: initial + Self.slack)
    }

    func release() { out.deallocate() }

    func output() -> [UInt8] {
        [UInt8](UnsafeBufferPointer(start: out, count: written))
    }

    /// Input bytes the stream occupied (valid after `run`).
    var consumed: Int { position - (bitCount - padBits) / 8 }

    var offset: Int { max(0, position - max(0, bitCount - padBits) / 8) }

    /// An error at the current position; one caused by reading past the
    /// end of the input is reported as the truncation it is.
    func failure(_ reason: String) -> InflateError {
        if bitCount < padBits { return InflateError(offset: count, reason: "stream ends inside a block") }
        return InflateError(offset: offset, reason: reason)
    }

    /// Fills the bit buffer to at least 56 bits, with zero bits past the
    /// end of the input.
    @inline(__always) mutating func refill() throws(InflateError) {
        if bitCount >= 56 { return }
        if position + 8 <= count, let input {
            let word = UInt64(littleEndian: UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self))
            bits |= word << UInt64(bitCount)
            let bytes = (63 - bitCount) >> 3
            position += bytes
            bitCount += bytes << 3
        } else {
            try refillSlow()
        }
    }

    @inline(never) mutating func refillSlow() throws(InflateError) {
        if bitCount < padBits { throw InflateError(offset: count, reason: "stream ends inside a block") }
        while bitCount < 56 {
            if position < count, let input {
                bits |= UInt64(input[position]) << UInt64(bitCount)
                position += 1
            } else {
                padBits += 8
            }
            bitCount += 8
        }
    }

    @inline(__always) mutating func take(_ n: Int) -> Int {
        let value = Int(truncatingIfNeeded: bits & ((1 << UInt64(n)) - 1))
        bits >>= UInt64(n)
        bitCount -= n
        return value
    }

    /// Reads `n` (at most 32) bits, least significant first.
    mutating func read(_ n: Int) throws(InflateError) -> Int {
        if bitCount < n { try refillSlowAny() }
        let value = take(n)
        if bitCount < padBits { throw InflateError(offset: count, reason: "stream ends inside a block") }
        return value
    }

    mutating func refillSlowAny() throws(InflateError) {
        if bitCount < padBits { throw InflateError(offset: count, reason: "stream ends inside a block") }
        try refillSlow()
    }

    /// Makes room for `n` more bytes of output, or refuses output past the
    /// limit.
    @inline(__always) mutating func reserve(_ n: Int) throws(InflateError) {
        if written + n > capacity { try grow(written + n) }
    }

    @inline(never) mutating func grow(_ needed: Int) throws(InflateError) {
        guard needed <= limit else {
            throw failure("the decoded data exceed the limit of \(limit) bytes")
        }
        let newCapacity = min(limit, max(needed, capacity * 2))
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + Self.slack)
        new.update(from: out, count: written)
        out.deallocate()
        out = new
        capacity = newCapacity
    }

    mutating func run() throws(InflateError) {
        while true {
            let final = try read(1)
            let type = try read(2)
            switch type {
            case 0: try storedBlock()
            case 1:
                try HuffmanTable.fixedLiteral.withUnsafeBufferPointer { (literal) throws(InflateError) in
                    try HuffmanTable.fixedDistance.withUnsafeBufferPointer { (distance) throws(InflateError) in
                        try huffmanBlock(literal: literal.baseAddress!, distance: distance.baseAddress!)
                    }
                }
            case 2: try dynamicBlock()
            default: throw failure("block type 3 is reserved (not a valid block)")
            }
            if final == 1 { break }
        }
        if bitCount < padBits { throw InflateError(offset: count, reason: "stream ends inside a block") }
    }

    mutating func storedBlock() throws(InflateError) {
        _ = take(bitCount & 7)
        if bitCount < padBits { throw InflateError(offset: count, reason: "stream ends inside a block") }
        // Give the whole bytes in the bit buffer back to the input.
        position -= (bitCount - padBits) / 8
        bits = 0
        bitCount = 0
        padBits = 0
        guard position + 4 <= count, let input else {
            throw InflateError(offset: count, reason: "stream ends inside a stored block's length")
        }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else {
            throw InflateError(offset: position, reason: "stored block length 0x\(Inflate.hex(UInt32(length), digits: 4)) does not match its complement 0x\(Inflate.hex(UInt32(complement), digits: 4))")
        }
        position += 4
        guard position + length <= count else {
            throw InflateError(offset: count, reason: "stream ends inside a stored block (\(length) bytes declared, \(count - position) left)")
        }
        try reserve(length)
        (out + written).update(from: input + position, count: length)
        written += length
        position += length
    }

    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    mutating func dynamicBlock() throws(InflateError) {
        let literalCount = try read(5) + 257
        let distanceCount = try read(5) + 1
        let codeLengthCount = try read(4) + 4
        guard literalCount <= 286 else { throw failure("the block declares \(literalCount) literal/length codes (at most 286)") }
        guard distanceCount <= 30 else { throw failure("the block declares \(distanceCount) distance codes (at most 30)") }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount {
            codeLengthLengths[Self.codeLengthOrder[i]] = UInt8(try read(3))
        }
        let codeLengthTable: [UInt32]
        switch HuffmanTable.build(codeLengthLengths, kind: .codeLength, rootBits: HuffmanTable.codeLengthRootBits) {
        case .success(let t): codeLengthTable = t
        case .failure(let p): throw failure(p.reason)
        }
        let total = literalCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var i = 0
        while i < total {
            if bitCount < 7 + 7 { try refillSlowAny() }
            let e = codeLengthTable[Int(truncatingIfNeeded: bits & 0x7F)]
            if e & Entry.kindMask != Entry.literal { throw failure("invalid code in the code lengths") }
            _ = take(Int(e & 31))
            let symbol = Int(e >> 16)
            if symbol < 16 {
                lengths[i] = UInt8(symbol)
                i += 1
                continue
            }
            var value: UInt8 = 0
            let repeatCount: Int
            switch symbol {
            case 16:
                guard i > 0 else { throw failure("a code length repeat (16) comes before any length") }
                value = lengths[i - 1]
                repeatCount = 3 + take(2)
            case 17: repeatCount = 3 + take(3)
            default: repeatCount = 11 + take(7)
            }
            if bitCount < padBits { throw InflateError(offset: count, reason: "stream ends inside a block") }
            guard i + repeatCount <= total else {
                throw failure("code length repeats run past the \(total) lengths the block declares")
            }
            for j in i..<(i + repeatCount) { lengths[j] = value }
            i += repeatCount
        }
        if bitCount < padBits { throw InflateError(offset: count, reason: "stream ends inside a block") }
        guard lengths[256] != 0 else { throw failure("the block has no end-of-block code") }
        let literal: [UInt32], distance: [UInt32]
        switch HuffmanTable.build(Array(lengths[0..<literalCount]), kind: .literalLength, rootBits: HuffmanTable.literalRootBits) {
        case .success(let t): literal = t
        case .failure(let p): throw failure(p.reason)
        }
        switch HuffmanTable.build(Array(lengths[literalCount...]), kind: .distance, rootBits: HuffmanTable.distanceRootBits) {
        case .success(let t): distance = t
        case .failure(let p): throw failure(p.reason)
        }
        try literal.withUnsafeBufferPointer { (l) throws(InflateError) in
            try distance.withUnsafeBufferPointer { (d) throws(InflateError) in
                try huffmanBlock(literal: l.baseAddress!, distance: d.baseAddress!)
            }
        }
    }

    /// Decodes the symbols of one Huffman block up to its end-of-block code.
    mutating func huffmanBlock(literal: UnsafePointer<UInt32>, distance: UnsafePointer<UInt32>) throws(InflateError) {
        let literalMask = UInt64((1 << HuffmanTable.literalRootBits) - 1)
        let distanceMask = UInt64((1 << HuffmanTable.distanceRootBits) - 1)
        while true {
            try refill()
            var e = literal[Int(truncatingIfNeeded: bits & literalMask)]
            if e & Entry.kindMask == Entry.subtable {
                bits >>= UInt64(HuffmanTable.literalRootBits)
                bitCount -= HuffmanTable.literalRootBits
                e = literal[Int(e >> 16) + Int(truncatingIfNeeded: bits & ((1 << UInt64((e >> 8) & 15)) - 1))]
            }
            let n = Int(e & 31)
            bits >>= UInt64(n)
            bitCount -= n
            let kind = e & Entry.kindMask
            if kind == Entry.literal {
                if written >= capacity { try grow(written + 1) }
                out[written] = UInt8(truncatingIfNeeded: e >> 16)
                written += 1
                // A second literal without a refill when the bits are there.
                if bitCount >= 15 {
                    let e2 = literal[Int(truncatingIfNeeded: bits & literalMask)]
                    if e2 & Entry.kindMask == Entry.literal {
                        let n2 = Int(e2 & 31)
                        bits >>= UInt64(n2)
                        bitCount -= n2
                        if written >= capacity { try grow(written + 1) }
                        out[written] = UInt8(truncatingIfNeeded: e2 >> 16)
                        written += 1
                    }
                }
                continue
            }
            if kind == Entry.endOfBlock {
                if bitCount < padBits { throw InflateError(offset: count, reason: "stream ends inside a block") }
                return
            }
            if kind != Entry.base {
                let symbol = Int(e >> 16)
                throw failure(symbol == 0xFFFF ? "invalid literal/length code (no symbol has it)" : "invalid literal/length code \(symbol)")
            }
            let extra = Int((e >> 8) & 15)
            let length = Int(e >> 16) + take(extra)
            var d = distance[Int(truncatingIfNeeded: bits & distanceMask)]
            if d & Entry.kindMask == Entry.subtable {
                bits >>= UInt64(HuffmanTable.distanceRootBits)
                bitCount -= HuffmanTable.distanceRootBits
                d = distance[Int(d >> 16) + Int(truncatingIfNeeded: bits & ((1 << UInt64((d >> 8) & 15)) - 1))]
            }
            let dn = Int(d & 31)
            bits >>= UInt64(dn)
            bitCount -= dn
            if d & Entry.kindMask != Entry.base {
                let symbol = Int(d >> 16)
                throw failure(symbol == 0xFFFF ? "invalid distance code (no symbol has it)" : "invalid distance code \(symbol)")
            }
            let dist = Int(d >> 16) + take(Int((d >> 8) & 15))
            if bitCount < padBits { throw InflateError(offset: count, reason: "stream ends inside a block") }
            guard dist <= written else {
                throw failure("invalid distance \(dist) beyond the \(written) bytes written so far")
            }
            try reserve(length)
            let dst = out + written
            let src = dst - dist
            if dist >= 8 {
                var k = 0
                while k < length {
                    UnsafeMutableRawPointer(dst + k).storeBytes(of: UnsafeRawPointer(src + k).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    k += 8
                }
            } else if dist == 1 {
                dst.update(repeating: src[0], count: length)
            } else {
                for k in 0..<length { dst[k] = src[k] }
            }
            written += length
        }
    }
}
