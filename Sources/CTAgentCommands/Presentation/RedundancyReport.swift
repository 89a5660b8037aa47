import ProxyProbe

/// `testProxy --all` as `--json` prints it: every proxy's probes to every endpoint, the direct
/// path's, the agent's path, and the redundancy.
struct RedundancyReport: Encodable {
    struct Probe: Encodable {
        var endpoint: String
        var outcome: String
        var detail: String
        var seconds: Double
    }

    struct Proxy: Encodable {
        var proxy: Int
        var address: String
        var works: Bool
        var endpoints: [Probe]
    }

    struct Direct: Encodable {
        var works: Bool
        var endpoints: [Probe]
    }

    var targets: [String]
    var proxies: [Proxy]
    var direct: Direct
    var agentPath: String?
    var working: Int
    var configured: Int
    var redundancy: String
    var verdict: String

    init(_ sweep: RedundancySweep) {
        targets = sweep.targets.map(\.description)
        proxies = sweep.addresses.indices.map { index in
            Proxy(proxy: index + 1, address: sweep.addresses[index], works: sweep.works(.proxy(index)),
                  endpoints: sweep.probes(of: .proxy(index)).map(RedundancyReport.probe))
        }
        direct = Direct(works: sweep.directWorks, endpoints: sweep.probes(of: .direct).map(RedundancyReport.probe))
        agentPath = sweep.agentPath?.description
        working = sweep.workingProxies.count
        configured = sweep.configured
        redundancy = sweep.redundancy.rawValue
        verdict = sweep.verdict
    }

    static func probe(_ probe: RedundancySweep.Probe) -> Probe {
        Probe(endpoint: probe.target.description, outcome: probe.outcome.kind, detail: probe.outcome.description,
              seconds: (probe.seconds * 1000).rounded() / 1000)
    }

    /// The sweep in words: each path with its probes, then the agent's path and the verdict.
    static func lines(_ sweep: RedundancySweep) -> [String] {
        func probeLines(_ path: FailoverRoute.Path) -> [String] {
            sweep.probes(of: path).map { "    \($0.target): \($0.outcome.description) [\(Int(($0.seconds * 1000).rounded())) ms]" }
        }
        func state(_ path: FailoverRoute.Path) -> String {
            let failed = sweep.probes(of: path).filter { !$0.outcome.works }.map(\.target.description)
            if failed.isEmpty { return "works" }
            return failed.count == sweep.targets.count ? "fails" : "fails for " + failed.joined(separator: ", ")
        }
        var lines: [String] = []
        for index in sweep.addresses.indices {
            lines.append("  proxy #\(index + 1) \(sweep.addresses[index]): \(state(.proxy(index)))")
            lines += probeLines(.proxy(index))
        }
        lines.append("  direct: \(state(.direct))")
        lines += probeLines(.direct)
        lines.append("The agent's path: \(sweep.agentPath?.description ?? "none").")
        lines.append("Redundancy: \(sweep.redundancy.rawValue) (\(sweep.workingProxies.count) of \(sweep.configured) "
                     + "\(sweep.configured == 1 ? "proxy works" : "proxies work") for every endpoint).")
        lines.append("Verdict: \(sweep.verdict).")
        return lines
    }
}
