import AgentConfig
import Glibc
import TimeKeeping

/// Why a connection (TCP, or TLS over one) failed.
enum StreamFailure: Error, Equatable {
    case refused
    case unreachable(String)
    case timedOut
    case closed
}

/// A connection bytes travel over, with a deadline on every step: TCP, or TLS over another
/// stream (so that TLS inside a TLS tunnel to an https:// proxy is the same code).
protocol ByteStream: AnyObject {
    func send(_ bytes: [UInt8], deadline: Double) throws(StreamFailure)
    /// Some bytes (at least one), or `.closed` at the end of the stream.
    func receiveSome(deadline: Double) throws(StreamFailure) -> [UInt8]
}

extension ByteStream {
    /// Reads until `complete` says the bytes so far are enough, the peer closes, or the deadline.
    func receive(until complete: ([UInt8]) -> Bool, limit: Int = 16384, deadline: Double) throws(StreamFailure) -> [UInt8] {
        var received: [UInt8] = []
        while !complete(received) && received.count < limit {
            do {
                received += try receiveSome(deadline: deadline)
            } catch {
                if received.isEmpty { throw error }
                return received
            }
        }
        return received
    }
}

/// A TCP connection with deadlines on every step, from non-blocking sockets and poll(2),
/// so that no attempt can take longer than its timeout.
final class TCPConnection: ByteStream {
    typealias Failure = StreamFailure

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

    func receiveSome(deadline: Double) throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let (count, code) = unsafe buffer.withUnsafeMutableBytes { (unsafe recv(fd, $0.baseAddress, $0.count, 0), errno) }
            if count > 0 { return Array(buffer[0..<count]) }
            if count == 0 { throw .closed }
            guard code == EAGAIN || code == EINTR else { throw .closed }
            guard TCPConnection.wait(fd, for: Int16(POLLIN), until: deadline) else { throw .timedOut }
        }
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
