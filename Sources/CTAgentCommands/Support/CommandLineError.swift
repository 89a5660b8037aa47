import AgentConfig

/// What is wrong with how `updateConfig`'s lists were typed: errors only a command line can
/// have, so they live here and not in the settings model. Exit status 64.
enum CommandLineError: Error, Equatable, CustomStringConvertible {
    /// `--param` and `--value` give different numbers of entries.
    case countsDiffer(params: Int, values: Int)
    /// `--set` without '='.
    case malformedAssignment(String)

    var description: String {
        switch self {
        case .countsDiffer(let params, let values):
            return "--param names \(params) \(params == 1 ? "key" : "keys") but --value gives \(values) \(values == 1 ? "value" : "values"); "
                + "separate both lists with ';' and give one value per key"
        case .malformedAssignment(let text):
            return "--set \(CommandLineError.shownAssignment(text)) is not KEY=VALUE (it has no '='), e.g. --set configuration.log-level=debug"
        }
    }

    /// An assignment without '=' as a message may quote it. The text may be a secret typed
    /// with the wrong separator: quoted only when it does not name a secret.
    static func shownAssignment(_ text: String) -> String {
        let name = text.trimmingWhiteSpace.prefix { $0 != ":" && !$0.isWhitespace }
        return name.count < text.trimmingWhiteSpace.count ? "'\(name)…' (the rest hidden, in case it is a secret)"
            : ConfigKey.isSecret(String(name)) ? "(hidden)" : "'\(text)'"
    }
}
