import Foundation
import TestSupport
import Testing

private func config(proxies: [String], users: [String]? = nil, passwords: [String]? = nil, platform: String? = nil) -> String {
    var text = "configuration:\n"
    if let platform { text += "  platform-url: \(platform)\n" }
    text += "  proxy: \(proxies.joined(separator: ","))\n"
    if let users { text += "  proxy-user: \(users.joined(separator: ","))\n" }
    if let passwords { text += "  proxy-password: \(passwords.joined(separator: ","))\n" }
    return text
}

private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

@Suite(.enabled(if: TinyProxy.unavailableReason == nil, "needs tinyproxy"),
       .enabled(if: TestCertificates.available, "needs /usr/bin/python3 with cryptography (python3-cryptography)"))
struct TestProxyTests {
    @Test func firstProxyDownSecondUpGivesProxy2() throws {
        let target = try TLSServer(.platform)
        let proxy = try TinyProxy()
        let down = try LoopbackPort.closed()
        let box = try Sandbox(config: config(proxies: ["http://127.0.0.1:\(down)", proxy.url], platform: "https://127.0.0.1:\(target.port)"))
        let result = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", box.config, "--timeout", "10"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1. proxy #1 http://127.0.0.1:\(down): connection refused"), "\(result.stdout)")
        #expect(result.stdout.contains("2. proxy #2 \(proxy.url): ok (tunnel established, TLSv1.3, certificate"), "\(result.stdout)")
        #expect(result.stdout.contains("Verdict: the agent would use proxy #2 (127.0.0.1:\(proxy.port))."), "\(result.stdout)")
        #expect(!result.stdout.contains("3."), "the walk stops at the first proxy that works")
    }

    @Test func allProxiesDownGoesDirect() throws {
        let target = try TLSServer(.platform)
        let box = try Sandbox(config: config(proxies: ["http://127.0.0.1:\(try LoopbackPort.closed())",
                                                       "http://127.0.0.1:\(try LoopbackPort.closed())"]))
        let result = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", box.config, "--target", "127.0.0.1:\(target.port)", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let attempts = object?["attempts"] as? [[String: Any]] ?? []
        #expect(attempts.map { $0["outcome"] as? String } == ["refused", "refused", "ok"])
        #expect(attempts.map { $0["path"] as? String } == ["proxy #1", "proxy #2", "direct"])
        #expect(object?["chosen"] as? String == "direct")
        #expect(object?["verdict"] as? String == "no proxy works; the agent would bypass them and connect directly")
    }

    @Test func nothingWorksIs68() throws {
        let box = try Sandbox(config: config(proxies: ["http://127.0.0.1:\(try LoopbackPort.closed())"]))
        let result = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", box.config, "--target", "127.0.0.1:\(try LoopbackPort.closed())"])
        #expect(result.status == 68)
        #expect(result.stdout.contains("Verdict: no path works"), "\(result.stdout)")
        #expect(result.stderr.hasPrefix("Error: no path to 127.0.0.1:"), "\(result.stderr)")
    }

    @Test func wrongPasswordIsAnAuthFailureAndTheRightOneWorks() throws {
        let target = try TLSServer(.platform)
        let proxy = try TinyProxy(user: "ctuser1", password: "colors3211")
        let wrong = try Sandbox(config: config(proxies: [proxy.url], users: ["ctuser1"], passwords: [base64("wrong-one")]))
        let failed = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", wrong.config, "--target", "127.0.0.1:\(try LoopbackPort.closed())"])
        #expect(failed.stdout.contains("authentication failed: the proxy rejected the configured user or password"), "\(failed.stdout)")
        #expect(!failed.stdout.contains("wrong-one") && !failed.stdout.contains(base64("wrong-one")))
        let none = try Sandbox(config: config(proxies: [proxy.url]))
        let required = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", none.config, "--target", "127.0.0.1:\(target.port)"])
        #expect(required.stdout.contains("proxy authentication required (407), and no user is configured"), "\(required.stdout)")
        let right = try Sandbox(config: config(proxies: [proxy.url], users: ["ctuser1"], passwords: [base64("colors3211")]))
        let ok = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", right.config, "--target", "127.0.0.1:\(target.port)"])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("proxy #1 \(proxy.url): ok (tunnel established"), "\(ok.stdout)")
        #expect(!ok.stdout.contains("colors3211") && !ok.stdout.contains(base64("colors3211")))
    }

    @Test func aProxyThatNeverAnswersTimesOutWithinTheBound() throws {
        let silent = try LoopbackServer(.silent)
        let target = try TLSServer(.platform)
        let box = try Sandbox(config: config(proxies: ["http://127.0.0.1:\(silent.port)"]))
        let started = Date()
        let result = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", box.config, "--target", "127.0.0.1:\(target.port)", "--timeout", "3"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.stdout.contains("timed out after 3 s waiting for the proxy's answer"), "\(result.stdout)")
        #expect(elapsed < 2 * 3 + 1.5, "two attempts of at most 3 s each, took \(elapsed) s")
        #expect(result.status == 0, "the direct path works: \(result.stdout)")
    }

    @Test(arguments: [(LoopbackServer.Behavior.banner("SSH-2.0-OpenSSH_9.2\r\n"), "not an HTTP proxy (it answered 'SSH-2.0-OpenSSH_9.2"),
                      (.hangUp, "the proxy closed the connection without answering")])
    func somethingElseOnThePort(_ behavior: LoopbackServer.Behavior, _ message: String) throws {
        let other = try LoopbackServer(behavior)
        let box = try Sandbox(config: config(proxies: ["http://127.0.0.1:\(other.port)"]))
        let result = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", box.config, "--target", "127.0.0.1:\(try LoopbackPort.closed())", "--timeout", "2"])
        #expect(result.status == 68)
        #expect(result.stdout.contains(message), "\(result.stdout)")
    }

    @Test func aForbiddenTunnelAndAnUnreachableTarget() throws {
        let target = try TLSServer(.platform)
        let strict = try TinyProxy(extraConfig: "ConnectPort 443")
        let box = try Sandbox(config: config(proxies: [strict.url]))
        let forbidden = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", box.config, "--target", "127.0.0.1:\(target.port)"])
        #expect(forbidden.stdout.contains("403 forbidden: the proxy does not allow a tunnel to the platform"), "\(forbidden.stdout)")
        let open = try TinyProxy()
        let other = try Sandbox(config: config(proxies: [open.url]))
        let down = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", other.config, "--target", "127.0.0.1:\(try LoopbackPort.closed())"])
        #expect(down.status == 68)
        #expect(down.stdout.contains("HTTP 500 Unable to connect"), "\(down.stdout)")
    }

    @Test func anIPv6ProxyOnLoopback() throws {
        let ipv6 = try Harness.shell("ip -6 addr show lo | grep -q '::1'")
        try #require(ipv6.status == 0, "this machine has no IPv6 loopback")
        let target = try TLSServer(.platform)
        let proxy = try TinyProxy(address: "::1")
        let box = try Sandbox(config: config(proxies: [proxy.url]))
        let result = try Harness.ctagent(["testProxy", "--caFile", TestCertificates.ca, "--config", box.config, "--target", "127.0.0.1:\(target.port)"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("the agent would use proxy #1 ([::1]:\(proxy.port))"), "\(result.stdout)")
    }

    @Test func updateProxyVerifyRefusesAListWithoutAWorkingProxy() throws {
        let target = try TLSServer(.platform)
        let box = try Sandbox()
        let down = "http://127.0.0.1:\(try LoopbackPort.closed())"
        let refused = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(down)", "--verify", "--caFile", TestCertificates.ca,
                                           "--target", "127.0.0.1:\(target.port)", "--skipRestart"])
        #expect(refused.status == 68)
        #expect(refused.stderr.contains("no proxy in the new list reaches 127.0.0.1:\(target.port); nothing was written"), "\(refused.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
        let forced = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(down)", "--verify", "--caFile", TestCertificates.ca, "--force",
                                          "--target", "127.0.0.1:\(target.port)", "--skipRestart"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(box.read()?.contains("proxy: \(down)") == true)
        let proxy = try TinyProxy()
        let verified = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(proxy.url)", "--verify", "--caFile", TestCertificates.ca,
                                            "--target", "127.0.0.1:\(target.port)", "--skipRestart"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("Verdict: the agent would use proxy #1"), "\(verified.stdout)")
        #expect(box.read()?.contains("proxy: \(proxy.url)") == true)
    }
}
