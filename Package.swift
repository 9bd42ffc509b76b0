// swift-tools-version:6.0
import PackageDescription

// osc-score: scoring and aggregation of the Organisational Social Context (OSC)
// questionnaire. The package deliberately has no dependencies: the toolchain's
// Foundation and Swift Testing only.
let package = Package(
    name: "osc-score",
    products: [
        .library(name: "OSCScoring", targets: ["OSCScoring"]),
        .executable(name: "osc-score", targets: ["osc-score"]),
    ],
    targets: [
        // Instrument model, scoring, statistics (Core/), CSV and instrument
        // file reading (IO/) and report writers (Reports/).
        .target(name: "OSCScoring", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        // Command-line parsing and the run loop, kept in a library so that
        // the executable's `main` is a single call.
        .target(name: "OSCScoreCLI", dependencies: ["OSCScoring"]),
        .executableTarget(name: "osc-score", dependencies: ["OSCScoreCLI"]),
        .testTarget(name: "OSCScoringTests", dependencies: ["OSCScoring"], exclude: ["Fixtures", "Reference"]),
        // End-to-end tests run the built `osc-score` binary.
        .testTarget(name: "OSCScoreCLITests", dependencies: ["osc-score", "OSCScoring"], exclude: ["Fixtures", "Golden"]),
    ]
)
