import CTLS

/// What one attempt on one path found.
public enum ProbeOutcome: Equatable, Sendable, CustomStringConvertible {
    /// The agent would work on this path: the platform's certificate verified.
    case verified(TLSPeer, viaProxy: Bool)
    /// The tunnel (or TCP connection) is up but TLS could not be checked here (no libssl).
    case reachedWithoutTLSCheck(status: Int?, reason: String)
    case refused
    case unreachable(reason: String)
    case timedOut(phase: String)
    case authRequired
    case authFailed
    /// 407 offering only schemes the agent does not speak (it sends Basic).
    case authSchemeUnsupported(offered: [String])
    case forbidden
    case upstreamError(status: Int, reason: String)
    case otherHTTP(status: Int, reason: String)
    case notHTTPProxy(firstBytes: String)
    case closedEarly
    /// The connection (a tunnel the proxy had accepted, or the direct one) was closed during
    /// the TLS handshake with the platform.
    case closedDuringTLS(viaProxy: Bool)
    case resolveFailed(host: String, reason: String)
    /// The platform's certificate did not verify; `host` is the platform's name.
    case untrustedCertificate(TLSPeer, host: String, viaProxy: Bool)
    /// No TLS handshake with the platform happened.
    case tlsFailed(reason: String, viaProxy: Bool)
    /// An https:// proxy's own certificate did not verify.
    case proxyCertificateUntrusted(TLSPeer)
    /// No TLS handshake with an https:// proxy happened.
    case proxyTLSFailed(reason: String)
    /// The path could not be probed from here; it may work or not.
    case notProbed(reason: String)

    public var works: Bool {
        switch self {
        case .verified, .reachedWithoutTLSCheck: return true
        default: return false
        }
    }

    /// The certificate the platform's side showed, when a handshake happened.
    public var platformPeer: TLSPeer? {
        switch self {
        case .verified(let peer, _), .untrustedCertificate(let peer, _, _): return peer
        default: return nil
        }
    }

    /// A short machine-readable name, for `--json`.
    public var kind: String {
        switch self {
        case .verified, .reachedWithoutTLSCheck: return "ok"
        case .refused: return "refused"
        case .unreachable: return "unreachable"
        case .timedOut: return "timed-out"
        case .authRequired: return "auth-required"
        case .authFailed: return "auth-failed"
        case .authSchemeUnsupported: return "auth-unsupported"
        case .forbidden: return "forbidden"
        case .upstreamError: return "upstream-error"
        case .otherHTTP: return "http-error"
        case .notHTTPProxy: return "not-an-http-proxy"
        case .closedEarly: return "closed-early"
        case .closedDuringTLS: return "tls-closed"
        case .resolveFailed: return "resolve-failed"
        case .untrustedCertificate(let peer, _, let viaProxy):
            switch CertificateProblem(peer) {
            case .expired, .notYetValid: return "tls-expired"
            case .wrongName: return "tls-wrong-name"
            case .selfSigned where !viaProxy: return "tls-self-signed"
            // Whether a proxy intercepts is the walk's to say: it compares issuers across paths.
            case .untrustedIssuer, .selfSigned: return "tls-untrusted"
            case .other: return "tls-untrusted"
            }
        case .tlsFailed: return "tls-failed"
        case .proxyCertificateUntrusted: return "proxy-tls-untrusted"
        case .proxyTLSFailed: return "proxy-tls-failed"
        case .notProbed: return "not-probed"
        }
    }

