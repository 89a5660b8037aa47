import ProxyList

/// Every proxy of the list and the direct path, each to every endpoint the agent talks to,
/// probed at once: which proxies work (a proxy works when it reaches every endpoint), what
/// each one fails, which path the agent takes, and how much redundancy is left. The walk
/// (`FailoverWalk`) answers "which path now"; the sweep answers "what happens if it fails".
public struct RedundancySweep: Sendable {
    public struct Probe: Sendable {
        public var path: FailoverRoute.Path
        public var target: ProbeTarget
        public var outcome: ProbeOutcome
        public var seconds: Double
    }

    /// Each proxy's `HOST:PORT`, in the list's order.
    public var addresses: [String]
    public var targets: [ProbeTarget]
    /// Each proxy's probes, one per target, then the direct path's.
    public var probes: [Probe]

    public static func run(_ settings: ProxySettings, targets: [ProbeTarget], prober: Prober) -> RedundancySweep {
        let paths = settings.entries.indices.map { FailoverRoute.Path.proxy($0) } + [.direct]
        let pairs = paths.flatMap { path in targets.map { (path, $0) } }
        let probed = ConcurrentProbes.run(pairs.map { path, target in
            { @Sendable () -> ProbeOutcome in
                switch path {
                case .proxy(let index): return prober.probe(settings.entries[index], target: target)
                case .direct: return prober.probeDirect(target)
                }
            }
        })
        let probes = zip(pairs, probed).map { pair, result in
            Probe(path: pair.0, target: pair.1, outcome: result.value, seconds: result.seconds)
        }
        return RedundancySweep(addresses: settings.entries.map(\.endpoint.hostPort), targets: targets, probes: probes)
    }

    public func probes(of path: FailoverRoute.Path) -> [Probe] { probes.filter { $0.path == path } }

    /// Reaches every endpoint.
    public func works(_ path: FailoverRoute.Path) -> Bool { probes(of: path).allSatisfy(\.outcome.works) }

    public var configured: Int { addresses.count }
    public var workingProxies: [Int] { addresses.indices.filter { works(.proxy($0)) } }
    public var failingProxies: [Int] { addresses.indices.filter { !works(.proxy($0)) } }
    public var directWorks: Bool { works(.direct) }

    /// What the agent does: the first proxy in order that works, else the direct path when it
    /// works, else nothing.
    public var agentPath: FailoverRoute.Path? {
        if let first = workingProxies.first { return .proxy(first) }
        return directWorks ? .direct : nil
    }

    public enum Redundancy: String, Sendable, CaseIterable {
        /// Every configured proxy works.
        case allWorking = "all-working"
        /// Some fail, and at least two still work.
        case degraded
        /// One proxy works: if it fails, the agent goes direct (or loses the platform).
        case lastProxy = "last-proxy"
        /// No proxy works; the direct path does.
        case directOnly = "direct-only"
        /// No proxies are configured; the direct path works.
        case noProxies = "no-proxies"
        /// Nothing reaches every endpoint.
        case noPath = "no-path"
    }

    public var redundancy: Redundancy {
        let working = workingProxies.count
        if configured == 0 { return directWorks ? .noProxies : .noPath }
        if working == configured { return .allWorking }
        if working >= 2 { return .degraded }
        if working == 1 { return .lastProxy }
        return directWorks ? .directOnly : .noPath
    }

    /// The verdict in an admin's words.
    public var verdict: String {
        let failing = failingProxies.map { "#\($0 + 1)" }
        let fallback = directWorks ? "the agent will bypass to direct" : "the host loses the platform (the direct path fails too)"
        switch redundancy {
        case .allWorking:
            return configured == 1 ? "the only proxy works; the agent uses it, and if it fails \(fallback)"
                : "all \(configured) proxies work; the agent uses #1"
        case .degraded:
            let used = workingProxies[0] + 1
            return "\(workingProxies.count) of \(configured) proxies work; the agent uses #\(used)"
                + (used > 1 ? " because \(list(Array(failing.prefix(used - 1)))) \(used - 1 == 1 ? "fails" : "fail")" : "")
                + "; \(list(failing)) \(failing.count == 1 ? "fails" : "fail")"
        case .lastProxy:
            let used = workingProxies[0] + 1
            return "no redundancy left: the agent uses #\(used)" + (used > 1 ? " because \(list(Array(failing.prefix(used - 1)))) \(used - 1 == 1 ? "fails" : "fail")" : "")
                + "; if #\(used) fails \(fallback)"
        case .directOnly:
            return "no proxy works; the agent bypasses them and connects directly"
        case .noProxies:
            return "no proxies are configured; the agent connects directly"
        case .noPath:
            return "no path works: neither a proxy nor the direct connection reaches every endpoint"
        }
    }

    /// "#1", "#1 and #2", "#1, #2 and #3".
    private func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
