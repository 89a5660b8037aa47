import Foundation
import TestSupport
import Testing

/// Issue 20's leak hunt, on the release binary: a config with a secret in every shape we know
/// of, each carrying a unique marker, and every command that prints run on it. No marker may
/// appear in any output (stdout, stderr, JSON, a metrics file, the audit trail), in any form
/// (as written, decoded from base64, in a Basic-authentication header).
enum LeakHunt {
    /// The shapes: (what it is, the YAML lines under `configuration:`, the markers it holds).
    static func shapes(platformPort: UInt16) -> [(shape: String, yaml: String, markers: [String])] {
        [
            ("a base64 proxy password", "  proxy-user: ctuser1\n  proxy-password: \(base64("LEAK01colors"))\n", ["LEAK01colors", base64("LEAK01colors")]),
            ("a double-quoted token over two lines, anchored", "  api-token: &tok \"LEAK02first\n    LEAK03second\"\n  copy-of-token: *tok\n",
             ["LEAK02first", "LEAK03second"]),
            ("a !!binary block with two lines", "  ca-key: !!binary |\n    TEVBSzA0QUFB\n    LEAK05BBBBBB\n", ["TEVBSzA0QUFB", "LEAK05BBBBBB"]),
            ("a PEM private key block", "  private-key: |\n    -----BEGIN PRIVATE KEY-----\n    LEAK06PEMBODY\n    -----END PRIVATE KEY-----\n",
             ["LEAK06PEMBODY"]),
            ("a single-quoted password with an escaped quote", "  password: 'LEAK07''quoted'\n", ["LEAK07'quoted", "LEAK07''quoted"]),
            ("Authorization, bearer, cookie, pin, pass", "  Authorization: Bearer LEAK08auth\n  bearer: LEAK09bearer\n  cookie: session=LEAK10cookie\n"
             + "  pin: LEAK11pin\n  pass: LEAK12pass\n", ["LEAK08auth", "LEAK09bearer", "LEAK10cookie", "LEAK11pin", "LEAK12pass"]),
            ("camelCase and snake_case names", "  apiKey: LEAK13apikey\n  client_secret: LEAK14client\n", ["LEAK13apikey", "LEAK14client"]),
            ("a flow section under a secret name", "  secrets: {db: LEAK15section}\n", ["LEAK15section"]),
            ("a block section under a secret name", "  credentials:\n    value: LEAK16credential\n", ["LEAK16credential"]),
            ("a list named keys", "  keys:\n    - LEAK17listed\n", ["LEAK17listed"]),
            ("a flow list named tokens", "  tokens: [LEAK18flow]\n", ["LEAK18flow"]),
            ("URL user-info", "  telemetry-url: https://user:LEAK19userinfo@127.0.0.1:\(platformPort)/v1\n", ["LEAK19userinfo"]),
            ("an anchor a secret key refers to", "  defaults: &d LEAK20anchored\n  db-password: *d\n", ["LEAK20anchored"]),
            ("a password in a flow list of maps", "  creds: [{password: LEAK21inlist}]\n", ["LEAK21inlist"]),
            ("a proxy-password section", "  proxy-password-store:\n    value: LEAK22store\n", ["LEAK22store"]),
        ]
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func config(proxyPort: UInt16, platformPort: UInt16) -> (text: String, markers: [String]) {
        let shapes = shapes(platformPort: platformPort)
        let text = "# agent\nconfiguration:\n  platform-url: https://127.0.0.1:\(platformPort)\n  proxy: http://127.0.0.1:\(proxyPort)\n"
            + shapes.map(\.yaml).joined() + "  log-level: info\n  newkey: visible-newkey\n"
        // The proxy's Basic credentials, as a proxy would see them.
        let basic = base64("ctuser1:LEAK01colors")
        return (text, shapes.flatMap(\.markers) + [basic])
    }
}

@Suite(.serialized)
struct LeakHuntTests {
    /// Every printing command on the config; returns (command, everything it printed).
    private func outputs(_ box: Sandbox, proxyPort: UInt16, platformPort: UInt16) throws -> [(String, String)] {
        var results: [(String, String)] = []
        func run(_ arguments: [String], stdin: String? = nil) throws {
            let result = try Harness.ctagent(arguments + ["--config", box.config], stdin: stdin)
            results.append((arguments.joined(separator: " "), result.stdout + result.stderr))
        }
        let keys = LeakHunt.shapes(platformPort: platformPort).flatMap { shape in
            shape.yaml.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let colon = line.firstIndex(of: ":") else { return nil }
                return "configuration." + line.dropFirst(2)[..<colon]
            }
        }
        try run(["getConfig"])
        try run(["getConfig", "--json"])
        try run(["getConfig", "--param", keys.joined(separator: ";")])
        try run(["getConfig", "--param", keys.joined(separator: ";"), "--json"])
        try run(["showProxy"])
        try run(["showProxy", "--json"])
        try run(["updateConfig", "--set", "configuration.log-level=debug", "--dryRun"])
        try run(["updateConfig", "--set", "configuration.log-level=debug", "--dryRun", "--json"])
        try run(["updateConfig", "--unset", "configuration.password", "--dryRun"])
        try run(["updateConfig", "--set", "configuration.pin=LEAK23newpin", "--dryRun"])
        try run(["updateConfig", "--set", "configuration.telemetry-url=https://u:LEAK24newinfo@127.0.0.1:1/", "--dryRun"])
        try run(["updateProxy", "--proxy", "http://127.0.0.1:\(proxyPort)", "--proxyUser", "ctuser1", "--proxyPasswordStdin", "--dryRun"],
                stdin: LeakHunt.base64("LEAK25stdin"))
        try run(["testProxy", "--target", "127.0.0.1:\(platformPort)", "--timeout", "2"])
        try run(["testProxy", "--target", "127.0.0.1:\(platformPort)", "--timeout", "2", "--json"])
        let state = try TemporaryFolder()
        try run(["testProxy", "--all", "--timeout", "2", "--json", "--stateDir", state.path, "--prometheus", state.file("m.prom")])
        results.append(("the metrics file", (try? String(contentsOfFile: state.file("m.prom"), encoding: .utf8)) ?? ""))
        // A real edit, then the rollback's diff of the version that holds the secrets.
        try run(["updateConfig", "--set", "configuration.log-level=debug", "--skipRestart", "--json"])
        try run(["updateConfig", "--set", "configuration.pin=LEAK26realpin", "--skipRestart"])
        try run(["rollback", "--dryRun"])
        try run(["rollback", "--skipRestart", "--json"])
        return results
    }

