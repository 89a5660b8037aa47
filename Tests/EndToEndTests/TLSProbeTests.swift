import Foundation
import TestSupport
import Testing

/// Issue 13 on the binaries that ship: testProxy goes as far as the agent does, a verified
/// TLS handshake with the platform (through the tunnel, or inside an https:// proxy's TLS),
/// and names interception and certificate problems. Every peer is on 127.0.0.1.
private func config(proxies: [String]) -> String {
    "configuration:\n  proxy: \(proxies.joined(separator: ","))\n"
}

private let intercepting = "/O=ctagent tests/CN=Corp TLS Inspection CA"
private let testCA = "/O=ctagent tests/CN=ctagent Test Root CA"

@Suite(.enabled(if: TinyProxy.unavailableReason == nil, "needs tinyproxy"),
       .enabled(if: TestCertificates.available, "needs /usr/bin/python3 with cryptography (python3-cryptography)"))
struct TLSProbeTests {
    private func walk(_ box: Sandbox, _ platform: TLSServer, json: Bool = false, trust: Bool = true) throws -> RunResult {
        try Harness.ctagent(["testProxy", "--config", box.config, "--target", platform.address, "--timeout", "5"]
                            + (trust ? ["--caFile", TestCertificates.ca] : []) + (json ? ["--json"] : []))
    }

    @Test func interceptionIsNamedAndTheWalkMovesOn() throws {
        let platform = try TLSServer(.platform)
        let interceptor = try TLSServer(.intercepting, certificate: "intercept")
        let clean = try TinyProxy()
        let box = try Sandbox(config: config(proxies: ["http://\(interceptor.address)", clean.url]))
        let result = try walk(box, platform)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1. proxy #1 http://\(interceptor.address): the proxy intercepts TLS: the certificate for 127.0.0.1 is issued by '\(intercepting)', where proxy #2 sees one issued by '\(testCA)'"), "\(result.stdout)")
        #expect(result.stdout.contains("2. proxy #2 \(clean.url): ok (tunnel established, TLSv1.3, certificate '/O=ctagent tests/CN=platform.test' issued by '\(testCA)', verified)"), "\(result.stdout)")
        #expect(result.stdout.contains("Verdict: the agent would use proxy #2"), "\(result.stdout)")
    }

    @Test func anInterceptingProxyAloneSendsTheAgentDirectAndTheIssuersAreCompared() throws {
        let platform = try TLSServer(.platform)
        let interceptor = try TLSServer(.intercepting, certificate: "intercept")
        let box = try Sandbox(config: config(proxies: ["http://\(interceptor.address)"]))
        let result = try walk(box, platform, json: true)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let attempts = object["attempts"] as? [[String: Any]] ?? []
        #expect(attempts.map { $0["outcome"] as? String } == ["tls-intercepted", "ok"])
        let tls = attempts.first?["tls"] as? [String: Any]
        #expect(tls?["issuer"] as? String == intercepting)
        #expect(tls?["verified"] as? Bool == false)
        #expect(tls?["verification"] as? String == "unable to get local issuer certificate")
        #expect((attempts.last?["tls"] as? [String: Any])?["verified"] as? Bool == true)
        #expect((object["verdict"] as? String)?.contains("Proxy #1 presents a certificate issued by '\(intercepting)' where the direct path sees one issued by '\(testCA)': that proxy intercepts TLS") == true, "\(object["verdict"] ?? "")")
    }

    /// A proxy that accepts the tunnel and then drops it is said to do so, not to have closed
    /// "without answering".
    @Test func aTunnelDroppedDuringTLSIsNamed() throws {
        let platform = try TLSServer(.platform)
        let dropper = try LoopbackServer(.replyThenHangUp("HTTP/1.1 200 Connection established\r\n\r\n"))
        let box = try Sandbox(config: config(proxies: ["http://127.0.0.1:\(dropper.port)"]))
        let result = try walk(box, platform, json: true)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let first = (object["attempts"] as? [[String: Any]])?.first
        #expect(first?["outcome"] as? String == "tls-closed", "\(result.stdout)")
        #expect((first?["detail"] as? String)?.hasPrefix("tunnel established (HTTP 200), but closed during the TLS handshake") == true, "\(result.stdout)")
    }

