import Foundation
import TestSupport
import Testing

/// Issue 12 on the binaries that ship: an audit entry per change in the journal (its native
/// protocol, received by a real socket at /run/systemd/journal/socket in a private mount
/// namespace) or in syslog, never a secret; rollback; masking by key name; the warnings.
private let secrets = ["Y29sb3JzMzIxMQ==", "Y29sb3JzMzIxMg==", "colors3211", "colors3212"]

/// Runs `commands` in a private mount namespace where `socketPath` is served by the datagram
/// receiver (after `setup`), and returns the datagrams it got.
func received(socketPath: String, setup: String, commands: String, in box: Sandbox) throws -> (RunResult, [String]) {
    let receiver = Harness.packageRoot + "/Tests/Fixtures/datagram_receiver.py"
    let out = box.directory + "/datagrams", ready = box.directory + "/ready"
    let script = """
        set -e
        mount --make-rprivate /
        \(setup)
        /usr/bin/python3 '\(receiver)' '\(socketPath)' '\(out)' '\(ready)' 20 &
        receiver=$!
        for i in $(seq 200); do [ -e '\(ready)' ] && break; sleep 0.05; done
        [ -e '\(ready)' ] || { echo 'the datagram receiver did not start within 10 s' >&2; kill $receiver; exit 99; }
        set +e
        \(commands)
        status=$?
        sleep 0.2
        kill $receiver
        wait $receiver
        exit $status
        """
    let result = try Harness.run("/usr/bin/unshare", ["-m", "/bin/bash", "-c", script])
    let lines = (box.read("datagrams") ?? "").split(separator: "\n").map {
        String(decoding: Data(base64Encoded: String($0)) ?? Data(), as: UTF8.self)
    }
    return (result, lines)
}

func fields(_ datagram: String) -> [String: String] {
    Dictionary(datagram.split(separator: "\n").compactMap { line -> (String, String)? in
        guard let equals = line.firstIndex(of: "=") else { return nil }
        return (String(line[..<equals]), String(line[line.index(after: equals)...]))
    }, uniquingKeysWith: { first, _ in first })
}

