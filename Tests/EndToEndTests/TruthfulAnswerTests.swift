import Foundation
import TestSupport
import Testing

/// Issue 25 on the release binary: every input trusted only as far as it deserves, every
/// answer true.
@Suite struct TruthfulAnswerTests {
    private func configWithBackup() throws -> Sandbox {
        let box = try Sandbox()
        #expect(try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--skipRestart"]).status == 0)
        return box
    }

    /// A backup that others could have planted is never installed: 77, naming it and the fix.
    @Test(.enabled(if: getuid() == 0, "needs root to give files away"),
          arguments: [("chmod 666 '%@'", "can be written by every user (mode 0666)", "chmod o-w"),
                      ("setfacl -m u:nobody:rw '%@'", "can be written by nobody (uid 65534) through its ACL", "setfacl -x u:65534"),
                      ("chown 65534 '%@'", "belongs to nobody (uid 65534), neither root nor the config's owner", "Check where it came from"),
                      ("chgrp 65534 '%@' && chmod 660 '%@'", "can be written by the members of group nogroup (gid 65534)", "chmod g-w")])
    func aTamperedBackupIsRefused(_ tamper: String, _ problem: String, _ fix: String) throws {
        let box = try configWithBackup()
        let before = box.read()
        let backup = box.config + ".bak"
        let planted = try Harness.shell(tamper.replacingOccurrences(of: "%@", with: backup))
        try #require(planted.status == 0, "\(planted.stderr)")
        let result = try Harness.ctagent(["rollback", "--config", box.config, "--skipRestart"])
        #expect(result.status == 77, "\(tamper): \(result.stderr)")
        #expect(result.stderr.contains(backup) && result.stderr.contains(problem) && result.stderr.contains(fix), "\(tamper): \(result.stderr)")
        #expect(box.read() == before, "nothing was written")
    }

    /// A failed --verify --json is one object with the walk, in testProxy --json's shape.
    @Test func aFailedVerifyAnswersWithTheAttempts() throws {
        let box = try Sandbox()
        let dead = "http://127.0.0.1:\(try LoopbackPort.closed())"
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", dead, "--verify", "--json",
                                          "--target", "127.0.0.1:\(try LoopbackPort.closed())", "--timeout", "2"])
        #expect(result.status == 68)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let verify = object?["verify"] as? [String: Any]
        #expect(((verify?["attempts"] as? [[String: Any]]) ?? []).map { $0["outcome"] as? String } == ["refused", "refused"], "\(result.stdout)")
        #expect((object?["error"] as? [String: Any])?["status"] as? Int == 68)
        #expect(box.read() == Sandbox.sampleConfig)
    }

    /// A password file shared with a group on purpose gets no chmod advice (advice to chmod
    /// /etc/shadow would break the host), and errors name the file, not --proxyPassword.
    @Test(.enabled(if: getuid() == 0, "needs root to give files away"))
    func advicePutsNoSystemFileAtRisk() throws {
        let box = try Sandbox()
        try box.write("not base64!", to: "passwords")
        let file = box.directory + "/passwords"
        #expect(try Harness.shell("chgrp 65534 '\(file)' && chmod 640 '\(file)'").status == 0)
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", "http://10.10.6.4:3128", "--proxyUser", "u",
                                          "--proxyPasswordFile", file, "--dryRun"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(!result.stderr.contains("chmod"), "no chmod advice for a file shared with a group: \(result.stderr)")
        #expect(result.stderr.contains("it does not look like a file kept for these passwords"), "\(result.stderr)")
        #expect(result.stderr.contains("--proxyPasswordFile \(file) entry 1"), "the error names the file: \(result.stderr)")
    }

    /// A NUL is reported where it is, not at line 1, column 1.
    @Test func anInvalidByteIsReportedAtItsPlace() throws {
        let box = try Sandbox(config: "configuration:\n  log-level: info\n  pr\u{0}oxy: x\n")
        let result = try Harness.ctagent(["getConfig", "--config", box.config])
        #expect(result.status == 65)
        #expect(result.stderr.contains("at line 3, column 5"), "\(result.stderr)")
    }
}

/// getConfig says what YAML readers read, or refuses: duplicate keys and merge keys are
/// refused, aliases are resolved; and PyYAML agrees with getConfig --json on the
/// yaml-test-suite's mapping documents.
@Suite struct ReaderAgreementWithGetConfigTests {
    @Test func duplicateKeysAreRefusedByEveryCommandNamingBothLines() throws {
        let text = "configuration:\n  proxy: http://10.0.0.1:3128\n  log-level: info\n  proxy: http://10.0.0.2:3128\n"
        let box = try Sandbox(config: text)
        for arguments in [["getConfig"], ["getConfig", "--json"], ["showProxy"], ["updateConfig", "--set", "configuration.log-level=debug", "--skipRestart"]] {
            let result = try Harness.ctagent(arguments + ["--config", box.config])
            #expect(result.status == 65, "\(arguments): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("configuration.proxy appears twice in the same mapping (lines 2 and 4)"), "\(arguments): \(result.stderr)")
        }
        #expect(box.read() == text)
        // Rollback replaces the whole file: it can repair one no reader agrees on.
        try box.write(Sandbox.sampleConfig, to: "config.yaml.bak")
        let repaired = try Harness.ctagent(["rollback", "--config", box.config, "--skipRestart"])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
    }

