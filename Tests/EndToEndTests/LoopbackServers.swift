import Foundation
import TestSupport

/// A TCP server on loopback, in the test process, that behaves as told: a platform that
/// accepts, a port that never answers, one that speaks another protocol, one that hangs up.
final class LoopbackServer: @unchecked Sendable {
    /// `echoProxyAuthorization`: a hostile proxy that answers 502 with the request's
    /// Proxy-Authorization header (and an escape sequence) as its reason phrase.
    enum Behavior { case accept, silent, banner(String), hangUp, replyThenHangUp(String), echoProxyAuthorization }

    let port: UInt16
    private let fd: Int32
    private let clients = Clients()

    /// Accepted connections, kept open until the server goes away, and whether it has. The
    /// listening socket is shut down and closed under the same lock, in that order: its
    /// number is never used after it may have been given to another test's socket.
    private final class Clients: @unchecked Sendable {
        private var fds: [Int32] = []
        private var stopped = false
        private let lock = NSLock()

        /// Keeps a connection, or closes it when the server is already gone.
        func add(_ fd: Int32) {
            lock.withLock { if stopped { close(fd) } else { fds.append(fd) } }
        }

        /// The server goes: accept() ends, every connection is closed.
        func stop(listener: Int32) {
            lock.withLock {
                stopped = true
                shutdown(listener, Int32(SHUT_RDWR))
                fds.forEach { close($0) }
                fds = []
            }
        }

        /// After accept() failed: true (and the socket closed) when the server is gone; false
        /// for an error to retry (a connection reset while queued, no file descriptor free).
        func closeIfStopped(listener: Int32) -> Bool {
            lock.withLock {
                if stopped { close(listener) }
                return stopped
            }
        }
    }

    init(_ behavior: Behavior, address: String = "127.0.0.1") throws {
        let ipv6 = address.contains(":")
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if ipv6 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, address, &sin6.sin6_addr)
            bound = withUnsafePointer(to: &sin6) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, address, &sin.sin_addr)
            bound = withUnsafePointer(to: &sin) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw FixtureError(message: "cannot listen on \(address): \(reason)")
        }
        port = LoopbackServer.localPort(fd)
        self.fd = fd
        // The thread holds only the socket and the client list, not the server, so that the
        // server can go away, which ends the thread's accept().
        let clients = self.clients
        Thread { LoopbackServer.acceptLoop(fd, behavior, clients) }.start()
    }

    /// Shuts the socket down, which ends the thread's accept(); the thread closes it. Closing it
    /// here could let the thread, not yet in accept() or still serving a client, accept on a
    /// number the next server of another test was given.
    deinit { clients.stop(listener: fd) }

    private static func acceptLoop(_ fd: Int32, _ behavior: Behavior, _ clients: Clients) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if clients.closeIfStopped(listener: fd) { return }
                usleep(10_000)
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            switch behavior {
            case .accept, .silent:
                clients.add(client)
            case .banner(let text):
                _ = text.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                clients.add(client)
            case .hangUp:
                close(client)
            case .replyThenHangUp(let text):
                // Reads the request, answers, then closes: a proxy that accepts the tunnel
                // and drops it.
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = recv(client, &buffer, buffer.count, 0)
                _ = text.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(client)
            case .echoProxyAuthorization:
                var buffer = [UInt8](repeating: 0, count: 8192)
                let count = recv(client, &buffer, buffer.count, 0)
                let request = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
                let header = request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("proxy-authorization:") } ?? "none"
                let reply = "HTTP/1.1 502 \(header) \u{1b}[32mok (TLSv1.3, verified)\u{1b}[0m\r\nContent-Length: 0\r\n\r\n"
                _ = reply.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }
    }

    private static func localPort(_ fd: Int32) -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return withUnsafeBytes(of: storage) { UInt16(bigEndian: $0.load(fromByteOffset: 2, as: UInt16.self)) }
    }
}

/// A real tinyproxy (Debian's) on loopback, started from Tests/Fixtures/run-tinyproxy.sh.
final class TinyProxy: @unchecked Sendable {
    static let script = Harness.packageRoot + "/Tests/Fixtures/run-tinyproxy.sh"
    static let unavailableReason: String? = {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tinyproxy") ? nil : "tinyproxy is not installed"
    }()

    let directory: String
    let port: UInt16
    let address: String

    init(user: String? = nil, password: String? = nil, address: String = "127.0.0.1", extraConfig: String? = nil) throws {
        directory = try Harness.temporaryDirectory()
        self.address = address
        var lastError = ""
        for _ in 0..<5 {
            let port = try LoopbackPort.free()
            let started = try Harness.run(TinyProxy.script, ["start", directory, String(port), user ?? "", password ?? "", address],
                                          environment: extraConfig.map { ["TINYPROXY_EXTRA_CONF": $0] } ?? [:])
            if started.status == 0 {
                self.port = port
                return
            }
            lastError = started.stderr
        }
        throw FixtureError(message: "tinyproxy did not start: \(lastError)")
    }

    deinit {
        _ = try? Harness.run(TinyProxy.script, ["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    var url: String { address.contains(":") ? "http://[\(address)]:\(port)" : "http://\(address):\(port)" }

    /// What tinyproxy logged (LogLevel Info: each connection and CONNECT), for failure messages.
    var log: String { (try? String(contentsOfFile: directory + "/tinyproxy.log", encoding: .utf8)) ?? "(no log)" }
}
