// Reading files and standard input in chunks, without holding them whole.

import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that cannot be opened or read.
public struct FileInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as given ("-" for standard input).
    public let path: String
    /// What went wrong, as a clause with a suggested fix where there is one ("no such file; check the path and the current folder").
    public let reason: String
    /// Whether the file does not exist (as opposed to existing but unreadable).
    public let notFound: Bool

    /// One line naming the path and the reason.
    public var description: String { "cannot read '\(path)': \(reason)" }
}

/// Streams a file (or standard input, for the path "-") in fixed-size chunks.
public enum FileInput {
    /// The chunk size used by `forEachChunk`.
    public static let defaultChunkSize = 1 << 20

    /// Calls `body` with successive chunks of the file.
    ///
    /// Complexity: O(file size) time, O(chunk size) memory.
    /// - Throws: `FileInputError` when the file cannot be opened or read;
    ///   rethrows whatever `body` throws.
    public static func forEachChunk(path: String, chunkSize: Int = defaultChunkSize,
                                    _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw openError(path: path) }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw FileInputError(path: path, reason: "it is a folder, not a file; give the path of the CSV file inside it", notFound: false)
            }
        }
        defer { if fd != 0 { close(fd) } }
        try readChunks(path: path, chunkSize: chunkSize, length: .max, { buffer, count, _ in read(fd, buffer, count) }, body)
    }

    /// Calls `body` with successive chunks of the bytes `start ..< end` of an
    /// open file, read with `pread` (so several threads may read one file).
    static func forEachChunk(fd: Int32, path: String, from start: Int, to end: Int, chunkSize: Int = defaultChunkSize,
                             _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        try readChunks(path: path, chunkSize: chunkSize, length: end - start, { pread(fd, $0, $1, off_t(start + $2)) }, body)
    }

    /// The read loop of both `forEachChunk`s: `read(buffer, count, bytesSoFar)`
    /// fills the buffer (a negative result is an error, retried on EINTR;
    /// 0 is the end), until `length` bytes or the end.
    private static func readChunks(path: String, chunkSize: Int, length: Int,
                                   _ read: (UnsafeMutablePointer<UInt8>, Int, Int) -> Int,
                                   _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        var done = 0
        while done < length {
            let count = read(buffer.baseAddress!, min(chunkSize, length - done), done)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileInputError(path: path, reason: String(cString: strerror(errno)), notFound: false)
            }
            if count == 0 { break }
            done += count
            try body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// The offset just after the first line feed at or after `position`
    /// within the next `window` bytes; nil when there is none.
    static func lineStart(fd: Int32, after position: Int, window: Int = 1 << 16) -> Int? {
        var bytes = [UInt8](repeating: 0, count: window)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(position)) }
        guard count > 0, let k = bytes[0..<count].firstIndex(of: 0x0A) else { return nil }
        return position + k + 1
    }

    /// The most bytes `readAll` reads: 16 MiB, thousands of times an
    /// instrument, key or norms file (the OSC's key is about 4 KB), so that
    /// `--scale /dev/zero` or a wrong path to a large file stops at once.
    public static let maximumWholeFileSize = 16 << 20

    /// Reads a whole (small) file, such as an instrument or a key.
    /// - Throws: `FileInputError` when it cannot be read or is larger than
    ///   `maximumWholeFileSize` (checked as it is read, so a device or a pipe
    ///   that never ends stops too).
    public static func readAll(path: String) throws -> [UInt8] {
        var out: [UInt8] = []
        try forEachChunk(path: path, chunkSize: 1 << 16) { chunk in
            guard out.count + chunk.count <= maximumWholeFileSize else {
                throw FileInputError(path: path, reason: "it is larger than 16 MiB, far more than an instrument, key or norms file holds; check that the path names the right file",
                                     notFound: false)
            }
            out.append(contentsOf: chunk)
        }
        return out
    }

    private static func openError(path: String) -> FileInputError {
        let code = errno
        if code == ENOENT {
            return FileInputError(path: path, reason: "no such file; check the path and the current folder", notFound: true)
        }
        if code == EACCES {
            return FileInputError(path: path, reason: "permission denied; check the file's permissions", notFound: false)
        }
        return FileInputError(path: path, reason: String(cString: strerror(code)), notFound: false)
    }
}

extension ResponseReader {
    /// Reads a responses file (or standard input for "-") in a streaming pass.
    /// - Throws: `ResponseFileError`, as every other way of reading; a file
    ///   that cannot be opened or read is `.unreadable` with the reason.
    public static func read(path: String, instrument: Instrument,
                            options: ReadOptions = ReadOptions()) throws(ResponseFileError) -> (table: ResponseTable, delimiter: FieldDelimiter?) {
        if var table = try readDataFile(path: path, instrument: instrument, options: options) {
            if let file = table.dataFile { table.encoding = ResponseEncoding(name: file.encoding, origin: options.encoding != nil ? .given : .declared) }
            return (table, nil)
        }
        if let table = try readWorkbook(path: path, instrument: instrument, options: options) { return (table, nil) }
        var given: TextEncoding?
        if let name = options.encoding {
            guard let encoding = TextEncoding(name: name) else {
                throw .unreadable(FileInputError(path: path, reason: "the encoding \(QuotedValue.quote(name)) is not one osc-score can read; give one of \(ReadOptions.encodingNames.joined(separator: ", "))", notFound: false))
            }
            given = encoding
        }
        do {
            return try readFile(path: path, instrument: instrument, options: options, encoding: given)
        } catch let error as UndecodableByte {
            throw .undecodable(source: path == "-" ? "standard input" : path, offset: error.offset, reason: error.what)
        } catch let error as ResponseFileError {
            throw error
        } catch let error as FileInputError {
            throw .unreadable(error)
        } catch {
            throw .unreadable(FileInputError(path: path, reason: "\(error)", notFound: false))
        }
    }
}

