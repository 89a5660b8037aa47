import AgentConfig
import ArgumentParser
import TimeKeeping
import Glibc
import SystemCalls
import ProxyProbe

/// Where and how long to probe: shared by testProxy and updateProxy --verify.
struct ProbeOptions: ParsableArguments {
    /// Defaults to the host and port of configuration.platform-url. testProxy --all takes several.
    @Option(name: .customLong("target"), parsing: .singleValue,
            help: ArgumentHelp("The platform to reach, HOST:PORT (default: the host and port of configuration.platform-url); "
                               + "with testProxy --all, an endpoint besides the config's https:// URLs (repeatable).",
                               valueName: "host:port"))
    var targets: [String] = []

    /// The one target of a walk.
    var target: String? { targets.first }

    /// Every attempt is bounded, so the whole walk takes at most (proxies + 1) × timeout.
    @Option(name: .customLong("timeout"), parsing: .unconditional,
            help: ArgumentHelp("Seconds allowed for each attempt (connect and answer).", valueName: "seconds"))
    var timeout: Double = 5

    /// The agent may trust its own CA bundle rather than the system's.
    @Option(name: [.customLong("caFile"), .customLong("ca-file")],
            help: ArgumentHelp("Trust only the CA certificates in this PEM file (default: the system's trust store, which SSL_CERT_FILE and SSL_CERT_DIR can change).",
                               valueName: "file"),
            completion: .file())
    var caFile: String?

    /// The prober for these options.
    var prober: Prober { Prober(timeout: .seconds(timeout), trust: caFile.map { .file($0) } ?? .system) }

    func validate() throws {
        if let caFile {
            // Checked here, so that a wrong file is not reported later as every path failing.
            // A pipe (--caFile <(…)) is read once, by OpenSSL: only a regular file is looked into.
            guard let file = try? FileDescriptor.open(caFile, O_RDONLY | O_NONBLOCK | O_NOCTTY),
                  let kind = (try? file.status())?.kind, kind != .directory else {
                throw ValidationError("--caFile \(caFile) cannot be read as a file; give a PEM file of CA certificates")
            }
            if kind == .regular {
                let text = String(decoding: (try? file.readAll(limit: 16 << 20)) ?? [], as: UTF8.self)
                guard ["-----BEGIN CERTIFICATE-----", "-----BEGIN TRUSTED CERTIFICATE-----", "-----BEGIN X509 CERTIFICATE-----"].contains(where: text.contains) else {
                    throw ValidationError("--caFile \(caFile) holds no PEM certificate (-----BEGIN CERTIFICATE-----); give a PEM file of CA certificates")
                }
            }
        }
        guard timeout.isFinite, timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout must be a number of seconds greater than 0 and at most 3600, not '\(formatSeconds(timeout))'")
        }
        for target in targets where ProbeTarget(parsing: target) == nil {
            throw ValidationError("--target '\(target)' is not HOST:PORT, e.g. platform.example.net:443 or [fd00::1]:443")
        }
    }

    /// The target given, else the platform named in the config.
    func resolvedTarget(config: AgentConfiguration) throws -> ProbeTarget {
        if let target, let parsed = ProbeTarget(parsing: target) { return parsed }
        return try ProbeOptions.platformTarget(config: config)
    }

    /// The host and port of the config's platform-url.
    static func platformTarget(config: AgentConfiguration) throws -> ProbeTarget {
        guard let node = try config.node(ConfigKey.platformURL.path), node.kind == .scalar, !node.isNull else {
            throw ConfigValueError.usage("no platform to test against: the config has no \(ConfigKey.platformURL.path); give --target HOST:PORT")
        }
        let platform = try PlatformURL(parsing: node.value)
        return ProbeTarget(host: platform.host, port: platform.port)
    }
}

/// The walk as `--json` prints it.
struct WalkReport: Encodable {
    struct Attempt: Encodable {
        var path: String
        var endpoint: String
        var outcome: String
        var detail: String
        var seconds: Double
        /// The platform's certificate, when a TLS handshake happened.
        var tls: TLS?
    }

    struct TLS: Encodable {
        var version: String
        var subject: String
        var issuer: String
        var verified: Bool
        var verification: String
    }

    var target: String
    var attempts: [Attempt]
    var chosen: String?
    var verdict: String

    init(_ walk: FailoverWalk, target: ProbeTarget) {
        self.target = target.description
        attempts = walk.attempts.map {
            Attempt(path: $0.path.description, endpoint: $0.endpoint, outcome: walk.kind(of: $0),
                    detail: walk.detail(of: $0), seconds: ($0.seconds * 1000).rounded() / 1000,
                    tls: $0.outcome.platformPeer.map {
                        TLS(version: $0.version, subject: $0.subject, issuer: $0.issuer, verified: $0.verified, verification: $0.verifyText)
                    })
        }
        chosen = walk.chosen?.description
        verdict = walk.verdict
    }

    /// One line per attempt, then the verdict.
    static func lines(_ walk: FailoverWalk, settings: ProxySettings) -> [String] {
        walk.attempts.enumerated().map { number, attempt in
            let name: String
            switch attempt.path {
            case .proxy(let index): name = "proxy #\(index + 1) \(settings.entries[index].endpoint.original)"
            case .direct: name = "direct to \(attempt.endpoint)"
            }
            let time = String(Int((attempt.seconds * 1000).rounded())) + " ms"
            return "  \(number + 1). \(name): \(walk.detail(of: attempt)) [\(time)]"
        } + ["Verdict: \(walk.verdict)."]
    }
}
