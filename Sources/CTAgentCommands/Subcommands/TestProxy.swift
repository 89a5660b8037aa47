import AgentConfig
import ArgumentParser
import ProxyProbe

struct TestProxy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testProxy",
        abstract: "Walk the agent's failover path for real and say which path it would use.",
        discussion: """
            Tries each configured proxy in order, as the agent does: TCP connect, then HTTP CONNECT to the \
            platform (with Basic authentication when the proxy has a user), and stops at the first that \
            works; when none does, tries the platform directly (the agent's bypass). Prints every attempt \
            with its outcome (ok, refused, timed out, 407 authentication failed, 403 forbidden, 5xx from the \
            proxy, not an HTTP proxy...) and time, then the verdict. Each attempt takes at most --timeout \
            seconds. Exits 0 when some path works, 68 when none does.

            Examples:
              ctagent testProxy
              ctagent testProxy --target platform.example.net:443 --timeout 3 --json
            """ + HelpText.reference,
        aliases: ["test-proxy"]
    )

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var probe: ProbeOptions

    @Flag(help: "Print one JSON object with every attempt and the verdict.")
    var json = false

    func run() throws {
        let path = configOptions.path
        try ErrorReporting.run(configPath: path) {
            let config = try AgentConfiguration(bytes: try ConfigStore(path: path).read())
            let settings = try ErrorReporting.storedProxySettings(config, path: path)
            let target = try probe.resolvedTarget(config: config)
            if !json {
                Console.out("Walking the agent's failover path to \(target) (at most \(formatSeconds(probe.timeout)) s per attempt):")
            }
            let walk = FailoverWalk.run(settings, target: target, prober: Prober(timeout: probe.timeout))
            if json {
                JSONOutput.print(WalkReport(walk, target: target))
            } else {
                WalkReport.lines(walk, settings: settings).forEach { Console.out($0) }
            }
            if walk.chosen == nil {
                throw CommandFailure(description: "no path to \(target) works: \(walk.verdict)", exitCode: 68)
            }
        }
    }
}
