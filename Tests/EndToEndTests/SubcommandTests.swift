import Foundation
import TestSupport
import Testing

private let configured = Sandbox.sampleConfig
    .replacingOccurrences(of: "proxy: http://10.10.1.1:3128", with: "proxy: \(docProxies)")
    .replacingOccurrences(of: "  log-level: info\n", with: "  log-level: info\n  proxy-user: \(docUsers)\n  proxy-password: \(docPasswords)\n")

@Suite struct SubcommandTests {
    @Test func dryRunPrintsAMaskedDiffAndWritesNothing() throws {
        let box = try Sandbox()
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(docProxies)",
                                          "--proxyUser=\(docUsers)", "--proxyPassword=\(docPasswords)", "--dryRun"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("-  proxy: http://10.10.1.1:3128\n+  proxy: \(docProxies)\n"))
        #expect(result.stdout.contains("+  proxy-password: <new secret>,<new secret>\n"))
        #expect(result.stdout.contains("nothing was written"))
        #expect(!result.stdout.contains("Y29sb3Jz"))
        #expect(box.read() == Sandbox.sampleConfig)
        #expect(box.files == ["config.yaml"])
    }

    @Test func jsonSaysWhatChangedAndWhetherItWasWritten() throws {
        let box = try Sandbox()
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(docProxies)",
                                          "--proxyUser=\(docUsers)", "--proxyPassword=\(docPasswords)", "--skipRestart", "--json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["written"] as? Bool == true)
        #expect(object?["changed"] as? Bool == true)
        #expect(object?["backup"] as? String == box.config + ".bak")
        let changes = object?["changes"] as? [[String: Any]] ?? []
        #expect(changes.map { $0["key"] as? String } == ["configuration.proxy", "configuration.proxy-user", "configuration.proxy-password"])
        #expect(changes.last?["new"] as? String == "********,********")
        #expect((object?["restart"] as? [String: Any])?["status"] as? String == "skipped")
        #expect(!result.stdout.contains("Y29sb3Jz"))
    }

    @Test func clearProxyRemovesTheThreeKeys() throws {
        let box = try Sandbox(config: configured)
        let result = try Harness.ctagent(["clearProxy", "--config", box.config, "--skipRestart"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig.replacingOccurrences(of: "  proxy: http://10.10.1.1:3128\n", with: ""))
        let show = try Harness.ctagent(["showProxy", "--config", box.config])
        #expect(show.stdout.contains("No proxies are configured"))
    }

    @Test func showProxyMasksPasswordsUnlessAsked() throws {
        let box = try Sandbox(config: configured)
        let masked = try Harness.ctagent(["showProxy", "--config", box.config])
        #expect(masked.stdout.contains("  #1  http://10.10.6.4:3128  user ctuser1  password ********\n"))
        #expect(masked.stdout.contains("  #2  http://10.10.4.5:4128  user ctuser2  password ********\n"))
        let shown = try Harness.ctagent(["showProxy", "--config", box.config, "--showSecrets", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let proxies = object?["proxies"] as? [[String: Any]] ?? []
        #expect(proxies.map { $0["password"] as? String } == ["Y29sb3JzMzIxMQ==", "Y29sb3JzMzIxMg=="])
    }

    @Test func showProxyReadsTheListFormToo() throws {
        let box = try Sandbox(config: "configuration:\n  proxy:\n    - http://10.10.6.4:3128\n    - '[fd00::10]:3128'\n")
        let result = try Harness.ctagent(["showProxy", "--config", box.config])
        #expect(result.stdout.contains("#2  [fd00::10]:3128"), "\(result.stdout)\(result.stderr)")
    }

    @Test func getConfigPrintsValuesWithSecretsMasked() throws {
        let box = try Sandbox(config: configured)
        let all = try Harness.ctagentcmd(["getConfig", "--config", box.config])
        #expect(all.stdout.contains("configuration.heartbeat-interval: 60\n"))
        #expect(all.stdout.contains("configuration.proxy-password: ********,********\n"))
        let some = try Harness.ctagentcmd(["getConfig", "--config", box.config, "--param", "configuration.proxy;configuration.log-level"])
        #expect(some.stdout == "configuration.proxy: \(docProxies)\nconfiguration.log-level: info\n")
        let json = try Harness.ctagentcmd(["getConfig", "--config", box.config, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["configuration.heartbeat-interval"] as? Int == 60)
        #expect(object?["configuration.log-level"] as? String == "info")
        #expect(object?["configuration.proxy-password"] as? String == "********,********")
        let secrets = try Harness.ctagentcmd(["getConfig", "--config", box.config, "--param", "configuration.proxy-password", "--showSecrets"])
        #expect(secrets.stdout == "configuration.proxy-password: \(docPasswords)\n")
    }

    @Test func passwordsFromStdinAndFromAFile() throws {
        let box = try Sandbox()
        let stdin = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(docProxies)", "--proxyUser=\(docUsers)",
                                         "--proxyPasswordStdin", "--skipRestart"], stdin: docPasswords + "\n")
        #expect(stdin.status == 0, "\(stdin.stderr)")
        #expect(box.read() == configured)
        let other = try Sandbox()
        try other.write(docPasswords + "\n", to: "passwords")
        let file = try Harness.ctagent(["updateProxy", "--config", other.config, "--proxy=\(docProxies)", "--proxyUser=\(docUsers)",
                                        "--proxyPasswordFile", other.directory + "/passwords", "--skipRestart"])
        #expect(file.status == 0, "\(file.stderr)")
        #expect(other.read() == configured)
    }

    @Test func encodePasswordReadsStdin() throws {
        let result = try Harness.ctagent(["encodePassword"], stdin: "colors3211\n")
        #expect(result.status == 0)
        #expect(result.stdout == "Y29sb3JzMzIxMQ==\n")
        let empty = try Harness.ctagent(["encodePassword"], stdin: "")
        #expect(empty.status == 64)
        #expect(empty.stderr == "Error: the password is empty; nothing was encoded\n")
        // What updateProxy would refuse is refused here, and the messages speak of one password.
        let twoLines = try Harness.ctagent(["encodePassword"], stdin: "first\nsecond\n")
        #expect(twoLines.status == 64 && twoLines.stdout.isEmpty)
        #expect(twoLines.stderr == "Error: the password contains a line break; a proxy password is one line of text. Nothing was encoded\n")
        let long = try Harness.ctagent(["encodePassword"], stdin: String(repeating: "x", count: 70_000))
        #expect(long.stderr == "Error: standard input holds more than 64 KiB; expected one password, a line of text\n")
    }

    @Test func typesAreKeptAndNewKeysNeedPermission() throws {
        let box = try Sandbox()
        let result = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.heartbeat-interval=90",
                                             "--allowNewKeys", "--set", "configuration.comment=yes", "--skipRestart"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig.replacingOccurrences(of: "heartbeat-interval: 60", with: "heartbeat-interval: 90")
            + "  comment: 'yes'\n", "yes is a boolean to YAML 1.1 readers and a string to YAML 1.2 ones: a new key gets the string, quoted")
        let quoted = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                                             "--set", "configuration.platform-url=https://10.1.1.1:443", "--skipRestart"])
        #expect(quoted.status == 0, "\(quoted.stderr)")
        #expect(box.read()?.contains("  log-level: debug\n") == true)
    }

    @Test func helpAndVersionWorkOnBothBinaries() throws {
        for tool in ["ctagent", "ctagentcmd"] {
            let help = try Harness.run(tool, ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("updateProxy"))
            let version = try Harness.run(tool, ["--version"])
            #expect(version.status == 0)
            #expect(!version.stdout.isEmpty)
            let sub = try Harness.run(tool, ["help", "updateConfig"])
            #expect(sub.stdout.contains("configuration.proxy;configuration.proxy-user;configuration.proxy-password"))
        }
    }
}

