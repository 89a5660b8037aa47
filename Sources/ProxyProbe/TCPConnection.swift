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
        var storage = sockaddr_storage()
        var length: socklen_t
        let family: Int32
        if address.contains(":") {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, address, &sin6.sin6_addr) == 1 else { throw .unreachable("bad address \(address)") }
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: withUnsafeBytes(of: sin6) { $0 }) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            family = AF_INET6
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            guard inet_pton(AF_INET, address, &sin.sin_addr) == 1 else { throw .unreachable("bad address \(address)") }
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: withUnsafeBytes(of: sin) { $0 }) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            family = AF_INET
        }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .unreachable(String(cString: strerror(errno))) }
        let started = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        if started != 0 && errno != EINPROGRESS {
            let code = errno
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
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
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
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
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
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
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
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000 + 1, Double(Int32.max))))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }

    private static func failure(_ code: Int32) -> Failure {
        switch code {
        case ECONNREFUSED: return .refused
        case ETIMEDOUT: return .timedOut
        default: return .unreachable(String(cString: strerror(code)))
        }
    }
}
