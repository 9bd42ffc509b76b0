// `osc-score key install FILE | show | remove`: the OSC's licensed key, given once.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import OSCScoring

extension OSCScoreCommand {
    /// Runs `osc-score key …`. Every answer goes to standard output with
    /// status 0, also `show` without any key and `remove` with nothing
    /// installed (both say so); a key that does not fit the OSC is 65, an
    /// unreadable one 66, a configuration folder that cannot be written 74.
    static func runKey(_ options: CommandLineOptions, console: Console) throws -> Int32 {
        switch options.keyAction! {
        case .install:
            let file = options.file!
            let source = file == "-" ? "standard input" : file
            if file == "-" && console.standardInputWasClosed {
                throw InputError(message: "Cannot read standard input ('-' as the key): it was closed when osc-score started (<&-); give a file path or redirect a file with '< FILE'.")
            }
            let bytes = try FileInput.readAll(path: file)
            let instrument = try KeyStore.checkedAgainstOSC(ScoringKey(csv: bytes, source: source))
            let replaced = KeyStore.installedPath().map(KeyStore.exists) ?? false
            let path = try KeyStore.install(bytes)
            var text = (replaced ? "Replaced the installed scoring key with '\(source)'" : "Installed the scoring key '\(source)'")
                + " as '\(path)' (\(fits(instrument))); runs of the OSC without --key use it.\n"
            if let named = KeyStore.environment(KeyStore.environmentVariable) {
                text += "OSC_SCORE_KEY names '\(named)', which runs use before the installed key; unset it to use this one.\n"
            }
            try console.write(text)
        case .show:
            let installed = KeyStore.installedPath()
            let environment = KeyStore.environment(KeyStore.environmentVariable)
            let order = "Lookup order: --key FILE, then OSC_SCORE_KEY (" + (environment == nil ? "not set" : "set") + "), then the installed key "
                + (installed.map { "'\($0)' (" + (KeyStore.exists($0) ? "installed" : "none installed") + ")" }
                    ?? "(no configuration folder: neither XDG_CONFIG_HOME nor HOME is set)") + ".\n"
            guard let key = KeyStore.find(option: options.key, licensed: true) else {
                try console.write("No scoring key: --key is not given, OSC_SCORE_KEY is not set and no key is installed.\n"
                                  + "Install a licensed key once with 'osc-score key install FILE', or try the tool with the synthetic demo key: --key Examples/demo-key.csv.\n"
                                  + order)
                return ExitStatus.success
            }
            let instrument = try KeyStore.checkedAgainstOSC(KeyStore.load(key))
            try console.write("Scoring key in use: '\(key.path)', \(key.origin.label(.commandLine)) (\(fits(instrument))).\n" + order)
        case .remove:
            guard let path = KeyStore.installedPath() else {
                throw OutputError(message: "Cannot find the installed key: neither XDG_CONFIG_HOME nor HOME names an absolute folder; set the one it was installed under.")
            }
            let environment = KeyStore.environment(KeyStore.environmentVariable)
            let still = environment.map { " OSC_SCORE_KEY still names '\($0)', which runs use." } ?? ""
            guard KeyStore.exists(path) else {
                try console.write("No scoring key is installed at '\(path)'; nothing was removed.\(still)\n")
                return ExitStatus.success
            }
            guard unlink(path) == 0 else {
                throw OutputError(message: "Cannot remove the installed key '\(path)': \(Console.reason(errno)); check the folder's permissions.")
            }
            try console.write("Removed the installed scoring key '\(path)'.\(still)\n")
        }
        return ExitStatus.success
    }

    /// "105 items on 12 leaf scales of the bundled OSC".
    static func fits(_ instrument: Instrument) -> String {
        let leaves = instrument.scales.filter(\.isLeaf).count
        return "\(instrument.items.count) items on the \(leaves) leaf scales of the bundled OSC, each item once"
    }
}
