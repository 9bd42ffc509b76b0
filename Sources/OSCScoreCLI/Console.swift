// Writing to standard output, standard error and output files.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import OSCScoring

/// An output file that cannot be written.
struct OutputError: Error {
    let message: String
}

/// Standard output and standard error.
struct Console {
    func write(_ text: String) { Self.writeAll(text, to: 1) }

    /// Writes every byte of `text` to a file descriptor.
    static func writeAll(_ text: String, to fd: Int32) { FileDescriptorOutput.writeAll(text, to: fd) }

    /// Writes every byte to a file descriptor.
    static func writeAll(_ buffer: UnsafeBufferPointer<UInt8>, to fd: Int32) { FileDescriptorOutput.writeAll(buffer, to: fd) }

    /// Writes one message to standard error, prefixed with the program name.
    func error(_ message: String) {
        Self.writeAll("osc-score: " + message + "\n", to: 2)
    }

    /// Writes `text` to `path`, or to standard output when `path` is nil or "-".
    func emit(_ text: String, to path: String?) throws {
        var text = text
        try text.withUTF8 { try emit(bytes: $0, to: path) }
    }

    /// Calls `body` with a function that writes bytes to `path` (or to
    /// standard output when `path` is nil or "-"), for output produced in
    /// pieces; the file is created first and closed after `body`.
    func emitting(to path: String?, _ body: ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void) throws {
        guard let path, path != "-" else {
            try body { Self.writeAll($0, to: 1) }
            return
        }
        guard let file = fopen(path, "wb") else {
            throw OutputError(message: "Cannot write '\(path)': \(String(cString: strerror(errno))); check that its folder exists and is writable.")
        }
        var failed = false
        do {
            try body { bytes in
                guard !bytes.isEmpty else { return }
                if fwrite(bytes.baseAddress, 1, bytes.count, file) != bytes.count {
                    failed = true
                    throw OutputError(message: "Cannot finish writing '\(path)'; the disk may be full.")
                }
            }
        } catch {
            fclose(file)
            throw error
        }
        if fclose(file) != 0 || failed {
            throw OutputError(message: "Cannot finish writing '\(path)'; the disk may be full.")
        }
    }

    /// Writes bytes to `path`, or to standard output when `path` is nil or "-".
    func emit(bytes: UnsafeBufferPointer<UInt8>, to path: String?) throws {
        try emitting(to: path) { write in try write(bytes) }
    }
}
