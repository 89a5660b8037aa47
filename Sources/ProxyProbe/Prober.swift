import AgentConfig
import Dispatch
import Glibc

/// Probes one path of the agent's failover walk for real, each attempt bounded by `timeout`.
public struct Prober: Sendable {
    public var timeout: Double

    public init(timeout: Double) {
        self.timeout = timeout
    }

    /// TCP connect to the proxy, `CONNECT target` (with Basic auth when the proxy has a user),
    /// and the proxy's answer. The password is only ever in the request sent to the proxy.
    public func probe(_ entry: ProxyEntry, target: ProbeTarget) -> ProbeOutcome {
        if entry.endpoint.scheme == .https {
            // An https:// proxy is spoken to over TLS before CONNECT; without a TLS stack here,
            // saying "not probed" is honest where "failed" would not be.
            return .notProbed(reason: "https:// proxies are reached over TLS, which testProxy does not speak; check it with curl --proxy \(entry.endpoint.original)")
        }
        let deadline = MonotonicClock.now + timeout
        let connection: TCPConnection
        do {
            connection = try TCPConnection(address: entry.endpoint.hostAddress, port: entry.endpoint.port, deadline: deadline)
        } catch {
            return outcome(error, phase: "connecting to the proxy")
        }
        var request = "CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\n"
        if let user = entry.user, let password = entry.password {
            request += "Proxy-Authorization: Basic \(Base64.encode(Array(user.utf8) + [UInt8(ascii: ":")] + password))\r\n"
        }
        request += "User-Agent: ctagent-testProxy\r\n\r\n"
        let answer: [UInt8]
        do {
            try connection.send(Array(request.utf8), deadline: deadline)
            answer = try connection.receive(until: Prober.headerComplete, deadline: deadline)
        } catch {
            return outcome(error, phase: "waiting for the proxy's answer")
        }
        return Prober.classify(answer, hasUser: entry.user != nil)
    }

    /// The agent's bypass: a TCP connection straight to the target, resolving its name.
    public func probeDirect(_ target: ProbeTarget) -> ProbeOutcome {
        let deadline = MonotonicClock.now + timeout
        let addresses: [String]
        switch Prober.resolve(target.host, deadline: deadline) {
        case .success(let found): addresses = found
        case .failure(let reason): return .resolveFailed(host: target.host, reason: reason)
        case .timedOut: return .timedOut(phase: "after \(formatSeconds(timeout)) s resolving \(target.host)")
        }
        var last = ProbeOutcome.unreachable(reason: "no address")
        for address in addresses {
            do {
                _ = try TCPConnection(address: address, port: target.port, deadline: deadline)
                return .connected
            } catch {
                last = outcome(error, phase: "connecting to \(target)")
                if case .timedOut = last { return last }
            }
        }
        return last
    }

    private func outcome(_ failure: TCPConnection.Failure, phase: String) -> ProbeOutcome {
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

    /// Reads the status line of the proxy's answer.
    static func classify(_ answer: [UInt8], hasUser: Bool) -> ProbeOutcome {
        guard answer.starts(with: Array("HTTP/".utf8)) else {
            return .notHTTPProxy(firstBytes: printable(answer.prefix(24)))
        }
        let line = String(decoding: answer.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, let status = Int(parts[1]), (100...999).contains(status) else {
            return .notHTTPProxy(firstBytes: printable(answer.prefix(24)))
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        switch status {
        case 200..<300: return .ok(status: status)
        // tinyproxy answers a wrong password with 401, a missing one with 407.
        case 401, 407: return hasUser ? .authFailed : .authRequired
        case 403: return .forbidden
        case 502, 503, 504: return .upstreamError(status: status, reason: reason)
        default: return .otherHTTP(status: status, reason: reason)
        }
    }

    private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        "'" + bytes.map { (32..<127).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined() + "'"
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
    private static func resolve(_ host: String, deadline: Double) -> Resolution {
        let pending = PendingResolution()
        DispatchQueue.global().async { pending.set(resolveBlocking(host)) }
        let remaining = max(0, deadline - MonotonicClock.now)
        guard pending.done.wait(timeout: .now() + remaining) == .success, let result = pending.get() else { return .timedOut }
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
