import ProxyProbe

/// The sweep as node_exporter's textfile collector reads it (the Prometheus text format,
/// version 0.0.4): HELP and TYPE before each family, base units (seconds), gauges. Labels
/// hold proxy numbers, addresses and endpoints: never a user or a password.
enum PrometheusMetrics {
    static func text(_ sweep: RedundancySweep, at unixTime: Double) -> String {
        var out = ""
        func family(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for sample in samples {
                let labels = sample.labels.isEmpty ? ""
                    : "{" + sample.labels.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",") + "}"
                out += "\(name)\(labels) \(number(sample.value))\n"
            }
        }
        let proxyProbes = sweep.addresses.indices.flatMap { index in sweep.probes(of: .proxy(index)).map { (index, $0) } }
        family("ctagent_proxy_up", "Whether the proxy reaches the endpoint with a verified TLS handshake through its tunnel (1) or not (0).",
               proxyProbes.map { index, probe in
                   ([("proxy", String(index + 1)), ("address", sweep.addresses[index]), ("endpoint", probe.target.description)],
                    probe.outcome.works ? 1 : 0)
               })
        family("ctagent_proxy_probe_duration_seconds", "How long the probe of the proxy to the endpoint took.",
               proxyProbes.map { index, probe in
                   ([("proxy", String(index + 1)), ("address", sweep.addresses[index]), ("endpoint", probe.target.description)],
                    probe.seconds)
               })
        family("ctagent_direct_up", "Whether the direct path reaches the endpoint with a verified TLS handshake (1) or not (0).",
               sweep.probes(of: .direct).map { ([("endpoint", $0.target.description)], $0.outcome.works ? 1 : 0) })
        family("ctagent_direct_probe_duration_seconds", "How long the probe of the direct path to the endpoint took.",
               sweep.probes(of: .direct).map { ([("endpoint", $0.target.description)], $0.seconds) })
        let paths = sweep.addresses.indices.map { "proxy \($0 + 1)" } + ["direct", "none"]
        let current = sweep.agentPath.map { path -> String in
            if case .proxy(let index) = path { return "proxy \(index + 1)" }
            return "direct"
        } ?? "none"
        family("ctagent_agent_path", "The path the agent takes now, by its failover rule (1 for the path in use, 0 for the others).",
               paths.map { ([("via", $0)], $0 == current ? 1 : 0) })
        family("ctagent_working_proxies", "Proxies that reach every endpoint.", [([], Double(sweep.workingProxies.count))])
        family("ctagent_configured_proxies", "Proxies in the agent's list.", [([], Double(sweep.configured))])
        family("ctagent_redundancy_state", "The proxies' redundancy (1 for the current state, 0 for the others).",
               RedundancySweep.Redundancy.allCases.map { ([("state", $0.rawValue)], $0 == sweep.redundancy ? 1 : 0) })
        family("ctagent_last_probe_timestamp_seconds", "When the probes ran, in seconds since the Unix epoch.", [([], unixTime)])
        return out
    }

    /// The text format's label escapes: backslash, double quote, line feed.
    static func escaped(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            .replacing("\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
