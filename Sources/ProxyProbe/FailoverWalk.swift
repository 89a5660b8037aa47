import AgentConfig
import TimeKeeping

/// The walk the agent does when it (re)connects: each proxy in order until one works, then
/// the direct path, with every attempt probed for real and timed.
public struct FailoverWalk: Sendable {
    public struct Attempt: Sendable {
        public var path: FailoverRoute.Path
        /// `10.10.6.4:3128`, or the target for the direct path.
        public var endpoint: String
        public var outcome: ProbeOutcome
        public var seconds: Double
    }

    public var attempts: [Attempt]
    /// The path the agent would use, or nil when none works.
    public var chosen: FailoverRoute.Path?

    /// Proxies that could not be probed from here (https:// without libssl.so.3): they may work.
    public var unprobedProxies: Int {
        attempts.filter { if case .notProbed = $0.outcome { return true } else { return false } }.count
    }

    /// Whether any proxy (not the direct path) works.
    public var aProxyWorks: Bool {
        if case .proxy? = chosen { return true }
        return false
    }

    public static func run(_ settings: ProxySettings, target: ProbeTarget, prober: Prober) -> FailoverWalk {
        var route = FailoverRoute(proxyCount: settings.entries.count)
        var attempts: [Attempt] = []
        route.reselect { path in
            let started = ContinuousClock.now
            let outcome: ProbeOutcome
            let endpoint: String
            switch path {
            case .proxy(let index):
                endpoint = settings.entries[index].endpoint.hostPort
                outcome = prober.probe(settings.entries[index], target: target)
            case .direct:
                endpoint = target.description
                outcome = prober.probeDirect(target)
            }
            attempts.append(Attempt(path: path, endpoint: endpoint, outcome: outcome, seconds: (ContinuousClock.now - started).inSeconds))
            return outcome.works
        }
        return FailoverWalk(attempts: attempts, chosen: route.current)
    }

    /// The verdict in one sentence (and a second when a proxy intercepts TLS).
    public var verdict: String {
        let caveat = unprobedProxies == 0 || aProxyWorks ? ""
            : " (\(unprobedProxies) https:// \(unprobedProxies == 1 ? "proxy" : "proxies") could not be probed and may work)"
        return sentence + caveat + (interceptionNote.map { ". " + $0 } ?? "")
    }

    /// When a proxy's tunnel shows a certificate from another issuer than the direct path
    /// does, the proxy substitutes its own: the most common reason an agent stays offline.
    public var interceptionNote: String? {
        let direct = attempts.first { if case .direct = $0.path { return true } else { return false } }?.outcome.platformPeer
        guard let direct else { return nil }
        let differing = attempts.compactMap { attempt -> String? in
            guard case .proxy(let index) = attempt.path, let peer = attempt.outcome.platformPeer, peer.issuer != direct.issuer else { return nil }
            return "proxy #\(index + 1) presents a certificate issued by '\(peer.issuer)'"
        }
        guard !differing.isEmpty else { return nil }
        return "P" + differing.joined(separator: " and ").dropFirst() + " where the direct path sees one issued by '\(direct.issuer)': "
            + (differing.count == 1 ? "that proxy intercepts" : "those proxies intercept") + " TLS"
    }

    private var sentence: String {
        switch chosen {
        case .proxy(let index)?:
            return "the agent would use proxy #\(index + 1) (\(attempts.last?.endpoint ?? ""))"
        case .direct?:
            return attempts.count > 1 ? "no proxy works; the agent would bypass them and connect directly"
                : "no proxies are configured; the agent connects directly"
        case nil:
            return "no path works: neither a proxy nor the direct connection reaches the platform"
        }
    }
}
