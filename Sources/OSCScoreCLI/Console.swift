// Writing to standard output, standard error and output files.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import OSCScoring

/// Output that cannot be written: status 74 (EX_IOERR) with one sentence,
/// or a quiet stop when the reader of standard output has gone (EPIPE).
struct OutputError: Error {
    let message: String
    /// The reader of a pipe stopped early (`| head`): stop without a message.
    var quiet = false
}

/// An input that cannot be read for a reason found by the command line
/// itself (standard input closed at start-up): status 66.
struct InputError: Error {
    let message: String
}

/// Standard output, standard error and output files.
struct Console {
    /// Whether standard input (fd 0) was closed when the process started
    /// (`<&-`); it is then /dev/null, and reading '-' is an error.
    var standardInputWasClosed = false
    /// Whether standard output (fd 1) was closed when the process started
    /// (`>&-`); it is then /dev/null, and writing the report there fails
    /// rather than losing it silently.
    var standardOutputWasClosed = false

    /// Prepares the process's standard streams: any of fds 0, 1 and 2 that
    /// is closed is opened onto /dev/null (so that no file opened later
    /// becomes fd 0, 1 or 2 by accident) and remembered; SIGPIPE and
    /// SIGXFSZ are ignored, so that a write to a gone reader or past the
    /// file size limit fails with EPIPE or EFBIG and is handled here.
    static func prepareStandardStreams() -> Console {
        var closed = [false, false, false]
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            closed[Int(fd)] = true
            let null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != fd {
                dup2(null, fd)
                close(null)
            }
        }
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        return Console(standardInputWasClosed: closed[0], standardOutputWasClosed: closed[1])
    }

    /// Writes `text` to standard output.
    /// - Throws: `OutputError` when it cannot be written.
    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try writeStandardOutput($0) }
    }

    /// Writes every byte to standard output.
    /// - Throws: `OutputError`: quiet for a broken pipe, else status 74 with a sentence.
    func writeStandardOutput(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard !standardOutputWasClosed else {
            throw OutputError(message: "Cannot write to standard output: it was closed when osc-score started (>&-); redirect it to a file or give -o FILE.")
        }
        guard !bytes.isEmpty else { return }
        let code = FileDescriptorOutput.writeAllReporting(bytes, to: 1)
        if code == EPIPE { throw OutputError(message: "", quiet: true) }
        if code != 0 { throw OutputError(message: "Cannot write to standard output: \(Self.reason(code)); \(Self.advice(code, standardOutput: true)).") }
    }

    /// Writes one message to standard error, prefixed with the program name,
    /// as one sentence (see `sentence(_:)`). A failure to write standard
    /// error itself cannot be reported anywhere and is ignored.
    func error(_ message: String) {
        FileDescriptorOutput.writeAll("osc-score: " + Self.sentence(message) + "\n", to: 2)
    }

    /// `message` ending in exactly one full stop, question or exclamation
    /// mark: never "?." or "..".
    static func sentence(_ message: String) -> String {
        var text = Substring(message)
        while let last = text.last, last == "." || last == " " { text = text.dropLast() }
        if let last = text.last, last == "?" || last == "!" { return String(text) }
        return text + "."
    }

    /// Writes `text` to `path`, or to standard output when `path` is nil or "-".
    /// With `syncing` false a file is renamed into place without its own
    /// `fsync`; the caller then syncs the whole folder once
    /// (``Console/syncFileSystem(of:)``), as the school pages do.
    func emit(_ text: String, to path: String?, syncing: Bool = true) throws {
        var text = text
        try text.withUTF8 { bytes in try emitting(to: path, syncing: syncing) { write in try write(bytes) } }
    }

    /// Calls `body` with a function that writes bytes to `path` (or to
    /// standard output when `path` is nil or "-"), for output produced in
    /// pieces. A file is written to a temporary file beside it and renamed
    /// over `path` once complete and synced, so that a failed run leaves the
    /// old file as it was and concurrent runs never interleave.
    /// - Throws: `OutputError`, or whatever `body` throws (the temporary file
    ///   is removed either way).
    func emitting(to path: String?, syncing: Bool = true, _ body: ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void) throws {
        guard let path, path != "-" else {
            try body { try writeStandardOutput($0) }
            return
        }
        let file = try OutputFile(path: path)
        do {
            try body { try file.write($0) }
            try file.commit(syncing: syncing)
        } catch {
            file.discard()
            throw error
        }
    }

    /// Writes bytes to `path`, or to standard output when `path` is nil or "-".
    func emit(bytes: UnsafeBufferPointer<UInt8>, to path: String?) throws {
        try emitting(to: path) { write in try write(bytes) }
    }

    /// Flushes every file written in `folder` to disk: one `syncfs` of its
    /// file system on Linux (one call instead of an `fsync` per file), a
    /// `sync` elsewhere.
    /// - Throws: `OutputError` (status 74) naming the folder when the flush fails.
    static func syncFileSystem(of folder: String) throws {
        #if os(Linux)
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw OutputError(message: "Cannot write the school pages to '\(folder)': \(reason(errno)); check that the folder is readable and writable.")
        }
        defer { close(fd) }
        if linuxSyncFS(fd) != 0 {
            let code = errno
            throw OutputError(message: "Cannot write the school pages to '\(folder)': \(reason(code)); \(advice(code, standardOutput: false)).")
        }
        #else
        sync()
        #endif
    }

    /// The text of `errno` value `code`, lower-cased for use inside a sentence.
    static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// What to do about write error `code`.
    static func advice(_ code: Int32, standardOutput: Bool) -> String {
        let elsewhere = standardOutput ? "or write elsewhere with -o FILE" : "or give -o another path"
        switch code {
        case ENOSPC: return "free some disk space \(elsewhere)"
        case EDQUOT: return "free some of your disk quota \(elsewhere)"
        case EFBIG: return "raise the file size limit (ulimit -f) \(elsewhere)"
        case EBADF: return standardOutput ? "redirect standard output to a file or give -o FILE" : "give -o another path"
        default: return "check the destination \(elsewhere)"
        }
    }
}

