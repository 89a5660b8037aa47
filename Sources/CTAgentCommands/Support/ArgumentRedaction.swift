import AgentConfig

/// ArgumentParser quotes arguments in its messages ("Unexpected argument '…'"), and a pasted
/// command line with one slip (a space instead of a comma, an em dash for `--`) turns a
/// password into such an argument. Before its messages are printed, every argument that may
/// hold a secret is replaced by `<secret>`:
/// - the value of a password option (`--proxyPassword X`, `--proxyPassword=X`, and any
///   argument naming a password before an '=', however it is dashed);
/// - the value of `--set`/`--setString` for a secret key;
/// - anything that looks like base64 (each comma-separated piece padded to a multiple of four
///   characters of the base64 alphabet, at least eight, with padding, a digit, '+' or '/'):
///   the form proxy passwords take.
enum ArgumentRedaction {
    static func secrets(in arguments: [String]) -> [String] {
        var secrets: [String] = []
        var previousTakesSecret = false
        for argument in arguments {
            defer { previousTakesSecret = ["--proxyPassword", "--proxy-password"].contains(argument) }
            if previousTakesSecret || looksLikeBase64(argument) {
                secrets.append(argument)
                continue
            }
            guard let equals = argument.firstIndex(of: "=") else { continue }
            let name = argument[..<equals].lowercased()
            let value = String(argument[argument.index(after: equals)...])
            if name.contains("password") || ConfigKey.isSecret(String(argument[..<equals])) {
                secrets.append(value)
            }
        }
        return secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    static func redact(_ text: String, arguments: [String]) -> String {
        secrets(in: arguments).reduce(text) { $0.replacingEvery($1, with: SecretMask.unchanged) }
    }

    static func looksLikeBase64(_ argument: String) -> Bool {
        // Padding, a digit, '+' or '/': a word such as 'updateConfig' or 'platform' stays
        // readable.
        let encoded = argument.contains { $0 == "=" || $0 == "+" || $0 == "/" || $0.isNumber }
        return encoded && argument.count >= 8 && argument.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { piece in
            let unpadded = piece.prefix { $0 != "=" }
            let padding = piece.count - unpadded.count
            return !unpadded.isEmpty && piece.count % 4 == 0 && padding <= 2 && piece.suffix(padding).allSatisfy { $0 == "=" }
                && unpadded.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    func replacingEvery(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while !rest.isEmpty {
            if rest.hasPrefix(target) {
                result += replacement
                rest = rest.dropFirst(target.count)
            } else {
                result.append(rest.removeFirst())
            }
        }
        return result
    }
}