    @Test func noMarkerOfAnySecretShapeReachesAnyOutput() throws {
        // A hostile proxy that echoes the request's Proxy-Authorization header in its reason phrase.
        let echo = try LoopbackServer(.echoProxyAuthorization)
        let platform = try LoopbackPort.closed()
        let (text, markers) = LeakHunt.config(proxyPort: echo.port, platformPort: platform)
        let box = try Sandbox(config: text)
        let all = markers + ["LEAK23newpin", "LEAK24newinfo", "LEAK25stdin", LeakHunt.base64("LEAK25stdin"),
                             LeakHunt.base64("ctuser1:LEAK25stdin"), "LEAK26realpin"]
        var leaks: [String] = []
        let results = try outputs(box, proxyPort: echo.port, platformPort: platform)
        #expect(results.count >= 20)
        for (command, output) in results {
            for marker in all where output.contains(marker) { leaks.append("\(marker) in `\(command.prefix(60))`") }
            #expect(!output.contains("\u{1b}["), "a peer's escape sequence reached the terminal in `\(command)`")
        }
        #expect(leaks.isEmpty, "\(leaks.count) leaks:\n\(leaks.joined(separator: "\n"))")
        // The control: what is not secret is still shown.
        let get = try Harness.ctagent(["getConfig", "--config", box.config])
        #expect(get.stdout.contains("configuration.newkey: visible-newkey"), "\(get.stdout)")
        #expect(get.stdout.contains("configuration.telemetry-url: https://***@127.0.0.1:\(platform)/v1"), "\(get.stdout)")
        #expect(LeakHunt.shapes(platformPort: platform).count >= 12)
    }

    /// The audit trail of a real edit of that config, on a real journal socket.
    @Test(.enabled(if: HostAbilities.privateMounts, "unshare -m (a private mount namespace) is not permitted here"))
    func theAuditTrailHoldsNoMarker() throws {
        let (text, markers) = LeakHunt.config(proxyPort: try LoopbackPort.closed(), platformPort: try LoopbackPort.closed())
        let box = try Sandbox(config: text)
        let edit = [Harness.binary("ctagent"), "updateConfig", "--config", box.config, "--set", "configuration.pin=LEAK27audit",
                    "--set", "configuration.log-level=debug", "--skipRestart"].map { "'\($0)'" }.joined(separator: " ")
        let (result, datagrams) = try received(socketPath: "/run/systemd/journal/socket",
                                               setup: "mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal",
                                               commands: edit, in: box)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!datagrams.isEmpty)
        for marker in markers + ["LEAK27audit"] {
            #expect(!datagrams.contains { $0.contains(marker) }, "\(marker) in the audit trail")
            #expect(!result.stdout.contains(marker) && !result.stderr.contains(marker), "\(marker) in the output")
        }
    }
}

/// The reproductions of issue 20 that are not about a marker in the output.
@Suite struct SecretSlipTests {
    /// `newkey` does not name a secret: no warning about passwords on the command line, no
    /// "holds passwords", and its value is shown.
    @Test func aKeyThatMerelyEndsInKeyIsNotASecret() throws {
        let box = try Sandbox()
        chmod(box.config, 0o644)
        let result = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.newkey=yes", "--allowNewKeys",
                                          "--skipRestart"], environment: ["CTAGENT_ACCEPT_ARGV_SECRETS": "0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("on the command line") && !result.stderr.contains("holds passwords"), "\(result.stderr)")
        #expect(result.stdout.contains("configuration.newkey: (absent) -> yes"), "\(result.stdout)")
    }

    /// A readable config that held passwords before the change leaves them in a readable
    /// backup too: the warning names both files.
    @Test func theWarningNamesABackupThatHoldsThePreviousPasswords() throws {
        let box = try Sandbox(config: Sandbox.sampleConfig.replacingOccurrences(
            of: "  log-level: info\n", with: "  log-level: info\n  proxy-user: ctuser1\n  proxy-password: Y29sb3JzMzIxMQ==\n"))
        chmod(box.config, 0o644)
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", "http://10.10.1.1:3128", "--proxyUser", "ctuser1",
                                          "--proxyPasswordStdin", "--skipRestart"], stdin: "Y29sb3JzMzIxMg==")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("and so can its backup \(box.config).bak (mode 0644); restrict them with: chmod o-r \(box.config) \(box.config).bak"),
                "\(result.stderr)")
    }
}
