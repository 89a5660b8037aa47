import Foundation
import TestSupport

/// Certificates made once per test run by Tests/Fixtures/tls_fixtures.py (Python's
/// cryptography package): a test CA, the platform's certificate, and the bad ones.
enum TestCertificates {
    static let directory: String = {
        // Without a folder there are no certificates, and the tests that need them are skipped.
        guard let directory = try? Harness.temporaryDirectory() else { return "/nonexistent/ctagent-certificates" }
        _ = try? Harness.run("/usr/bin/python3", [TLSServer.script, "certs", directory])
        // Shared by every test of the run, so removed when the test process exits.
        atexit { try? FileManager.default.removeItem(atPath: TestCertificates.directory) }
        return directory
    }()

    static var ca: String { directory + "/ca.pem" }
    static func certificate(_ name: String) -> String { directory + "/" + name + ".pem" }

    static let available: Bool = FileManager.default.fileExists(atPath: ca)
}

/// A TLS peer on 127.0.0.1 run by tls_fixtures.py: the platform, an intercepting proxy, or an
/// https:// proxy. Stopped when the value goes away.
final class TLSServer: @unchecked Sendable {
    static let script = Harness.packageRoot + "/Tests/Fixtures/tls_fixtures.py"

    enum Kind: String {
        case platform = "server"
        case intercepting = "intercept"
        case httpsProxy = "https-proxy"
    }

    let port: UInt16
    private let pid: pid_t
    private let portFile: String

    /// posix_spawn, not Foundation's Process: Process waits for every inheritor of its
    /// internal pipe (the tinyproxy daemons of other tests) before it sees an end.
    init(_ kind: Kind, certificate: String = "platform") throws {
        portFile = try Harness.temporaryDirectory() + "/port"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = ["/usr/bin/python3", TLSServer.script, kind.rawValue, portFile, TestCertificates.certificate(certificate)]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/python3", &actions, nil, &argv, environ) == 0 else {
            throw FixtureError(message: "cannot start the \(kind) TLS server")
        }
        self.pid = pid
        var port: UInt16?
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = UInt16(text) {
                port = value
                break
            }
            usleep(20_000)
        }
        guard let port else {
            kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
            throw FixtureError(message: "the \(kind) TLS server did not start")
        }
        self.port = port
    }

    deinit {
        // SIGKILL: the spawning test thread may block SIGTERM, and the child inherits that.
        kill(pid, SIGKILL)
        waitpid(pid, nil, 0)
        try? FileManager.default.removeItem(atPath: (portFile as NSString).deletingLastPathComponent)
    }

    var address: String { "127.0.0.1:\(port)" }
}
