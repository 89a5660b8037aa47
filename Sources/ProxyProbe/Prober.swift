import ProxyList
import Dispatch
import Glibc
import TimeKeeping

/// Probes one path of the agent's failover walk for real, each attempt bounded by `timeout`.
public struct Prober: Sendable {
    public var timeout: Duration
    public var trust: TrustAnchors

    public init(timeout: Duration, trust: TrustAnchors = .system) {
        self.timeout = timeout
        self.trust = trust
    }

    /// TCP connect to the proxy (then TLS with it, for an https:// proxy), `CONNECT target`
    /// with Basic auth when the proxy has a user, the proxy's answer, and then what the agent
    /// does next: a verified TLS handshake with the platform through the tunnel. The password
    /// is only ever in the request sent to the proxy.
    public func probe(_ entry: ProxyEntry, target: ProbeTarget) -> ProbeOutcome {
        let deadline = Deadline.after(timeout)
        let connection: TCPConnection
        do {
            connection = try TCPConnection(address: entry.endpoint.hostAddress, port: entry.endpoint.port, deadline: deadline)
        } catch {
            return outcome(error, phase: "connecting to the proxy")
        }
        var stream: ByteStream = connection
        if entry.endpoint.scheme == .https {
            do {
                let proxyTLS = try TLSSession(over: connection, host: entry.endpoint.hostAddress, trust: trust)
                let peer = try proxyTLS.handshake(deadline: deadline)
                guard peer.verified else { return .proxyCertificateUntrusted(peer) }
                stream = proxyTLS
            } catch {
                switch error {
                case .stream(.timedOut):
                    // A plain HTTP proxy waits for a request line that a TLS ClientHello never ends.
                    return .timedOut(phase: "after \(formatSeconds(timeout)) s waiting for the proxy's TLS answer (a plain HTTP proxy must be given as http://)")
                case .stream(let failure): return outcome(failure, phase: "in the TLS handshake with the proxy")
                case .handshake(let reason): return .proxyTLSFailed(reason: reason)
                case .unavailable(let reason): return .notProbed(reason: "https:// proxies are reached over TLS, and \(reason)")
                }
            }
        }
        var request = "CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\n"
        if let user = entry.user, let password = entry.password {
            request += "Proxy-Authorization: Basic \(Base64.encode(Array(user.utf8) + [UInt8(ascii: ":")] + password))\r\n"
        }
        request += "User-Agent: ctagent-testProxy\r\n\r\n"
        let answer: [UInt8]
        do {
            try stream.send(Array(request.utf8), deadline: deadline)
            answer = try stream.receive(until: Prober.headerComplete, deadline: deadline)
        } catch {
            return outcome(error, phase: "waiting for the proxy's answer")
        }
        let reply = Prober.classify(answer, hasUser: entry.user != nil)
        guard case .tunnel(let status) = reply else { return reply.outcome }
        return platformTLS(over: stream, target: target, viaProxy: true, tunnelStatus: status, deadline: deadline)
    }

    /// The agent's bypass: a connection straight to the target, resolving its name, then the
    /// verified TLS handshake.
    public func probeDirect(_ target: ProbeTarget) -> ProbeOutcome {
        let deadline = Deadline.after(timeout)
        let addresses: [String]
        switch Prober.resolve(target.host, deadline: deadline) {
        case .success(let found): addresses = found
        case .failure(let reason): return .resolveFailed(host: target.host, reason: reason)
        case .timedOut: return .timedOut(phase: "after \(formatSeconds(timeout)) s resolving \(target.host)")
        }
        var last = ProbeOutcome.unreachable(reason: "no address")
        for address in addresses {
            let connection: TCPConnection
            do {
                connection = try TCPConnection(address: address, port: target.port, deadline: deadline)
            } catch {
                last = outcome(error, phase: "connecting to \(target)")
                if case .timedOut = last { return last }
                continue
            }
            return platformTLS(over: connection, target: target, viaProxy: false, tunnelStatus: nil, deadline: deadline)
        }
        return last
    }

    /// TLS with the platform, as the agent does it: its name for SNI, the chain verified
    /// against the trust anchors, the name (or IP) checked.
    private func platformTLS(over stream: ByteStream, target: ProbeTarget, viaProxy: Bool, tunnelStatus: Int?,
                             deadline: Deadline) -> ProbeOutcome {
        do {
            let session = try TLSSession(over: stream, host: target.host, trust: trust)
            let peer = try session.handshake(deadline: deadline)
            return peer.verified ? .verified(peer, viaProxy: viaProxy) : .untrustedCertificate(peer, host: target.host, viaProxy: viaProxy)
        } catch {
            switch error {
            case .stream(.closed): return .closedDuringTLS(viaProxy: viaProxy)
            case .stream(let failure): return outcome(failure, phase: "in the TLS handshake with \(target.host)")
            case .handshake(let reason): return .tlsFailed(reason: reason, viaProxy: viaProxy)
            case .unavailable(let reason): return .reachedWithoutTLSCheck(status: tunnelStatus, reason: reason)
            }
        }
    }

