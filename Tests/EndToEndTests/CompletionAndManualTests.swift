import Foundation
import TestSupport
import Testing

private let completionConfig = """
    configuration:
      proxy: http://10.10.6.4:3128
      custom-key: 1
    other:
      nested: 2

    """

/// PATH with the built binaries first: completion scripts call the tool by name.
private var toolPath: [String: String] {
    ["PATH": Harness.binDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
}

private func bashCompletions(_ tool: String, _ words: [String], in directory: String? = nil) throws -> [String] {
    var environment = toolPath
    if let directory { environment["COMPLETE_IN"] = directory }
    let result = try Harness.run(Harness.packageRoot + "/Tests/Fixtures/bash-complete.sh",
                                 [Harness.packageRoot + "/completions/\(tool).bash", tool] + words, environment: environment)
    return result.stdout.split(separator: "\n").map(String.init)
}

@Suite struct BashCompletionTests {
    @Test(arguments: ["ctagent", "ctagentcmd"])
    func subcommandsAndOptions(_ tool: String) throws {
        #expect(try bashCompletions(tool, ["up"]) == ["updateProxy", "updateConfig"])
        #expect(try bashCompletions(tool, ["updateProxy", "--proxyU"]) == ["--proxyUser"])
        #expect(try bashCompletions(tool, ["restart", "--restartVia", ""]) == ["auto", "dbus", "systemctl"])
    }

    @Test func configCompletesYAMLFilesAndFolders() throws {
        let box = try Sandbox(config: completionConfig)
        try box.write("x", to: "notes.txt")
        try FileManager.default.createDirectory(atPath: box.directory + "/conf.d", withIntermediateDirectories: false)
        let offered = try bashCompletions("ctagent", ["showProxy", "--config", ""], in: box.directory)
        #expect(offered.contains("config.yaml"), "\(offered)")
        #expect(offered.contains("conf.d"), "\(offered)")
        #expect(!offered.contains("notes.txt"), "\(offered)")
    }

    @Test func keysComeFromTheConfigTheCommandLineNames() throws {
        let box = try Sandbox(config: completionConfig)
        let keys = try bashCompletions("ctagentcmd", ["updateConfig", "--config", box.config, "--param", "con"])
        #expect(keys.contains("configuration.custom-key"), "a key present in the file")
        #expect(keys.contains("configuration.proxy-password"), "a known key absent from the file")
        #expect(!keys.contains("other.nested"))
        #expect(try bashCompletions("ctagentcmd", ["updateConfig", "--config", box.config, "--param", "configuration.proxy;o"])
                == ["configuration.proxy;other.nested"])
        #expect(try bashCompletions("ctagentcmd", ["updateConfig", "--config", box.config, "--set", "configuration.cu"])
                == ["configuration.custom-key="])
        #expect(try bashCompletions("ctagentcmd", ["updateConfig", "--config", box.config, "--unset", "other."]) == ["other.nested"])
        #expect(try bashCompletions("ctagentcmd", ["getConfig", "--config=\(box.config)", "--param", "other"]) == ["other.nested"])
    }
}

@Suite(.enabled(if: HostAbilities.commandExists("fish"), "fish is not installed"))
struct FishCompletionTests {
    private func complete(_ line: String) throws -> [String] {
        let script = "source '\(Harness.packageRoot)/completions/ctagent.fish'; complete -C '\(line)'"
        return try Harness.run("/usr/bin/fish", ["--no-config", "-c", script], environment: toolPath).stdout
            .split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
    }

    @Test func subcommandsOptionsAndValues() throws {
        #expect(try complete("ctagent upd") == ["updateConfig", "updateProxy"])
        #expect(try complete("ctagent updateProxy --proxyU") == ["--proxyUser"])
        #expect(try complete("ctagent restart --restartVia ") == ["auto", "dbus", "systemctl"])
    }

