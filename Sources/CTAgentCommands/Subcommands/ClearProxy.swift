import AgentConfig
import ConfigTransaction
import ArgumentParser

struct ClearProxy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clearProxy",
        abstract: "Remove all proxies: the agent connects directly.",
        discussion: """
            Removes configuration.proxy, configuration.proxy-user and configuration.proxy-password. \
            Every other line of the file stays as it is.

            Example:
              ctagent clearProxy --dryRun
            """ + HelpText.pointer,
        aliases: ["clear-proxy"]
    )

    @OptionGroup var write: WriteOptions

    func run() throws {
        try write.runChange(ConfigTransaction.editing { config in
            try ConfigChange.replacingProxies(with: .empty, in: config)
        })
    }
}
