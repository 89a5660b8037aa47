import Glibc

/// A numeric IPv4 or IPv6 address and port in the form `connect(2)` takes.
///
/// The bytes live in a `sockaddr_storage` owned by this value; a `sockaddr` pointer to them is
/// only ever handed out inside `withSockaddr`, for as long as that call lasts. (A pointer
/// returned out of `withUnsafeBytes(of:)` is dangling, and the optimizer does reuse the
/// memory: the release build once connected with `AF_UNSPEC`.)
struct SocketAddress {
    private var storage = sockaddr_storage()
    let length: socklen_t
    let family: Int32

    /// `nil` when `address` is not a numeric IPv4 or IPv6 address.
    init?(numeric address: String, port: UInt16) {
        if address.contains(":") {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            guard unsafe inet_pton(AF_INET6, address, &sin6.sin6_addr) == 1 else { return nil }
            SocketAddress.copy(sin6, into: &storage)
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            family = AF_INET6
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            guard unsafe inet_pton(AF_INET, address, &sin.sin_addr) == 1 else { return nil }
            SocketAddress.copy(sin, into: &storage)
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            family = AF_INET
        }
    }

    /// Both buffers are valid for the whole nested call, and only there.
    private static func copy<Address>(_ address: Address, into storage: inout sockaddr_storage) {
        unsafe withUnsafeMutableBytes(of: &storage) { target in
            unsafe withUnsafeBytes(of: address) { source in
                unsafe target.copyMemory(from: source)
            }
        }
    }

    /// Calls `body` with a pointer that is valid only during the call.
    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        unsafe withUnsafePointer(to: storage) { pointer in
            unsafe pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { unsafe body($0, length) }
        }
    }
}
