import AgentConfig
import ArgumentParser
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

            Examples:
              ctagent testProxy
              ctagent testProxy --target platform.example.net:443 --timeout 3 --json
              ctagent testProxy --caFile /etc/ctagent/ca-bundle.pem
            """ + HelpText.pointer,
        aliases: ["test-proxy"]
    )

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var probe: ProbeOptions

    @Flag(help: "Print one JSON object with every attempt and the verdict.")
    var json = false

    func run() throws {
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
}
