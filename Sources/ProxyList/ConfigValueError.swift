/// A value given for the agent's settings that cannot be accepted. Each case names the entry
/// (`proxy #2`, `configuration.proxy-user entry 3`, or the caller's own names for the lists)
/// and its description says what would be accepted, naming no option: the commands add those.
/// Passwords are never part of a message.
public enum ConfigValueError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyEntry(entry: String)
    case invalidProxy(entry: String, value: String, reason: String)
    case unsupportedScheme(entry: String, value: String, scheme: String)
    case credentialsInURL(entry: String, value: String)
    case hostNameNotSupported(entry: String, value: String, host: String)
    case duplicateProxy(entry: String, value: String, first: Int)
    case countMismatch(field: String, count: Int, proxies: Int, proxyField: String)
    case invalidUser(entry: String, value: String, reason: String)
    case invalidBase64(entry: String, reason: String)
    case notBase64Text(entry: String)
    case userWithoutPassword(entry: String, passwordField: String)
    case passwordWithoutUser(entry: String, userField: String)
    case credentialsWithoutProxies(field: String, proxyField: String)
    case invalidValue(key: String, value: String, expected: String)
    case unknownKey(key: String, suggestion: String?)
    case notInFile(key: String, suggestion: String?)
    /// A key with white space around it.
    case keyWithWhiteSpace(key: String)
    /// Not `section.key`: empty, or with an empty part.
    case notADottedKey(key: String)
    /// Differs from a known or present key only in case: YAML keys are case-sensitive.
    case caseTwin(key: String, twin: String)
    /// A removal that names a whole section: settings are removed one by one.
    case sectionNotOneSetting(key: String, keys: Int)
    /// A problem with input the caller's own words describe (SecretText's, the commands').
    case usage(String)

    /// A value quoted in a message, cut to a length a terminal line can show: a 100 KB paste
    /// is not echoed whole.
    public static func shortened(_ value: String) -> String {
        value.count <= 100 ? value : value.prefix(60) + "… (\(value.utf8.count) bytes)"
    }

    /// A key as typed; quoted and explained when white space around it would be invisible.
    public static func shown(_ key: String) -> String {
        let trimmed = key.trimmingWhiteSpace
        guard trimmed != key else { return key }
        return "'\(key)' (with white space around it; the key is '\(trimmed)')"
    }

    public var description: String {
        switch self {
        case .emptyEntry(let entry):
            return "\(entry) is empty; remove the extra comma or give a proxy such as http://10.10.6.4:3128"
        case .invalidProxy(let entry, let value, let reason):
            return "\(entry) '\(ConfigValueError.shortened(value))' \(reason)"
        case .unsupportedScheme(let entry, let value, let scheme):
            return "\(entry) '\(ConfigValueError.shortened(value))' uses scheme '\(scheme)'; the agent supports http:// and https:// proxies only"
        case .credentialsInURL(let entry, let value):
            return "\(entry) '\(ConfigValueError.shortened(value))' contains credentials; give the proxy as http://IP:PORT, and its user and base64 password apart"
        case .hostNameNotSupported(let entry, let value, let host):
            return "\(entry) '\(ConfigValueError.shortened(value))' names the host '\(ConfigValueError.shortened(host))'. FQDNs are not supported: use the proxy's IP address, e.g. http://10.10.6.4:3128"
        case .duplicateProxy(let entry, let value, let first):
            return "\(entry) '\(ConfigValueError.shortened(value))' repeats proxy #\(first); list each proxy once"
        case .countMismatch(let field, let count, let proxies, let proxyField):
            return "\(field) has \(count) \(count == 1 ? "entry" : "entries") but \(proxyField) has \(proxies) \(proxies == 1 ? "proxy" : "proxies"); give one entry per proxy, in the same order (leave an entry empty for a proxy without authentication)"
        case .invalidUser(let entry, let value, let reason):
            return "\(entry) '\(ConfigValueError.shortened(value))' \(reason); user names cannot contain ',', ';', ':', white space or control characters"
        case .invalidBase64(let entry, let reason):
            return "\(entry) is not valid base64: \(reason). Encode the password with: ctagent encodePassword"
        case .notBase64Text(let entry):
            return "\(entry) is probably not base64-encoded (it does not decode to readable text). Encode the password with: ctagent encodePassword"
        case .userWithoutPassword(let entry, let passwordField):
            return "\(entry) has a user but no password; give its base64 password at the same position in \(passwordField)"
        case .passwordWithoutUser(let entry, let userField):
            return "\(entry) has a password but no user; give the user at the same position in \(userField)"
        case .credentialsWithoutProxies(let field, let proxyField):
            return "\(field) is given but \(proxyField) is empty; users and passwords belong to proxies"
        case .invalidValue(let key, let value, let expected):
            return "\(key) cannot be '\(value)': expected \(expected)"
        case .unknownKey(let key, let suggestion):
            return "\(ConfigValueError.shown(key)) is not a known setting and is not in the config file" + (suggestion.map { "; did you mean \($0)?" } ?? "")
        case .notInFile(let key, let suggestion):
            return "\(ConfigValueError.shown(key)) is not in the config file" + (suggestion.map { "; did you mean \($0)?" } ?? "")
        case .keyWithWhiteSpace(let key):
            return "\(ConfigValueError.shown(key)) is not a key as written; remove the white space"
        case .notADottedKey(let key):
            return "'\(key)' is not a dotted key; use a key such as configuration.proxy"
        case .caseTwin(let key, let twin):
            return "\(key) differs from \(twin) only in case, and YAML keys are case-sensitive, so it would be a new key; did you mean \(twin)?"
        case .sectionNotOneSetting(let key, let keys):
            return "\(key) is a section of \(keys) keys, not one setting; remove the keys under it one by one"
        case .usage(let text):
            return text
        }
    }
}

extension String {
    public var trimmingWhiteSpace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