    private func outcome(_ failure: StreamFailure, phase: String) -> ProbeOutcome {
        switch failure {
        case .refused: return .refused
        case .unreachable(let reason): return .unreachable(reason: reason)
        case .timedOut: return .timedOut(phase: "after \(formatSeconds(timeout)) s \(phase)")
        case .closed: return .closedEarly
        }
    }

    static func headerComplete(_ bytes: [UInt8]) -> Bool {
        let crlf: [UInt8] = [13, 10, 13, 10], lf: [UInt8] = [10, 10]
        return bytes.windows(ofCount: 4).contains { $0.elementsEqual(crlf) } || bytes.windows(ofCount: 2).contains { $0.elementsEqual(lf) }
            || (bytes.count >= 5 && !bytes.starts(with: Array("HTTP/".utf8)))
    }

    /// The proxy's answer to CONNECT: a tunnel, or the outcome that ends the attempt.
    enum Reply: Equatable {
        case tunnel(status: Int)
        case refusal(ProbeOutcome)

        var outcome: ProbeOutcome {
            switch self {
            case .tunnel(let status): return .reachedWithoutTLSCheck(status: status, reason: "not attempted")
            case .refusal(let outcome): return outcome
            }
        }
    }

    /// Reads the status line of the proxy's answer.
    static func classify(_ answer: [UInt8], hasUser: Bool) -> Reply {
        guard answer.starts(with: Array("HTTP/".utf8)) else {
            return .refusal(.notHTTPProxy(firstBytes: printable(answer.prefix(24))))
        }
        let line = String(decoding: answer.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, let status = Int(parts[1]), (100...999).contains(status) else {
            return .refusal(.notHTTPProxy(firstBytes: printable(answer.prefix(24))))
        }
        let reason = parts.count > 2 ? PeerText.shown(String(parts[2])) : ""
        switch status {
        case 200..<300: return .tunnel(status: status)
        // tinyproxy answers a wrong password with 401, a missing one with 407.
        case 401, 407:
            // The agent speaks Basic only: a proxy that offers only other schemes (Negotiate,
            // NTLM) cannot be passed whatever the password.
            let offered = authenticationSchemes(in: answer)
            if !offered.isEmpty && !offered.contains(where: { $0.lowercased() == "basic" }) {
                return .refusal(.authSchemeUnsupported(offered: offered))
            }
            return .refusal(hasUser ? .authFailed : .authRequired)
        case 403: return .refusal(.forbidden)
        case 502, 503, 504: return .refusal(.upstreamError(status: status, reason: reason))
        default: return .refusal(.otherHTTP(status: status, reason: reason))
        }
    }

    /// The schemes of the Proxy-Authenticate (or WWW-Authenticate) headers: `Basic`, `Negotiate`.
    static func authenticationSchemes(in answer: [UInt8]) -> [String] {
        let text = String(decoding: answer, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let lower = line.lowercased()
            guard lower.hasPrefix("proxy-authenticate:") || lower.hasPrefix("www-authenticate:"),
                  let colon = line.firstIndex(of: ":") else { return nil }
            return line[line.index(after: colon)...].split(separator: " ").first.map { PeerText.shown(String($0), limit: 40) }
        }
    }

    private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        "'" + bytes.map { byte in
            (32..<127).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined() + "'"
    }

    private enum Resolution: Sendable { case success([String]), failure(String), timedOut }

    /// The answer of a lookup that may come after we stopped waiting for it.
    /// The value is written before the semaphore is signalled and read only after a successful
    /// wait, which orders the two accesses.
    private final class PendingResolution: @unchecked Sendable {
        private var value: Resolution?
        let done = DispatchSemaphore(value: 0)
        func set(_ resolution: Resolution) { value = resolution; done.signal() }
        func get() -> Resolution? { value }
    }

    /// getaddrinfo cannot be cancelled and may block for the resolver's own timeouts, so it
    /// runs on another thread and is abandoned at the deadline: the attempt stays bounded.
    private static func resolve(_ host: String, deadline: Deadline) -> Resolution {
        let pending = PendingResolution()
        DispatchQueue.global().async { pending.set(resolveBlocking(host)) }
        guard pending.done.wait(timeout: .now() + deadline.remaining.inSeconds) == .success, let result = pending.get() else { return .timedOut }
        return result
    }

    private static func resolveBlocking(_ host: String) -> Resolution {
        var hints = unsafe addrinfo()
        unsafe hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let result = unsafe getaddrinfo(host, nil, &hints, &list)
        guard result == 0, let list = unsafe list else { return unsafe .failure(String(cString: gai_strerror(result))) }
        defer { unsafe freeaddrinfo(list) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = unsafe list
        while let current = unsafe node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if unsafe getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            unsafe node = unsafe current.pointee.ai_next
        }
        return addresses.isEmpty ? .failure("no address") : .success(addresses)
    }
}

extension Array {
    func windows(ofCount count: Int) -> [ArraySlice<Element>] {
        guard self.count >= count else { return [] }
        return (0...(self.count - count)).map { self[$0..<$0 + count] }
    }
}
