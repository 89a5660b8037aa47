import Foundation
import Testing

/// The layering docs/ARCHITECTURE.md describes, checked on the sources: the core modules
/// never print, exit, parse the command line, name an option or install a signal handler.
@Suite struct ArchitectureTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources").path
    static let core = ["AgentConfig", "Audit", "ConfigTransaction", "DurableFile", "ProxyList", "ProxyProbe", "ServiceControl", "SystemCalls",
                       "TimeKeeping", "YAMLEdit"]

    /// Each core file's lines of code (comments dropped), by path.
    static func coreLines() throws -> [(file: String, line: String)] {
        try core.flatMap { module -> [(String, String)] in
            let folder = sources + "/" + module
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }.flatMap { name in
                try String(contentsOfFile: folder + "/" + name, encoding: .utf8).split(separator: "\n")
                    .map { String($0) }.filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
                    .map { (module + "/" + name, $0) }
            }
        }
    }

    @Test func coreModulesStayOutOfTheCommandLine() throws {
        let lines = try ArchitectureTests.coreLines()
        #expect(lines.count > 1000, "the sources were found")
        let option = try Regex(#"--[a-z][A-Za-z]+"#)
        // signal(SIGINT, …), not a semaphore's .signal().
        let signalCall = try Regex(#"(^|[^.\w])signal\("#)
        let forbidden: [(String, (String) -> Bool)] = [
            ("imports ArgumentParser", { $0.contains("import ArgumentParser") }),
            ("installs a signal handler", { line in
                line.contains(signalCall) || (line.contains("sigaction(") && !line.contains("sigaction()") && !line.contains("sigaction(number, nil"))
            }),
            ("exits", { $0.contains(" exit(") || $0.contains("\texit(") }),
            ("prints", { $0.contains(" print(") }),
            ("names a command-line option", { line in
                // systemctl's and systemd-run's own options, which the core passes to them, are not ours.
                let foreign = ["--no-ask-password", "--property=", "--no-block", "--unit=", "--on-active=", "--timer-property=", "--description="]
                return foreign.reduce(line) { $0.replacingOccurrences(of: $1, with: "") }.contains(option)
            }),
            ("reads the environment (it is passed in)", { $0.contains("getenv(") }),
        ]
        for (file, line) in lines {
            for (what, matches) in forbidden where matches(line) {
                Issue.record("\(file) \(what): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }

    /// The prober and the proxy list need no YAML: they never import the settings model or
    /// the editor (and so never link libyaml).
    @Test func theProberNeedsNoYAML() throws {
        for module in ["ProxyList", "ProxyProbe"] {
            let folder = ArchitectureTests.sources + "/" + module
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".swift") {
                let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
                #expect(!text.contains("import AgentConfig") && !text.contains("import YAMLEdit") && !text.contains("import CYAML"),
                        "\(module)/\(name)")
            }
        }
    }

    @Test func noCommandsFileHoldsTheTransaction() throws {
        let folder = ArchitectureTests.sources + "/CTAgentCommands"
        let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            // The steps are the transaction's: no command calls the store's update or the audit log itself.
            #expect(!text.contains(".update {") && !text.contains("AuditLog.record") && !text.contains("FileStore(path: path, lockTimeout"),
                    "\(file) does a step of the transaction itself")
        }
    }

    /// The store's size limit is the caller's to give: every store made outside DurableFile
    /// gives it, so that no reader of the config reads a 4 GiB file whole.
    @Test func everyStoreIsMadeWithTheSizeLimit() throws {
        let files = FileManager.default.enumerator(atPath: ArchitectureTests.sources)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("DurableFile/") } ?? []
        var stores = 0
        for file in files {
            let text = try String(contentsOfFile: ArchitectureTests.sources + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("FileStore(path:") {
                stores += 1
                #expect(line.contains("sizeLimit: AgentConfiguration.sizeLimit"), "\(file): \(line)")
            }
        }
        #expect(stores >= 3, "the config's readers: the transaction, the read for the commands, completion")
    }
}
