import YAMLEdit

/// The agent settings this tool knows, with what each accepts. Other keys already in the file
/// may be set as they are; new unknown keys need `--allowNewKeys`.
public struct ConfigKey: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case proxyList, userList, passwordList
        case url
        case positiveInteger
        case choice([String])
    }

    public var path: String
    public var kind: Kind
    public var summary: String

    public var components: [String] { path.split(separator: ".").map(String.init) }
    public var isSecret: Bool { kind == .passwordList }
    public var isList: Bool { kind == .proxyList || kind == .userList || kind == .passwordList }

    public static let proxy = ConfigKey(path: "configuration.proxy", kind: .proxyList,
                                        summary: "proxies in failover order, comma-separated http://IP:PORT")
    public static let proxyUser = ConfigKey(path: "configuration.proxy-user", kind: .userList,
                                            summary: "one user per proxy, comma-separated (empty: no auth)")
    public static let proxyPassword = ConfigKey(path: "configuration.proxy-password", kind: .passwordList,
                                                summary: "one base64 password per proxy, comma-separated")
    public static let platformURL = ConfigKey(path: "configuration.platform-url", kind: .url,
                                              summary: "the platform the agent reports to, https://HOST:PORT")
    public static let heartbeatInterval = ConfigKey(path: "configuration.heartbeat-interval", kind: .positiveInteger,
                                                    summary: "seconds between heartbeats")
    public static let logLevel = ConfigKey(path: "configuration.log-level",
                                           kind: .choice(["trace", "debug", "info", "warning", "warn", "error"]),
                                           summary: "how much the agent logs")

    public static let all: [ConfigKey] = [.proxy, .proxyUser, .proxyPassword, .platformURL, .heartbeatInterval, .logLevel]

    public static func known(_ path: String) -> ConfigKey? { all.first { $0.path == path } }

    /// Whether a key's value must be hidden in output unless `--showSecrets`: by what its
    /// components name (see `SecretName`), not by a list, so that keys this tool does not know
    /// (`activation-key`, `api-token`, `client-secret`, `db_credentials`) are hidden too, and so
    /// is everything under a secret-named section (`secrets.db`). Anchors, aliases and URL
    /// user-info are `SecretClassification`'s.
    public static func isSecret(_ path: String) -> Bool {
        path.split(separator: ".").contains { SecretName.isSecret(String($0)) }
    }

    /// The type a new or replaced value is stored as: these settings are strings whatever they
    /// look like (a user named `yes` stays a string), except the number.
    public var storedType: ScalarType? {
        switch kind {
        case .positiveInteger: return .int
        default: return .string
        }
    }

    /// The form a valid value is stored in, whichever command writes it: proxies as updateProxy
    /// stores them (the scheme in lower case), URLs with a lower-case scheme; other values as
    /// given. Call after `validate`.
    public func canonical(_ value: String) -> String {
        switch kind {
        case .proxyList:
            return ProxySettings.split(value).enumerated().map { index, item in
                (try? ProxyEndpoint(parsing: item, position: index + 1))?.original ?? item
            }.joined(separator: ",")
        case .url:
            return PlatformURL.canonical(value)
        default:
            return value
        }
    }

    /// Checks one value on its own. List keys are checked again as a whole with the others.
    public func validate(_ value: String) throws(ConfigValueError) {
        switch kind {
        case .proxyList:
            _ = try ProxySettings(proxies: ProxySettings.split(value), users: nil, passwords: nil, names: .keys)
        case .userList:
            for (index, user) in ProxySettings.split(value).enumerated() where !user.isEmpty {
                try ProxySettings.checkUser(user, entry: "\(path) entry \(index + 1)")
            }
        case .passwordList:
            for (index, password) in ProxySettings.split(value).enumerated() where !password.isEmpty {
                _ = try ProxySettings.decodePassword(password, entry: "\(path) entry \(index + 1)")
            }
        case .url:
            try PlatformURL.validate(value, key: path)
        case .positiveInteger:
            // Only the spelling every YAML reader reads alike: 017 is 15 to YAML 1.1 readers.
            guard YAMLSchema.portable(value) == .int, let number = Int(value), number > 0 else {
                // Only a spelling slip has a number to suggest: not 0, a negative or an overflow.
                let suggestion = ScalarRendering.portableInteger(for: value).flatMap { $0 > 0 ? ScalarRendering.hint(for: value, as: .int) : nil }
                let hint = suggestion.map { "; " + $0 } ?? ""
                throw .invalidValue(key: path, value: value, expected: "a whole number of seconds greater than 0, e.g. 60" + hint)
            }
        case .choice(let choices):
            guard choices.contains(value) else {
                throw .invalidValue(key: path, value: value, expected: "one of " + choices.joined(separator: ", "))
            }
        }
    }

    /// The closest of `candidates` to a mistyped key, if any is close enough to be a typo.
    public static func suggestion(for key: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 4) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension ProxyFieldNames {
    /// The lists named by their keys: for `updateConfig` and for what the file already holds.
    public static let keys = ProxyFieldNames(proxies: ConfigKey.proxy.path, users: ConfigKey.proxyUser.path,
                                             passwords: ConfigKey.proxyPassword.path)
}
