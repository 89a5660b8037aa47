import Glibc

/// One proxy of the agent's failover list: `http://IPv4:PORT`, `https://[IPv6]:PORT`, or a bare
/// `IP:PORT` (meaning `http://`). Host names are refused: the agent resolves nothing for proxies.
public struct ProxyEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case http, https }
    public enum Host: Sendable, Equatable {
        case ipv4(String)
        case ipv6(String)
    }

    public var scheme: Scheme
    public var host: Host
    public var port: UInt16
    /// The entry in its canonical form, which is what the tools store: the scheme in lower
    /// case (HTTP://… becomes http://…).
    public var original: String
    /// The entry exactly as written (in the file, or as given).
    public var written: String

    /// Whether the entry was written in another form than the canonical one.
    public var isCanonical: Bool { written == original }

    /// `10.10.6.4:3128` or `[fd00::10]:3128`: the form `CONNECT` and messages use.
    public var hostPort: String {
        switch host {
        case .ipv4(let address): return "\(address):\(port)"
        case .ipv6(let address): return "[\(address)]:\(port)"
        }
    }

    public var hostAddress: String {
        switch host {
        case .ipv4(let address), .ipv6(let address): return address
        }
    }

    public var description: String { "\(scheme.rawValue)://\(hostPort)" }

    /// - Parameter position: 1-based place in the list, for messages ("proxy #2").
    /// - Parameter strict: also refuse what earlier versions accepted and the agent can still
    ///   use or merely never reach (a port with leading zeros, broadcast and multicast
    ///   addresses): new input is strict, values already stored are not, so that showProxy,
    ///   testProxy, rollback and unrelated edits keep working on existing files.
    public init(parsing text: String, position: Int, strict: Bool = true) throws(ConfigValueError) {
        let entry = "proxy #\(position)"
        original = text
        written = text
        guard !text.isEmpty else { throw .emptyEntry(entry: entry) }
        // Credentials are refused before anything else, so that no other message can quote
        // a password.
        if text.contains("@") {
            throw .credentialsInURL(entry: entry, value: ProxyEndpoint.maskingUserInfo(text))
        }
        if text.contains(";") {
            // updateConfig separates keys and values with ';', updateProxy separates proxies with ','.
            throw .invalidProxy(entry: entry, value: text,
                                reason: "contains ';'; separate proxies with ',', e.g. http://10.10.6.4:3128,http://10.10.4.5:4128")
        }
        if text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
            throw .invalidProxy(entry: entry, value: text, reason: "contains white space or control characters")
        }
        var rest = Substring(text)
        if let schemeEnd = rest.firstRange(of: "://") {
            let name = rest[..<schemeEnd.lowerBound].lowercased()
            guard let scheme = Scheme(rawValue: name) else {
                throw .unsupportedScheme(entry: entry, value: text, scheme: String(rest[..<schemeEnd.lowerBound]))
            }
            self.scheme = scheme
            rest = rest[schemeEnd.upperBound...]
            // Stored as the agent's documentation writes it: HTTP://… becomes http://….
            original = scheme.rawValue + "://" + rest
        } else {
            scheme = .http
        }
        if let cut = rest.firstIndex(where: { "/?#".contains($0) }) {
            let extra = rest[cut...]
            let kind = extra.first == "?" ? "a query" : extra.first == "#" ? "a fragment" : "a path"
            throw .invalidProxy(entry: entry, value: text,
                                reason: "has \(kind) ('\(ConfigValueError.shortened(String(extra)))'); a proxy is only scheme://IP:PORT, e.g. http://10.10.6.4:3128")
        }
        let hostText: Substring, portText: Substring?
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else {
                throw .invalidProxy(entry: entry, value: text, reason: "has '[' without a closing ']' around its IPv6 address")
            }
            hostText = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.isEmpty { portText = nil } else if after.first == ":" { portText = after.dropFirst() } else {
                throw .invalidProxy(entry: entry, value: text, reason: "has '\(ConfigValueError.shortened(String(after)))' after the IPv6 address; expected :PORT")
            }
            host = .ipv6(try ProxyEndpoint.ipv6(String(hostText), entry: entry, value: text, strict: strict))
        } else {
            if rest.filter({ $0 == ":" }).count > 1 {
                throw .invalidProxy(entry: entry, value: text,
                                    reason: "looks like an IPv6 address without brackets; write it as http://[ADDRESS]:PORT, e.g. http://[fd00::10]:3128")
            }
            if let colon = rest.firstIndex(of: ":") {
                hostText = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            } else {
                hostText = rest
                portText = nil
            }
            host = .ipv4(try ProxyEndpoint.ipv4(String(hostText), entry: entry, value: text, strict: strict))
        }
        guard let portText, !portText.isEmpty else {
            throw .invalidProxy(entry: entry, value: text, reason: "has no port; add one, e.g. http://10.10.6.4:3128")
        }
        guard portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber), let port = Int(portText), (1...65535).contains(port) else {
            throw .invalidProxy(entry: entry, value: text, reason: "has port '\(ConfigValueError.shortened(String(portText)))'; a port is a number from 1 to 65535")
        }
        // Readers disagree on leading zeros (some take them as octal), as for IPv4 addresses.
        guard portText.first != "0" || !strict else {
            throw .invalidProxy(entry: entry, value: text, reason: "has port '\(ConfigValueError.shortened(String(portText)))' with leading zeros; write \(port)")
        }
        self.port = UInt16(port)
    }

    /// Strict dotted decimal: four numbers 0–255 without leading zeros (which some readers
    /// take as octal), so that every reader of the config agrees on the address.
    private static func ipv4(_ text: String, entry: String, value: String, strict: Bool) throws(ConfigValueError) -> String {
        if text.isEmpty { throw .invalidProxy(entry: entry, value: value, reason: "has no host; use the proxy's IP address") }
        if text.contains(where: { $0.isLetter || $0 == "-" || $0 == "_" }) {
            throw .hostNameNotSupported(entry: entry, value: value, host: text)
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let valid = parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber }
                && (part == "0" || part.first != "0") && Int(part)! <= 255
        }
        guard valid else {
            throw .invalidProxy(entry: entry, value: value,
                                reason: "has '\(ConfigValueError.shortened(text))', which is not an IPv4 address in dotted decimal (four numbers 0-255, no leading zeros, e.g. 10.10.6.4)")
        }
        if text == "0.0.0.0" || (strict && text == "255.255.255.255") {
            throw .invalidProxy(entry: entry, value: value, reason: "has \(text), which is not an address a proxy can be reached at")
        }
        if strict, let first = Int(parts[0]), (224...239).contains(first) {
            throw .invalidProxy(entry: entry, value: value, reason: "has the multicast address \(text); a proxy has a unicast address")
        }
        return text
    }

    private static func ipv6(_ text: String, entry: String, value: String, strict: Bool) throws(ConfigValueError) -> String {
        if text.contains("%") {
            throw .invalidProxy(entry: entry, value: value, reason: "has a zone index ('%…') in its IPv6 address, which the agent cannot use")
        }
        var address = in6_addr()
        guard unsafe inet_pton(AF_INET6, text, &address) == 1 else {
            throw .invalidProxy(entry: entry, value: value, reason: "has '[\(ConfigValueError.shortened(text))]', which is not a valid IPv6 address")
        }
        // One spelling per address (fd00:0::10 is fd00::10), so that duplicates are found,
        // [0::0] is seen to be [::], and CONNECT names it as every reader would.
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard unsafe inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return text }
        let canonical = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if canonical == "::" {
            throw .invalidProxy(entry: entry, value: value, reason: "has [\(text)], the unspecified address [::], which is not an address a proxy can be reached at")
        }
        if strict && canonical.hasPrefix("::ffff:") && canonical.contains(".") {
            throw .invalidProxy(entry: entry, value: value,
                                reason: "has the IPv4-mapped address [\(text)]; write the IPv4 address, e.g. http://\(canonical.dropFirst(7)):PORT")
        }
        // ff00::/8: the first group, written without leading zeros, is four digits from ff.
        let firstGroup = canonical.prefix { $0 != ":" }
        if strict && firstGroup.count == 4 && firstGroup.lowercased().hasPrefix("ff") {
            throw .invalidProxy(entry: entry, value: value, reason: "has the multicast address [\(text)]; a proxy has a unicast address")
        }
        return canonical
    }

    /// Messages must never show a password, so user-info is replaced before the value is quoted.
    public static func maskingUserInfo(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let hostPart = text[text.index(after: at)...]
        guard let schemeEnd = text.firstRange(of: "://"), schemeEnd.upperBound <= at else { return "***@" + hostPart }
        return String(text[..<schemeEnd.upperBound]) + "***@" + hostPart
    }
}
