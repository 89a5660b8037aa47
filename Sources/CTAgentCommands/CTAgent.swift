import ArgumentParser

/// The tool's version, shown by `--version`.
let toolVersion = "1.0.0"

let subcommandList: [ParsableCommand.Type] = [
    UpdateProxy.self, ClearProxy.self, ShowProxy.self, UpdateConfig.self, GetConfig.self,
    TestProxy.self, EncodePassword.self, Restart.self, Rollback.self,
]

let rootDiscussion = """
    Manages the communication settings of the endpoint-security agent: the ordered list of HTTP \
    proxies it uses to reach its platform, their credentials, and other keys of its config file. \
    Edits keep every other byte of the file (comments, order, quoting), are written atomically, \
    and keep the previous version as config.yaml.bak. After a change the agent service is \
    restarted (systemd over D-Bus, or systemctl) unless --skipRestart is given.
    """ + HelpText.reference

/// `ctagent`: the name used by the agent's documentation for interactive use.
public struct CTAgent: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ctagent",
        abstract: "Configure how the agent reaches its platform: proxies, credentials, settings.",
        discussion: rootDiscussion,
        version: toolVersion,
        subcommands: subcommandList
    )
    public init() {}
}

/// `ctagentcmd`: the same commands under the name the agent's documentation uses for scripts.
public struct CTAgentCmd: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ctagentcmd",
        abstract: "Configure how the agent reaches its platform: proxies, credentials, settings.",
        discussion: rootDiscussion,
        version: toolVersion,
        subcommands: subcommandList
    )
    public init() {}
}

/// The entry point of the one binary. `ctagentcmd` is a link to `ctagent`; the name it was
/// started by decides the name in help, messages and completion scripts.
public enum MultiCall {
    public static func main() {
        let invokedAs = CommandLine.arguments.first.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "ctagent"
        if invokedAs == CTAgentCmd.configuration.commandName {
            CTAgentCmd.main()
        } else {
            CTAgent.main()
        }
    }
}
