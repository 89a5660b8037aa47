import Foundation
import TestSupport
import Testing

/// A config whose platform is on loopback, no proxy listed: the confirm walk goes direct and
/// passes, so a confirmed change reaches its --confirmCommand.
private func config(_ level: String, platformPort: UInt16) -> String {
    "# agent\nconfiguration:\n  platform-url: https://127.0.0.1:\(platformPort)\n  log-level: \(level)\n"
}

private func quoted(_ words: [String]) -> String { words.map { "'\($0)'" }.joined(separator: " ") }

/// Issue 31 on the release binary, against a fake systemd on a real dbus-daemon and a TLS
/// platform peer on loopback: the hostile trials that broke the safety net.
@Suite(.serialized, .enabled(if: FakeSystemd.unavailableReason == nil, "needs dbus-daemon and python3-dbusmock"),
       .enabled(if: TestCertificates.available, "needs /usr/bin/python3 with cryptography (python3-cryptography)"))
struct GuardSafetyTests {
    private func environment(_ systemd: FakeSystemd) -> [String: String] {
        systemd.environment.merging(["SSL_CERT_FILE": TestCertificates.ca]) { $1 }
    }

    /// A confirmed change that reaches its (long) confirm command and is killed there: the
    /// guard stays armed, as when the tool dies.
    private func killedInTheWindow(_ box: Sandbox, level: String, systemd: FakeSystemd, before: String = "") throws -> RunResult {
        let change = [Harness.binary("ctagent"), "updateConfig", "--config", box.config, "--set", "configuration.log-level=\(level)",
                      "--confirm", "60", "--confirmSettle", "0", "--confirmCommand", "/bin/sleep 60", "--restartVia", "dbus",
                      "--stateDir", box.directory + "/state", "--lockTimeout", "20"]
        return try Harness.shell(before + "timeout -s KILL 5 \(quoted(change)); true", environment: environment(systemd))
    }

    /// What systemd does when the guard's timer elapses: run the guard's command.
    private func runGuard(_ systemd: FakeSystemd) throws -> RunResult {
        let command = try #require(systemd.guardCommand, "a guard was armed: \(systemd.transientCalls)")
        return try Harness.run(command[0], Array(command.dropFirst()), environment: environment(systemd))
    }

    /// A (H0 → H1) is killed in its window; B (H1 → H2) is made; the admin rolls B back
    /// (H1 again, `.bak` = H2); then A's guard fires. It must put back H0, the version it
    /// guarded, and never H2, the change the admin just removed.
    @Test func theGuardRestoresTheVersionItGuardedNeverARemovedOne() throws {
        let systemd = try FakeSystemd()
        let platform = try TLSServer(.platform)
        let box = try Sandbox(config: config("info", platformPort: platform.port))
        let h0 = box.read()
        _ = try killedInTheWindow(box, level: "debug", systemd: systemd)
        let h1 = box.read()
        #expect(h1?.contains("log-level: debug") == true)
        let b = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=warning", "--skipRestart"])
        let back = try Harness.ctagent(["rollback", "--config", box.config, "--skipRestart"])
        #expect(b.status == 0 && back.status == 0 && box.read() == h1, "\(b.stderr)\(back.stderr)")
        #expect(box.read("config.yaml.bak")?.contains("log-level: warning") == true, ".bak now holds B")
        let guardRun = try runGuard(systemd)
        #expect(guardRun.status == 0, "\(guardRun.stdout)\(guardRun.stderr)")
        #expect(box.read() == h0, "the guard put back H0, not B: \(box.read() ?? "")")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: box.directory + "/state/guards")) ?? ["unreadable"]
        #expect(left.isEmpty, "the guard's copy is removed once it has rolled back: \(left)")
    }