/// encodePassword on a real terminal (tmux): asks twice without echo, and Ctrl-C while it asks
/// leaves the terminal's echo on.
@Suite(.enabled(if: HostAbilities.terminals, "tmux is not installed or cannot open a terminal here"), .serialized)
struct EncodePasswordTerminalTests {
    private func withTerminal(_ body: (String) throws -> Void) throws {
        let session = "ctagent-tty-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        try Harness.run("/usr/bin/tmux", ["new-session", "-d", "-s", session, "-x", "150", "-y", "15", "env PS1='$ ' bash --norc --noprofile"])
        defer { _ = try? Harness.run("/usr/bin/tmux", ["kill-session", "-t", session]) }
        _ = try screen(session, until: "$")  // the shell's prompt: it reads what is typed now
        try body(session)
    }

    private func screen(_ session: String, until text: String) throws -> String {
        var shown = ""
        // Up to 20 s: a loaded runner is slow; the loop ends as soon as the text is there.
        for _ in 0..<200 where !shown.contains(text) {
            usleep(100_000)
            shown = try Harness.run("/usr/bin/tmux", ["capture-pane", "-t", session, "-p"]).stdout
        }
        return shown
    }

    private func keys(_ session: String, _ keys: String...) throws {
        try Harness.run("/usr/bin/tmux", ["send-keys", "-t", session] + keys)
    }

    @Test func asksTwiceWithoutEcho() throws {
        try withTerminal { session in
            try keys(session, "\(Harness.binary("ctagent")) encodePassword", "Enter")
            _ = try screen(session, until: "Proxy password:")
            try keys(session, "colors3211", "Enter")
            _ = try screen(session, until: "Again:")
            try keys(session, "colors3211", "Enter")
            let shown = try screen(session, until: "Y29sb3JzMzIxMQ==")
            #expect(shown.contains("Y29sb3JzMzIxMQ=="), "\(shown)")
            #expect(!shown.contains("colors3211"), "the password must not be echoed: \(shown)")
        }
    }

    @Test func ctrlCLeavesEchoOn() throws {
        try withTerminal { session in
            try keys(session, "\(Harness.binary("ctagent")) encodePassword", "Enter")
            _ = try screen(session, until: "Proxy password:")
            try keys(session, "C-c")
            usleep(300_000)
            try keys(session, "stty -a | grep -o -- ' -\\?echo ' | head -1", "Enter")
            let shown = try screen(session, until: "echo\n")
            #expect(shown.contains("\n echo\n") && !shown.contains("-echo\n"), "echo must be back on after Ctrl-C: \(shown)")
        }
    }
}

@Suite struct ClearProxyOnlyKeysTests {
    @Test func clearingAConfigurationThatHoldsOnlyProxiesLeavesAnEmptyMapping() throws {
        let box = try Sandbox(config: "# agent\nconfiguration:\n  proxy: \(docProxies)\n  proxy-user: \(docUsers)\n  proxy-password: \(docPasswords)\n")
        let result = try Harness.ctagent(["clearProxy", "--config", box.config, "--skipRestart"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(box.read() == "# agent\nconfiguration: {}\n")
    }
}
