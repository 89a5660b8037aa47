/// How the three proxy lists are named in messages: by key for `updateConfig` and for what
/// the file already holds; a caller with its own names (options) gives them.
public struct ProxyFieldNames: Sendable {
    public var proxies: String
    public var users: String
    public var passwords: String

    public init(proxies: String, users: String, passwords: String) {
        self.proxies = proxies
        self.users = users
        self.passwords = passwords
    }

}

/// One proxy with its optional credentials.
public struct ProxyEntry: Sendable, Equatable {
    public var endpoint: ProxyEndpoint
    public var user: String?
    /// Base64, as stored.
    public var encodedPassword: String?
    public var password: [UInt8]?
}

/// The agent's proxy settings, validated as a whole: proxies in failover order, each with an
/// optional user and base64 password at the same position.
public struct ProxySettings: Sendable, Equatable {
    public var entries: [ProxyEntry]
    /// Whether the user and password keys are present at all (absent: no proxy needs auth).
    public var hasUserList: Bool
    public var hasPasswordList: Bool

    public static let empty = ProxySettings(entries: [], hasUserList: false, hasPasswordList: false)

    /// Splits a comma-separated list. White space around entries is ignored; an empty text is
    /// an empty list.
    public static func split(_ list: String) -> [String] {
        if list.allSatisfy(\.isWhitespace) { return [] }
        return list.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmingWhiteSpace
        }
    }

    public init(entries: [ProxyEntry], hasUserList: Bool, hasPasswordList: Bool) {
        self.entries = entries
        self.hasUserList = hasUserList
        self.hasPasswordList = hasPasswordList
    }

    /// - Parameter strict: new input (true), or values already stored (see `ProxyEndpoint`).
    public init(proxies: [String], users: [String]?, passwords: [String]?,
                names: ProxyFieldNames, strict: Bool = true) throws(ConfigValueError) {
        var endpoints: [ProxyEndpoint] = []
        for (index, text) in proxies.enumerated() {
            let endpoint = try ProxyEndpoint(parsing: text, position: index + 1, strict: strict)
            if let first = endpoints.firstIndex(where: { $0.scheme == endpoint.scheme && $0.host == endpoint.host && $0.port == endpoint.port }) {
                throw .duplicateProxy(entry: "proxy #\(index + 1)", value: text, first: first + 1)
            }
            endpoints.append(endpoint)
        }
        if endpoints.isEmpty {
            if let users, !users.allSatisfy(\.isEmpty) {
                throw .credentialsWithoutProxies(field: names.users, proxyField: names.proxies)
            }
            if let passwords, !passwords.allSatisfy(\.isEmpty) {
                throw .credentialsWithoutProxies(field: names.passwords, proxyField: names.proxies)
            }
        }
        for (list, field) in [(users, names.users), (passwords, names.passwords)] {
            if let list, !endpoints.isEmpty, list.count != endpoints.count {
                throw .countMismatch(field: field, count: list.count, proxies: endpoints.count, proxyField: names.proxies)
            }
        }
        var entries: [ProxyEntry] = []
        for (index, endpoint) in endpoints.enumerated() {
            let user = users.map { $0[index] }.flatMap { $0.isEmpty ? nil : $0 }
            let encoded = passwords.map { $0[index] }.flatMap { $0.isEmpty ? nil : $0 }
            if let user { try ProxySettings.checkUser(user, entry: "\(names.users) entry \(index + 1)") }
            var decoded: [UInt8]?
            if let encoded { decoded = try ProxySettings.decodePassword(encoded, entry: "\(names.passwords) entry \(index + 1)") }
            if user != nil && encoded == nil {
                throw .userWithoutPassword(entry: "\(names.users) entry \(index + 1)", passwordField: names.passwords)
            }
            if user == nil && encoded != nil {
                throw .passwordWithoutUser(entry: "\(names.passwords) entry \(index + 1)", userField: names.users)
            }
            entries.append(ProxyEntry(endpoint: endpoint, user: user, encodedPassword: encoded, password: decoded))
        }
        self.entries = entries
        hasUserList = users != nil && !endpoints.isEmpty
        hasPasswordList = passwords != nil && !endpoints.isEmpty
    }

    public static func checkUser(_ user: String, entry: String) throws(ConfigValueError) {
        for scalar in user.unicodeScalars {
            if scalar == "," || scalar == ";" || scalar == ":" {
                throw .invalidUser(entry: entry, value: user, reason: "contains '\(scalar)'")
            }
            if scalar.properties.isWhitespace || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                throw .invalidUser(entry: entry, value: visible(user), reason: "contains white space or a control character")
            }
        }
    }

    public static func decodePassword(_ encoded: String, entry: String) throws(ConfigValueError) -> [UInt8] {
        let decoded: [UInt8]
        do {
            decoded = try Base64.decode(encoded)
        } catch {
            throw .invalidBase64(entry: entry, reason: error.description)
        }
        // A plain-text password often happens to be valid base64 ("password" is); what it
        // decodes to is then binary noise, which is how we tell.
        guard let text = String(validating: decoded, as: UTF8.self),
              !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }),
              !decoded.isEmpty else {
            throw .notBase64Text(entry: entry)
        }
        return decoded
    }

    private static func visible(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }

    /// The three values to store, as comma-separated lists; `nil` removes the key.
    public var storedProxies: [String]? { entries.isEmpty ? nil : entries.map(\.endpoint.original) }
    public var storedUsers: [String]? { hasUserList ? entries.map { $0.user ?? "" } : nil }
    public var storedPasswords: [String]? { hasPasswordList ? entries.map { $0.encodedPassword ?? "" } : nil }
}
