/// Where the agent connects in the end: the platform's host and port. Unlike proxies, the
/// target may be a host name (the proxy, or the direct path, resolves it).
public struct ProbeTarget: Equatable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `HOST:PORT`, `[IPv6]:PORT`.
    public init?(parsing text: String) {
        var hostPart: Substring, portPart: Substring
        if text.first == "[", let close = text.firstIndex(of: "]") {
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else { return nil }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty, !hostPart.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" }),
              let port = UInt16(portPart), port > 0 else { return nil }
        host = String(hostPart)
        self.port = port
    }

    /// The authority of a CONNECT request: IPv6 literals in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
