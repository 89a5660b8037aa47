import Foundation
import TestSupport
import Testing

/// The change as one transaction, on the release binary: the bugs its old shape let through.
@Suite struct TransactionTests {
    /// A reader that went away (`| head -1`) used to kill the tool with SIGPIPE (status 141)
    /// between steps; now the write to it fails quietly and the transaction runs to its end.
    @Test func aClosedPipeOnStdoutDoesNotInterruptTheChange() throws {
        let box = try Sandbox()
        let tool = Harness.binary("ctagent")
        // `true` has exited before the tool writes: every write to the pipe meets no reader.
        let script = "exec 3>&1; { sleep 0.3; '\(tool)' updateConfig --config '\(box.config)' --set configuration.log-level=debug "
            + "--skipRestart; echo \"status=$?\" >&3; } | true; sleep 0.1"
        let result = try Harness.shell(script)
        #expect(result.stdout.contains("status=0"), "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(box.read()?.contains("log-level: debug") == true)
        #expect(box.read("config.yaml.bak") == Sandbox.sampleConfig)
    }

    /// The lock file is trusted by the rule the config is: a lock owned by the config's owner
    /// no longer blocks root (it was refused with 77).
    @Test(.enabled(if: getuid() == 0, "needs root to give files away"))
    func aLockOwnedByTheConfigsOwnerDoesNotBlockRoot() throws {
        let box = try Sandbox()
        let lock = box.directory + "/.config.yaml.lock"
        try box.write("", to: ".config.yaml.lock")
        chown(box.config, 65534, 65534)
        chown(lock, 65534, 65534)
        let result = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--skipRestart"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(box.read()?.contains("log-level: debug") == true)
        // Someone else's lock is still refused.
        chown(lock, 1, 1)
        let refused = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=info", "--skipRestart"])
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("\(lock) belongs to daemon (uid 1), neither root nor the config's owner"), "\(refused.stderr)")
    }
}

/// The audit entry is written right after the commit: a tool killed during a slow restart
/// leaves the change recorded (it used to be written after the restart, and was lost).
@Suite(.serialized, .enabled(if: HostAbilities.privateMounts && FakeSystemd.unavailableReason == nil,
                             "needs unshare -m, dbus-daemon and python3-dbusmock"))
struct AuditBeforeRestartTests {
    @Test func aKillDuringTheRestartLeavesTheChangeRecorded() throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": "never"])
        let box = try Sandbox()
        let update = [Harness.binary("ctagent"), "updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                      "--restartVia", "dbus", "--restartTimeout", "60"].map { "'\($0)'" }.joined(separator: " ")
        let (result, datagrams) = try received(socketPath: "/run/systemd/journal/socket",
                                               setup: "mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal",
                                               commands: "DBUS_SYSTEM_BUS_ADDRESS='\(systemd.address)' timeout -s KILL 3 \(update)",
                                               in: box)
        #expect(result.status == 137, "killed inside the restart's wait: \(result.stderr)")
        #expect(box.read()?.contains("log-level: debug") == true, "the change was committed")
        try #require(datagrams.count == 1, "the change is recorded before the restart: \(datagrams)")
        let entry = fields(datagrams[0])
        #expect(entry["CTAGENT_EVENT"] == "change")
        #expect(entry["CTAGENT_RESTART"] == "pending")
        #expect(entry["CTAGENT_KEYS"] == "configuration.log-level")
    }

    @Test func theRestartOutcomeIsItsOwnEntry() throws {
        let systemd = try FakeSystemd()
        let box = try Sandbox()
        let update = [Harness.binary("ctagent"), "updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                      "--restartVia", "dbus"].map { "'\($0)'" }.joined(separator: " ")
        let (result, datagrams) = try received(socketPath: "/run/systemd/journal/socket",
                                               setup: "mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal",
                                               commands: "DBUS_SYSTEM_BUS_ADDRESS='\(systemd.address)' \(update)", in: box)
        #expect(result.status == 0, "\(result.stderr)")
        try #require(datagrams.count == 2, "\(datagrams)")
        #expect(fields(datagrams[0])["CTAGENT_RESTART"] == "pending")
        #expect(fields(datagrams[1])["CTAGENT_EVENT"] == "restart")
        #expect(fields(datagrams[1])["CTAGENT_RESTART"] == "restarted")
        #expect(fields(datagrams[1])["MESSAGE"]?.contains("restarted the agent after the change of \(box.config)") == true)
    }
}