private func sha256(_ path: String) throws -> String {
    try Harness.shell("sha256sum '\(path)' | cut -d' ' -f1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite(.serialized, .enabled(if: HostAbilities.privateMounts, "unshare -m (a private mount namespace) is not permitted here"))
struct AuditTrailTests {
    @Test func everyChangeIsRecordedInTheJournalWithoutSecrets() throws {
        let box = try Sandbox()
        let before = try sha256(box.config)
        let update = [Harness.binary("ctagent"), "updateProxy", "--config", box.config, "--proxy=\(docProxies)", "--proxyUser=\(docUsers)",
                      "--proxyPassword=\(docPasswords)", "--skipRestart", "--acceptArgvSecrets"].map { "'\($0)'" }.joined(separator: " ")
        let (result, datagrams) = try received(socketPath: "/run/systemd/journal/socket",
                                               setup: "mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal",
                                               commands: "SUDO_USER=alice \(update)", in: box)
        #expect(result.status == 0, "\(result.stderr)")
        try #require(datagrams.count == 1, "one entry per change: \(datagrams)")
        let entry = fields(datagrams[0])
        #expect(entry["MESSAGE_ID"] == "3d59a09ddf6746c99f6a125fdf44c58f")
        #expect(entry["SYSLOG_IDENTIFIER"] == "ctagent")
        #expect(entry["PRIORITY"] == "5")
        #expect(entry["CTAGENT_EVENT"] == "change")
        #expect(entry["CTAGENT_CONFIG"] == box.config)
        #expect(entry["CTAGENT_KEYS"] == "configuration.proxy,configuration.proxy-user,configuration.proxy-password")
        #expect(entry["CTAGENT_OLD_SHA256"] == before)
        #expect(entry["CTAGENT_NEW_SHA256"] == (try sha256(box.config)))
        #expect(entry["CTAGENT_UID"] == String(getuid()))
        #expect(entry["CTAGENT_SUDO_USER"] == "alice")
        #expect(entry["CTAGENT_RESTART"] == "skipped")
        #expect(entry["MESSAGE"]?.contains("changed \(box.config): configuration.proxy, configuration.proxy-user, configuration.proxy-password") == true)
        for secret in secrets { #expect(!datagrams[0].contains(secret), "the entry must not hold \(secret)") }
    }

    @Test func withoutAJournalTheEntryGoesToSyslog() throws {
        let box = try Sandbox()
        let edit = [Harness.binary("ctagentcmd"), "updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                    "--skipRestart"].map { "'\($0)'" }.joined(separator: " ")
        // No journal socket, and a private /dev holding only the syslog socket.
        let (result, datagrams) = try received(socketPath: "/dev/log",
                                               setup: "mount -t tmpfs tmpfs /run/systemd 2>/dev/null || mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /dev",
                                               commands: edit, in: box)
        #expect(result.status == 0, "\(result.stderr)")
        try #require(datagrams.count == 1, "\(datagrams)")
        #expect(datagrams[0].hasPrefix("<85>"), "authpriv.notice: \(datagrams[0])")
        #expect(datagrams[0].contains("ctagentcmd["), "\(datagrams[0])")
        #expect(datagrams[0].contains("changed \(box.config): configuration.log-level"), "\(datagrams[0])")
        #expect(datagrams[0].contains("MESSAGE_ID=3d59a09ddf6746c99f6a125fdf44c58f"), "\(datagrams[0])")
    }
}

@Suite struct RollbackAndSecretTests {
    @Test func rollbackTwiceUndoesTheRollback() throws {
        let box = try Sandbox()
        let original = Sandbox.sampleConfig
        #expect(try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--skipRestart"]).status == 0)
        let changed = box.read()
        let dry = try Harness.ctagent(["rollback", "--config", box.config, "--dryRun"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("-  log-level: debug") && dry.stdout.contains("+  log-level: info"), "\(dry.stdout)")
        #expect(box.read() == changed, "--dryRun writes nothing")
        #expect(dry.stdout.contains("Dry run: configuration.log-level would change"), "the rollback names what it changes: \(dry.stdout)")
        let first = try Harness.ctagent(["rollback", "--config", box.config, "--skipRestart"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("configuration.log-level: debug -> info"), "\(first.stdout)")
        #expect(box.read() == original)
        #expect(box.read("config.yaml.bak") == changed, "the replaced version becomes the backup")
        let second = try Harness.ctagent(["rollback", "--config", box.config, "--skipRestart"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(box.read() == changed, "a second rollback undoes the first")
    }

    /// A backup the agent could not use (an FQDN proxy) is named as the problem: 65, not a
    /// usage error.
    @Test func aBackupWithUnusableSettingsIsNamed() throws {
        let box = try Sandbox()
        try box.write("configuration:\n  proxy: http://proxy.corp:3128\n", to: "config.yaml.bak")
        let result = try Harness.ctagent(["rollback", "--config", box.config, "--skipRestart"])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("Error: the backup \(box.config).bak cannot be restored: proxy #1"), "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
    }

    @Test func rollbackWithoutABackupSaysSo() throws {
        let box = try Sandbox()
        let result = try Harness.ctagent(["rollback", "--config", box.config, "--skipRestart"])
        #expect(result.status == 66)
        #expect(result.stderr == "Error: there is no backup to roll back to: \(box.config).bak does not exist (each change of \(box.config) saves the previous version there)\n")
        #expect(box.read() == Sandbox.sampleConfig)
    }

    @Test func keysAreSecretByWhatTheyName() throws {
        let box = try Sandbox(config: Sandbox.sampleConfig + "  activation-key: AK-12345-SECRET\n  api-token: tok-SECRET-1\n  client-secret: cs-SECRET-2\n  keyring: visible\n")
        let text = try Harness.ctagentcmd(["getConfig", "--config", box.config])
        let json = try Harness.ctagentcmd(["getConfig", "--config", box.config, "--json"])
        let dry = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.api-token=tok-NEW-3",
                                          "--dryRun", "--acceptArgvSecrets"])
        for output in [text.stdout, json.stdout, dry.stdout] {
            for secret in ["AK-12345-SECRET", "tok-SECRET-1", "cs-SECRET-2", "tok-NEW-3"] {
                #expect(!output.contains(secret), "\(secret) shown in:\n\(output)")
            }
        }
        #expect(text.stdout.contains("configuration.keyring: visible"))
        #expect(dry.stdout.contains("-  api-token: <secret>\n+  api-token: <new secret>\n"), "\(dry.stdout)")
        #expect(dry.stdout.contains("   activation-key: <secret>\n"), "\(dry.stdout)")
    }

    @Test func warningsTeachTheSafePathAndCanBeSilenced() throws {
        let box = try Sandbox()
        chmod(box.config, 0o644)
        let argv = ["updateProxy", "--config", box.config, "--proxy=\(docProxies)", "--proxyUser=\(docUsers)",
                    "--proxyPassword=\(docPasswords)", "--skipRestart"]
        let warned = try Harness.ctagent(argv, environment: ["CTAGENT_ACCEPT_ARGV_SECRETS": "0"])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("Warning: --proxyPassword on the command line can be read by every local user"), "\(warned.stderr)")
        #expect(warned.stderr.contains("--proxyPasswordStdin"))
        #expect(warned.stderr.contains("Warning: \(box.config) (mode 0644) holds passwords and can be read by every user; restrict it with: chmod o-r \(box.config)"), "\(warned.stderr)")
        for secret in secrets { #expect(!warned.stderr.contains(secret)) }
        try box.write(Sandbox.sampleConfig)
        chmod(box.config, 0o600)
        let quiet = try Harness.ctagent(argv, environment: ["CTAGENT_ACCEPT_ARGV_SECRETS": "1"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty, "silenced, and the config is not readable by others: \(quiet.stderr)")
        try box.write(Sandbox.sampleConfig)
        let file = box.directory + "/passwords"
        try box.write(docPasswords, to: "passwords")
        chmod(file, 0o644)
        let fromFile = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(docProxies)", "--proxyUser=\(docUsers)",
                                            "--proxyPasswordFile", file, "--skipRestart"])
        #expect(fromFile.status == 0)
        #expect(fromFile.stderr.contains("Warning: \(file) (mode 0644) can be read by other users; restrict it with: chmod 600 \(file)"), "\(fromFile.stderr)")
    }
}
