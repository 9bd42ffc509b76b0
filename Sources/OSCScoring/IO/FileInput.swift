// Reading files and standard input in chunks, without holding them whole.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that cannot be opened or read.
public struct FileInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    /// Whether the file does not exist (as opposed to existing but unreadable).
    public let notFound: Bool

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
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileInputError(path: path, reason: String(cString: strerror(errno)), notFound: false)
            }
            if count == 0 { break }
            try body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Reads a whole (small) file, such as an instrument or a key.
    public static func readAll(path: String) throws -> [UInt8] {
        var out: [UInt8] = []
        try forEachChunk(path: path, chunkSize: 1 << 16) { out.append(contentsOf: $0) }
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
    /// - Throws: `FileInputError` or `ResponseFileError`.
    public static func read(path: String, instrument: Instrument, options: ReadOptions = ReadOptions()) throws -> (table: ResponseTable, delimiter: UInt8?) {
        var reader = ResponseReader(instrument: instrument, options: options, source: path == "-" ? "standard input" : path)
        try FileInput.forEachChunk(path: path) { try reader.consume($0) }
        let table = try reader.finish()
        return (table, reader.delimiter)
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
