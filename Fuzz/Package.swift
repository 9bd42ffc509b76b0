// swift-tools-version:6.0
import Foundation
import PackageDescription

// libFuzzer targets for osc-score (see README.md here). A package of its own,
// so that the main Package.swift keeps no dependencies and no sanitizer
// flags. Build with `Fuzz/run`, which passes `-sanitize=fuzzer,address` to
// every target (the library too, for coverage) and `-enable-testing` (the
// two-part read is internal).
// SwiftPM names a path dependency after its folder (the clone's name).
let main = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

// Gold fails on these sanitized binaries ("internal error in
// format_file_lineno"); the toolchain's lld links them.
let linker: [LinkerSetting] = [.unsafeFlags(["-use-ld=lld"])]

let package = Package(
    name: "osc-score-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        // The declaration of libFuzzer's LLVMFuzzerRunDriver.
        .target(name: "LibFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["LibFuzzerDriver", .product(name: "OSCScoring", package: main)]),
        .executableTarget(name: "fuzz-responses", dependencies: ["FuzzSupport"], linkerSettings: linker),
        .executableTarget(name: "fuzz-instrument", dependencies: ["FuzzSupport"], linkerSettings: linker),
        .executableTarget(name: "fuzz-key", dependencies: ["FuzzSupport"], linkerSettings: linker),
        .executableTarget(name: "fuzz-norms", dependencies: ["FuzzSupport"], linkerSettings: linker),
        .executableTarget(name: "fuzz-report", dependencies: ["FuzzSupport"], linkerSettings: linker),
        .executableTarget(name: "fuzz-inflate", dependencies: ["FuzzSupport"], linkerSettings: linker),
        .executableTarget(name: "fuzz-xlsx", dependencies: ["FuzzSupport"], linkerSettings: linker),
        .executableTarget(name: "fuzz-sav", dependencies: ["FuzzSupport"], linkerSettings: linker),
        .executableTarget(name: "fuzz-dta", dependencies: ["FuzzSupport"], linkerSettings: linker),
        .executableTarget(name: "fuzz-xlsx-responses", dependencies: ["FuzzSupport"], linkerSettings: linker),
    ]
)