    public var description: String {
        switch self {
        case .verified(let peer, let viaProxy):
            return "ok (\(viaProxy ? "tunnel established, " : "")\(peer.version), certificate '\(peer.subject)' issued by '\(peer.issuer)', verified)"
        case .reachedWithoutTLSCheck(let status, let reason):
            return "ok (\(status.map { "HTTP \($0), tunnel established" } ?? "TCP connection established"); TLS not checked: \(reason))"
        case .refused: return "connection refused (nothing listens on that port)"
        case .unreachable(let reason): return "unreachable (\(reason))"
        case .timedOut(let phase): return "timed out \(phase)"
        case .authRequired: return "proxy authentication required (407), and no user is configured for this proxy"
        case .authFailed: return "authentication failed: the proxy rejected the configured user or password"
        case .authSchemeUnsupported(let offered):
            return "the proxy asks for \(offered.joined(separator: " or ")) authentication, which the agent does not speak (it sends Basic); "
                + "allow Basic for the agent's user on the proxy, or use another proxy"
        case .forbidden: return "403 forbidden: the proxy does not allow a tunnel to the platform"
        case .upstreamError(let status, let reason): return "\(status) \(reason): the proxy could not reach the platform"
        case .otherHTTP(let status, let reason): return "HTTP \(status) \(reason)"
        case .notHTTPProxy(let firstBytes): return "not an HTTP proxy (it answered \(firstBytes))"
        case .closedEarly: return "the proxy closed the connection without answering"
        case .closedDuringTLS(let viaProxy):
            return viaProxy
                ? "tunnel established (HTTP 200), but closed during the TLS handshake with the platform: the proxy, or something behind it, drops the connection (it may block the platform, or refuse TLS it cannot inspect)"
                : "the connection was closed during the TLS handshake: the platform, or something on the way, drops it"
        case .resolveFailed(let host, let reason): return "cannot resolve \(host) (\(reason))"
        case .untrustedCertificate(let peer, let host, let viaProxy):
            return CertificateProblem(peer).sentence(peer, host: host, viaProxy: viaProxy)
        case .tlsFailed(let reason, let viaProxy):
            let plain = reason.contains("wrong version number") || reason.contains("packet length too long") || reason.contains("http request")
            return (viaProxy ? "tunnel established, but " : "") + "no TLS handshake with the platform (OpenSSL: \(reason))"
                + (plain ? "; the other end does not speak TLS there" : "")
        case .proxyCertificateUntrusted(let peer):
            return "the https:// proxy's own certificate '\(peer.subject)' (issued by '\(peer.issuer)') is not trusted here: \(peer.verifyText)"
        case .proxyTLSFailed(let reason):
            let plain = reason.contains("wrong version number") || reason.contains("packet length too long") || reason.contains("http request")
            return plain ? "the proxy answered TLS with plain HTTP (OpenSSL: \(reason)); configure it as http:// instead of https://"
                : "no TLS handshake with the https:// proxy (OpenSSL: \(reason))"
        case .notProbed(let reason): return "not probed: \(reason)"
        }
    }
}

/// Why a certificate did not verify, in the admin's terms.
enum CertificateProblem {
    case expired, notYetValid, wrongName, selfSigned, untrustedIssuer, other

    init(_ peer: TLSPeer) {
        // OpenSSL's verify codes, named by the ABI header (x509_vfy.h's X509_V_ERR_*).
        switch peer.verifyCode {
        case Int(CTAGENT_X509_V_ERR_CERT_HAS_EXPIRED): self = .expired
        case Int(CTAGENT_X509_V_ERR_CERT_NOT_YET_VALID): self = .notYetValid
        case Int(CTAGENT_X509_V_ERR_HOSTNAME_MISMATCH), Int(CTAGENT_X509_V_ERR_IP_ADDRESS_MISMATCH):
            self = .wrongName
        case Int(CTAGENT_X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT), Int(CTAGENT_X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN):
            self = .selfSigned
        case Int(CTAGENT_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY), Int(CTAGENT_X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE),
             Int(CTAGENT_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT):
            self = .untrustedIssuer
        default: self = .other
        }
    }

    func sentence(_ peer: TLSPeer, host: String, viaProxy: Bool) -> String {
        switch self {
        case .selfSigned where viaProxy:
            return "the certificate for \(host) is self-signed ('\(peer.subject)'); it is not trusted here"
        case .untrustedIssuer:
            return "the certificate for \(host) is issued by '\(peer.issuer)', which this host does not trust"
        case .selfSigned:
            return "the certificate for \(host) is self-signed ('\(peer.subject)'); this host does not trust it"
        case .expired:
            return "the certificate for \(host) ('\(peer.subject)', issued by '\(peer.issuer)') has expired"
        case .notYetValid:
            return "the certificate for \(host) ('\(peer.subject)', issued by '\(peer.issuer)') is not valid yet (check this host's clock)"
        case .wrongName:
            return "the certificate '\(peer.subject)' (issued by '\(peer.issuer)') is not valid for \(host)"
        case .other:
            return "the certificate for \(host) ('\(peer.subject)', issued by '\(peer.issuer)') did not verify: \(peer.verifyText)"
        }
    }
}
