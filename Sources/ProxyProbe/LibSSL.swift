import CTLS
import Glibc

/// The system's libssl, loaded with dlopen the first time a probe needs TLS, as ServiceControl
/// loads libsystemd: commands that do not probe never load it, and their start-up stays as it
/// was. OpenSSL 3 where it is installed, else OpenSSL 1.1.1, which RHEL 8, Debian 11, SLES 15
/// and Ubuntu 20.04 ship: every function used here has the same signature in both, and the
/// constants in tls-abi.h the same values; only the peer-certificate getter has another name
/// in 1.1.1 (`SSL_get_peer_certificate`, which 3 renamed `SSL_get1_peer_certificate` and keeps
/// as a macro only). `@unsafe`: it holds C function pointers, and a call is as safe as its C
/// arguments.
@unsafe struct LibSSL {
    let clientMethod: ctagent_TLS_client_method_t
    let contextNew: ctagent_SSL_CTX_new_t
    let contextFree: ctagent_SSL_CTX_free_t
    let setDefaultVerifyPaths: ctagent_SSL_CTX_set_default_verify_paths_t
    let loadVerifyLocations: ctagent_SSL_CTX_load_verify_locations_t
    let setVerify: ctagent_SSL_CTX_set_verify_t
    let sslNew: ctagent_SSL_new_t
    let sslFree: ctagent_SSL_free_t
    let setConnectState: ctagent_SSL_set_connect_state_t
    let control: ctagent_SSL_ctrl_t
    let setHost: ctagent_SSL_set1_host_t
    let getParameters: ctagent_SSL_get0_param_t
    let setIPAddress: ctagent_X509_VERIFY_PARAM_set1_ip_asc_t
    let memoryMethod: ctagent_BIO_s_mem_t
    let bioNew: ctagent_BIO_new_t
    let setBIO: ctagent_SSL_set_bio_t
    let bioWrite: ctagent_BIO_write_t
    let bioRead: ctagent_BIO_read_t
    let bioControl: ctagent_BIO_ctrl_t
    let doHandshake: ctagent_SSL_do_handshake_t
    let getError: ctagent_SSL_get_error_t
    let read: ctagent_SSL_read_t
    let write: ctagent_SSL_write_t
    let getVerifyResult: ctagent_SSL_get_verify_result_t
    let verifyErrorString: ctagent_X509_verify_cert_error_string_t
    let peerCertificate: ctagent_SSL_get1_peer_certificate_t
    let certificateFree: ctagent_X509_free_t
    let subjectName: ctagent_X509_get_name_t
    let issuerName: ctagent_X509_get_name_t
    let nameOneLine: ctagent_X509_NAME_oneline_t
    let version: ctagent_SSL_get_version_t
    let errorGet: ctagent_ERR_get_error_t
    let errorString: ctagent_ERR_error_string_n_t
    let errorClear: ctagent_ERR_clear_error_t

    /// The libraries tried, newest first, with the name each gives the peer-certificate getter.
    static let candidates: [(soname: String, peerCertificate: String)] = [
        ("libssl.so.3", "SSL_get1_peer_certificate"),
        ("libssl.so.1.1", "SSL_get_peer_certificate"),
    ]

    /// Loaded once per process; nil with the reason when no supported libssl is installed.
    static let shared: Result<LibSSL, LoadFailure> = unsafe load()

    struct LoadFailure: Error { var reason: String }

    private static func load() -> Result<LibSSL, LoadFailure> {
        for candidate in unsafe candidates {
            guard let ssl = unsafe dlopen(candidate.soname, RTLD_NOW | RTLD_LOCAL) else { continue }
            return unsafe load(from: ssl, candidate.soname, peerCertificate: candidate.peerCertificate)
        }
        return unsafe .failure(LoadFailure(reason: "neither libssl.so.3 (OpenSSL 3) nor libssl.so.1.1 (OpenSSL 1.1.1) is installed"))
    }

