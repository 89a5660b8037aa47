import Foundation
import TestSupport
import Testing

/// Issue 15: the slips a new user makes get messages that point the right way.
@Suite struct MessageTests {
    private let loopbackConfig = "configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: info\n"

    @Test func aSemicolonBetweenProxiesIsNamed() throws {
        let box = try Sandbox(config: loopbackConfig)
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=http://127.0.0.1:3128;http://127.0.0.1:4128", "--skipRestart"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("contains ';'; separate proxies with ','"), "\(result.stderr)")
        #expect(!result.stderr.contains("has a path"))
    }

    @Test func subcommandsAreMatchedWithoutRegardToCaseAndTyposGetASuggestion() throws {
        let box = try Sandbox(config: loopbackConfig)
        let lower = try Harness.ctagent(["updateproxy", "--config", box.config, "--proxy=HTTP://127.0.0.1:3129", "--skipRestart"])
        #expect(lower.status == 0, "\(lower.stderr)")
        #expect(box.read()?.contains("  proxy: http://127.0.0.1:3129\n") == true, "the scheme is stored in lower case: \(box.read() ?? "")")
        let typo = try Harness.ctagent(["updatProxy", "--config", box.config, "--proxy=http://127.0.0.1:3129"])
        #expect(typo.status == 64)
        #expect(typo.stderr.hasPrefix("Error: 'updatProxy' is not a subcommand; did you mean updateProxy?"), "\(typo.stderr)")
    }

    @Test func jsonCallersGetErrorsAsJSON() throws {
        let box = try Sandbox(config: nil)
        let result = try Harness.ctagent(["getConfig", "--config", box.config, "--json"])
        #expect(result.status == 66)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let error = object?["error"] as? [String: Any]
        #expect(error?["status"] as? Int == 66)
        #expect((error?["message"] as? String)?.contains("\(box.config) does not exist") == true, "\(result.stdout)")
        #expect(result.stderr.hasPrefix("Error: "), "the stderr line stays")
        let usage = try Harness.ctagent(["updateProxy", "--json"])
        #expect(usage.status == 64)
        #expect(usage.stdout.contains("\"status\":64"), "parse errors too: \(usage.stdout)")
    }

