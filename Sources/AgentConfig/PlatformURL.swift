/// The platform the agent reports to: `https://HOST[:PORT]`. Unlike proxies, the platform may
/// be named by host name; the agent resolves it (through the proxy or directly).
public struct PlatformURL: Sendable, Equatable {
    public var host: String
    public var port: UInt16

    public static func validate(_ text: String, key: String) throws(ConfigValueError) {
        _ = try PlatformURL(parsing: text, key: key)
    }

    public init(parsing text: String, key: String = ConfigKey.platformURL.path) throws(ConfigValueError) {
        let expected = "a URL such as https://platform.example.net:443, without user:password@"
        if text.contains("@") {
            throw .invalidValue(key: key, value: ProxyEndpoint.maskingUserInfo(text), expected: expected)
        }
        var rest = Substring(text)
        var defaultPort: UInt16 = 443
        // A scheme is case-insensitive (RFC 3986): HTTPS:// is https://, stored in lower case.
        let lower = rest.prefix(8).lowercased()
        if lower.hasPrefix("https://") {
            rest = rest.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = rest.dropFirst(7)
            defaultPort = 80
        } else {
            throw .invalidValue(key: key, value: text, expected: expected)
        }
        if let slash = rest.firstIndex(where: { "/?#".contains($0) }) { rest = rest[..<slash] }
        var hostPart = rest, port = defaultPort
        if rest.first == "[", let close = rest.firstIndex(of: "]") {
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.first == ":" {
                guard let number = UInt16(after.dropFirst()), number > 0 else {
                    throw .invalidValue(key: key, value: text, expected: expected)
                }
                port = number
            }
        } else if let colon = rest.lastIndex(of: ":") {
            hostPart = rest[..<colon]
            guard let number = UInt16(rest[rest.index(after: colon)...]), number > 0 else {
                throw .invalidValue(key: key, value: text, expected: expected)
            }
            port = number
        }
        guard !hostPart.isEmpty, !hostPart.contains("@"),
              hostPart.allSatisfy({ $0.isLetter || $0.isNumber || ".-_:".contains($0) }) else {
            throw .invalidValue(key: key, value: text, expected: expected)
        }
        host = String(hostPart)
        self.port = port
    }
}

extension PlatformURL {
    /// A URL value as the tools store it: the scheme in lower case, the rest as written.
    public static func canonical(_ text: String) -> String {
        guard let end = text.firstRange(of: "://") else { return text }
        return text[..<end.lowerBound].lowercased() + text[end.lowerBound...]
    }
}
