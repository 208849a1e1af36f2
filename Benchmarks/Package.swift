// swift-tools-version:6.0
// The benchmarks live in their own package so that `swift test` at the top never builds them.
// Every folder under Sources/ is one benchmark executable; adding a benchmark needs no edit here.
import Foundation
import PackageDescription

let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Sources")
let benchmarkNames = ((try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? [])
    .filter { !$0.hasPrefix(".") }
    .sorted()

let package = Package(
    name: "vcpuid-benchmarks",
    dependencies: [
        .package(name: "vcpuid", path: ".."),
    ],
    targets: benchmarkNames.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                .product(name: "CPUID", package: "vcpuid"),
                .product(name: "X86Features", package: "vcpuid"),
                .product(name: "KVM", package: "vcpuid"),
                .product(name: "SGX", package: "vcpuid"),
                .product(name: "Fleet", package: "vcpuid"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]
        )
    },
    swiftLanguageModes: [.v6]
)
