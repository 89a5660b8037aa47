import AgentConfig
import ArgumentParser

struct GetConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "getConfig",
        abstract: "Print values of the agent's config file.",
        discussion: """
            Prints `key: value` lines for the keys named by --param (';'-separated), or for every key. \
            Lists print comma-separated; secrets are masked unless --showSecrets.

            Examples:
              ctagentcmd getConfig
              ctagentcmd getConfig --param 'configuration.proxy;configuration.proxy-user' --json
            """ + HelpText.reference,
        aliases: ["get-config"]
    )

    @Option(name: .customLong("param"),
            help: ArgumentHelp("Dotted keys to print, ';'-separated (default: all).", valueName: "keys"),
            completion: KeyCompletion.completion(.list))
    var param: String?

    @OptionGroup var configOptions: ConfigOptions

    @Flag(help: "Print one JSON object of key to value.")
    var json = false

    @Flag(name: [.customLong("showSecrets"), .customLong("show-secrets")], help: "Show secret values instead of masking them.")
    var showSecrets = false

    func run() throws {
        let path = configOptions.path
        try ErrorReporting.run(configPath: path) {
            let config = try AgentConfiguration(bytes: try ConfigStore(path: path).read())
            let leaves = config.leaves
            var selected = leaves
            if let param {
                selected = []
                for key in param.split(separator: ";").map(String.init) {
                    if let leaf = leaves.first(where: { $0.key == key }) {
                        selected.append(leaf)
                    } else if let nested = Optional(leaves.filter({ $0.key.hasPrefix(key + ".") })), !nested.isEmpty {
                        selected += nested
                    } else {
                        throw ConfigValueError.notInFile(key: key, suggestion: ConfigKey.suggestion(for: key, among: leaves.map(\.key)))
                    }
                }
            }
            if json {
                JSONOutput.print(Dictionary(selected.map { ($0.key, jsonValue($0.value, key: $0.key)) },
                                            uniquingKeysWith: { first, _ in first }))
                return
            }
            for leaf in selected {
                Console.out("\(leaf.key): \(display(leaf.value, key: leaf.key, showSecrets: showSecrets))")
            }
        }
    }

    private func jsonValue(_ value: ConfigValue, key: String) -> JSONScalar {
        switch value {
        case .list(let items):
            return .list(ConfigKey.isSecret(key) && !showSecrets ? items.map(SecretMask.mask) : items)
        default:
            return .text(display(value, key: key, showSecrets: showSecrets))
        }
    }
}

/// A value in `getConfig --json`: text, or a list of texts.
enum JSONScalar: Encodable {
    case text(String)
    case list([String])

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .list(let items): try container.encode(items)
        }
    }
}
