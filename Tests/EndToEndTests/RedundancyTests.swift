import Foundation
import TestSupport
import Testing

/// A config with the platform and a telemetry host, both TLS peers on loopback.
private func twoEndpointConfig(platform: UInt16, telemetry: UInt16, proxies: [String], users: [String]? = nil,
                               passwords: [String]? = nil) -> String {
    "configuration:\n  platform-url: https://127.0.0.1:\(platform)\n  telemetry-url: https://127.0.0.1:\(telemetry)/v1\n"
        + "  proxy: \(proxies.joined(separator: ","))\n"
        + (users.map { "  proxy-user: '\($0.joined(separator: ","))'\n" } ?? "")
        + (passwords.map { "  proxy-password: '\($0.joined(separator: ","))'\n" } ?? "")
}

private func json(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
}

/// Issue 22 on the release binary: every proxy and the direct path to every endpoint, at once,
/// with tinyproxy instances, silent listeners and a proxy that refuses one endpoint with 403,
/// all on loopback.
@Suite(.enabled(if: TinyProxy.unavailableReason == nil, "needs tinyproxy"),
       .enabled(if: TestCertificates.available, "needs /usr/bin/python3 with cryptography (python3-cryptography)"))
struct RedundancyTests {
    private func run(_ arguments: [String], state: TemporaryFolder) throws -> RunResult {
        try Harness.ctagent(["testProxy", "--all", "--caFile", TestCertificates.ca, "--stateDir", state.path] + arguments)
    }

    @Test func everyProxyWorkingForEveryEndpointIsFullRedundancy() throws {
        let platform = try TLSServer(.platform), telemetry = try TLSServer(.platform)
        let first = try TinyProxy(), second = try TinyProxy()
        let box = try Sandbox(config: twoEndpointConfig(platform: platform.port, telemetry: telemetry.port, proxies: [first.url, second.url]))
        let state = try TemporaryFolder()
        let result = try run(["--config", box.config, "--timeout", "10"], state: state)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Probing every path to 127.0.0.1:\(platform.port), 127.0.0.1:\(telemetry.port)"), "\(result.stdout)")
        #expect(result.stdout.contains("  proxy #1 127.0.0.1:\(first.port): works\n"), "\(result.stdout)")
        #expect(result.stdout.contains("  proxy #2 127.0.0.1:\(second.port): works\n"), "\(result.stdout)")
        #expect(result.stdout.contains("Redundancy: all-working (2 of 2 proxies work for every endpoint)."), "\(result.stdout)")
        #expect(result.stdout.contains("Verdict: all 2 proxies work; the agent uses #1."), "\(result.stdout)")
    }

