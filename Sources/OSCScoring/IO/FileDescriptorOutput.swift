// Writing bytes to a file descriptor (standard output, standard error).

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Musl)
import Musl
private let systemWrite = Musl.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes whole buffers to a file descriptor, retrying after interrupted
/// and partial writes. Shared by the command line and the phase trace.
package enum FileDescriptorOutput {
    /// Writes every byte to `fd`; stops quietly on an error other than EINTR
    /// (a closed pipe: nothing more can be written).
    package static func writeAll(_ buffer: UnsafeBufferPointer<UInt8>, to fd: Int32) {
        var offset = 0
        while offset < buffer.count {
            let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    /// Writes every byte to `fd`, retrying after EINTR and partial writes.
    /// - Returns: 0 when every byte was written, else the `errno` of the
    ///   failed write (EPIPE for a reader that has gone, ENOSPC for a full
    ///   disk, EBADF for a closed descriptor).
    package static func writeAllReporting(_ buffer: UnsafeBufferPointer<UInt8>, to fd: Int32) -> Int32 {
        var offset = 0
        while offset < buffer.count {
            let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 { if errno == EINTR { continue }; return errno }
            if n == 0 { return EIO }
            offset += n
        }
        return 0
    }

    /// Writes the UTF-8 of `text` to `fd`.
    package static func writeAll(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { writeAll($0, to: fd) }
    }
}
