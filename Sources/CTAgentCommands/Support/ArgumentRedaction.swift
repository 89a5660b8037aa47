import AgentConfig

/// ArgumentParser quotes arguments in its messages ("Unexpected argument '…'"), and a pasted
/// command line with one slip (a space instead of a comma, an em dash for `--`) turns a
/// password into such an argument. Before its messages are printed, every quoted argument
/// that may hold a secret is replaced by `<secret>`:
/// - every argument it reports as unexpected (no subcommand takes positional arguments);
/// - the values after an option naming a password, however it is dashed (`--proxyPassword`,
///   `—proxyPassword`, `-proxypassword=…`), up to the next option;
/// - `--value` when `--param` names a secret key, and `--set KEY=VALUE` for a secret key;
/// - anything that looks like base64 (comma-separated pieces padded to a multiple of four
///   characters of the base64 alphabet, with padding, a digit, '+' or '/'): the form proxy
///   passwords take.
/// Only whole quoted arguments are replaced, so the rest of a message stays as written.
enum ArgumentRedaction {
    static func redact(_ text: String, arguments: [String]) -> String {
        let secrets = secrets(in: arguments)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let unexpected = line.lowercased().contains("unexpected argument")
            return replacingQuoted(in: String(line)) { quoted in
                unexpected || secrets.contains(quoted) || secrets.contains { $0.count >= 4 && quoted.contains($0) }
            }
        }.joined(separator: "\n")
    }

    static func secrets(in arguments: [String]) -> Set<String> {
        let paramNamesSecret = arguments.indices.contains { index in
            optionName(arguments[index]) == "param" && (value(of: arguments, at: index)?.split(separator: ";")
                .contains { ConfigKey.isSecret(String($0)) } ?? false)
        }
        var secrets = Set<String>()
        var carrying = false
        for argument in arguments {
            if let name = optionName(argument) {
                carrying = name.contains("password") || (name == "value" && paramNamesSecret)
                if carrying, let equals = argument.firstIndex(of: "=") {
                    secrets.insert(String(argument[argument.index(after: equals)...]))
                    carrying = false
                }
                continue
            }
            if carrying || looksLikeBase64(argument) { secrets.insert(argument) }
            if let equals = argument.firstIndex(of: "="), ConfigKey.isSecret(String(argument[..<equals]).trimmingWhiteSpace) {
                secrets.insert(String(argument[argument.index(after: equals)...]))
            }
        }
        return secrets.filter { !$0.isEmpty }
    }

    /// `proxypassword` for `--proxyPassword=x`, `—proxyPassword` or `-proxy-password`: the name
    /// of an option, in lower case without dashes; nil for an argument that is no option.
    private static func optionName(_ argument: String) -> String? {
        let bare = argument.drop { $0 == "-" || $0 == "\u{2014}" || $0 == "\u{2013}" }
        guard bare.count < argument.count, !bare.isEmpty else { return nil }
        return String(bare.prefix { $0 != "=" }).lowercased().filter { $0 != "-" }
    }

    private static func value(of arguments: [String], at index: Int) -> String? {
        if let equals = arguments[index].firstIndex(of: "=") { return String(arguments[index][arguments[index].index(after: equals)...]) }
        return arguments.indices.contains(index + 1) ? arguments[index + 1] : nil
    }

    static func looksLikeBase64(_ argument: String) -> Bool {
        // Padding, a digit, '+' or '/': a word such as 'updateConfig' or 'platform' stays
        // readable.
        let encoded = argument.contains { $0 == "=" || $0 == "+" || $0 == "/" || $0.isNumber }
        let pieces = argument.split(separator: ",", omittingEmptySubsequences: true)
        return encoded && !pieces.isEmpty && pieces.allSatisfy { piece in
            let unpadded = piece.prefix { $0 != "=" }
            let padding = piece.count - unpadded.count
            return unpadded.count >= 4 && piece.count % 4 == 0 && padding <= 2 && piece.suffix(padding).allSatisfy { $0 == "=" }
                && unpadded.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }
        }
    }

    /// Each `'…'` in `line` whose content `isSecret` says so becomes `'<secret>'`.
    private static func replacingQuoted(in line: String, where isSecret: (String) -> Bool) -> String {
        var result = "", rest = Substring(line)
        while let open = rest.firstIndex(of: "'"), let close = rest[rest.index(after: open)...].firstIndex(of: "'") {
            let quoted = String(rest[rest.index(after: open)..<close])
            result += rest[...open] + (isSecret(quoted) ? SecretMask.unchanged : quoted) + "'"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