    /// A proxy that reaches the platform but refuses the telemetry host (CONNECT to that port:
    /// 403) does not work: the agent uses the other one, and nothing is left behind it.
    @Test func aProxyThatRefusesOneEndpointIsNamedAndTheRedundancyIsGone() throws {
        let platform = try TLSServer(.platform), telemetry = try TLSServer(.platform)
        let partial = try TinyProxy(extraConfig: "ConnectPort \(platform.port)")
        let full = try TinyProxy()
        let box = try Sandbox(config: twoEndpointConfig(platform: platform.port, telemetry: telemetry.port, proxies: [partial.url, full.url]))
        let state = try TemporaryFolder()
        let text = try run(["--config", box.config, "--timeout", "10"], state: state)
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("  proxy #1 127.0.0.1:\(partial.port): fails for 127.0.0.1:\(telemetry.port)\n"), "\(text.stdout)")
        #expect(text.stdout.contains("    127.0.0.1:\(telemetry.port): 403 forbidden"), "the 403 is named: \(text.stdout)")
        #expect(text.stdout.contains("The agent's path: proxy #2."), "\(text.stdout)")
        #expect(text.stdout.contains("Verdict: no redundancy left: the agent uses #2 because #1 fails; if #2 fails the agent will bypass to direct."),
                "\(text.stdout)")
        let answer = json(try run(["--config", box.config, "--timeout", "10", "--json"], state: state).stdout)
        #expect(answer["redundancy"] as? String == "last-proxy")
        #expect(answer["working"] as? Int == 1 && answer["configured"] as? Int == 2)
        #expect(answer["agentPath"] as? String == "proxy #2")
        let proxies = answer["proxies"] as? [[String: Any]] ?? []
        let endpoints = (proxies.first?["endpoints"] as? [[String: Any]] ?? []).map { $0["outcome"] as? String }
        #expect(endpoints == ["ok", "forbidden"], "\(proxies)")
    }

    /// The walk probes every path at once and still answers as the ordered walk does; five
    /// proxies that never answer cost about one timeout, not six. The timeout is a budget for
    /// the working path too (CONNECT through tinyproxy, then TLS), on a runner that runs the
    /// whole suite at once on two cores: 4 s, not the 2 s that once ran out there.
    @Test func silentProxiesCostOneTimeoutAndTheAnswerStaysTheOrderedOne() throws {
        let platform = try TLSServer(.platform)
        let silent = try (0..<5).map { _ in try LoopbackServer(.silent) }
        let working = try TinyProxy()
        let proxies = silent.map { "http://127.0.0.1:\($0.port)" } + [working.url]
        let box = try Sandbox(config: "configuration:\n  platform-url: https://127.0.0.1:\(platform.port)\n  proxy: \(proxies.joined(separator: ","))\n")
        let timeout = 4.0
        let started = Date()
        let walk = try Harness.ctagent(["testProxy", "--config", box.config, "--caFile", TestCertificates.ca, "--timeout", "4", "--json"])
        let walkSeconds = Date().timeIntervalSince(started)
        // What each path met, and what tinyproxy logged, so that a failure names its cause.
        let seen = { (result: RunResult) in "\(result.stdout)\(result.stderr)\ntinyproxy's log:\n\(working.log)" }
        #expect(walk.status == 0, "\(seen(walk))")
        #expect(json(walk.stdout)["chosen"] as? String == "proxy #6", "the ordered walk's answer: \(seen(walk))")
        #expect(((json(walk.stdout)["attempts"] as? [[String: Any]]) ?? []).map { $0["outcome"] as? String }
                == ["timed-out", "timed-out", "timed-out", "timed-out", "timed-out", "ok"], "\(seen(walk))")
        #expect(walkSeconds < 2.5 * timeout, "five silent proxies took \(walkSeconds) s, more than 2.5 timeouts")
        let state = try TemporaryFolder()
        let sweepStart = Date()
        let sweep = try run(["--config", box.config, "--timeout", "4", "--json"], state: state)
        let sweepSeconds = Date().timeIntervalSince(sweepStart)
        #expect(json(sweep.stdout)["agentPath"] as? String == "proxy #6", "\(seen(sweep))")
        #expect(json(sweep.stdout)["redundancy"] as? String == "last-proxy", "\(seen(sweep))")
        #expect(sweepSeconds < 2.5 * timeout, "--all with five silent proxies took \(sweepSeconds) s")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool"), "needs promtool (Debian's prometheus)"))
    func theMetricsPassPromtoolAndHoldNoSecret() throws {
        let platform = try TLSServer(.platform), telemetry = try TLSServer(.platform)
        let authenticated = try TinyProxy(user: "ctuser1", password: "colors3211")
        let dead = "http://127.0.0.1:\(try LoopbackPort.closed())"
        let box = try Sandbox(config: twoEndpointConfig(platform: platform.port, telemetry: telemetry.port, proxies: [dead, authenticated.url],
                                                        users: ["", "ctuser1"], passwords: ["", "Y29sb3JzMzIxMQ=="]))
        let state = try TemporaryFolder()
        let metrics = state.file("ctagent.prom")
        let result = try run(["--config", box.config, "--timeout", "10", "--prometheus", metrics], state: state)
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        let judged = try Harness.run("/usr/bin/sh", ["-c", "promtool check metrics < '\(metrics)'"])
        #expect(judged.status == 0, "promtool: \(judged.stdout)\(judged.stderr)")
        #expect(judged.stdout.isEmpty && judged.stderr.isEmpty, "promtool has remarks: \(judged.stdout)\(judged.stderr)")
        #expect(text.contains("ctagent_proxy_up{proxy=\"1\",address=\"127.0.0.1:"), "\(text)")
        #expect(text.contains("ctagent_proxy_up{proxy=\"2\",address=\"127.0.0.1:\(authenticated.port)\",endpoint=\"127.0.0.1:\(telemetry.port)\"} 1"), "\(text)")
        #expect(text.contains("ctagent_agent_path{via=\"proxy 2\"} 1"), "\(text)")
        #expect(text.contains("ctagent_working_proxies 1\n") && text.contains("ctagent_configured_proxies 2\n"), "\(text)")
        #expect(text.contains("ctagent_redundancy_state{state=\"last-proxy\"} 1"), "\(text)")
        for secret in ["ctuser1", "colors3211", "Y29sb3JzMzIxMQ=="] { #expect(!text.contains(secret), "\(secret) in the metrics") }
        let mode = (try FileManager.default.attributesOfItem(atPath: metrics)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o644, "node_exporter (another user) reads it")
        #expect(try FileManager.default.contentsOfDirectory(atPath: state.path).sorted() == ["ctagent.prom", "proxy-redundancy.json"],
                "no temp file is left")
    }

    @Test func theAllOptionsAreCheckedUpFront() throws {
        let box = try Sandbox(config: "configuration:\n  proxy: http://127.0.0.1:9\n")
        let prometheus = try Harness.ctagent(["testProxy", "--config", box.config, "--prometheus", "/tmp/x.prom"])
        #expect(prometheus.status == 64 && prometheus.stderr.contains("--prometheus only makes sense with --all"), "\(prometheus.stderr)")
        let targets = try Harness.ctagent(["testProxy", "--config", box.config, "--target", "127.0.0.1:1", "--target", "127.0.0.1:2"])
        #expect(targets.status == 64 && targets.stderr.contains("Use --all to probe several endpoints"), "\(targets.stderr)")
        let state = try TemporaryFolder()
        let none = try run(["--config", box.config], state: state)
        #expect(none.status == 64, "\(none.stderr)")
        #expect(none.stderr.contains("no endpoint to probe: \(box.config) has no https:// URL in its configuration section"), "\(none.stderr)")
    }
}

