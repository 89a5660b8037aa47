import AgentConfig
import Synchronization

/// Defense in depth: every secret this process has read (the secret nodes of every version of
/// the config it parsed, passwords from argv, stdin and files, and their base64 and
/// Basic-authentication forms) is replaced by `********` in whatever still reaches stdout or
/// stderr, so that a future formatting bug prints a mask and not a password. Off with
/// `--showSecrets`, whose output is the secrets.
enum SecretRegistry {
    /// Shorter texts are left alone: they would mask unrelated words and numbers.
    static let shortest = 4

    private struct State {
        var known = Set<String>()
        /// Longest first, so that a secret containing another is masked whole.
        var ordered: [String] = []
        var disabled = false
    }

    private static let state = Mutex(State())

    /// For the commands that print secrets on request (--showSecrets).
    static func disable() { state.withLock { $0.disabled = true } }

    static func register(_ value: String) {
        state.withLock { state in
            for form in [value, jsonEscaped(value)] where form.count >= shortest && state.known.insert(form).inserted {
                state.ordered.append(form)
                state.ordered.sort { $0.count > $1.count }
            }
        }
    }

    /// A password in every form it may be printed in: as given, decoded from base64 when it is
    /// base64, and its base64.
    static func registerPassword(_ value: String, user: String? = nil) {
        register(value)
        var plain: [UInt8]? = nil
        if let decoded = try? Base64.decode(value) {
            plain = decoded
            register(String(decoding: decoded, as: UTF8.self))
        } else {
            register(Base64.encode(Array(value.utf8)))
        }
        if let user, !user.isEmpty {
            register(Base64.encode(Array(user.utf8) + [UInt8(ascii: ":")] + (plain ?? Array(value.utf8))))
        }
    }

    /// Every secret of a parsed version of the config, the proxy passwords with their users.
    static func register(_ inventory: SecretInventory) {
        inventory.values.forEach(register)
        for credential in inventory.credentials { registerPassword(credential.encodedPassword, user: credential.user) }
    }

    static func redact(_ text: String) -> String {
        let (disabled, ordered) = state.withLock { ($0.disabled, $0.ordered) }
        guard !disabled, !ordered.isEmpty else { return text }
        var result = text
        for secret in ordered where result.contains(secret) {
            result = result.replacing(secret, with: SecretMask.hidden)
        }
        return result
    }

    private static func jsonEscaped(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }
}
