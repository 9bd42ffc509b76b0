// The bytes of a statistical data file, read through a window that is
// refilled from the file (or served from memory), so that a file of any size
// is read in constant memory. Every read is checked against what is left, so
// a crafted length can neither read past the end nor allocate without bound.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A cursor over a file's bytes, with integers of either byte order.
package struct DatasetBytes {
    /// Where the bytes come from.
    private enum Origin {
        case memory
        case file(Int32)
    }

    private let origin: Origin
    /// The file name used in messages.
    package let source: String
    /// The file's size in bytes.
    package let size: Int
    /// Whether multi-byte numbers are big-endian.
    package var bigEndian = false
    /// The window: `buffer[pos ..< end]` are the bytes from `offset` on.
    private var buffer: [UInt8]
    private var bufferStart = 0
    private var pos = 0
    private var end = 0
    private static let window = 1 << 20

    /// Bytes held in memory.
    package init(bytes: [UInt8], source: String) {
        origin = .memory
        self.source = source
        size = bytes.count
        buffer = bytes
        end = bytes.count
    }

    /// An open file of `size` bytes (the caller closes `fd` after the last read).
    package init(fd: Int32, size: Int, source: String) {
        origin = .file(fd)
        self.source = source
        self.size = size
        buffer = [UInt8](repeating: 0, count: Self.window)
    }

    /// The file offset of the next byte.
    package var offset: Int { bufferStart + pos }
    /// The bytes left after `offset`.
    package var remaining: Int { size - offset }

    /// An error at the current offset.
    package func error(_ reason: String, at place: Int? = nil, caseNumber: Int? = nil) -> DatasetError {
        DatasetError(source: source, offset: place ?? offset, caseNumber: caseNumber, reason: reason)
    }

    /// Makes at least `n` bytes available in the window; false when the file has fewer left.
    package mutating func available(_ n: Int) throws(DatasetError) -> Bool {
        if end - pos >= n { return true }
        guard case .file(let fd) = origin, n <= size - offset else { return false }
        // Keep the unread bytes, then fill the rest of the window.
        let kept = end - pos
        if buffer.count < n { buffer += [UInt8](repeating: 0, count: n - buffer.count) }
        if kept > 0 && pos > 0 {
            buffer.withUnsafeMutableBufferPointer { b in
                _ = memmove(b.baseAddress!, b.baseAddress! + pos, kept)
            }
        }
        bufferStart += pos
        pos = 0
        end = kept
        while end < n {
            let want = min(buffer.count - end, size - bufferStart - end)
            let got = buffer.withUnsafeMutableBufferPointer { b in pread(fd, b.baseAddress! + end, want, off_t(bufferStart + end)) }
            if got < 0 { throw error("the file could not be read (\(String(cString: strerror(errno)))); check the disk and read it again") }
            if got == 0 { return false }
            end += got
        }
        return true
    }

    /// Requires `n` more bytes, else the file is truncated.
    package mutating func need(_ n: Int, _ what: @autoclosure () -> String) throws(DatasetError) {
        guard n >= 0, try available(n) else {
            throw error("\(what()) needs \(n) bytes but the file ends after \(max(0, remaining)); the file is truncated, copy or export it again.")
        }
    }

    /// Skips `n` bytes (checked against the file size).
    package mutating func skip(_ n: Int, _ what: @autoclosure () -> String) throws(DatasetError) {
        guard n >= 0, n <= remaining else {
            throw error("\(what()) needs \(n) bytes but the file ends after \(max(0, remaining)); the file is truncated, copy or export it again.")
        }
        if end - pos >= n { pos += n; return }
        let target = offset + n
        bufferStart = target
        pos = 0
        end = 0
        if case .memory = origin { bufferStart = 0; pos = target; end = size }
    }

    /// Moves to an absolute offset (at most the file size).
    package mutating func seek(_ target: Int) throws(DatasetError) {
        guard target >= 0, target <= size else { throw error("an offset of \(target) points outside the file of \(size) bytes; the file is damaged, export it again.") }
        if case .memory = origin { pos = target; return }
        if target >= bufferStart && target <= bufferStart + end { pos = target - bufferStart; return }
        bufferStart = target
        pos = 0
        end = 0
    }

    /// The next byte (call `need` first).
    @inline(__always) package mutating func byteUnchecked() -> UInt8 {
        defer { pos += 1 }
        return buffer[pos]
    }

    /// The next `n` bytes (checked).
    package mutating func bytes(_ n: Int, _ what: @autoclosure () -> String) throws(DatasetError) -> [UInt8] {
        try need(n, what())
        defer { pos += n }
        return Array(buffer[pos ..< pos + n])
    }

    /// Appends the next `n` bytes to `out` (call `need` first).
    @inline(__always) package mutating func append(_ n: Int, to out: inout [UInt8]) {
        out.append(contentsOf: buffer[pos ..< pos + n])
        pos += n
    }

    /// The next 4-byte integer in the file's byte order (call `need` first).
    @inline(__always) package mutating func int32Unchecked() -> Int32 {
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(buffer[pos + k]) << (bigEndian ? 24 - 8 * k : 8 * k) }
        pos += 4
        return Int32(bitPattern: v)
    }

    /// The next 8-byte word in the file's byte order (call `need` first).
    @inline(__always) package mutating func word64Unchecked() -> UInt64 {
        precondition(end - pos >= 8)
        let v = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: pos, as: UInt64.self) }
        pos += 8
        return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
    }

    /// The next 8 bytes as a little-endian word, whatever the file's byte
    /// order (an SPSS command block: its first code in the lowest byte; call `need` first).
    @inline(__always) package mutating func word64LittleEndianUnchecked() -> UInt64 {
        precondition(end - pos >= 8)
        let v = buffer.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: pos, as: UInt64.self)) }
        pos += 8
        return v
    }

    /// The next 4-byte integer (checked).
    package mutating func int32(_ what: @autoclosure () -> String) throws(DatasetError) -> Int {
        try need(4, what())
        return Int(int32Unchecked())
    }

    /// The next 8-byte integer (checked).
    package mutating func int64(_ what: @autoclosure () -> String) throws(DatasetError) -> Int64 {
        try need(8, what())
        return Int64(bitPattern: word64Unchecked())
    }

    /// The next 8-byte IEEE double (checked).
    package mutating func double(_ what: @autoclosure () -> String) throws(DatasetError) -> Double {
        try need(8, what())
        return Double(bitPattern: word64Unchecked())
    }

    /// Replaces the window's source with decompressed bytes (a ZLIB block):
    /// the unread bytes are kept and `more` appended; `offset` then counts
    /// decompressed bytes from `start`.
    package mutating func appendDecompressed(_ more: [UInt8], start: Int) {
        let kept = Array(buffer[pos ..< end])
        buffer = kept + more
        pos = 0
        end = buffer.count
        bufferStart = start
    }

    /// Calls `body` with the window's unread bytes and skips the number of
    /// them it returns (at most their count).
    @inline(__always) package mutating func consumeWindow(_ body: (UnsafeRawBufferPointer) -> Int) {
        let (start, end) = (pos, self.end)
        let n = buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
        precondition(n >= 0 && n <= end - start)
        pos += n
    }

    /// Skips `n` bytes of the window (at most `windowRemaining`).
    @inline(__always) package mutating func advanceInWindow(_ n: Int) {
        precondition(n >= 0 && n <= end - pos)
        pos += n
    }

    /// The number of bytes left in the window.
    package var windowRemaining: Int { end - pos }
}
