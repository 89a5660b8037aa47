import AgentConfig
import ArgumentParser
import Audit
import DurableFile
import Glibc
import ProxyProbe
import TimeKeeping

struct TestProxy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testProxy",
        abstract: "Walk the agent's failover path for real and say which path it would use.",
        discussion: """
            Tries each configured proxy in order, as the agent does: TCP connect (and TLS with the proxy \
            for an https:// proxy), HTTP CONNECT to the platform (with Basic authentication when the proxy \
            has a user), then a TLS handshake with the platform through the tunnel: SNI with its name, the \
            certificate chain verified against the system's trust store (or --caFile), the name checked. \
            It stops at the first path that verifies; when none does, it tries the platform directly (the \
            agent's bypass). Prints every attempt with its outcome (ok with the TLS version and the \
            certificate's subject and issuer; refused, timed out, 407 authentication failed, 403 forbidden, \
            5xx from the proxy; TLS intercepted by the proxy, naming the issuer; certificate self-signed, \
            expired, for another name, not trusted...) and time, then the verdict, which also says when a \
            proxy shows another issuer than the direct path. Each attempt takes at most --timeout seconds. \
            Exits 0 when some path works, 68 when none does.

            With --all it probes every proxy of the list and the direct path, each to every endpoint the \
            agent talks to (every https:// URL of the configuration section, and each --target), all at \
            once (at most 16 probes at a time, each bounded by --timeout), and says which proxies work (a \
            proxy works when it reaches every endpoint), what each one fails, which path the agent takes, \
            and how much redundancy is left: all-working, degraded, last-proxy (if it fails the agent goes \
            direct), direct-only, no-proxies or no-path. --prometheus FILE writes the result as \
            node_exporter textfile metrics (atomically); the state is remembered in --stateDir \
            (default /var/lib/ctagent), and a change of redundancy writes one journal entry \
            (MESSAGE_ID=\(RedundancyEvent.messageID)); an unchanged state writes none. \
            ctagent-proxy-check.timer runs this every 5 minutes once enabled.

            Examples:
              ctagent testProxy
              ctagent testProxy --target platform.example.net:443 --timeout 3 --json
              ctagent testProxy --caFile /etc/ctagent/ca-bundle.pem
              ctagent testProxy --all --target telemetry.example.net:443
              ctagent testProxy --all \\
                  --prometheus /var/lib/prometheus/node-exporter/ctagent.prom
            """ + HelpText.pointer,
        aliases: ["test-proxy"]
    )

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var probe: ProbeOptions

    @Flag(help: "Print one JSON object with every attempt and the verdict.")
    var json = false

    /// Redundancy: every proxy, not only the first that works.
    @Flag(help: "Probe every proxy and the direct path to every endpoint, and report the redundancy.")
    var all = false

    /// For node_exporter's textfile collector.
    @Option(help: ArgumentHelp("With --all: write the result as Prometheus textfile metrics to this file (atomically).",
                               valueName: "file"),
            completion: .file(extensions: ["prom"]))
    var prometheus: String?

    /// Where the last redundancy is remembered, so that a change writes one journal entry.
    @Option(name: [.customLong("stateDir"), .customLong("state-dir")],
            help: ArgumentHelp("With --all: the folder that remembers the last redundancy (default \(TestProxy.defaultStateDirectory)).",
                               valueName: "dir"),
            completion: .directory)
    var stateDir: String?

    static let defaultStateDirectory = "/var/lib/ctagent"

    func validate() throws {
        if !all {
            if prometheus != nil { throw ValidationError("--prometheus only makes sense with --all") }
            if stateDir != nil { throw ValidationError("--stateDir only makes sense with --all") }
            if probe.targets.count > 1 {
                throw ValidationError("--target is given \(probe.targets.count) times; the walk goes to one platform. Use --all to probe several endpoints")
            }
        }
        if prometheus?.isEmpty == true { throw ValidationError("--prometheus is empty; give the metrics file, e.g. /var/lib/prometheus/node-exporter/ctagent.prom") }
    }

    func run() throws {
        if all { return try runAll() }
        let path = configOptions.path
        let config = try configOptions.load()
        let settings = try ErrorReporting.storedProxySettings(config, path: path)
        let target = try ConfigFileError.about(path) { try probe.resolvedTarget(config: config) }
        if !json {
            Console.out("Walking the agent's failover path to \(target) (at most \(formatSeconds(.seconds(probe.timeout))) s per attempt):")
        }
        let walk = FailoverWalk.run(settings, target: target, prober: probe.prober)
        if json {
            JSONOutput.print(WalkReport(walk, target: target))
        } else {
            WalkReport.lines(walk, settings: settings).forEach { Console.out($0) }
        }
        if walk.chosen == nil {
            throw CommandFailure(description: "no path to \(target) works: neither a proxy nor the direct connection reaches it "
                                 + "(the attempts above say why)", status: .noPath, answeredInJSON: json)
        }
    }

    /// --all: the sweep, its report, the metrics file and the redundancy watch.
    private func runAll() throws {
        let path = configOptions.path
        let config = try configOptions.load()
        let settings = try ErrorReporting.storedProxySettings(config, path: path)
        var targets = config.httpsEndpoints().map { ProbeTarget(host: $0.url.host, port: $0.url.port) }
        for given in probe.targets.compactMap(ProbeTarget.init(parsing:)) where !targets.contains(given) { targets.append(given) }
        guard !targets.isEmpty else {
            throw CommandFailure(description: "no endpoint to probe: \(path) has no https:// URL in its configuration section; "
                                 + "give one with --target HOST:PORT", status: .usage)
        }
        if !json {
            Console.out("Probing every path to \(targets.map(\.description).joined(separator: ", ")) "
                        + "(at most \(formatSeconds(.seconds(probe.timeout))) s per attempt, all at once):")
        }
        let sweep = RedundancySweep.run(settings, targets: targets, prober: probe.prober)
        if json {
            JSONOutput.print(RedundancyReport(sweep))
        } else {
            RedundancyReport.lines(sweep).forEach { Console.out($0) }
        }
        if let prometheus {
            var now = timespec()
            unsafe clock_gettime(CLOCK_REALTIME, &now)
            let text = PrometheusMetrics.text(sweep, at: Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
            do {
                try PublishedFile.write(Array(text.utf8), to: prometheus, mode: 0o644)
            } catch {
                Console.error("Warning: the metrics could not be written: \(ErrorMessages.text(for: error))")
            }
        }
        let watch = RedundancyWatch(directory: stateDir ?? TestProxy.defaultStateDirectory, config: path, tool: MultiCall.invokedAs)
        if let problem = watch.update(with: sweep).problem { Console.error("Warning: " + problem) }
        if sweep.agentPath == nil {
            throw CommandFailure(description: "no path reaches every endpoint: neither a proxy nor the direct connection "
                                 + "(the probes above say why)", status: .noPath, answeredInJSON: json)
        }
    }
}
