import Glibc

/// SHA-256 from the system's OpenSSL (libcrypto.so.3, or 1.1.1's libcrypto.so.1.1 on older
/// hosts), loaded with dlopen when first needed, as the restart code loads libsystemd: commands
/// that do not write never load it, and a host without it still edits configs (the audit
/// record then says the checksum is unavailable).
public enum SHA256 {
    private typealias Digest = @convention(c) (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?) -> UnsafeMutablePointer<UInt8>?

    private static let digestFunction: Digest? = {
        for name in ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"] {
            if let handle = unsafe dlopen(name, RTLD_NOW | RTLD_LOCAL), let symbol = unsafe dlsym(handle, "SHA256") {
                return unsafe unsafeBitCast(symbol, to: Digest.self)
            }
        }
        return nil
    }()

    /// The hex digest, or "unavailable (no libcrypto)".
    public static func hex(_ bytes: [UInt8]) -> String {
        guard let digest = unsafe digestFunction else { return "unavailable (no libcrypto)" }
        var output = [UInt8](repeating: 0, count: 32)
        unsafe bytes.withUnsafeBufferPointer { input in
            unsafe output.withUnsafeMutableBufferPointer { out in
                _ = unsafe digest(input.baseAddress, input.count, out.baseAddress)
            }
        }
        return output.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
