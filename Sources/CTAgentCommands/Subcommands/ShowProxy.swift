import AgentConfig
import ArgumentParser

struct ShowProxy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "showProxy",
        abstract: "Show the proxies in failover order, with their users.",
        discussion: """
            Passwords are masked unless --showSecrets is given.

            Example:
              ctagent showProxy --json
            """ + HelpText.pointer,
        aliases: ["show-proxy"]
    )

    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(name: [.customLong("showSecrets"), .customLong("show-secrets")], help: "Show the base64 passwords instead of masking them.")
    var showSecrets = false

    struct Entry: Encodable {
        var position: Int
        /// As the file holds it.
        var proxy: String
        /// The form the tools store, when the file holds another one (HTTP://…).
        var canonical: String?
        var user: String?
        var password: String?
    }

    struct Output: Encodable {
        var config: String
        var proxies: [Entry]
        var direct: Bool
    }

    func run() throws {
        // The output is the secrets, on request: the last filter must not take them out.
        if showSecrets { SecretRegistry.disable() }
        let path = configOptions.path
        let config = try configOptions.load()
        let settings = try ErrorReporting.storedProxySettings(config, path: path)
        let entries = settings.entries.enumerated().map { index, entry in
            Entry(position: index + 1, proxy: entry.endpoint.written,
                  canonical: entry.endpoint.isCanonical ? nil : entry.endpoint.original, user: entry.user,
                  password: entry.encodedPassword.map { showSecrets ? $0 : SecretMask.hidden })
        }
        if json {
            JSONOutput.print(Output(config: path, proxies: entries, direct: entries.isEmpty))
            return
        }
        guard !entries.isEmpty else {
            Console.out("No proxies are configured in \(path): the agent connects directly.")
            return
        }
        Console.out("Proxies in \(path), in failover order:")
        for entry in entries {
            var line = "  #\(entry.position)  \(entry.proxy)"
            if let canonical = entry.canonical { line += "  (not in the canonical form \(canonical); updateProxy writes that)" }
            if let user = entry.user { line += "  user \(user)" }
            if let password = entry.password { line += "  password \(password)" }
            Console.out(line)
        }
        Console.out("The agent uses the first proxy that works and connects directly when none does.")
    }
}
