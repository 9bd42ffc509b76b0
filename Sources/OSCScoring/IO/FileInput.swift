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
    /// Reads a regular file of at least `minimumSize` bytes in two parts
    /// (`readInParts` with two parts, however small they are); nil
    /// (nothing read) for smaller files and other inputs.
    static func readInTwoParts(path: String, instrument: Instrument, options: ReadOptions,
                               minimumSize: Int = 4 << 20, headerStep: Int = 1 << 16, validatingUTF8: Bool = false,
                               decoding: TextEncoding = .utf8) throws -> (table: ResponseTable, delimiter: FieldDelimiter?)? {
        try readInParts(path: path, instrument: instrument, options: options, parts: 2, minimumSize: minimumSize, minimumPartSize: 0,
                        headerStep: headerStep, validatingUTF8: validatingUTF8, decoding: decoding)
    }

    /// Reads a regular file of at least `minimumSize` bytes in up to
    /// `parts` parts of at least `minimumPartSize` bytes, on up to
    /// `options.threads` threads; nil (nothing read) for fewer than two
    /// parts wanted, smaller files and other inputs.
    ///
    /// The first part runs from the end of the header (and the row after
    /// it, which may be another header row) to the first line break after
    /// the first split point, each later part from there to the next, read
    /// by a reader `continuing()` the first. Where a split fell is only
    /// known to be a record boundary once the part before it is read (a
    /// quoted field may span it): while each is, the parts' rows are
    /// `absorb`ed in order, with the same rows, lines and findings as one
    /// pass; at the first that is not, or a part whose reader failed or
    /// gave up, the first reader reads the rest of the file itself, so
    /// errors are reported exactly as in one pass. Each part's memory is
    /// given back as it is appended. The result is the same for every
    /// number of parts and threads.
    static func readInParts(path: String, instrument: Instrument, options: ReadOptions, parts wanted: Int,
                            minimumSize: Int = 4 << 20, minimumPartSize: Int = 1 << 20, headerStep: Int = 1 << 16,
                            validatingUTF8: Bool = false, decoding: TextEncoding = .utf8) throws -> (table: ResponseTable, delimiter: FieldDelimiter?)? {
        guard wanted >= 2 else { return nil }
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
        // Read up to the end of the header line and the row after it (in small steps).
        var head = 0
        while head < size && (first.continuing() == nil || first.headerRowsToCheck > 0) {
            let end = min(size, head + headerStep)
            try FileInput.forEachChunk(fd: fd, path: path, from: head, to: end) { try firstPipeline.feed($0, into: &first) }
            head = end
        }
        // The split points: after the line break following each of `count − 1` evenly spaced points.
        let count = max(1, min(wanted, minimumPartSize > 0 ? (size - head) / minimumPartSize : wanted))
        var starts = [head]
        if first.continuing() != nil {
            for k in 1..<count {
                let point = max(head + (size - head) / count * k, starts.last!)
                if let split = FileInput.lineStart(fd: fd, after: point), split > starts.last!, split < size { starts.append(split) }
            }
        }
        guard starts.count > 1 else {
            try FileInput.forEachChunk(fd: fd, path: path, from: head, to: size) { try firstPipeline.feed($0, into: &first) }
            try firstPipeline.end(into: &first)
            return (try first.finish(), first.delimiter)
        }
        let partCount = starts.count
        let ends = Array(starts.dropFirst()) + [size]
        // Room for as many rows as the bytes could hold (a row takes at
        // least one byte per column): the first reader's for the whole file,
        // so that the other parts are appended without moving the first;
        // room never written costs no memory.
        var readers: [ResponseReader] = [first]
        var pipelines: [ChunkPipeline] = [firstPipeline]
        readers[0].reserveRows(forBytes: size - head)  // in the array's copy, which is then the only one written
        for k in 1..<partCount {
            var reader = first.continuing()!
            reader.reserveRows(forBytes: ends[k] - starts[k])
            readers.append(reader)
            pipelines.append(ChunkPipeline(validatingUTF8: validatingUTF8, decoding: decoding, offset: starts[k]))
        }
        // A later part's table, read whole and ending at a record boundary; nil when it failed or did not.
        var tables = [ResponseTable?](repeating: nil, count: partCount)
        var firstError: Error?
        // When the first part fails the others stop at their next chunk
        // (their rows would be thrown away), so an error early in a large
        // file is reported without reading and holding the rest.
        let firstFailed = StopFlag()
        PhaseTrace.mark("read: header")
        readers.withUnsafeMutableBufferPointer { readers in
            pipelines.withUnsafeMutableBufferPointer { pipelines in
                tables.withUnsafeMutableBufferPointer { tables in
                    ParallelWork.run(count: partCount, threads: min(partCount, max(1, options.threads))) { k in
                        if k == 0 {
                            PhaseTrace.measure("read: part 1") {
                                do {
                                    try FileInput.forEachChunk(fd: fd, path: path, from: starts[0], to: ends[0]) { try pipelines[0].feed($0, into: &readers[0]) }
                                } catch {
                                    firstError = error
                                    firstFailed.set()
                                }
                            }
                            return
                        }
                        tables[k] = try? PhaseTrace.measure("read: part \(k + 1)") { () throws -> ResponseTable? in
                            try FileInput.forEachChunk(fd: fd, path: path, from: starts[k], to: ends[k]) {
                                if firstFailed.isSet { throw StopFlag.Stopped() }
                                try pipelines[k].feed($0, into: &readers[k])
                            }
                            try pipelines[k].end(into: &readers[k])
                            // A part before the last must end between records to be the file's rows.
                            if k < partCount - 1 && !readers[k].isAtRecordBoundary { return nil }
                            return try readers[k].finish()
                        }
                    }
                }
            }
        }
        PhaseTrace.mark("read: parts")
        if let firstError { throw firstError }
        // Swapped out of the arrays, so that the first table's storage has
        // one owner and growing it in `absorb` does not copy it.
        swap(&first, &readers[0])
        swap(&firstPipeline, &pipelines[0])
        defer { PhaseTrace.mark("read: absorb") }
        // Each part follows a record boundary when the one before it ended at one.
        var k = 1
        if first.isAtRecordBoundary {
            while k < partCount, tables[k] != nil {
                first.absorb(readers[k], table: &tables[k]!, indexingIDs: k < partCount - 1)
                tables[k] = nil
                k += 1
            }
        }
        if k < partCount {
            try FileInput.forEachChunk(fd: fd, path: path, from: starts[k], to: size) { try firstPipeline.feed($0, into: &first) }
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
