// swift-tools-version:6.1
// The dependency list below *is* the architecture (ARCHITECTURE.md): arrows point one way.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // Our modules are one program: let release builds specialise generics (the document layer,
    // the JSON encoder, Codable types) across module boundaries instead of calling them through
    // runtime metadata lookups, which were a large share of the store writer's time.
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "atende",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "atende", targets: ["Appliance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Latency percentiles in bench/assistant only; nothing shipped links it.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
    ],
    targets: [
        // System-library shims: a module map and one header each.
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The C library's malloc_trim (glibc), to give freed heap back after live sockets close.
        .systemLibrary(name: "CAllocator"),

        // Crypto: AES-GCM, SHA-256, HMAC, scrypt, constant-time compare, the CSPRNG and the one
        // OpenSSL error check. A leaf: the only target that calls libcrypto, and it imports none of ours.
        // The module is AtendeCrypto because swift-crypto (in the graph through hummingbird-auth and
        // swift-nio-extras) already has a target named Crypto, and SwiftPM wants names unique.
        .target(name: "AtendeCrypto", dependencies: ["COpenSSL"], path: "Sources/Crypto", swiftSettings: strict),

        // Spawn: the one way to start a child process (posix_spawn, reaped by pid), used by backup
        // verify/restore and the tests. Not Foundation's Process: see SpawnedProcess.swift.
        .target(name: "CSpawn"),
        .target(name: "Spawn", dependencies: ["CSpawn"], swiftSettings: strict),

        // Storage: the LMDB document store, group-commit writer, backup/restore, the vault.
        .target(
            name: "Storage",
            dependencies: [
                "CLMDB", "AtendeCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // VectorIndex: SIMD cosine top-k; the per-ISA kernels live in CVectorKernels.
        .target(name: "CVectorKernels"),
        .target(
            name: "VectorIndex",
            dependencies: ["CVectorKernels", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),

        // Assistant: the offline AI pipeline (text in, decision out). No LMDB, no HTTP.
        .target(name: "Assistant", dependencies: ["VectorIndex"], swiftSettings: strict),

        // Desk: the domain (staff, roles, sessions, API tokens, audit, live events). No HTTP types.
        // Crypto for the SHA-256 of session ids and tokens; Desk never calls OpenSSL itself.
        // Assistant for the knowledge index the Knowledge area keeps; SwiftCSV reads its CSV imports.
        .target(
            name: "Desk",
            dependencies: [
                "Storage", "AtendeCrypto", "Channels", "Assistant",
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Channels: the outside world's wire formats (WhatsApp Cloud API; Twilio later) as plain
        // values. Knows no Desk and no Storage.
        .target(name: "Channels", dependencies: ["CCurl", "AtendeCrypto"], swiftSettings: strict),

        // Web: the Hummingbird face: parse, authorise, call Desk, encode; serves the dashboard.
        .target(
            name: "Web",
            dependencies: [
                "Desk", "Storage", "Channels", "CAllocator", "Assistant",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Dashboard"],
            swiftSettings: strict,
            plugins: ["EmbedDashboard"]
        ),
        // Embeds Sources/Web/Dashboard/** as one base64 literal per file (STYLE.md §6).
        .executableTarget(name: "EmbedDashboardTool", swiftSettings: strict),
        .plugin(name: "EmbedDashboard", capability: .buildTool(), dependencies: ["EmbedDashboardTool"]),

        // Appliance: the `atende` executable, CLI commands, configuration and wiring.
        .executableTarget(
            name: "Appliance",
            dependencies: [
                "Storage", "Desk", "Web", "Assistant", "Spawn",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Test support, never shipped.
        .target(
            name: "AtendeTesting",
            dependencies: [
                "Storage", "Spawn",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/AtendeTesting",
            swiftSettings: strict
        ),
        // A writer process for the crash test: acknowledges writes to a ledger after commit.
        .executableTarget(
            name: "CrashWriter",
            dependencies: ["Storage", .product(name: "Logging", package: "swift-log")],
            path: "Tests/CrashWriter",
            swiftSettings: strict
        ),
        .testTarget(
            name: "AtendeCryptoTests", dependencies: ["AtendeCrypto", "COpenSSL"], path: "Tests/CryptoTests",
            swiftSettings: strict
        ),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "AtendeCrypto", "AtendeTesting"], swiftSettings: strict),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex"], swiftSettings: strict),
        .testTarget(name: "AssistantTests", dependencies: ["Assistant"], swiftSettings: strict),
        .testTarget(name: "ChannelsTests", dependencies: ["Channels", "AtendeTesting"], swiftSettings: strict),
        .testTarget(
            name: "DeskTests",
            dependencies: [
                "Desk", "Storage", "Channels", "AtendeCrypto", "AtendeTesting", "Assistant",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Desk", "Storage", "Channels", "AtendeCrypto", "AtendeTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ApplianceTests",
            dependencies: ["Appliance", "AtendeTesting", "Storage", "AtendeCrypto", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),

        // Benchmarks (release builds; see bench/README.md).
        .executableTarget(
            name: "StorageBench",
            dependencies: ["Storage", .product(name: "Logging", package: "swift-log")],
            path: "bench/storage",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "AssistantBench",
            dependencies: ["Assistant", .product(name: "Histogram", package: "hdrhistogram-swift")],
            path: "bench/assistant/swift",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "AppointmentsBench",
            dependencies: ["Desk", "Storage", "Channels", "Assistant", "AtendeTesting", .product(name: "Histogram", package: "hdrhistogram-swift")],
            path: "bench/appointments",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "VectorBench",
            dependencies: ["VectorIndex", "CVectorKernels"],
            path: "bench/vector/swift",
            swiftSettings: strict
        ),
    ]
)
