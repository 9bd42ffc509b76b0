// swift-tools-version:6.0
import Foundation
import PackageDescription

// A package that uses OSCScoring as a user's package would: by path, from
// the checkout two folders up. Its main.swift is the README's "Using the
// library" example, copied verbatim by Docs/check-readme-example, which CI
// runs; edit the example in README.md, not here.
//
// SwiftPM names a path dependency after its folder: "osc-score" in a clone
// of that name (as in the README), something else in another checkout or
// worktree, so the name is taken from the folder here.
let oscScore = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../..").standardizedFileURL.lastPathComponent.lowercased()

let package = Package(
    name: "Consumer",
    dependencies: [
        .package(path: "../.."),
    ],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [.product(name: "OSCScoring", package: oscScore)]),
    ]
)
