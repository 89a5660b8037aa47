import Foundation

/// Loopback ports for tests: one nothing listens on, and one free for a server to bind next.
public enum LoopbackPort {
    /// A port nothing listens on, for the rest of the test run: bound by a socket that never
    /// listens (a connection to it is refused) and is deliberately never closed, so that no
    /// other test's server can be given the port meanwhile and answer where a dead peer was
    /// meant. The process's exit closes it.
    public static func closed() throws -> UInt16 {
        port(of: try boundSocket())
    }

    /// A free port for a server of our own to bind next: bound, then released.
    public static func free() throws -> UInt16 {
        let fd = try boundSocket()
        defer { close(fd) }
        return port(of: fd)
    }

    private static func boundSocket() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError(message: "cannot make a socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TestSupportError(message: "cannot bind: \(reason)")
        }
        return fd
    }

    private static func port(of fd: Int32) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }
}
