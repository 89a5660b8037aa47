import CTLS
import Glibc
import SystemCalls
import TimeKeeping

/// Where certificates are trusted from: the system's store (OpenSSL's default paths, which
/// honour SSL_CERT_FILE and SSL_CERT_DIR), or only the CAs in one file (`--caFile`).
public enum TrustAnchors: Sendable, Equatable {
    case system
    case file(String)
}

/// What the other end of a TLS handshake showed, and whether this host trusts it.
public struct TLSPeer: Sendable, Equatable {
    public var version: String
    public var subject: String
    public var issuer: String
    /// OpenSSL's verification result (0: verified, chain and name).
    public var verifyCode: Int
    public var verifyText: String
    public var verified: Bool { verifyCode == Int(CTAGENT_X509_V_OK) }
}

/// Why a TLS handshake did not complete.
enum TLSFailure: Error, Equatable {
    case stream(StreamFailure)
    case handshake(String)
    case unavailable(String)
}

/// A TLS client over any byte stream, through memory BIOs: OpenSSL reads and writes buffers,
/// and the bytes are carried by the stream beneath, which may be TCP or another TLS session
/// (TLS inside the tunnel of an https:// proxy, as curl does it). Every step keeps the
/// caller's deadline, because the stream beneath does.
@safe final class TLSSession: ByteStream {
    private let library: LibSSL
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    /// Bytes from the network for OpenSSL, and OpenSSL's bytes for the network. Owned by `ssl`.
    private let incoming: OpaquePointer
    private let outgoing: OpaquePointer
    private let transport: ByteStream

    init(over transport: ByteStream, host: String, trust: TrustAnchors) throws(TLSFailure) {
        let library: LibSSL
        switch unsafe LibSSL.shared {
        case .success(let loaded): unsafe library = loaded
        case .failure(let failure): throw .unavailable(failure.reason)
        }
        unsafe self.library = library
        self.transport = transport
        guard let context = unsafe library.contextNew(library.clientMethod()) else { throw .handshake("cannot create a TLS context") }
        unsafe self.context = context
        // Verification is checked after the handshake, not enforced during it: a rejected
        // certificate is the finding to report, with its subject and issuer.
        unsafe library.setVerify(context, Int32(CTAGENT_SSL_VERIFY_NONE), nil)
        let loaded: Int32
        switch trust {
        case .system: loaded = unsafe library.setDefaultVerifyPaths(context)
        case .file(let path): loaded = unsafe library.loadVerifyLocations(context, path, nil)
        }
        guard let ssl = unsafe library.sslNew(context), let incoming = unsafe library.bioNew(library.memoryMethod()),
              let outgoing = unsafe library.bioNew(library.memoryMethod()) else {
            unsafe library.contextFree(context)
            throw .handshake("cannot create a TLS session")
        }
        unsafe self.ssl = ssl
        unsafe self.incoming = incoming
        unsafe self.outgoing = outgoing
        unsafe library.setBIO(ssl, incoming, outgoing)
        unsafe library.setConnectState(ssl)
        if loaded != 1, case .file(let path) = trust { throw .handshake("cannot read the CA file \(path)") }
        if SocketAddress(numeric: host, port: 0) != nil {
            // An IP address: checked against the certificate's IP entries; no SNI (RFC 6066).
            _ = unsafe library.setIPAddress(library.getParameters(ssl), host)
        } else {
            _ = unsafe library.setHost(ssl, host)
            _ = unsafe host.withCString { unsafe library.control(ssl, Int32(CTAGENT_SSL_CTRL_SET_TLSEXT_HOSTNAME),
                                                                  Int(CTAGENT_TLSEXT_NAMETYPE_host_name),
                                                                  UnsafeMutableRawPointer(mutating: $0)) }
        }
    }

    deinit {
        unsafe library.sslFree(ssl)  // frees both BIOs too
        unsafe library.contextFree(context)
    }