    /// The race: the unlocked first read finds nothing to change, an editor that takes no
    /// lock changes the file while another writer holds the lock, and the plan under the lock
    /// writes a real change. That change is guarded: killed in its window, it is taken back.
    @Test func aChangeFoundUnderTheLockIsGuarded() throws {
        let systemd = try FakeSystemd()
        let platform = try TLSServer(.platform)
        let box = try Sandbox(config: config("debug", platformPort: platform.port))
        let lock = box.directory + "/.config.yaml.lock"
        let editor = config("info", platformPort: platform.port)
        try box.write(editor, to: "editor.yaml")
        // The other writer holds the lock for 3 s; the editor writes in place after 1.5 s.
        let before = "install -m 600 /dev/null '\(lock)'; flock '\(lock)' sleep 3 & sleep 0.3; "
            + "(sleep 1.5; cat '\(box.directory)/editor.yaml' > '\(box.config)') & "
        let run = try killedInTheWindow(box, level: "debug", systemd: systemd, before: before)
        #expect(box.read()?.contains("log-level: debug") == true, "the tool wrote its change under the lock: \(run.stderr)")
        #expect(systemd.transientCalls.contains { $0["call"] as? String == "StartTransientUnit" },
                "the change written under the lock has a guard: \(run.stderr)")
        let guardRun = try runGuard(systemd)
        #expect(guardRun.status == 0, "\(guardRun.stdout)\(guardRun.stderr)")
        #expect(box.read() == editor, "the guard put back the version it replaced, the editor's")
    }

    /// The confirm command's background process and its 2 GB of output: nothing of its group
    /// is alive after the tool exits, and no memory is held for its output.
    @Test func nothingTheConfirmCommandStartsOutlivesIt() throws {
        let systemd = try FakeSystemd()
        let platform = try TLSServer(.platform)
        let box = try Sandbox(config: config("info", platformPort: platform.port))
        let marker = "1234.\(Int.random(in: 100...999))"
        defer { _ = try? Harness.shell("pkill -KILL -f 'sleep \(marker)'") }
        let shmemBefore = try shmem()
        let result = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                                          "--confirm", "30", "--confirmSettle", "0", "--restartVia", "dbus",
                                          "--stateDir", box.directory + "/state",
                                          "--confirmCommand", "sh -c '(sleep \(marker) &); head -c 2000000000 /dev/zero; exit 3'"],
                                         environment: environment(systemd))
        let shmemAfter = try shmem()
        #expect(result.status == 78, "the failing command takes the change back: \(result.stderr)")
        #expect(box.read()?.contains("log-level: info") == true)
        let survivors = try Harness.shell("pgrep -f 'slee[p] \(marker)' || true").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(survivors.isEmpty, "the command's background sleep was killed with its group: \(survivors)")
        #expect(shmemAfter - shmemBefore < 100 << 20, "no memory file holds the output: Shmem \(shmemBefore >> 20) -> \(shmemAfter >> 20) MiB")
        #expect(result.stdout.count + result.stderr.count < 200_000, "the output shown is bounded")
    }

    /// A background process that outlives a command which exits at once is killed too, and a
    /// command that outlasts the window is killed with its whole group.
    @Test func aCommandKilledAtTheDeadlineTakesItsGroupWithIt() throws {
        let systemd = try FakeSystemd()
        let platform = try TLSServer(.platform)
        let box = try Sandbox(config: config("info", platformPort: platform.port))
        let marker = "1235.\(Int.random(in: 100...999))"
        defer { _ = try? Harness.shell("pkill -KILL -f 'sleep \(marker)'") }
        let result = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                                          "--confirm", "4", "--confirmSettle", "0", "--restartVia", "dbus",
                                          "--stateDir", box.directory + "/state",
                                          "--confirmCommand", "sh -c 'sleep \(marker) & exec sleep 100'"], environment: environment(systemd))
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("did not finish within the --confirm window"), "\(result.stderr)")
        let survivors = try Harness.shell("pgrep -f 'slee[p] \(marker)' || true").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(survivors.isEmpty, "sleep \(marker) was killed with its group: \(survivors)")
    }

    /// Started with SIGCHLD ignored (inherited across exec, as some supervisors start
    /// everything), a failing --confirmCommand still fails: the change is taken back.
    @Test func aFailingCommandFailsEvenWithSIGCHLDIgnored() throws {
        let systemd = try FakeSystemd()
        let platform = try TLSServer(.platform)
        let box = try Sandbox(config: config("info", platformPort: platform.port))
        let change = [Harness.binary("ctagent"), "updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                      "--confirm", "20", "--confirmSettle", "0", "--restartVia", "dbus", "--stateDir", box.directory + "/state",
                      "--confirmCommand", "/bin/false"]
        let python = "import os, signal, sys; signal.signal(signal.SIGCHLD, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])"
        let result = try Harness.run("/usr/bin/python3", ["-c", python] + change, environment: environment(systemd))
        #expect(result.status == 78, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("--confirmCommand exited with status 1"), "\(result.stderr)")
        #expect(box.read()?.contains("log-level: info") == true, "the previous version is back")
    }

    /// A window that cannot hold the settle time and one probe attempt is refused up front.
    @Test func aWindowTooShortToCheckIsRefused() throws {
        let box = try Sandbox(config: config("info", platformPort: 9))
        let original = box.read()
        for (arguments, shortest) in [(["--confirm", "1e-9"], "so at least 2 s"), (["--confirm", "3", "--confirmSettle", "2.5"], "so at least 3.5 s")] {
            let result = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                                              "--restartVia", "dbus"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("is too short to check the change") && result.stderr.contains(shortest), "\(result.stderr)")
        }
        #expect(box.read() == original && box.read("config.yaml.bak") == nil)
    }

    /// Without libcrypto (hidden in a private mount namespace) there is no digest to bind a
    /// guard by: a confirmed change is refused and nothing is written.
    @Test(.enabled(if: HostAbilities.privateMounts, "needs unshare -m"))
    func withoutLibcryptoAConfirmedChangeIsRefused() throws {
        let systemd = try FakeSystemd()
        let box = try Sandbox(config: config("info", platformPort: 9))
        let original = box.read()
        let hide = ["/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "/usr/lib/x86_64-linux-gnu/libcrypto.so",
                    "/usr/lib/x86_64-linux-gnu/libcrypto.so.1.1", "/usr/lib/libcrypto.so.3"]
            .map { "if [ -e \($0) ]; then mount --bind /dev/null \($0); fi; " }.joined()
        let change = [Harness.binary("ctagent"), "updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                      "--confirm", "10", "--restartVia", "dbus", "--stateDir", box.directory + "/state"]
        let result = try Harness.shell("unshare -m sh -c \"\(hide)exec \(quoted(change))\"", environment: environment(systemd))
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("SHA-256 cannot be computed: no libcrypto"), "\(result.stderr)")
        #expect(box.read() == original && box.read("config.yaml.bak") == nil, "nothing was written")
        #expect(systemd.transientCalls.isEmpty && systemd.restartedUnits.isEmpty)
    }

    private func shmem() throws -> Int {
        let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let line = meminfo.split(separator: "\n").first { $0.hasPrefix("Shmem:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) << 10
    }
}