/// One journal entry per change of redundancy, none while it holds, on a real journal socket
/// in a private mount namespace.
@Suite(.serialized, .enabled(if: HostAbilities.privateMounts, "unshare -m (a private mount namespace) is not permitted here"),
       .enabled(if: TinyProxy.unavailableReason == nil, "needs tinyproxy"),
       .enabled(if: TestCertificates.available, "needs /usr/bin/python3 with cryptography (python3-cryptography)"))
struct RedundancyJournalTests {
    @Test func aChangeOfRedundancyIsOneEntryAndAnUnchangedOneNone() throws {
        let platform = try TLSServer(.platform)
        let first = try TinyProxy(), second = try TinyProxy()
        let box = try Sandbox(config: "configuration:\n  platform-url: https://127.0.0.1:\(platform.port)\n  proxy: \(first.url),\(second.url)\n")
        let state = try TemporaryFolder()
        let check = ([Harness.binary("ctagent"), "testProxy", "--all", "--config", box.config, "--caFile", TestCertificates.ca,
                      "--stateDir", state.path, "--timeout", "10"]).map { "'\($0)'" }.joined(separator: " ") + " > /dev/null"
        // Healthy twice (a first healthy look is only remembered), then #1 stops: one entry;
        // the same again: none; #1 back: one entry (restored).
        let stopFirst = "'\(TinyProxy.script)' stop '\(first.directory)'"
        let (result, datagrams) = try received(socketPath: "/run/systemd/journal/socket",
                                               setup: "mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal",
                                               commands: "\(check); \(check); \(stopFirst); \(check); \(check)", in: box)
        #expect(result.status == 0, "\(result.stderr)")
        let entries = datagrams.map(fields)
        try #require(entries.count == 1, "one entry for one change: \(entries)")
        let entry = entries[0]
        #expect(entry["MESSAGE_ID"] == "5b8f2e1c9a3d4f6e8b7a0c1d2e3f4a5b")
        #expect(entry["PRIORITY"] == "4", "less redundancy is a warning")
        #expect(entry["CTAGENT_REDUNDANCY"] == "last-proxy" && entry["CTAGENT_PREVIOUS_REDUNDANCY"] == "all-working", "\(entry)")
        #expect(entry["CTAGENT_AGENT_PATH"] == "proxy 2")
        #expect(entry["MESSAGE"]?.contains("failing: #1 (127.0.0.1:\(first.port))") == true, "\(entry)")
        let saved = try String(contentsOfFile: state.file("proxy-redundancy.json"), encoding: .utf8)
        #expect(saved.contains("\"redundancy\":\"last-proxy\""), "\(saved)")
    }
}
