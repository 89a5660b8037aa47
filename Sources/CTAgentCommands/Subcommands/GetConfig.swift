import AgentConfig
import YAMLEdit
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
              ctagentcmd getConfig --json \\
                  --param 'configuration.proxy;configuration.proxy-user'
            """ + HelpText.pointer,
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
        // The output is the secrets, on request: the last filter must not take them out.
        if showSecrets { SecretRegistry.disable() }
        let config = try configOptions.load()
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
        // Values that readers disagree on are reported, so that admins can fix them; never
        // for secrets (the readings would say something about the value).
        // What a merge key brings in depends on the reader: no answer is true for every reader.
        if let merge = selected.first(where: \.isMergeKey) {
            throw CommandFailure(description: "\(configOptions.path): \(merge.key) is a merge key, which YAML 1.1 readers expand and "
                                 + "YAML 1.2 readers keep as a key named '<<', so its values depend on the reader; write its keys out by hand",
                                 status: .dataError)
        }
        for leaf in selected where !leaf.isSecret {
            guard let ambiguity = leaf.ambiguity, case .scalar(let text, _) = leaf.value else { continue }
            Console.error("Warning: \(leaf.key) is '\(text)', which YAML readers do not agree on: \(ambiguity). "
                          + "Write it in a form every reader reads alike, e.g. ctagentcmd updateConfig --setString \(leaf.key)=\(text) to keep it as text")
        }
        if json {
            JSONOutput.print(Dictionary(selected.map { ($0.key, jsonValue($0, ambiguous: $0.ambiguity != nil)) },
                                        uniquingKeysWith: { first, _ in first }))
            return
        }
        for leaf in selected {
            Console.out("\(ScalarRendering.displayed(leaf.key)): \(ScalarRendering.displayed(display(leaf.value, secret: leaf.isSecret, showSecrets: showSecrets)))")
        }
    }

    /// Numbers, booleans and empty values keep their YAML type in JSON where every YAML reader
    /// agrees on it; a value readers disagree on (`yes`, `017`) is its text; secrets are strings.
    private func jsonValue(_ leaf: ConfigLeaf, ambiguous: Bool) -> JSONScalar {
        let secret = leaf.isSecret && !showSecrets
        let value = leaf.value
        if ambiguous, !secret, case .scalar = value { return .text(display(value, secret: false, showSecrets: showSecrets)) }
        switch value {
        case .list(let items):
            return .list(secret ? items.map(SecretMask.mask) : showSecrets ? items : items.map(maskingUserInfo))
        case .scalar(let text, let type) where !secret:
            switch type {
            case .int: if let number = Int(text) { return .integer(number) }
            case .float: if let number = Double(text) { return .number(number) }
            case .bool: return .boolean(text.lowercased() == "true")
            case .null: return .null
            default: break
            }
            return .text(display(value, secret: false, showSecrets: showSecrets))
        default:
            return .text(display(value, secret: leaf.isSecret, showSecrets: showSecrets))
        }
    }
}

/// A value in `getConfig --json`.
enum JSONScalar: Encodable {
    case text(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case null
    case list([String])

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .number(let number): try container.encode(number)
        case .boolean(let flag): try container.encode(flag)
        case .null: try container.encodeNil()
        case .list(let items): try container.encode(items)
        }
    }
}
