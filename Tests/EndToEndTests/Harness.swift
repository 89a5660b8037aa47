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
        if let dir = ProcessInfo.processInfo.environment["CTAGENT_BIN_DIR"] { return dir }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("ctagent").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : binary(executable))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CTAGENT_CONFIG")
        env.removeValue(forKey: "CTAGENT_SERVICE")
        for key in removing { env.removeValue(forKey: key) }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        try process.run()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus,
                         stdout: try String(contentsOfFile: outPath, encoding: .utf8),
                         stderr: try String(contentsOfFile: errPath, encoding: .utf8))
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

    func write(_ text: String, to name: String = "config.yaml") throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
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
