import Foundation

/// Runs the built binaries the way a user does and looks at exit status, stdout and stderr.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Harness {
    /// The folder holding the built `ctagent` and `ctagentcmd`: beside the test bundle.
    static let binDirectory: String = {
        let directory = findBinDirectory()
        // ctagentcmd is a link to the one binary (make release makes it); shells that find
        // the tools on PATH (the completion tests) need it there from the start.
        let link = directory + "/ctagentcmd"
        if !FileManager.default.fileExists(atPath: link) {
            try? FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "ctagent")
        }
        return directory
    }()

    private static func findBinDirectory() -> String {
        if let dir = ProcessInfo.processInfo.environment["CTAGENT_BIN_DIR"] { return dir }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("ctagent").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }

    static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    static func binary(_ name: String) -> String { binDirectory + "/" + name }

    /// Runs a program with output captured in files (no pipe can fill up and block it).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                    environment: [String: String] = [:], removing: [String] = []) throws -> RunResult {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outPath = dir + "/out", errPath = dir + "/err", inPath = dir + "/in"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CTAGENT_CONFIG")
        env.removeValue(forKey: "CTAGENT_SERVICE")
        // The warning about secrets in argv is tested on its own (AuditTrailTests); elsewhere it
        // would only clutter the stderr that tests compare.
        env["CTAGENT_ACCEPT_ARGV_SECRETS"] = "1"
        for key in removing { env.removeValue(forKey: key) }
        for (key, value) in environment { env[key] = value }
        let path = executable.hasPrefix("/") ? executable : binary(executable)
        let status = try spawnAndWait(path, arguments, environment: env, stdin: inPath, stdout: outPath, stderr: errPath)
        return RunResult(status: status,
                         stdout: try String(contentsOfFile: outPath, encoding: .utf8),
                         stderr: try String(contentsOfFile: errPath, encoding: .utf8))
    }

    /// posix_spawn and waitpid rather than Foundation's Process: Process notices the end of a
    /// child only when every inheritor of its internal fd is gone, so a script that starts
    /// daemons (the fake systemd) would never "end".
    private static func spawnAndWait(_ path: String, _ arguments: [String], environment: [String: String],
                                     stdin: String, stdout: String, stderr: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_TRUNC, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // A child inherits the spawning thread's signal mask and ignored signals; test runner
        // threads may block SIGINT, which a user's shell never does. Start from a clean slate.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, &argv, &envp)
        guard spawned == 0 else { throw FixtureError(message: "cannot run \(path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED/WEXITSTATUS are macros; a signal shows as 128 + its number, as in a shell.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    static func ctagent(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> RunResult {
        try run("ctagent", arguments, stdin: stdin, environment: environment)
    }

    static func ctagentcmd(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> RunResult {
        try run("ctagentcmd", arguments, stdin: stdin, environment: environment)
    }

    static func shell(_ script: String, environment: [String: String] = [:]) throws -> RunResult {
        try run("/bin/bash", ["-c", script], environment: environment)
    }

    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/ctagent-test.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: made)
    }
}

/// A folder with a config file in it, removed when the test ends.
final class Sandbox {
    let directory: String
    var config: String { directory + "/config.yaml" }

    init(config text: String? = Sandbox.sampleConfig) throws {
        directory = try Harness.temporaryDirectory()
        if let text { try write(text) }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Files are 0600, as a config holding passwords should be (tests that need another mode
    /// set it).
    func write(_ text: String, to name: String = "config.yaml") throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        chmod(directory + "/" + name, 0o600)
    }

    func read(_ name: String = "config.yaml") -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Everything in the folder, to check that no temp or backup file appeared.
    var files: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() }

    static let sampleConfig: String = {
        (try? String(contentsOfFile: Harness.packageRoot + "/examples/config.yaml", encoding: .utf8)) ?? ""
    }()
}