    @Test func emptyConfigAndSymlinkLoopsAreNamed() throws {
        let empty = try Harness.ctagent(["getConfig", "--config", ""])
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("--config is empty; give the agent's config file"), "\(empty.stderr)")
        let box = try Sandbox(config: nil)
        symlink(box.config, box.config)
        let loop = try Harness.ctagent(["getConfig", "--config", box.config])
        #expect(loop.status == 66)
        #expect(loop.stderr.contains("is a symbolic link that leads back to itself"), "\(loop.stderr)")
    }

    @Test func aNegativeTimeoutGetsTheRangeNotMissingValue() throws {
        let box = try Sandbox(config: loopbackConfig)
        let result = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--lockTimeout", "-1"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--lockTimeout must be a number of seconds from 0 to 86400"), "\(result.stderr)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock"), "flock is not installed"))
    func waitingForTheLockIsSaidWithTheHolder() throws {
        let box = try Sandbox(config: loopbackConfig)
        let lock = box.directory + "/.config.yaml.lock"
        try box.write("", to: ".config.yaml.lock")
        let command = [Harness.binary("ctagentcmd"), "updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                       "--skipRestart", "--lockTimeout", "1.5"].map { "'\($0)'" }.joined(separator: " ")
        let held = box.directory + "/held"
        let result = try Harness.shell(
            // flock holds the lock and runs a sleep that says its PID once the lock is held; the
            // sleep is stopped at the end, and flock with it.
            "flock '\(lock)' sh -c 'echo $$ > \(held).new && mv \(held).new \(held) && exec sleep 30' & holder=$!; "
            + "for i in $(seq 200); do [ -e '\(held)' ] && break; sleep 0.05; done; "
            + "[ -e '\(held)' ] || { echo 'the lock holder did not start' >&2; kill $holder; exit 99; }; "
            + "\(command); status=$?; echo \"holder=$holder\"; kill $(cat '\(held)'); wait $holder; exit $status")
        #expect(result.status == 75)
        let holder = result.stdout.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        #expect(result.stderr.contains("Waiting for another writer (PID \(holder)) to release \(lock) (at most 1.5 s, --lockTimeout)..."), "\(result.stderr)")
    }

    @Test func invisibleWhiteSpaceInAKeyIsShown() throws {
        let box = try Sandbox(config: loopbackConfig)
        let result = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", " configuration.log-level=debug"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("' configuration.log-level' (with white space around it; the key is 'configuration.log-level')"), "\(result.stderr)")
    }

    /// A password file that cannot be read is not a usage slip: missing or a folder is 66,
    /// each naming the option and the path.
    @Test func passwordFilesThatCannotBeReadGetTheirOwnStatus() throws {
        let box = try Sandbox(config: loopbackConfig)
        let before = box.read()
        let missing = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", "http://127.0.0.1:3128", "--proxyUser", "u",
                                           "--proxyPasswordFile", box.directory + "/absent", "--skipRestart"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("--proxyPasswordFile \(box.directory)/absent does not exist"), "\(missing.stderr)")
        let folder = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", "http://127.0.0.1:3128", "--proxyUser", "u",
                                          "--proxyPasswordFile", box.directory, "--skipRestart", "--json"])
        #expect(folder.status == 66)
        #expect(folder.stderr.contains("--proxyPasswordFile \(box.directory) is a folder; give the file that holds the passwords"), "\(folder.stderr)")
        #expect(folder.stdout.contains("\"status\":66"), "\(folder.stdout)")
        #expect(box.read() == before)
    }

    /// A command whose --json answer already says it failed adds no second object: stdout
    /// stays one JSON document that `jq` and `json.loads` accept.
    @Test func aFailedWalkIsOneJSONObject() throws {
        let box = try Sandbox(config: "configuration:\n  proxy: http://127.0.0.1:\(try LoopbackPort.closed())\n")
        let result = try Harness.ctagent(["testProxy", "--config", box.config, "--target", "127.0.0.1:\(try LoopbackPort.closed())", "--json"])
        #expect(result.status == 68)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["verdict"] is String && object?["chosen"] == nil, "\(result.stdout)")
        #expect(object?["error"] == nil)
        #expect(result.stderr.hasPrefix("Error: no path to 127.0.0.1:"), "\(result.stderr)")
    }

    /// A unit name is checked before anything runs: systemctl must never read one as an
    /// option (`--service=--force`), and a name with a space is a typo.
    @Test(arguments: [(["--service=--force"], "--service '--force'"), (["--service", "a b.service"], "--service 'a b.service'"),
                      (["--service", "ctagent.nosuchtype"], "--service 'ctagent.nosuchtype'")])
    func unitNamesAreChecked(_ arguments: [String], _ named: String) throws {
        let result = try Harness.ctagent(["restart", "--restartVia", "systemctl"] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains("\(named) is not a systemd unit name; expected NAME.service"), "\(result.stderr)")
        let variable = try Harness.ctagent(["restart"], environment: ["CTAGENT_SERVICE": "agent service"])
        #expect(variable.status == 64)
        #expect(variable.stderr.contains("CTAGENT_SERVICE 'agent service' is not a systemd unit name"), "\(variable.stderr)")
    }

    /// "write N" only where N is what the admin meant and would be accepted: never for 0, a
    /// negative number or one too large.
    @Test(arguments: [("-5", nil), ("0", nil), ("99999999999999999999999", nil), ("-1:30", nil), ("+60", "write 60"), ("1_000", "write 1000")])
    func anIntegerHintSuggestsOnlyAcceptableNumbers(_ value: String, _ hint: String?) throws {
        let box = try Sandbox(config: loopbackConfig)
        let result = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.heartbeat-interval=\(value)"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("expected a whole number of seconds greater than 0, e.g. 60"), "\(result.stderr)")
        if let hint { #expect(result.stderr.contains("; \(hint)"), "\(result.stderr)") } else { #expect(!result.stderr.contains("write "), "\(result.stderr)") }
    }

    /// The mistyped option is named even when it is the only one, and what would silently
    /// lose a value is refused.
    @Test func slipsThatWouldBeHiddenOrSilentAreNamed() throws {
        let box = try Sandbox(config: loopbackConfig)
        let typo = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--sett", "configuration.log-level=debug"])
        #expect(typo.status == 64)
        #expect(typo.stderr.hasPrefix("Error: Unknown option '--sett'. Did you mean '--set'?"), "\(typo.stderr)")
        #expect(typo.stderr.contains("Usage: ctagentcmd updateConfig"), "the usage line is not mistaken for a secret: \(typo.stderr)")
        let twice = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                                            "--unset", "configuration.log-level", "--skipRestart"])
        #expect(twice.status == 64)
        #expect(twice.stderr.contains("configuration.log-level is given more than once"), "\(twice.stderr)")
        let ignored = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", "http://127.0.0.1:3129", "--target", "127.0.0.1:9"])
        #expect(ignored.status == 64)
        #expect(ignored.stderr.contains("--target and --caFile only make sense with --verify"), "\(ignored.stderr)")
        #expect(box.read() == loopbackConfig)
    }

    /// Statuses that follow the table: a whole section is not one setting to --unset (64), a
    /// lock that is a folder is unsafe (77).
    @Test func requestsThatDoNotFitTheFileAndAFolderAsLock() throws {
        let box = try Sandbox(config: loopbackConfig)
        let mapping = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration=foo", "--skipRestart"])
        #expect(mapping.status == 65, "a file whose shape the edit does not fit: \(mapping.stderr)")
        let section = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--unset", "configuration", "--skipRestart"])
        #expect(section.status == 64)
        #expect(section.stderr.contains("configuration is a section of 2 keys, not one setting"), "\(section.stderr)")
        #expect(box.read() == loopbackConfig)
        try FileManager.default.createDirectory(atPath: box.directory + "/.config.yaml.lock", withIntermediateDirectories: false)
        let lock = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--skipRestart"])
        #expect(lock.status == 77)
        #expect(lock.stderr.contains(".config.yaml.lock is a folder"), "\(lock.stderr)")
        #expect(box.read() == loopbackConfig)
    }

    @Test func helpForAMistypedSubcommandAndADanglingLinkAreNamed() throws {
        let help = try Harness.ctagent(["help", "updatProxy"])
        #expect(help.status == 64)
        #expect(help.stderr.hasPrefix("Error: 'updatProxy' is not a subcommand; did you mean updateProxy?"), "\(help.stderr)")
        let lower = try Harness.ctagent(["help", "updateproxy"])
        #expect(lower.status == 0 && lower.stdout.hasPrefix("OVERVIEW: Replace the agent's proxy list"), "\(lower.stdout)")
        let box = try Sandbox(config: nil)
        symlink(box.directory + "/gone.yaml", box.config)
        let dangling = try Harness.ctagent(["getConfig", "--config", box.config])
        #expect(dangling.status == 66)
        #expect(dangling.stderr.contains("\(box.config) is a symbolic link to \(box.directory)/gone.yaml, which does not exist"), "\(dangling.stderr)")
    }

    /// Where the backup goes must be free for it: a folder there would cost the backup after
    /// the config is replaced, so nothing is written.
    @Test func aFolderWhereTheBackupGoesStopsTheWrite() throws {
        let box = try Sandbox(config: loopbackConfig)
        try FileManager.default.createDirectory(atPath: box.directory + "/config.yaml.bak/in-the-way", withIntermediateDirectories: true)
        let result = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--skipRestart"])
        #expect(result.status == 73, "\(result.stderr)")
        #expect(result.stderr.contains("cannot replace \(box.config).bak: it is a folder, where the previous version is kept"), "\(result.stderr)")
        #expect(box.read() == loopbackConfig)
    }

    /// Rollback takes only the backup this tool writes: not a link (to /etc/shadow, say, whose
    /// lines a --dryRun diff would print), not an empty file.
    @Test func rollbackRefusesABackupThatIsALinkOrEmpty() throws {
        let box = try Sandbox(config: loopbackConfig)
        try "secret-line: 1\n".write(toFile: box.directory + "/elsewhere.yaml", atomically: false, encoding: .utf8)
        symlink(box.directory + "/elsewhere.yaml", box.config + ".bak")
        let link = try Harness.ctagent(["rollback", "--config", box.config, "--dryRun"])
        #expect(link.status == 73)
        #expect(link.stderr.contains("\(box.config).bak is a symbolic link, not the backup this tool writes"), "\(link.stderr)")
        #expect(!link.stdout.contains("secret-line"), "\(link.stdout)")
        unlink(box.config + ".bak")
        try "".write(toFile: box.config + ".bak", atomically: false, encoding: .utf8)
        let empty = try Harness.ctagent(["rollback", "--config", box.config, "--skipRestart"])
        #expect(empty.status == 65)
        #expect(empty.stderr.contains("has no configuration section, so it is not a version of this config"), "\(empty.stderr)")
        #expect(box.read() == loopbackConfig)
    }

    /// A unit name without a type is a service, as systemctl reads it; a name that is not one
    /// is refused before anything is written even with --skipRestart or --dryRun (issue 25:
    /// the advice "restart ctagent.service;reboot" would have been pasted into a shell).
    @Test func aUnitWithoutTypeIsAServiceAndABadNameIsAlwaysRefused() throws {
        let box = try Sandbox(config: loopbackConfig)
        for extra in [["--skipRestart"], ["--dryRun"]] {
            let skipped = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug"] + extra,
                                                 environment: ["CTAGENT_SERVICE": "ctagent.service;reboot"])
            #expect(skipped.status == 64, "\(extra): \(skipped.stderr)")
            #expect(skipped.stderr.contains("CTAGENT_SERVICE 'ctagent.service;reboot' is not a systemd unit name"), "\(skipped.stderr)")
            #expect(box.read() == loopbackConfig)
        }
        let bare = try Harness.ctagent(["restart", "--service", "xshield", "--restartVia", "systemctl"], environment: ["PATH": "/nonexistent"])
        #expect(bare.status == 69)
        #expect(!bare.stderr.contains("not a systemd unit name"), "\(bare.stderr)")
    }

    /// What a command pasted from a document gets wrong is said as a hint, and other slips
    /// are refused before they cost a walk or a new key.
    @Test func pastedSlipsGetHintsAndTyposNeverBecomeKeys() throws {
        let box = try Sandbox(config: loopbackConfig)
        let dash = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", "http://127.0.0.1:3128", "\u{2014}skipRestart"])
        #expect(dash.status == 64)
        #expect(dash.stderr.contains("Hint: an argument starts with '\u{2014}', a typographic dash"), "\(dash.stderr)")
        let comma = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", "http://127.0.0.1:3128,", "http://127.0.0.1:3129"])
        #expect(comma.stderr.contains("Hint: an argument ends with ','"), "\(comma.stderr)")
        let folder = try Harness.ctagent(["testProxy", "--config", box.config, "--caFile", box.directory, "--target", "127.0.0.1:9"])
        #expect(folder.status == 64)
        #expect(folder.stderr.contains("--caFile \(box.directory) cannot be read as a file"), "\(folder.stderr)")
        let notPEM = try Harness.ctagent(["testProxy", "--config", box.config, "--caFile", box.config, "--target", "127.0.0.1:9"])
        #expect(notPEM.status == 64)
        #expect(notPEM.stderr.contains("holds no PEM certificate"), "\(notPEM.stderr)")
        let cased = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--allowNewKeys", "--set", "Configuration.log-level=debug", "--skipRestart"])
        #expect(cased.status == 64)
        #expect(cased.stderr.contains("differs from configuration.log-level only in case"), "\(cased.stderr)")
        let spaced = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--allowNewKeys", "--set", "configuration.log-level =debug", "--skipRestart"])
        #expect(spaced.status == 64)
        #expect(box.read() == loopbackConfig)
        let valued = try Harness.ctagent(["getConfig", "--config", box.config, "--json=yes"])
        #expect(valued.status == 64 && valued.stdout.contains("\"status\":64"), "\(valued.stdout)")
    }

    /// A value cannot fake another line of getConfig's output, nor reach the terminal as an
    /// escape sequence; and readers that agree are not said to disagree.
    @Test func getConfigPrintsOneLinePerKeyAndWarnsOnlyOnRealDisagreement() throws {
        let box = try Sandbox(config: "configuration:\n  log-level: info\n  a: 0x1F\n  b: 017\nmotd: \"hello\\nconfiguration.proxy: http://1.2.3.4:1\"\nesc: \"u\\e[31mRED\"\n")
        let result = try Harness.ctagentcmd(["getConfig", "--config", box.config])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("motd: \"hello\\nconfiguration.proxy: http://1.2.3.4:1\"\n"), "\(result.stdout)")
        #expect(!result.stdout.contains("\nconfiguration.proxy:"), "\(result.stdout)")
        #expect(result.stdout.contains("esc: \"u\\x1B[31mRED\"") && !result.stdout.contains("\u{1B}"), "\(result.stdout)")
        #expect(result.stderr.contains("configuration.b is '017'") && !result.stderr.contains("configuration.a is"), "\(result.stderr)")
    }
}
