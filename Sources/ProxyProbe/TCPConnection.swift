import ProxyList
import Glibc
import SystemCalls
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
    func send(_ bytes: [UInt8], deadline: Deadline) throws(StreamFailure)
    /// Some bytes (at least one), or `.closed` at the end of the stream.
    func receiveSome(deadline: Deadline) throws(StreamFailure) -> [UInt8]
}

extension ByteStream {
    /// Reads until `complete` says the bytes so far are enough, the peer closes, or the deadline.
    func receive(until complete: ([UInt8]) -> Bool, limit: Int = 16384, deadline: Deadline) throws(StreamFailure) -> [UInt8] {
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

    private let socket: FileDescriptor

    /// Connects to a numeric address (IPv4 or IPv6), giving up at `deadline`.
    init(address: String, port: UInt16, deadline: Deadline) throws(Failure) {
        guard let socketAddress = SocketAddress(numeric: address, port: port) else {
            throw .unreachable("bad address \(address)")
        }
        do {
            socket = try FileDescriptor.socket(family: socketAddress.family, type: .stream, nonBlocking: true)
        } catch {
            throw TCPConnection.failure(error.errno)
        }
        do {
            try socket.connect(to: socketAddress)
            return
        } catch {
            guard error.errno == .inProgress || error.errno == .interrupted else { throw TCPConnection.failure(error.errno) }
        }
        // The handshake goes on in the kernel: wait for it, then ask how it ended.
        let ready: Bool, pending: Errno?
        do {
            ready = try TCPConnection.wait(socket, for: Int16(POLLOUT), until: deadline)
            pending = ready ? try socket.pendingSocketError() : nil
        } catch {
            throw TCPConnection.failure(error.errno)
        }
        guard ready else { throw .timedOut }
        if let pending { throw TCPConnection.failure(pending) }
    }

    func send(_ bytes: [UInt8], deadline: Deadline) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            do {
                offset += try socket.send(bytes, from: offset)
            } catch where error.errno == .wouldBlock {
                guard (try? TCPConnection.wait(socket, for: Int16(POLLOUT), until: deadline)) == true else { throw .timedOut }
            } catch {
                throw .closed
            }
        }
    }

    func receiveSome(deadline: Deadline) throws(Failure) -> [UInt8] {
        while true {
            let received: [UInt8]
            do {
                received = try socket.receive(upTo: 16384)
            } catch where error.errno == .wouldBlock {
                guard (try? TCPConnection.wait(socket, for: Int16(POLLIN), until: deadline)) == true else { throw .timedOut }
                continue
            } catch {
                throw .closed
            }
            if received.isEmpty { throw .closed }
            return received
        }
    }

    /// Waits for `events` until `deadline`: false when it passed first. An interrupted poll
    /// goes round again with the time that is left.
    private static func wait(_ socket: borrowing FileDescriptor, for events: Int16, until deadline: Deadline) throws(SystemError) -> Bool {
        while true {
            if deadline.hasPassed { return false }
            do {
                if try socket.poll(for: events, milliseconds: deadline.remaining.roundedUpMilliseconds) { return true }
            } catch where error.errno == .interrupted {
                continue
            }
        }
    }

    private static func failure(_ code: Errno) -> Failure {
        switch code {
        case .connectionRefused: return .refused
        case .timedOut: return .timedOut
        default: return .unreachable(code.description)
        }
    }
}
