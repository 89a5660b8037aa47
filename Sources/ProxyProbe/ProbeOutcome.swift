/// What one attempt on one path found.
public enum ProbeOutcome: Equatable, Sendable, CustomStringConvertible {
    case ok(status: Int)
    case connected
    case refused
    case unreachable(reason: String)
    case timedOut(phase: String)
    case authRequired
    case authFailed
    case forbidden
    case upstreamError(status: Int, reason: String)
    case otherHTTP(status: Int, reason: String)
    case notHTTPProxy(firstBytes: String)
    case closedEarly
    case resolveFailed(host: String, reason: String)
    /// The path could not be probed from here; it may work or not.
    case notProbed(reason: String)

    public var works: Bool {
        switch self {
        case .ok, .connected: return true
        default: return false
        }
    }

    /// A short machine-readable name, for `--json`.
    public var kind: String {
        switch self {
        case .ok: return "ok"
        case .connected: return "ok"
        case .refused: return "refused"
        case .unreachable: return "unreachable"
        case .timedOut: return "timed-out"
        case .authRequired: return "auth-required"
        case .authFailed: return "auth-failed"
        case .forbidden: return "forbidden"
        case .upstreamError: return "upstream-error"
        case .otherHTTP: return "http-error"
        case .notHTTPProxy: return "not-an-http-proxy"
        case .closedEarly: return "closed-early"
        case .resolveFailed: return "resolve-failed"
        case .notProbed: return "not-probed"
        }
    }

    public var description: String {
        switch self {
        case .ok(let status): return "ok (HTTP \(status), tunnel established)"
        case .connected: return "ok (TCP connection established)"
        case .refused: return "connection refused (nothing listens on that port)"
        case .unreachable(let reason): return "unreachable (\(reason))"
        case .timedOut(let phase): return "timed out \(phase)"
        case .authRequired: return "proxy authentication required (407), and no user is configured for this proxy"
        case .authFailed: return "authentication failed: the proxy rejected the configured user or password"
        case .forbidden: return "403 forbidden: the proxy does not allow a tunnel to the platform"
        case .upstreamError(let status, let reason): return "\(status) \(reason): the proxy could not reach the platform"
        case .otherHTTP(let status, let reason): return "HTTP \(status) \(reason)"
        case .notHTTPProxy(let firstBytes): return "not an HTTP proxy (it answered \(firstBytes))"
        case .closedEarly: return "the proxy closed the connection without answering"
        case .resolveFailed(let host, let reason): return "cannot resolve \(host) (\(reason))"
        case .notProbed(let reason): return "not probed: \(reason)"
        }
    }
}
