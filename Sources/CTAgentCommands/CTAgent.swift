import DurableFile
import AgentConfig
import ArgumentParser
import Glibc

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
    /// The name the binary was started by (`ctagent`, `ctagentcmd`): in help, and as the
    /// audit trail's SYSLOG_IDENTIFIER.
    static let invokedAs: String = CommandLine.arguments.first.flatMap { $0.split(separator: "/").last.map(String.init) } ?? "ctagent"

    /// The one exit point: every command's outcome becomes the process's status here.
    public static func main() {
        // Process-wide set-up lives here, not in the libraries.
        ProcessSignals.install()
        let arguments = Array(CommandLine.arguments.dropFirst())
        exit(invokedAs == CTAgentCmd.configuration.commandName ? run(CTAgentCmd.self, arguments) : run(CTAgent.self, arguments))
    }

    /// Parses and runs one command line; the only `catch` that reports, so every error meets
    /// the same mapping to a named status (`ErrorReporting`).
    static func run<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String]) -> Int32 {
        var arguments = arguments
        // Scripts that asked for JSON get their errors as JSON too, parse errors included.
        unsafe ErrorReporting.jsonRequested = arguments.contains { $0 == "--json" || $0.hasPrefix("--json=") }
        do {
            try normalizeSubcommand(&arguments)
            var command = try root.parseAsRoot(arguments)
            try command.run()
            return ExitStatus.success.rawValue
        } catch {
            return ErrorReporting.report(error, root: root)
        }
    }

    /// `updateproxy` means `updateProxy`: subcommand names are matched without regard to case,
    /// also after `help`. Throws when the word is no subcommand at all, naming the closest one.
    static func normalizeSubcommand(_ arguments: inout [String]) throws(CommandFailure) {
        let position = arguments.first == "help" ? 1 : 0
        guard arguments.indices.contains(position), !arguments[position].hasPrefix("-") else { return }
        let word = arguments[position]
        let names = subcommandList.flatMap { [$0.configuration.commandName ?? ""] + $0.configuration.aliases }
        if names.contains(word) { return }
        if let match = names.first(where: { $0.lowercased() == word.lowercased() }) {
            arguments[position] = match
            return
        }
        let canonical = subcommandList.compactMap { $0.configuration.commandName }
        let suggestion = ConfigKey.suggestion(for: word, among: canonical)
        throw CommandFailure(description: "'\(word)' is not a subcommand" + (suggestion.map { "; did you mean \($0)?" } ?? ".")
                             + " Subcommands: " + canonical.joined(separator: ", "), status: .usage)
    }
}