/// A file given with `-o`, written through a temporary file in the same
/// folder (`.NAME.osc-score-XXXXXX`) that replaces it when complete.
/// Devices and named pipes (`-o /dev/stderr`) are written directly.
final class OutputFile {
    /// The path as given, for messages.
    let path: String
    /// The file finally written (a symbolic link's target).
    let target: [CChar]
    let fd: Int32
    /// The temporary file, nil when writing a device or pipe directly.
    let temporary: [CChar]?
    /// Whether `fd` is still open.
    private var isOpen = true
    /// Bytes written so far, and how many of them have been handed to the
    /// disk early (`startWriteback`).
    private var written: Int64 = 0, handedToDisk: Int64 = 0

    /// Creates the temporary file, with the permissions the destination
    /// has, or that a newly created file gets (0666 less the umask).
    /// - Throws: `OutputError` when the folder is missing or not writable,
    ///   or the path is a folder.
    init(path: String) throws {
        self.path = path
        var target = Array(path.utf8CString)
        var info = stat()
        if lstat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            // Replace the link's target, not the link.
            if let resolved = realpath(target, nil) {
                target = Array(UnsafeBufferPointer(start: resolved, count: strlen(resolved) + 1))
                free(resolved)
            } else {
                // The target does not exist yet: create it where the link
                // points (as writing through the link would), a relative
                // target counting from the link's folder.
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let length = readlink(target, &buffer, buffer.count - 1)
                guard length > 0 else {
                    throw OutputError(message: "Cannot write '\(path)': it is a symbolic link that cannot be read; give -o the target's path.")
                }
                var pointed = buffer[..<length].map { UInt8(bitPattern: $0) }
                if pointed.first != UInt8(ascii: "/"), let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) {
                    pointed = Array(path.utf8[...slash]) + pointed
                }
                target = pointed.map { CChar(bitPattern: $0) } + [0]
            }
        }
        self.target = target
        let mode: mode_t
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw OutputError(message: "Cannot write '\(path)': it is a folder; give a file name, for example '\(path)/scores.csv'.")
            case S_IFREG:
                // A file the user may not write (chmod a-w) is not replaced behind their back.
                guard access(target, W_OK) == 0 else {
                    throw OutputError(message: "Cannot write '\(path)': \(Console.reason(errno)); check the file's permissions or give -o another path.")
                }
                mode = info.st_mode & 0o777
            default:
                fd = open(target, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw OutputError(message: "Cannot write '\(path)': \(Console.reason(errno)); check that it is writable.")
                }
                temporary = nil
                return
            }
        } else {
            let mask = umask(0)
            umask(mask)
            mode = 0o666 & ~mask
        }
        // `.NAME.osc-score-XXXXXX` beside the target (the name shortened so
        // that the temporary name stays within NAME_MAX).
        let bytes = target.dropLast().map { UInt8(bitPattern: $0) }
        let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { Array(bytes[...$0]) } ?? []
        let name = Array(bytes[(slash.map { $0 + 1 } ?? 0)...].prefix(200))
        var template = (folder + Array(".".utf8) + name + Array(".osc-score-XXXXXX".utf8)).map { CChar(bitPattern: $0) } + [0]
        let created = mkstemp(&template)
        guard created >= 0 else {
            throw OutputError(message: "Cannot write '\(path)': \(Console.reason(errno)); check that its folder exists and is writable.")
        }
        fd = created
        temporary = template
        Self.removeOnSignal(template)
        _ = fcntl(created, F_SETFD, FD_CLOEXEC)
        if fchmod(created, mode) != 0 {
            let code = errno
            discard()
            throw OutputError(message: "Cannot write '\(path)': \(Console.reason(code)); check the folder's permissions.")
        }
    }

    /// Writes every byte.
    /// - Throws: `OutputError` (status 74) naming the file.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard !bytes.isEmpty else { return }
        let code = FileDescriptorOutput.writeAllReporting(bytes, to: fd)
        if code == EPIPE && temporary == nil { throw OutputError(message: "", quiet: true) }
        if code != 0 { throw failure(code) }
        written += Int64(bytes.count)
        if temporary != nil, written - handedToDisk >= 4 << 20 { startWriteback() }
    }

    /// Asks the kernel to start writing the bytes written since the last
    /// call to disk now, without waiting (Linux `sync_file_range`), so that
    /// the disk works while the rest is rendered and `commit`'s `fsync`
    /// then waits for little more than the last few megabytes. Only a hint:
    /// `fsync` still decides whether the file is safe, and reports any error.
    private func startWriteback() {
        #if os(Linux)
        _ = linuxSyncFileRange(fd, handedToDisk, written - handedToDisk, 2 /* SYNC_FILE_RANGE_WRITE */)
        #endif
        handedToDisk = written
    }

    /// Syncs and closes the temporary file and renames it over the target
    /// (or closes the device).
    /// - Throws: `OutputError` when any step fails; the caller discards.
    func commit(syncing: Bool = true) throws {
        if syncing, temporary != nil, fsync(fd) != 0 { throw failure(errno) }
        isOpen = false
        if close(fd) != 0 && errno != EINTR { throw failure(errno) }
        guard let temporary else { return }
        // The file replaced stays open here for a moment: the kernel frees
        // its blocks and cached pages (some milliseconds for a large report)
        // when the last reference goes, which is then this descriptor,
        // closed on another thread while the run finishes, instead of
        // inside `rename`.
        let replaced = open(target, O_RDONLY | O_CLOEXEC)
        if rename(temporary, target) != 0 {
            let code = errno
            if replaced >= 0 { close(replaced) }
            throw failure(code)
        }
        Self.removeOnSignal(nil)
        if replaced >= 0 { DispatchQueue.global().async { _ = close(replaced) } }
    }

    /// Closes and removes the temporary file; the target is left as it was.
    func discard() {
        if isOpen { close(fd) }
        isOpen = false
        if let temporary { unlink(temporary) }
        Self.removeOnSignal(nil)
    }

    /// The temporary file that an interrupt (SIGINT, SIGTERM, SIGHUP)
    /// removes before the process ends: a C string that the handler can
    /// read without allocating. One output file is open at a time.
    nonisolated(unsafe) private static var pending: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var handlersInstalled = false

    /// Registers `path` (nil: none) as the file to remove on an interrupt.
    /// The previous path's memory is never freed: a handler running on
    /// another thread may still be reading it (a few bytes per output file).
    static func removeOnSignal(_ path: [CChar]?) {
        if let path {
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: path.count)
            copy.initialize(from: path, count: path.count)
            pending = copy
        } else {
            pending = nil
        }
        guard path != nil, !handlersInstalled else { return }
        handlersInstalled = true
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            // A signal ignored by the caller (nohup, a background job) stays ignored.
            var current = sigaction()
            sigaction(signal, nil, &current)
            #if canImport(Darwin)
            let handler = current.__sigaction_u.__sa_handler
            #else
            let handler = current.__sigaction_handler.sa_handler
            #endif
            guard unsafeBitCast(handler, to: Int.self) == 0 else { continue }  // SIG_DFL only
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = OutputFile.interrupted
            #else
            action.__sigaction_handler.sa_handler = OutputFile.interrupted
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(signal, &action, nil)
        }
    }

    /// The handler: removes the pending temporary file, then ends the
    /// process by the same signal (the default action, restored by SA_RESETHAND).
    private static let interrupted: @convention(c) (Int32) -> Void = { signal in
        if let path = OutputFile.pending { unlink(path) }
        raise(signal)
    }

    private func failure(_ code: Int32) -> OutputError {
        let kept = temporary == nil ? "" : " (any file already there is left as it was)"
        return OutputError(message: "Cannot write '\(path)': \(Console.reason(code))\(kept); \(Console.advice(code, standardOutput: false)).")
    }
}

#if os(Linux)
/// glibc's `syncfs(2)` (Linux 2.6.39), declared here because the Glibc
/// module exports it only under `_GNU_SOURCE`.
@_silgen_name("syncfs")
private func linuxSyncFS(_ fd: Int32) -> Int32

/// glibc's `sync_file_range(2)` (Linux 2.6.17), likewise only under `_GNU_SOURCE`.
@_silgen_name("sync_file_range")
private func linuxSyncFileRange(_ fd: Int32, _ offset: Int64, _ count: Int64, _ flags: UInt32) -> Int32
#endif