    private static func load(from ssl: UnsafeMutableRawPointer, _ soname: String, peerCertificate: String) -> Result<LibSSL, LoadFailure> {
        // libssl depends on libcrypto, so it is loaded; its symbols are found through libssl's handle.
        func symbol<T>(_ name: String, as type: T.Type) throws(LoadFailure) -> T {
            guard let pointer = unsafe dlsym(ssl, name) else { throw LoadFailure(reason: "\(soname) has no \(name)") }
            return unsafe unsafeBitCast(pointer, to: type)
        }
        do {
            return unsafe .success(LibSSL(
                clientMethod: try symbol("TLS_client_method", as: ctagent_TLS_client_method_t.self),
                contextNew: try symbol("SSL_CTX_new", as: ctagent_SSL_CTX_new_t.self),
                contextFree: try symbol("SSL_CTX_free", as: ctagent_SSL_CTX_free_t.self),
                setDefaultVerifyPaths: try symbol("SSL_CTX_set_default_verify_paths", as: ctagent_SSL_CTX_set_default_verify_paths_t.self),
                loadVerifyLocations: try symbol("SSL_CTX_load_verify_locations", as: ctagent_SSL_CTX_load_verify_locations_t.self),
                setVerify: try symbol("SSL_CTX_set_verify", as: ctagent_SSL_CTX_set_verify_t.self),
                sslNew: try symbol("SSL_new", as: ctagent_SSL_new_t.self),
                sslFree: try symbol("SSL_free", as: ctagent_SSL_free_t.self),
                setConnectState: try symbol("SSL_set_connect_state", as: ctagent_SSL_set_connect_state_t.self),
                control: try symbol("SSL_ctrl", as: ctagent_SSL_ctrl_t.self),
                setHost: try symbol("SSL_set1_host", as: ctagent_SSL_set1_host_t.self),
                getParameters: try symbol("SSL_get0_param", as: ctagent_SSL_get0_param_t.self),
                setIPAddress: try symbol("X509_VERIFY_PARAM_set1_ip_asc", as: ctagent_X509_VERIFY_PARAM_set1_ip_asc_t.self),
                memoryMethod: try symbol("BIO_s_mem", as: ctagent_BIO_s_mem_t.self),
                bioNew: try symbol("BIO_new", as: ctagent_BIO_new_t.self),
                setBIO: try symbol("SSL_set_bio", as: ctagent_SSL_set_bio_t.self),
                bioWrite: try symbol("BIO_write", as: ctagent_BIO_write_t.self),
                bioRead: try symbol("BIO_read", as: ctagent_BIO_read_t.self),
                bioControl: try symbol("BIO_ctrl", as: ctagent_BIO_ctrl_t.self),
                doHandshake: try symbol("SSL_do_handshake", as: ctagent_SSL_do_handshake_t.self),
                getError: try symbol("SSL_get_error", as: ctagent_SSL_get_error_t.self),
                read: try symbol("SSL_read", as: ctagent_SSL_read_t.self),
                write: try symbol("SSL_write", as: ctagent_SSL_write_t.self),
                getVerifyResult: try symbol("SSL_get_verify_result", as: ctagent_SSL_get_verify_result_t.self),
                verifyErrorString: try symbol("X509_verify_cert_error_string", as: ctagent_X509_verify_cert_error_string_t.self),
                peerCertificate: try symbol(peerCertificate, as: ctagent_SSL_get1_peer_certificate_t.self),
                certificateFree: try symbol("X509_free", as: ctagent_X509_free_t.self),
                subjectName: try symbol("X509_get_subject_name", as: ctagent_X509_get_name_t.self),
                issuerName: try symbol("X509_get_issuer_name", as: ctagent_X509_get_name_t.self),
                nameOneLine: try symbol("X509_NAME_oneline", as: ctagent_X509_NAME_oneline_t.self),
                version: try symbol("SSL_get_version", as: ctagent_SSL_get_version_t.self),
                errorGet: try symbol("ERR_get_error", as: ctagent_ERR_get_error_t.self),
                errorString: try symbol("ERR_error_string_n", as: ctagent_ERR_error_string_n_t.self),
                errorClear: try symbol("ERR_clear_error", as: ctagent_ERR_clear_error_t.self)
            ))
        } catch {
            return unsafe .failure(error)
        }
    }
}
