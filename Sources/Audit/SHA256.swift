import Glibc

/// SHA-256 from the system's OpenSSL (libcrypto.so.3, or 1.1.1's libcrypto.so.1.1 on older
/// hosts), loaded with dlopen when first needed, as the restart code loads libsystemd: commands
/// that do not write never load it, and a host without it still edits configs (the audit
/// record then says the checksum is unavailable). A digest that cannot be computed is an
/// error, never a text in its place: a guard bound to a sentence could never take its
/// change back.
///
/// The digest is made with libcrypto's own SHA-256 (`SHA256_Init`, `_Update`, `_Final`: in
/// both 1.1.1 and 3), not through `SHA256()` or EVP: in OpenSSL 3 those first load the default
/// provider and register every algorithm by name, about a millisecond at every start of a tool
/// whose whole edit of a small config takes a few.
public enum SHA256 {
    private typealias Initialize = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    private typealias Update = @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, Int) -> Int32
    private typealias Finish = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutableRawPointer?) -> Int32

    /// `SHA256_CTX` is 112 bytes in 1.1.1 and 3; more room is given than it needs.
    private static let contextSize = 256

    private typealias Digest = @convention(c) (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?) -> UnsafeMutablePointer<UInt8>?

    /// How a libcrypto computes the digest: its low-level calls, or, in an OpenSSL 3 built
    /// without the deprecated API, the one-shot `SHA256()`.
    private enum Functions {
        case lowLevel(Initialize, Update, Finish)
        case oneShot(Digest)
    }

    private static let functions: Functions? = {
        for name in ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"] {
            guard let handle = unsafe dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let initialize = unsafe dlsym(handle, "SHA256_Init"), let update = unsafe dlsym(handle, "SHA256_Update"),
               let finish = unsafe dlsym(handle, "SHA256_Final") {
                return unsafe .lowLevel(unsafeBitCast(initialize, to: Initialize.self), unsafeBitCast(update, to: Update.self),
                                        unsafeBitCast(finish, to: Finish.self))
            }
            if let digest = unsafe dlsym(handle, "SHA256") { return unsafe .oneShot(unsafeBitCast(digest, to: Digest.self)) }
            _ = unsafe dlclose(handle)
        }
        return nil
    }()

    /// Why a digest could not be made.
    public enum Unavailable: Error, Equatable, Sendable, CustomStringConvertible {
        /// No libcrypto could be loaded (libcrypto.so.3, .so.1.1, .so).
        case noLibcrypto
        /// libcrypto's SHA-256 calls failed.
        case libcryptoFailed

        public var description: String {
            switch self {
            case .noLibcrypto: return "SHA-256 cannot be computed: no libcrypto (libcrypto.so.3 or libcrypto.so.1.1) could be loaded"
            case .libcryptoFailed: return "SHA-256 cannot be computed: libcrypto's SHA-256 calls failed"
            }
        }
    }

    /// The hex digest, 64 lowercase digits.
    public static func hex(_ bytes: [UInt8]) throws(Unavailable) -> String {
        guard let functions = unsafe functions else { throw .noLibcrypto }
        var output = [UInt8](repeating: 0, count: 32)
        var context = [UInt8](repeating: 0, count: contextSize)
        let done = unsafe context.withUnsafeMutableBytes { context in
            unsafe bytes.withUnsafeBytes { input in
                unsafe output.withUnsafeMutableBufferPointer { out in
                    switch unsafe functions {
                    case .lowLevel(let initialize, let update, let finish):
                        return unsafe initialize(context.baseAddress) == 1 && update(context.baseAddress, input.baseAddress, input.count) == 1
                            && finish(out.baseAddress, context.baseAddress) == 1
                    case .oneShot(let digest):
                        return unsafe digest(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, out.baseAddress) != nil
                    }
                }
            }
        }
        guard done else { throw .libcryptoFailed }
        return output.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
