// The OSC's licensed scoring key, given once: `osc-score key install FILE`
// keeps a checked copy in the user's configuration folder, and every run
// looks for a key in the order --key FILE, OSC_SCORE_KEY, installed key.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import OSCScoring

/// A scoring key found for a run: its path and where the path came from.
struct FoundKey: Equatable {
    let path: String
    let origin: KeyOrigin
}

/// The installed key and the lookup order.
enum KeyStore {
    /// The environment variable naming a key file.
    static let environmentVariable = "OSC_SCORE_KEY"
    /// The file name of the installed key inside the configuration folder.
    static let fileName = "key.csv"

    /// The value of an environment variable; an empty value counts as unset.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// The configuration folder: `$XDG_CONFIG_HOME` when it is an absolute
    /// path (the XDG Base Directory specification ignores a relative one),
    /// else `$HOME/.config`; nil when neither is usable. The same on macOS.
    static func configurationHome() -> String? {
        if let xdg = environment("XDG_CONFIG_HOME"), xdg.hasPrefix("/") { return xdg }
        if let home = environment("HOME"), home.hasPrefix("/") { return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.config" }
        return nil
    }

    /// `<configuration folder>/osc-score`.
    static func folder() -> String? { configurationHome().map { $0 + "/osc-score" } }

    /// `<configuration folder>/osc-score/key.csv`, whether or not it exists.
    static func installedPath() -> String? { folder().map { $0 + "/" + fileName } }

    /// Whether anything (a file, or something else in the way) is at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The key of a run: `--key FILE`, then `OSC_SCORE_KEY`, then the
    /// installed key; the last two only when `licensed` (the instrument is
    /// the OSC and needs its licensed key).
    static func find(option: String?, licensed: Bool) -> FoundKey? {
        if let option { return FoundKey(path: option, origin: .option) }
        guard licensed else { return nil }
        if let path = environment(environmentVariable) { return FoundKey(path: path, origin: .environment) }
        if let path = installedPath(), exists(path) { return FoundKey(path: path, origin: .installed) }
        return nil
    }

    /// Reads and parses a found key. Errors name the key and where it came
    /// from when that was not `--key` (whose path the user just typed).
    /// - Throws: `InputError` (66) when it cannot be read, `ScoringKeyError` (65).
    static func load(_ key: FoundKey) throws -> ScoringKey {
        let bytes: [UInt8]
        do {
            bytes = try FileInput.readAll(path: key.path)
        } catch let error as FileInputError {
            // The reason without the reader's own advice, which speaks of a typed path.
            let reason = error.reason.split(separator: ";").first.map(String.init) ?? error.reason
            switch key.origin {
            case .option: throw error
            case .environment:
                throw InputError(message: "Cannot read the scoring key '\(key.path)' that OSC_SCORE_KEY names: \(reason); correct OSC_SCORE_KEY or unset it to use the installed key.")
            case .installed:
                throw InputError(message: "Cannot read the installed scoring key '\(key.path)': \(reason); install it again with 'osc-score key install FILE'.")
            }
        }
        let source: String
        switch key.origin {
        case .option: source = key.path
        case .environment: source = "\(key.path) (OSC_SCORE_KEY)"
        case .installed: source = "\(key.path) (the installed key; reinstall with 'osc-score key install FILE')"
        }
        return try ScoringKey(csv: bytes, source: source)
    }

    /// Checks a key against the bundled OSC: every item once, the OSC's
    /// number of items, every leaf scale known and given at least one item.
    /// - Returns: the OSC with the key applied.
    static func checkedAgainstOSC(_ key: ScoringKey) throws -> Instrument {
        let instrument = try BundledInstruments.osc().applying(key)
        try instrument.requireScorable()
        return instrument
    }

    /// The configuration folder, created (with its parents, mode 0700 as
    /// the XDG specification asks) when missing.
    /// - Throws: `OutputError` (74) when there is none or it cannot be made.
    static func makeFolder() throws -> String {
        guard let home = configurationHome(), let folder = folder() else {
            throw OutputError(message: "Cannot install the key: neither XDG_CONFIG_HOME nor HOME names an absolute folder; set one of them (for example export XDG_CONFIG_HOME=\"$HOME/.config\").")
        }
        for path in [home, folder] {
            var info = stat()
            if stat(path, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw OutputError(message: "Cannot install the key in '\(folder)': '\(path)' is a file, not a folder; move it away or set XDG_CONFIG_HOME to another folder.")
                }
                continue
            }
            // Parents of the configuration home, as `mkdir -p` would.
            var prefix = ""
            for part in path.split(separator: "/") {
                prefix += "/" + part
                if stat(prefix, &info) == 0 { continue }
                if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                    throw OutputError(message: "Cannot install the key: cannot create the folder '\(prefix)': \(Console.reason(errno)); check the permissions of its parent or set XDG_CONFIG_HOME.")
                }
            }
        }
        return folder
    }

    /// Writes `bytes` as the installed key: a temporary file in the same
    /// folder (mode 0600: the key is licensed material), synced, then
    /// renamed over `key.csv`, so that a failed install leaves the earlier
    /// key as it was.
    /// - Returns: the installed key's path.
    /// - Throws: `OutputError` (74).
    static func install(_ bytes: [UInt8]) throws -> String {
        let folder = try makeFolder()
        let target = folder + "/" + fileName
        var template = Array((folder + "/." + fileName + ".osc-score-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        func failure(_ code: Int32) -> OutputError {
            OutputError(message: "Cannot install the key as '\(target)': \(Console.reason(code)); \(code == ENOSPC || code == EDQUOT ? "free some disk space" : "check the folder's permissions") or set XDG_CONFIG_HOME to another folder.")
        }
        guard fd >= 0 else { throw failure(errno) }
        OutputFile.removeOnSignal(template)
        var code: Int32 = 0
        if fchmod(fd, 0o600) != 0 { code = errno }
        if code == 0 { code = bytes.withUnsafeBufferPointer { FileDescriptorOutput.writeAllReporting($0, to: fd) } }
        if code == 0, fsync(fd) != 0 { code = errno }
        if close(fd) != 0 && code == 0 && errno != EINTR { code = errno }
        if code == 0, rename(template, target) != 0 { code = errno }
        if code != 0 {
            unlink(template)
            OutputFile.removeOnSignal(nil)
            throw failure(code)
        }
        OutputFile.removeOnSignal(nil)
        return target
    }
}
