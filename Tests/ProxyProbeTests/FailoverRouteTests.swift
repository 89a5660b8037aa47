import Glibc
import Testing
import TestSupport
@testable import ProxyProbe
import ProxyList

@Suite struct FailoverRouteTests {
    @Test func atStartTheProxiesAreTriedInOrderThenDirect() {
        #expect(FailoverRoute(proxyCount: 3).attemptOrder == [.proxy(0), .proxy(1), .proxy(2), .direct])
        #expect(FailoverRoute(proxyCount: 0).attemptOrder == [.direct])
    }

    @Test func theFirstWorkingProxyWins() {
        var route = FailoverRoute(proxyCount: 3)
        let tried = route.reselect { $0 == .proxy(1) || $0 == .proxy(2) }
        #expect(tried == [.proxy(0), .proxy(1)])
        #expect(route.current == .proxy(1))
    }

    @Test func aWorkingProxyIsKeptUntilItFails() {
        var route = FailoverRoute(proxyCount: 3)
        route.reselect { $0 == .proxy(1) }
        // Nothing but a failure moves the agent: the chosen proxy stays current.
        #expect(route.current == .proxy(1))
        #expect(route.attemptOrder.first == .proxy(2), "a failure of #2 tries #3 first, not #1 again")
    }

    @Test func whenTheCurrentProxyFailsTheNextOnesAreTriedThenTheEarlierOnes() {
        var route = FailoverRoute(proxyCount: 3, current: .proxy(1))
        #expect(route.attemptOrder == [.proxy(2), .proxy(0), .proxy(1), .direct])
        let tried = route.reselect { $0 == .proxy(0) }
        #expect(tried == [.proxy(2), .proxy(0)])
        #expect(route.current == .proxy(0))
    }

    @Test func whenNoProxyWorksTheAgentGoesDirect() {
        var route = FailoverRoute(proxyCount: 2)
        #expect(route.reselect { $0 == .direct } == [.proxy(0), .proxy(1), .direct])
        #expect(route.current == .direct)
    }

    @Test func fromDirectTheWalkStartsAgainAtTheFirstProxy() {
        var route = FailoverRoute(proxyCount: 2, current: .direct)
        #expect(route.attemptOrder == [.proxy(0), .proxy(1), .direct])
        route.reselect { $0 == .proxy(0) }
        #expect(route.current == .proxy(0))
    }

    @Test func whenNothingWorksThereIsNoRoute() {
        var route = FailoverRoute(proxyCount: 2, current: .proxy(0))
        #expect(route.reselect { _ in false } == [.proxy(1), .proxy(0), .direct])
        #expect(route.current == nil)
    }
}

@Suite struct AnswerClassificationTests {
    @Test(arguments: [
        ("HTTP/1.0 200 Connection established\r\n\r\n", false, Prober.Reply.tunnel(status: 200)),
        ("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", false, .refusal(.authRequired)),
        ("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", true, .refusal(.authFailed)),
        ("HTTP/1.0 401 Unauthorized\r\n\r\n", true, .refusal(.authFailed)),
        ("HTTP/1.1 403 Forbidden\r\n\r\n", true, .refusal(.forbidden)),
        ("HTTP/1.1 502 Bad Gateway\r\n\r\n", false, .refusal(.upstreamError(status: 502, reason: "Bad Gateway"))),
        ("HTTP/1.1 500 Unable to connect\r\n\r\n", false, .refusal(.otherHTTP(status: 500, reason: "Unable to connect"))),
        ("SSH-2.0-OpenSSH_9.2\r\n", false, .refusal(.notHTTPProxy(firstBytes: "'SSH-2.0-OpenSSH_9.2\\x0d\\x0a'"))),
        ("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\n\r\n", true,
         .refusal(.authSchemeUnsupported(offered: ["Negotiate"]))),
        ("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\nProxy-Authenticate: Basic realm=\"x\"\r\n\r\n", true,
         .refusal(.authFailed)),
        ("HTTP/x nonsense", false, .refusal(.notHTTPProxy(firstBytes: "'HTTP/x nonsense'"))),
    ])
    func statusLines(_ answer: String, _ hasUser: Bool, _ expected: Prober.Reply) {
        #expect(Prober.classify(Array(answer.utf8), hasUser: hasUser) == expected)
    }

    @Test(arguments: [("platform.example.net:443", "platform.example.net:443"), ("[fd00::1]:443", "[fd00::1]:443"), ("10.0.0.1:8443", "10.0.0.1:8443")])
    func targets(_ text: String, _ described: String) {
        #expect(ProbeTarget(parsing: text)?.description == described)
    }

    @Test(arguments: ["platform.example.net", "fd00::1:443", "host:0", ":443", "a b:1"])
    func badTargets(_ text: String) {
        #expect(ProbeTarget(parsing: text) == nil)
    }
}

@Suite struct ProberBoundsTests {
    @Test func httpsProxiesAreProbedToo() throws {
        let settings = try ProxyList.ProxySettings(proxies: ["https://127.0.0.1:\(try LoopbackPort.closed())"], users: nil, passwords: nil, names: ProxyFieldNames(proxies: "p", users: "u", passwords: "w"))
        let outcome = Prober(timeout: .seconds(1)).probe(settings.entries[0], target: ProbeTarget(host: "127.0.0.1", port: 9))
        #expect(outcome == .refused)
    }

    /// A label longer than DNS allows (64 characters): the resolver refuses it before sending
    /// a query, so the test sends nothing beyond this host.
    @Test func anUnresolvableTargetIsNamed() {
        let host = String(repeating: "a", count: 64) + ".invalid"
        let outcome = Prober(timeout: .seconds(3)).probeDirect(ProbeTarget(host: host, port: 443))
        switch outcome {
        case .resolveFailed(let name, _): #expect(name == host)
        case .timedOut: break  // a resolver that does not answer within the bound is fine too
        default: Issue.record("unexpected \(outcome)")
        }
    }
}