    @Test func aliasesAreResolvedAndMergeKeysRefused() throws {
        let aliased = try Sandbox(config: "defaults:\n  hb: &hb 60\nconfiguration:\n  heartbeat-interval: *hb\n")
        let json = try Harness.ctagent(["getConfig", "--config", aliased.config, "--json"])
        #expect(json.stdout.contains("\"configuration.heartbeat-interval\":60"), "\(json.stdout)")
        let text = try Harness.ctagent(["getConfig", "--config", aliased.config])
        #expect(text.stdout.contains("configuration.heartbeat-interval: 60\n"), "\(text.stdout)")
        let merged = try Sandbox(config: "base: &b {log-level: info}\nconfiguration:\n  <<: *b\n")
        let refused = try Harness.ctagent(["getConfig", "--config", merged.config, "--json"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("configuration.<< is a merge key"), "\(refused.stderr)")
    }

    @Test(.enabled(if: YAMLTestSuite.available, "yaml-test-suite not found"),
          .enabled(if: (try? Harness.run("/usr/bin/python3", ["-c", "import yaml"]))?.status == 0, "needs PyYAML (python3-yaml)"))
    func pyyamlReadsWhatGetConfigSays() throws {
        let scratch = try TemporaryFolder(prefix: "ctagent-getconfig-judge")
        var lines: [String] = []
        for input in YAMLTestSuite.inputs() {
            let result = try Harness.ctagent(["getConfig", "--json", "--showSecrets", "--config", input])
            let ours = result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : "null"
            let file = String(decoding: try JSONSerialization.data(withJSONObject: [input], options: [.withoutEscapingSlashes]), as: UTF8.self)
            lines.append("{\"file\": \(file.dropFirst().dropLast()), \"ours\": \(ours.isEmpty ? "null" : ours)}")
        }
        let cases = try scratch.write(lines.joined(separator: "\n") + "\n", to: "cases.jsonl")
        let judged = try Harness.run("/usr/bin/python3", [Harness.packageRoot + "/Tests/Fixtures/getconfig_judge.py", cases])
        #expect(judged.status == 0, "\(judged.stdout)\(judged.stderr)")
        let compared = Int(judged.stdout.split(separator: " ").dropFirst().first ?? "") ?? 0
        #expect(compared >= 50, "too few documents compared: \(judged.stdout)")
    }
}

/// One proxy, one spelling: every command stores the canonical form and compares by it.
@Suite struct CanonicalFormTests {
    @Test func everyCommandStoresOneFormAndSaysWhenTheFileHoldsAnother() throws {
        let box = try Sandbox()
        let set = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.proxy=HTTP://10.10.6.4:3128",
                                          "--skipRestart"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(box.read()?.contains("  proxy: http://10.10.6.4:3128\n") == true, "\(box.read() ?? "")")
        let again = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=HTTP://10.10.6.4:3128", "--skipRestart"])
        #expect(again.stdout.contains("is already up to date"), "\(again.stdout)")
        let url = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.platform-url=HTTPS://platform.example.net:443",
                                          "--skipRestart"])
        #expect(url.status == 0, "\(url.stderr)")
        #expect(box.read()?.contains("  platform-url: https://platform.example.net:443\n") == true, "\(box.read() ?? "")")
        // A file written by hand in another form is shown as it is, and said so.
        let hand = try Sandbox(config: "configuration:\n  proxy: HTTP://10.10.6.4:3128\n")
        let shown = try Harness.ctagent(["showProxy", "--config", hand.config])
        #expect(shown.stdout.contains("#1  HTTP://10.10.6.4:3128  (not in the canonical form http://10.10.6.4:3128; updateProxy writes that)"),
                "\(shown.stdout)")
        let json = try Harness.ctagent(["showProxy", "--config", hand.config, "--json"])
        #expect(json.stdout.contains("\"canonical\":\"http://10.10.6.4:3128\"") && json.stdout.contains("\"proxy\":\"HTTP://10.10.6.4:3128\""),
                "\(json.stdout)")
    }
}

@Suite struct NullSectionTests {
    /// `configuration: ~` is the same null as `configuration:`: both take new keys alike.
    @Test(arguments: ["configuration: ~\n", "configuration: null  # none yet\n", "configuration:\n"])
    func aWrittenOutNullIsAnEmptySection(_ text: String) throws {
        let box = try Sandbox(config: text)
        let result = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--skipRestart"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(box.read()?.hasPrefix("configuration:\n  log-level: debug") == true, "\(box.read() ?? "")")
    }
}
