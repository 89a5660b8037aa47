import Glibc

/// The socket calls of the prober (TCP, non-blocking) and of the audit log (Unix datagrams).
extension FileDescriptor {
    public enum SocketType {
        case stream, datagram
        var rawValue: Int32 { self == .stream ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue) }
    }

    /// A new socket for `family`, close-on-exec, and non-blocking when asked.
    public static func socket(family: Int32, type: SocketType, nonBlocking: Bool = false) throws(SystemError) -> FileDescriptor {
        var flags = type.rawValue | Int32(SOCK_CLOEXEC.rawValue)
        if nonBlocking { flags |= Int32(SOCK_NONBLOCK.rawValue) }
        return FileDescriptor(adopting: try valueOrErrno(.socket) { Glibc.socket(family, flags, 0) })
    }

    /// `connect(2)`. On a non-blocking socket `.inProgress` means: wait until writable, then
    /// read `pendingSocketError()`. Not retried on EINTR: the connection goes on regardless,
    /// and a second connect would report EALREADY.
    public func connect(to address: SocketAddress) throws(SystemError) {
        try nothingOrErrno(.connect, retryOnInterrupt: false) {
            unsafe address.withSockaddr { unsafe Glibc.connect(rawValue, $0, $1) }
        }
    }

    /// The outcome of a non-blocking connect (`SO_ERROR`); nil when it succeeded.
    public func pendingSocketError() throws(SystemError) -> Errno? {
        var code: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        try nothingOrErrno(.getsockopt) { unsafe getsockopt(rawValue, SOL_SOCKET, SO_ERROR, &code, &size) }
        return code == 0 ? nil : Errno(rawValue: code)
    }

    /// Sends some of `bytes` from `offset`, never raising SIGPIPE; how many were sent.
    public func send(_ bytes: [UInt8], from offset: Int = 0) throws(SystemError) -> Int {
        try valueOrErrno(.send) {
            unsafe bytes.withUnsafeBytes { unsafe Glibc.send(rawValue, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// One whole datagram to `address`; false when it was not taken whole.
    public func sendDatagram(_ bytes: [UInt8], to address: SocketAddress) throws(SystemError) -> Bool {
        let sent = try valueOrErrno(.sendto) {
            unsafe address.withSockaddr { target, length in
                unsafe bytes.withUnsafeBytes { unsafe sendto(rawValue, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), target, length) }
            }
        }
        return sent == bytes.count
    }

    /// Some bytes, at most `count`; empty when the peer has closed.
    public func receive(upTo count: Int) throws(SystemError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let got = try valueOrErrno(.recv) {
            unsafe buffer.withUnsafeMutableBytes { unsafe recv(rawValue, $0.baseAddress, $0.count, 0) }
        }
        buffer.removeLast(buffer.count - got)
        return buffer
    }

    /// Waits until `events` (POLLIN, POLLOUT) are ready or `milliseconds` pass: true when
    /// ready. EINTR is the caller's to handle: it recomputes the time left.
    public func poll(for events: Int16, milliseconds: Int32) throws(SystemError) -> Bool {
        var descriptor = pollfd(fd: rawValue, events: events, revents: 0)
        return try valueOrErrno(.poll, retryOnInterrupt: false) { unsafe Glibc.poll(&descriptor, 1, milliseconds) } > 0
    }
}
