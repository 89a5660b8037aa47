import ProxyList
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
    /// The probes trusted only a given CA file (not the system's store): advice never asks
    /// for what was given.
    public var trustGiven = false

    /// Proxies that could not be probed from here (https:// without a libssl): they may work.
    public var unprobedProxies: Int {
        attempts.filter { if case .notProbed = $0.outcome { return true } else { return false } }.count
    }

    /// Whether any proxy (not the direct path) works.
    public var aProxyWorks: Bool {
        if case .proxy? = chosen { return true }
        return false
    }

    /// Every path is probed at once; the walk then takes them in the agent's order and stops at
    /// the first that works, so its answer is the ordered walk's while it costs about one
    /// attempt's time, not the sum of them.
    public static func run(_ settings: ProxySettings, target: ProbeTarget, prober: Prober) -> FailoverWalk {
        var route = FailoverRoute(proxyCount: settings.entries.count)
        let paths = route.attemptOrder
        let probed = ConcurrentProbes.run(paths.map { path in
            { @Sendable () -> ProbeOutcome in
                switch path {
                case .proxy(let index): return prober.probe(settings.entries[index], target: target)
                case .direct: return prober.probeDirect(target)
                }
            }
        })
        var attempts: [Attempt] = []
        route.reselect { path in
            guard let position = paths.firstIndex(of: path) else { return false }
            let endpoint: String
            switch path {
            case .proxy(let index): endpoint = settings.entries[index].endpoint.hostPort
            case .direct: endpoint = target.description
            }
            let outcome = probed[position].value
            attempts.append(Attempt(path: path, endpoint: endpoint, outcome: outcome, seconds: probed[position].seconds))
            return outcome.works
        }
        var walk = FailoverWalk(attempts: attempts, chosen: route.current)
        if case .file = prober.trust { walk.trustGiven = true }
        return walk
    }

    /// The verdict in one sentence (and a second when a proxy intercepts TLS).
    public var verdict: String {
        let caveat = unprobedProxies == 0 || aProxyWorks ? ""
            : " (\(unprobedProxies) https:// \(unprobedProxies == 1 ? "proxy" : "proxies") could not be probed and may work)"
        return sentence + caveat + (interceptionNote.map { ". " + $0 } ?? "")
    }

    /// The issuer of the platform's certificate where nothing intercepts it, and who saw it:
    /// the direct path, else a tunnel whose certificate verified.
    var reference: (issuer: String, seenBy: String)? {
        if let direct = attempts.first(where: { if case .direct = $0.path { return true } else { return false } })?.outcome.platformPeer {
            return (direct.issuer, "the direct path")
        }
        for attempt in attempts {
            if case .verified(let peer, _) = attempt.outcome { return (peer.issuer, attempt.path.description) }
        }
        return nil
    }

    /// Whether a proxy substitutes its own certificate: its tunnel shows an untrusted one from
    /// another issuer than the reference path. The same untrusted issuer on every path is the
    /// platform's own certificate not being trusted here, not interception.
    public func intercepts(_ attempt: Attempt) -> Bool {
        guard case .proxy = attempt.path, case .untrustedCertificate(let peer, _, _) = attempt.outcome,
              let reference, reference.issuer != peer.issuer else { return false }
        return true
    }

    /// What the attempt met, in words that take the whole walk into account.
    public func detail(of attempt: Attempt) -> String {
        guard case .untrustedCertificate(let peer, let host, true) = attempt.outcome else { return attempt.outcome.description }
        if intercepts(attempt), let reference {
            return "the proxy intercepts TLS: the certificate for \(host) is issued by '\(peer.issuer)', where \(reference.seenBy) sees one issued by '\(reference.issuer)'"
        }
        if reference == nil {
            return attempt.outcome.description + " (no other path reached the platform to compare: either this proxy intercepts TLS, "
                + "or the platform's certificate is not trusted here)"
        }
        return attempt.outcome.description
    }

    /// The attempt's kind for `--json`, with interception decided by the walk.
    public func kind(of attempt: Attempt) -> String {
        intercepts(attempt) ? "tls-intercepted" : attempt.outcome.kind
    }

    /// When a proxy's tunnel shows a certificate from another issuer than the direct path
    /// (or a verified tunnel) does, the proxy substitutes its own: the most common reason an
    /// agent stays offline. When every path shows the same untrusted issuer, the platform's
    /// certificate is what this host does not trust.
    public var interceptionNote: String? {
        guard let reference else { return nil }
        let differing = attempts.compactMap { attempt -> String? in
            guard intercepts(attempt), case .proxy(let index) = attempt.path, let peer = attempt.outcome.platformPeer else { return nil }
            return "proxy #\(index + 1) presents a certificate issued by '\(peer.issuer)'"
        }
        if differing.isEmpty {
            let untrusted = attempts.compactMap { attempt -> (TLSPeer, String)? in
                if case .untrustedCertificate(let peer, let host, _) = attempt.outcome { return (peer, host) }
                return nil
            }
            guard let (peer, host) = untrusted.first,
                  !attempts.contains(where: { if case .verified = $0.outcome { return true } else { return false } }) else { return nil }
            // The verdict names the real cause: only an untrusted issuer is a trust question.
            switch CertificateProblem(peer) {
            case .untrustedIssuer, .selfSigned:
                return "Every path sees the platform's certificate issued by '\(reference.issuer)', which is not trusted here: no proxy intercepts; "
                    + (trustGiven ? "the CA file given does not hold the CA that issued it"
                        : "give that CA as a trusted CA file or add it to the system's trust store")
            case .wrongName:
                return "Every path sees the same certificate (issued by '\(reference.issuer)'): no proxy intercepts; it is not valid for \(host)"
            case .expired:
                return "Every path sees the same certificate (issued by '\(reference.issuer)'): no proxy intercepts; it has expired"
            case .notYetValid:
                return "Every path sees the same certificate (issued by '\(reference.issuer)'): no proxy intercepts; it is not valid yet (check this host's clock)"
            case .other:
                return "Every path sees the same certificate (issued by '\(reference.issuer)'): no proxy intercepts; it did not verify: \(peer.verifyText)"
            }
        }
        return "P" + differing.joined(separator: " and ").dropFirst() + " where \(reference.seenBy) sees one issued by '\(reference.issuer)': "
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
