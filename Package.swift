// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vcpuid",
    products: [
        .executable(name: "vcpuid", targets: ["vcpuid"]),
        .library(name: "CPUID", targets: ["CPUID"]),
        .library(name: "X86Features", targets: ["X86Features"]),
        .library(name: "KVM", targets: ["KVM"]),
        .library(name: "SGX", targets: ["SGX"]),
        .library(name: "Fleet", targets: ["Fleet"]),
        .library(name: "FleetInventory", targets: ["FleetInventory"]),
        .library(name: "Pictures", targets: ["Pictures"]),
        .executable(name: "vcpuid-fleet", targets: ["vcpuid-fleet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        .target(name: "CCPUID"),
        .target(name: "CPUID", dependencies: ["CCPUID"]),
        .target(name: "X86Features", dependencies: ["CPUID"]),
        .target(name: "KVM", dependencies: ["CCPUID", "CPUID", "X86Features"]),
        .target(name: "SGX", dependencies: ["CPUID", "X86Features"]),
        .target(name: "Fleet", dependencies: ["CPUID", "X86Features", "KVM"]),
        // Self-contained HTML pictures of the other modules' answers (docs/architecture.md).
        .target(name: "Pictures", dependencies: ["CPUID", "X86Features", "KVM", "SGX", "Fleet"]),
        // The inventory links GRDB, and GRDB links full Foundation: it lives in its own executable so that
        // `vcpuid` itself keeps its start-up cost (docs/startup.md); `vcpuid fleet` hands over to it.
        .target(
            name: "FleetInventory",
            dependencies: ["CPUID", "X86Features", "KVM", "Fleet", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "vcpuid-fleet",
            dependencies: [
                "CPUID", "X86Features", "Fleet", "FleetInventory", "Pictures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "vcpuid",
            dependencies: [
                "CPUID", "X86Features", "KVM", "SGX", "Fleet", "Pictures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CPUIDTests", dependencies: ["CPUID"], path: "Tests/CPUIDTests"),
        .testTarget(name: "X86FeaturesTests", dependencies: ["X86Features"], path: "Tests/X86FeaturesTests"),
        .testTarget(name: "KVMTests", dependencies: ["KVM"], path: "Tests/KVMTests"),
        .testTarget(name: "SGXTests", dependencies: ["SGX"], path: "Tests/SGXTests"),
        .testTarget(name: "FleetTests", dependencies: ["Fleet", "FleetInventory"], path: "Tests/FleetTests"),
        .testTarget(name: "PicturesTests", dependencies: ["Pictures"], path: "Tests/PicturesTests"),
        .testTarget(name: "vcpuidTests", dependencies: ["vcpuid", "vcpuid-fleet", "FleetInventory"], path: "Tests/vcpuidTests"),
    ],
    swiftLanguageModes: [.v6]
)