    @Test func anUntrustedPlatformCertificateMeansNoPathWorks() throws {
        let platform = try TLSServer(.platform)
        let clean = try TinyProxy()
        let box = try Sandbox(config: config(proxies: [clean.url]))
        // Without --caFile the system's trust store is used, which does not hold the test CA.
        let result = try walk(box, platform, trust: false)
        #expect(result.status == 68, "\(result.stdout)")
        // The same untrusted issuer through the proxy and directly: not interception.
        #expect(!result.stdout.contains("intercepts TLS:"), "\(result.stdout)")
        #expect(result.stdout.contains("1. proxy #1 \(clean.url): the certificate for 127.0.0.1 is issued by '\(testCA)', which this host does not trust"), "\(result.stdout)")
        #expect(result.stdout.contains("direct to \(platform.address): the certificate for 127.0.0.1 is issued by '\(testCA)', which this host does not trust"), "\(result.stdout)")
        #expect(result.stdout.contains("Every path sees the platform's certificate issued by '\(testCA)', which is not trusted here: no proxy intercepts"), "\(result.stdout)")
        #expect(result.stderr.hasPrefix("Error: no path to \(platform.address) works"), "\(result.stderr)")
    }

    @Test(arguments: [("expired", "the certificate for 127.0.0.1 ('/O=ctagent tests/CN=platform.test', issued by '\(testCA)') has expired"),
                      ("wrong-name", "the certificate '/O=ctagent tests/CN=other.example' (issued by '\(testCA)') is not valid for 127.0.0.1"),
                      ("selfsigned", "the certificate for 127.0.0.1 is self-signed ('/O=ctagent tests/CN=platform.test'); this host does not trust it")])
    func certificateProblemsAreWorded(certificate: String, sentence: String) throws {
        let platform = try TLSServer(.platform, certificate: certificate)
        let box = try Sandbox(config: config(proxies: []))
        let result = try walk(box, platform)
        #expect(result.status == 68)
        #expect(result.stdout.contains(sentence), "\(result.stdout)")
    }

    /// Issue 25: a certificate from the given CA but for another name, through a proxy and
    /// directly: the verdict names the wrong name, and never asks for the CA file it was given.
    @Test func theVerdictNamesTheRealCauseAndNeverAsksForWhatWasGiven() throws {
        let platform = try TLSServer(.platform, certificate: "wrong-name")
        let clean = try TinyProxy()
        let box = try Sandbox(config: config(proxies: [clean.url]))
        let result = try walk(box, platform)
        #expect(result.status == 68)
        #expect(result.stdout.contains("Every path sees the same certificate (issued by '\(testCA)'): no proxy intercepts; it is not valid for 127.0.0.1"),
                "\(result.stdout)")
        #expect(!result.stdout.contains("not trusted here") && !result.stdout.contains("trusted CA file"), "\(result.stdout)")
    }

    @Test func anHTTPSProxyIsProbedThroughTLSInTLS() throws {
        let platform = try TLSServer(.platform)
        let proxy = try TLSServer(.httpsProxy, certificate: "proxy")
        let box = try Sandbox(config: config(proxies: ["https://\(proxy.address)"]))
        let result = try walk(box, platform)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1. proxy #1 https://\(proxy.address): ok (tunnel established, TLSv1.3"), "\(result.stdout)")
        #expect(result.stdout.contains("Verdict: the agent would use proxy #1"), "\(result.stdout)")
        #expect(!result.stdout.contains("not probed"))
    }

    @Test func aPlainHTTPProxyGivenAsHTTPSIsNamed() throws {
        let platform = try TLSServer(.platform)
        // One that answers anything with an HTTP error at once (as nginx does)...
        let answering = try LoopbackServer(.banner("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
        let box = try Sandbox(config: config(proxies: ["https://127.0.0.1:\(answering.port)"]))
        let result = try walk(box, platform)
        #expect(result.stdout.contains("1. proxy #1 https://127.0.0.1:\(answering.port): the proxy answered TLS with plain HTTP"), "\(result.stdout)")
        #expect(result.stdout.contains("configure it as http:// instead of https://"), "\(result.stdout)")
        // ...and tinyproxy, which waits for the end of a request line that never comes.
        let plain = try TinyProxy()
        let other = try Sandbox(config: config(proxies: ["https://127.0.0.1:\(plain.port)"]))
        let waited = try Harness.ctagent(["testProxy", "--config", other.config, "--target", platform.address, "--timeout", "1",
                                          "--caFile", TestCertificates.ca])
        // tinyproxy reads the ClientHello as a request line up to its first 0x0A byte; when the
        // random bytes after it hold a second one, it answers 400 at once (a few in a thousand).
        #expect(waited.stdout.contains("timed out after 1 s waiting for the proxy's TLS answer (a plain HTTP proxy must be given as http://)")
                || waited.stdout.contains("the proxy answered TLS with plain HTTP"), "\(waited.stdout)")
    }
}
