// swift-tools-version: 6.1
import PackageDescription

/// Settings every target of ours shares: Swift 6 mode comes from the tools version; these keep
/// dependencies and existentials visible, as the house plan asks.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "infusiond",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "infusiond", targets: ["infusiond"]),
        .executable(name: "infusionctl", targets: ["infusionctl"]),
        .executable(name: "infusion-sim", targets: ["infusion-sim"]),
        .executable(name: "infusion-bench", targets: ["infusion-bench"]),
        .executable(name: "infusion-hl7", targets: ["infusion-hl7"]),
        .executable(name: "infusion-web", targets: ["infusion-web"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
    ],
    targets: [
        // Pure domain: no I/O, no threads, no wall clock. Imports nothing of ours.
        .target(name: "InfusionCore", swiftSettings: strictSettings),
        // Pure codecs, one folder per device family.
        .target(name: "DeviceProtocols", dependencies: ["InfusionCore"], swiftSettings: strictSettings),
        // The device side of each protocol, plus the patient model.
        .target(
            name: "DeviceSimulators",
            dependencies: ["DeviceProtocols", "InfusionCore"],
            swiftSettings: strictSettings
        ),
        // JSON-lines message types shared by infusiond and infusionctl.
        .target(name: "WireProtocol", swiftSettings: strictSettings),
        // Pure exports of a session's records: report JSON/CSV, HL7 v2.6 (IHE PCD), FHIR R4.
        .target(name: "ClinicalExports", dependencies: ["InfusionCore"], swiftSettings: strictSettings),
        // C only in C targets: peer credentials, eventfd, thread names, variadic wrappers.
        .target(name: "CShims"),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CUdev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        // libxcrypt's crypt(3): yescrypt password hashes for infusion-web's logins, as /etc/shadow keeps them.
        .systemLibrary(name: "CCrypt", pkgConfig: "libxcrypt", providers: [.apt(["libcrypt-dev"])]),
        // umockdev's testbed API, for the in-process udev tests (run under umockdev-wrapper).
        .systemLibrary(name: "CUmockdev", pkgConfig: "umockdev-1.0", providers: [.apt(["libumockdev-dev"])]),
        // The shell: everything that touches the world.
        .target(
            name: "InfusionDaemon",
            dependencies: [
                "InfusionCore", "DeviceProtocols", "WireProtocol", "ClinicalExports", "CShims", "CSystemd", "CUdev",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API for the one call GRDB does not wrap: the write-ahead log's commit hook.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "infusiond",
            dependencies: [
                "InfusionDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // `infusionctl top`'s pure model and renderer: folds status and events into chair panels, renders lines.
        .target(name: "InfusionDashboard", dependencies: ["WireProtocol"], swiftSettings: strictSettings),
        .executableTarget(
            name: "infusionctl",
            dependencies: [
                "WireProtocol", "InfusionDashboard", "CShims",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // The central station's pure parts: the relay that folds infusiond's lines into chair tiles and
        // numbers them for browsers, the server-sent-event framing, the listen address, and the page itself.
        .target(name: "CentralStation", dependencies: ["InfusionDashboard", "WireProtocol"], swiftSettings: strictSettings),
        .executableTarget(
            name: "infusion-web",
            dependencies: [
                "CentralStation", "WireProtocol", "CCrypt",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Plays scripted clinical scenarios and recorded sessions against infusiond (docs/SCENARIOS.md).
        .target(name: "ScenarioRunner", swiftSettings: strictSettings),
        .executableTarget(
            name: "infusion-sim",
            dependencies: [
                "DeviceSimulators", "DeviceProtocols", "InfusionCore", "ScenarioRunner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // The HL7 bridge's pure parts: event fold, IHE PCD message mapping, MLLP framing, ACK parsing and policy,
        // the durable cursor's encoding (docs/INTEGRATION.md). No I/O, no clock.
        .target(
            name: "HL7Bridge",
            dependencies: ["WireProtocol", "ClinicalExports", "InfusionCore"],
            swiftSettings: strictSettings
        ),
        // The bridge's shell: infusiond's socket, the engine's TCP connection, the state file.
        .executableTarget(
            name: "infusion-hl7",
            dependencies: [
                "HL7Bridge", "WireProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        // Counts the control thread's heap allocations; interposes malloc, so only the benchmark links it.
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "infusion-bench",
            dependencies: [
                "InfusionDaemon", "InfusionCore", "CMallocCounter", "CShims", "DeviceSimulators", "DeviceProtocols",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "InfusionCoreTests",
            dependencies: ["InfusionCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        // What several test targets share: the drip-feed of a byte stream into a decoder.
        .target(name: "TestSupport", dependencies: ["DeviceProtocols"], path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "DeviceProtocolsTests",
            dependencies: [
                "DeviceProtocols", "InfusionCore", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DeviceSimulatorsTests",
            dependencies: ["DeviceSimulators", "DeviceProtocols", "InfusionCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "WireProtocolTests", dependencies: ["WireProtocol"], swiftSettings: strictSettings),
        .testTarget(
            name: "CentralStationTests", dependencies: ["CentralStation", "InfusionDashboard", "WireProtocol"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "InfusionDashboardTests", dependencies: ["InfusionDashboard", "WireProtocol"], swiftSettings: strictSettings),
        // Includes a check of the HL7 and FHIR output by hl7apy in .venv-peers (scripts/setup makes it).
        .testTarget(
            name: "ClinicalExportsTests",
            dependencies: [
                "ClinicalExports", "InfusionCore", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "InfusionDaemonTests",
            dependencies: [
                "InfusionDaemon", "WireProtocol", "InfusionCore", "DeviceProtocols", "DeviceSimulators",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // libudev enumeration and hotplug against umockdev's fake devices; needs umockdev-wrapper.
        .testTarget(name: "DiscoveryUdevTests", dependencies: ["InfusionDaemon", "CUmockdev"], swiftSettings: strictSettings),
        .testTarget(
            name: "HL7BridgeTests",
            dependencies: ["HL7Bridge", "ClinicalExports", "InfusionCore", "WireProtocol"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "ScenarioRunnerTests", dependencies: ["ScenarioRunner"], swiftSettings: strictSettings),
        // Drives the built executables over real sockets; needs `swift build` first (scripts/test does it).
        .testTarget(name: "IntegrationTests", dependencies: ["WireProtocol", "CShims"], swiftSettings: strictSettings),
    ]
)
