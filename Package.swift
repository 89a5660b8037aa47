// swift-tools-version:6.2
import PackageDescription

/// Modules that call C: every unsafe construct in them must be marked `unsafe`, so that each
/// one is visible in review (SE-0458). Their builds show no warnings.
let callsC: [SwiftSetting] = [.strictMemorySafety()]

let package = Package(
    name: "ctagent",
    platforms: [.macOS(.v13)],
    products: [
        // One multi-call binary: ctagentcmd is a link to ctagent (see Makefile).
        .executable(name: "ctagent", targets: ["ctagent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // libyaml from the system (Debian: libyaml-dev), not a vendored copy.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // sd-bus's ABI as types only: libsystemd.so.0 is loaded with dlopen at run time, so the
        // binaries start (and edit configs) on hosts without it.
        .systemLibrary(name: "CSystemd"),
        // Linux system calls missing from Swift's Glibc module (extended attributes).
        .systemLibrary(name: "CLinux"),
        // OpenSSL 3's ABI as types only: libssl.so.3 is loaded with dlopen when a probe needs TLS.
        .systemLibrary(name: "CTLS"),
        // The system calls the tools make, in the spirit of swift-system: errno read at the
        // call, one EINTR loop, descriptors owned by a ~Copyable type.
        .target(name: "SystemCalls", dependencies: ["CLinux", "TimeKeeping"], swiftSettings: callsC),
        .target(name: "YAMLEdit", dependencies: ["CYAML"], swiftSettings: callsC),
        .target(name: "ServiceControl", dependencies: ["CSystemd", "SystemCalls", "TimeKeeping"], swiftSettings: callsC),
        // The proxy list as values (endpoints, credentials, base64), without YAML: what the
        // settings model and the prober share.
        .target(name: "ProxyList"),
        .target(name: "ProxyProbe", dependencies: ["ProxyList", "CTLS", "SystemCalls", "TimeKeeping"], swiftSettings: callsC),
        .target(name: "Audit", dependencies: ["SystemCalls"], swiftSettings: callsC),
        .target(name: "TimeKeeping", swiftSettings: callsC),
        // The durable-file store: lock, atomic replace, backup, path trust, ACLs and xattrs.
        // Knows nothing of agents.
        .target(name: "DurableFile", dependencies: ["SystemCalls", "TimeKeeping"], swiftSettings: callsC),
        .target(name: "AgentConfig", dependencies: ["ProxyList", "YAMLEdit", "SystemCalls"], swiftSettings: callsC),
        // The change as one transaction: plan, check, commit, record, apply, confirm, undo.
        .target(name: "ConfigTransaction", dependencies: ["AgentConfig", "Audit", "DurableFile", "ServiceControl", "SystemCalls",
                                                         "TimeKeeping", "YAMLEdit"]),
        .target(
            name: "CTAgentCommands",
            dependencies: [
                "AgentConfig",
                "Audit",
                "ConfigTransaction",
                "DurableFile",
                "ProxyProbe",
                "TimeKeeping",
                "ServiceControl",
                "SystemCalls",
                "YAMLEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: callsC
        ),
        .executableTarget(name: "ctagent", dependencies: ["CTAgentCommands"]),
        // Helpers every test target shares: temporary folders, running programs.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SystemCallsTests", dependencies: ["SystemCalls", "TestSupport"]),
        .testTarget(name: "TimeKeepingTests", dependencies: ["TimeKeeping"]),
        .testTarget(name: "YAMLEditTests", dependencies: ["YAMLEdit", "CYAML", "TestSupport"]),
        .testTarget(name: "AgentConfigTests", dependencies: ["AgentConfig", "TestSupport"]),
        .testTarget(name: "DurableFileTests", dependencies: ["DurableFile", "TestSupport"]),
        .testTarget(name: "ConfigTransactionTests", dependencies: ["ConfigTransaction", "TestSupport"]),
        .testTarget(name: "CTAgentCommandsTests", dependencies: ["CTAgentCommands", "TestSupport"]),
        .testTarget(name: "ServiceControlTests", dependencies: ["ServiceControl"]),
        .testTarget(name: "ProxyProbeTests", dependencies: ["ProxyProbe", "TestSupport"]),
        .testTarget(name: "AuditTests", dependencies: ["Audit"]),
        .testTarget(name: "EndToEndTests", dependencies: ["AgentConfig", "TestSupport"]),
    ]
)
