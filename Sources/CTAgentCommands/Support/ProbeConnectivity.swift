import AgentConfig
import ConfigTransaction
import ProxyProbe

/// The confirm step's path check: testProxy's walk on the new version of the file, with the
/// probe options when the command has them (updateProxy's --target, --timeout, --caFile).
struct ProbeConnectivity: ConnectivityChecking {
    /// --target, when given; else the platform named in the new file.
    var target: ProbeTarget?
    var prober: Prober

    /// The walk as updateProxy's probe options say, or with the defaults (5 s per attempt,
    /// the system's trust store) for commands that have none.
    init(probe: ProbeOptions?) {
        target = probe?.target.flatMap(ProbeTarget.init(parsing:))
        prober = probe?.prober ?? Prober(timeout: .seconds(5), trust: .system)
    }

    func check(_ config: AgentConfiguration, within limit: Duration) -> ConnectivityResult {
        let settings: ProxySettings
        do {
            settings = try config.proxySettings()
        } catch {
            return ConnectivityResult(chosen: nil, proxies: 0, report: ["the new file's proxy settings cannot be used: \(error)"])
        }
        let target: ProbeTarget
        do {
            target = try self.target ?? ProbeOptions.platformTarget(config: config)
        } catch {
            return ConnectivityResult(chosen: nil, proxies: settings.entries.count,
                                      report: ["no platform to probe: \(ErrorMessages.text(for: error, configPath: nil))"])
        }
        // The walk's attempts run at once, so capping each at what is left of the window
        // bounds the whole walk by it.
        var prober = self.prober
        prober.timeout = min(prober.timeout, limit)
        let walk = FailoverWalk.run(settings, target: target, prober: prober)
        let chosen: ConnectivityResult.Path?
        switch walk.chosen {
        case .proxy(let index)?: chosen = .proxy(index)
        case .direct?: chosen = .direct
        case nil: chosen = nil
        }
        return ConnectivityResult(chosen: chosen, proxies: settings.entries.count,
                                  report: ["The agent's path to \(target) with the new file:"] + WalkReport.lines(walk, settings: settings))
    }
}