    /// fish 3's `complete -C` cannot report the cursor to custom completions, so this one is
    /// typed into a real interactive fish in tmux and TAB is pressed.
    @Test(.enabled(if: HostAbilities.terminals, "tmux is not installed or cannot open a terminal here"))
    func keysFromTheConfigOnTab() throws {
        let box = try Sandbox(config: completionConfig)
        let session = "ctagent-fish-\(getpid())"
        let fish = "env PATH='\(toolPath["PATH"]!)' fish --no-config -C \"source '\(Harness.packageRoot)/completions/ctagent.fish'\""
        try Harness.run("/usr/bin/tmux", ["new-session", "-d", "-s", session, "-x", "220", "-y", "10", fish])
        defer { _ = try? Harness.run("/usr/bin/tmux", ["kill-session", "-t", session]) }
        // fish's first prompt (any text on the screen), then the keys; each wait up to 20 s.
        var screen = ""
        for _ in 0..<200 where screen.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            usleep(100_000)
            screen = try Harness.run("/usr/bin/tmux", ["capture-pane", "-t", session, "-p"]).stdout
        }
        try Harness.run("/usr/bin/tmux", ["send-keys", "-t", session, "ctagent updateConfig --config \(box.config) --param configuration.cu", "Tab"])
        for _ in 0..<200 where !screen.contains("configuration.custom-key") {
            usleep(100_000)
            screen = try Harness.run("/usr/bin/tmux", ["capture-pane", "-t", session, "-p"]).stdout
        }
        #expect(screen.contains("--param configuration.custom-key"), "\(screen)")
    }
}

@Suite(.enabled(if: HostAbilities.commandExists("zsh"), "zsh is not installed"))
struct ZshCompletionTests {
    @Test(arguments: ["_ctagent", "_ctagentcmd"])
    func scriptsParse(_ name: String) throws {
        let result = try Harness.run("/usr/bin/zsh", ["-n", Harness.packageRoot + "/completions/" + name])
        #expect(result.status == 0, "\(result.stderr)")
    }
}

@Suite struct ManualTests {
    /// Every subcommand and option of the tool, from the tool itself.
    private func names(_ tool: String) throws -> (commands: [String], options: [String]) {
        let dump = try Harness.run(tool, ["--experimental-dump-help"])
        let object = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        var commands: [String] = [], options: [String] = []
        func walk(_ command: [String: Any]) {
            if let name = command["commandName"] as? String { commands.append(name) }
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                    options.append("--" + (name["name"] as? String ?? ""))
                }
            }
            (command["subcommands"] as? [[String: Any]] ?? []).forEach(walk)
        }
        walk(object?["command"] as? [String: Any] ?? [:])
        return (commands, Array(Set(options)).sorted())
    }

    /// ctagentcmd is a link to ctagent; its page is ctagent's (a link in the .deb).
    @Test func theCtagentcmdPageIsCtagents() throws {
        let page = try String(contentsOfFile: Harness.packageRoot + "/man/ctagentcmd.1", encoding: .utf8)
        #expect(page == ".so man1/ctagent.1\n")
    }

    @Test(arguments: ["ctagent"])
    func pagesRenderAndMentionEverySubcommandAndOption(_ tool: String) throws {
        let page = Harness.packageRoot + "/man/\(tool).1"
        let rendered = try Harness.shell("MANWIDTH=200 man -l '\(page)' 2>/dev/null | col -b")
        #expect(rendered.status == 0)
        let (commands, options) = try names(tool)
        #expect(commands.count >= 10)
        for name in commands { #expect(rendered.stdout.contains(name), "\(name) is missing from \(tool).1") }
        for option in options { #expect(rendered.stdout.contains(option), "\(option) is missing from \(tool).1") }
        for text in ["--proxyPassword=Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg==", "CTAGENT_CONFIG", "CTAGENT_SERVICE", "Exit codes", "/etc/ctagent/config.yaml"] {
            #expect(rendered.stdout.contains(text), "\(text) is missing from \(tool).1")
        }
    }

    @Test(.enabled(if: HostAbilities.commandExists("mandoc"), "mandoc is not installed"), arguments: ["ctagent"])
    func pagesPassMandocLint(_ tool: String) throws {
        let result = try Harness.run("/usr/bin/mandoc", ["-T", "lint", "-W", "warning", Harness.packageRoot + "/man/\(tool).1"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
