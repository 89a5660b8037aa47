import Foundation
import TestSupport

/// Runs the built binaries the way a user does and looks at exit status, stdout and stderr.
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

    /// Runs a program (one of ours when the name has no slash) the way a user's shell does,
    /// with the tool's own environment variables cleared.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                    environment: [String: String] = [:], removing: [String] = []) throws -> RunResult {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CTAGENT_CONFIG")
        env.removeValue(forKey: "CTAGENT_SERVICE")
        // The warning about secrets in argv is tested on its own (AuditTrailTests); elsewhere it
        // would only clutter the stderr that tests compare.
        env["CTAGENT_ACCEPT_ARGV_SECRETS"] = "1"
        for key in removing { env.removeValue(forKey: key) }
        for (key, value) in environment { env[key] = value }
        let path = executable.hasPrefix("/") ? executable : binary(executable)
        return try ProcessRunner.run(path, arguments, stdin: stdin, environment: env)
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

    static func temporaryDirectory() throws -> String { try TemporaryFolder.make() }
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