    /// Runs the handshake and says what the server showed. Throws only when no handshake
    /// happened; an untrusted certificate is a `TLSPeer` that is not `verified`.
    func handshake(deadline: Deadline) throws(TLSFailure) -> TLSPeer {
        while true {
            unsafe library.errorClear()
            let result = unsafe library.doHandshake(ssl)
            try flush(deadline: deadline)
            if result == 1 { break }
            let error = unsafe library.getError(ssl, result)
            switch Int(error) {
            case Int(CTAGENT_SSL_ERROR_WANT_READ):
                try fill(deadline: deadline)
            case Int(CTAGENT_SSL_ERROR_WANT_WRITE):
                continue
            default:
                throw .handshake(lastError())
            }
        }
        let code = unsafe library.getVerifyResult(ssl)
        let text = unsafe library.verifyErrorString(code).map { unsafe String(cString: $0) } ?? "error \(code)"
        var subject = "", issuer = ""
        if let certificate = unsafe library.peerCertificate(ssl) {
            defer { unsafe library.certificateFree(certificate) }
            subject = unsafe oneLine(library.subjectName(certificate))
            issuer = unsafe oneLine(library.issuerName(certificate))
        }
        let version = unsafe library.version(ssl).map { unsafe String(cString: $0) } ?? "TLS"
        return TLSPeer(version: version, subject: subject, issuer: issuer, verifyCode: code, verifyText: text)
    }

    func send(_ bytes: [UInt8], deadline: Deadline) throws(StreamFailure) {
        var offset = 0
        while offset < bytes.count {
            let written = unsafe bytes[offset...].withUnsafeBytes { unsafe library.write(ssl, $0.baseAddress, Int32($0.count)) }
            do { try flush(deadline: deadline) } catch { throw TLSSession.streamFailure(error) }
            if written > 0 { offset += Int(written); continue }
            let error = unsafe library.getError(ssl, written)
            guard error == Int32(CTAGENT_SSL_ERROR_WANT_READ) else { throw .closed }
            do { try fill(deadline: deadline) } catch { throw TLSSession.streamFailure(error) }
        }
    }

    func receiveSome(deadline: Deadline) throws(StreamFailure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = unsafe buffer.withUnsafeMutableBytes { unsafe library.read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 { return Array(buffer[0..<Int(count)]) }
            let error = unsafe library.getError(ssl, count)
            do { try flush(deadline: deadline) } catch { throw TLSSession.streamFailure(error) }
            guard error == Int32(CTAGENT_SSL_ERROR_WANT_READ) else { throw .closed }
            do { try fill(deadline: deadline) } catch { throw TLSSession.streamFailure(error) }
        }
    }

    /// OpenSSL's pending output, onto the stream beneath.
    private func flush(deadline: Deadline) throws(TLSFailure) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while unsafe library.bioControl(outgoing, Int32(CTAGENT_BIO_CTRL_PENDING), 0, nil) > 0 {
            let count = unsafe buffer.withUnsafeMutableBytes { unsafe library.bioRead(outgoing, $0.baseAddress, Int32($0.count)) }
            guard count > 0 else { return }
            do { try transport.send(Array(buffer[0..<Int(count)]), deadline: deadline) } catch { throw .stream(error) }
        }
    }

    /// Bytes from the stream beneath, for OpenSSL to read.
    private func fill(deadline: Deadline) throws(TLSFailure) {
        let bytes: [UInt8]
        do { bytes = try transport.receiveSome(deadline: deadline) } catch { throw .stream(error) }
        _ = unsafe bytes.withUnsafeBytes { unsafe library.bioWrite(incoming, $0.baseAddress, Int32($0.count)) }
    }

    private static func streamFailure(_ failure: TLSFailure) -> StreamFailure {
        if case .stream(let inner) = failure { return inner }
        return .closed
    }

    private func oneLine(_ name: OpaquePointer?) -> String {
        guard let name = unsafe name else { return "" }
        var buffer = [CChar](repeating: 0, count: 512)
        _ = unsafe buffer.withUnsafeMutableBufferPointer { unsafe library.nameOneLine(name, $0.baseAddress, Int32($0.count)) }
        return PeerText.shown(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), limit: 200)
    }

    /// OpenSSL's reason for the last failure, in its words ("wrong version number").
    private func lastError() -> String {
        let code = unsafe library.errorGet()
        guard code != 0 else { return "the connection ended during the handshake" }
        var buffer = [CChar](repeating: 0, count: 256)
        unsafe buffer.withUnsafeMutableBufferPointer { unsafe library.errorString(code, $0.baseAddress, $0.count) }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // "error:0A00010B:SSL routines::wrong version number" -> "wrong version number"
        return text.split(separator: ":").last.map(String.init) ?? text
    }
}
