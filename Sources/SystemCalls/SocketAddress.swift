import Glibc

/// A socket address in the form `connect(2)` and `sendto(2)` take, built in this one place:
/// a numeric IPv4 or IPv6 address and port, or a Unix socket's path (as swift-nio's
/// `SocketAddress`, parsed once into a value).
///
/// The bytes live in a `sockaddr_storage` owned by this value; a `sockaddr` pointer to them is
/// only ever handed out inside `withSockaddr`, for as long as that call lasts. (A pointer
/// returned out of `withUnsafeBytes(of:)` is dangling, and the optimizer does reuse the
/// memory: the release build once connected with `AF_UNSPEC`.)
public struct SocketAddress: Sendable {
    private var storage = sockaddr_storage()
    public let length: socklen_t
    public let family: Int32

    /// `nil` when `address` is not a numeric IPv4 or IPv6 address.
    public init?(numeric address: String, port: UInt16) {
        if address.contains(":") {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            guard unsafe inet_pton(AF_INET6, address, &sin6.sin6_addr) == 1 else { return nil }
            self.init(sin6, family: AF_INET6)
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            guard unsafe inet_pton(AF_INET, address, &sin.sin_addr) == 1 else { return nil }
            self.init(sin, family: AF_INET)
        }
    }

    /// `nil` when the path does not fit `sun_path` (107 bytes and the final zero).
    public init?(unixPath path: String) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path), !bytes.contains(0) else { return nil }
        unsafe withUnsafeMutableBytes(of: &address.sun_path) { unsafe $0.copyBytes(from: bytes) }
        self.init(address, family: AF_UNIX, length: MemoryLayout<sa_family_t>.size + bytes.count + 1)
    }

    /// Copies a filled-in `sockaddr_in`, `sockaddr_in6` or `sockaddr_un` into the storage; both
    /// buffers are valid for the whole nested call, and only there.
    private init<Address>(_ address: Address, family: Int32, length: Int = MemoryLayout<Address>.size) {
        unsafe withUnsafeMutableBytes(of: &storage) { target in
            unsafe withUnsafeBytes(of: address) { source in
                unsafe target.copyMemory(from: source)
            }
        }
        self.length = socklen_t(length)
        self.family = family
    }

    /// Calls `body` with a pointer that is valid only during the call.
    public func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        unsafe withUnsafePointer(to: storage) { pointer in
            unsafe pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { unsafe body($0, length) }
        }
    }
}
