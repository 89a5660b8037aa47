import AgentConfig
import Glibc

/// A TCP connection with deadlines on every step, from non-blocking sockets and poll(2),
/// so that no attempt can take longer than its timeout.
struct TCPConnection: ~Copyable {
    enum Failure: Error, Equatable {
        case refused
        case unreachable(String)
        case timedOut
        case closed
    }

    private let fd: Int32

    /// Connects to a numeric address (IPv4 or IPv6), giving up at `deadline`.
    init(address: String, port: UInt16, deadline: Double) throws(Failure) {
        guard let socketAddress = SocketAddress(numeric: address, port: port) else {
            throw .unreachable("bad address \(address)")
        }
        let fd = socket(socketAddress.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw unsafe .unreachable(String(cString: strerror(errno))) }
        // errno is read inside the call, before anything else can change it.
        let (started, code) = unsafe socketAddress.withSockaddr { unsafe (connect(fd, $0, $1), errno) }
        if started != 0 && code != EINPROGRESS {
            close(fd)
            throw TCPConnection.failure(code)
        }
        if started != 0 {
            guard TCPConnection.wait(fd, for: Int16(POLLOUT), until: deadline) else {
                close(fd)
                throw .timedOut
            }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            unsafe getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            if error != 0 {
                close(fd)
                throw TCPConnection.failure(error)
            }
        }
        self.fd = fd
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8], deadline: Double) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = unsafe bytes.withUnsafeBytes { unsafe Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if errno == EAGAIN || errno == EINTR {
                guard TCPConnection.wait(fd, for: Int16(POLLOUT), until: deadline) else { throw .timedOut }
            } else {
                throw .closed
            }
        }
    }

    /// Reads until `complete` says the bytes so far are enough, the peer closes, or the deadline.
    func receive(until complete: ([UInt8]) -> Bool, limit: Int = 16384, deadline: Double) throws(Failure) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !complete(received) && received.count < limit {
            let count = unsafe buffer.withUnsafeMutableBytes { unsafe recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 {
                if received.isEmpty { throw .closed }
                return received
            } else if errno == EAGAIN || errno == EINTR {
                guard TCPConnection.wait(fd, for: Int16(POLLIN), until: deadline) else {
                    if received.isEmpty { throw .timedOut }
                    return received
                }
            } else {
                if received.isEmpty { throw .closed }
                return received
            }
        }
        return received
    }

    private static func wait(_ fd: Int32, for events: Int16, until deadline: Double) -> Bool {
        while true {
            let remaining = deadline - MonotonicClock.now
            if remaining <= 0 { return false }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = unsafe poll(&descriptor, 1, Int32(min(remaining * 1000 + 1, Double(Int32.max))))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }

    private static func failure(_ code: Int32) -> Failure {
        switch code {
        case ECONNREFUSED: return .refused
        case ETIMEDOUT: return .timedOut
        default: return unsafe .unreachable(String(cString: strerror(code)))
        }
    }
}