extension ResponseReader {
    /// Reads a regular file of at least `minimumSize` bytes in two parts on
    /// two threads; nil (nothing read) for smaller files and other inputs.
    ///
    /// The first part runs from the start to the first line break after the
    /// middle of the file, the second from there on, read by a reader
    /// `continuing()` the first. Where the split fell is only known to be a
    /// record boundary once the first part is read (a quoted field may span
    /// it): when it is, the second part's rows are `absorb`ed, with the same
    /// rows, lines and findings as one pass; when it is not, or the second
    /// reader failed or gave up, the first reader reads the second part
    /// itself, so errors are reported exactly as in one pass. The second
    /// part's memory is given back as it is appended.
    static func readInTwoParts(path: String, instrument: Instrument, options: ReadOptions,
                               minimumSize: Int = 4 << 20, headerStep: Int = 1 << 16, validatingUTF8: Bool = false,
                               decoding: TextEncoding = .utf8) throws -> (table: ResponseTable, delimiter: FieldDelimiter?)? {
        // Only a regular file is opened here: a named pipe opened and closed
        // again would lose what its writer sent in between.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) >= minimumSize else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }  // the one-pass reader reports why
        defer { close(fd) }
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var first = ResponseReader(instrument: instrument, options: options, source: path)
        // Each part's bytes are checked to be UTF-8, or decoded, as they are read.
        var firstPipeline = ChunkPipeline(validatingUTF8: validatingUTF8, decoding: decoding)
        // Read up to the end of the header line (in small steps).
        var head = 0
        while head < size && first.continuing() == nil {
            let end = min(size, head + headerStep)
            try FileInput.forEachChunk(fd: fd, path: path, from: head, to: end) { try firstPipeline.feed($0, into: &first) }
            head = end
        }
        guard var second = first.continuing(), let split = FileInput.lineStart(fd: fd, after: size / 2), split > head, split < size else {
            try FileInput.forEachChunk(fd: fd, path: path, from: head, to: size) { try firstPipeline.feed($0, into: &first) }
            try firstPipeline.end(into: &first)
            return (try first.finish(), first.delimiter)
        }
        var secondPipeline = ChunkPipeline(validatingUTF8: validatingUTF8, decoding: decoding, offset: split)
        // Room for as many rows as the bytes could hold (a row takes at
        // least one byte per column): the first reader's for the whole file,
        // so that the second part is appended without moving the first;
        // room never written costs no memory.
        first.reserveRows(forBytes: size - head)
        second.reserveRows(forBytes: size - split)
        var firstError: Error?
        var secondTable: ResponseTable?
        // When the first part fails the second stops at its next chunk
        // (its rows would be thrown away), so an error early in a large
        // file is reported without reading and holding its second half.
        let firstFailed = StopFlag()
        PhaseTrace.mark("read: header")
        ParallelWork.run(count: 2, threads: 2) { part in
            if part == 0 {
                PhaseTrace.measure("read: first part") {
                    do { try FileInput.forEachChunk(fd: fd, path: path, from: head, to: split) { try firstPipeline.feed($0, into: &first) } } catch {
                        firstError = error
                        firstFailed.set()
                    }
                }
            } else {
                secondTable = try? PhaseTrace.measure("read: second part") { () throws -> ResponseTable in
                    try FileInput.forEachChunk(fd: fd, path: path, from: split, to: size) {
                        if firstFailed.isSet { throw StopFlag.Stopped() }
                        try secondPipeline.feed($0, into: &second)
                    }
                    try secondPipeline.end(into: &second)
                    return try second.finish()
                }
            }
        }
        PhaseTrace.mark("read: two parts")
        if let firstError { throw firstError }
        defer { PhaseTrace.mark("read: absorb") }
        if secondTable != nil, first.isAtRecordBoundary {
            first.absorb(second, table: &secondTable!)
        } else {
            try FileInput.forEachChunk(fd: fd, path: path, from: split, to: size) { try firstPipeline.feed($0, into: &first) }
        }
        try firstPipeline.end(into: &first)
        return (try first.finish(), first.delimiter)
    }
}

/// A flag one thread sets and another reads (under a lock).
private final class StopFlag: @unchecked Sendable {
    struct Stopped: Error {}
    private var value = false
    private let lock = DispatchSemaphore(value: 1)

    func set() {
        lock.wait()
        value = true
        lock.signal()
    }

    var isSet: Bool {
        lock.wait()
        defer { lock.signal() }
        return value
    }
}

extension Instrument {
    /// Loads an instrument file.
    /// - Throws: `FileInputError` or `InstrumentFileError`.
    public init(contentsOf path: String) throws {
        try self.init(json: try FileInput.readAll(path: path), source: path)
    }
}

extension ScoringKey {
    /// Loads a key file.
    /// - Throws: `FileInputError` or `ScoringKeyError`.
    public init(contentsOf path: String) throws {
        try self.init(csv: try FileInput.readAll(path: path), source: path)
    }
}
