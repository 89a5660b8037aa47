import Foundation
import TestSupport
import Testing

private func updateArguments(_ box: Sandbox, _ extra: [String] = []) -> [String] {
    ["updateProxy", "--config", box.config, "--proxy=\(docProxies)", "--proxyUser=\(docUsers)",
     "--proxyPassword=\(docPasswords)"] + extra
}

@Suite(.enabled(if: FakeSystemd.unavailableReason == nil, "needs dbus-daemon and python3-dbusmock"))
struct RestartTests {
    @Test func theDocumentationExampleSavesAndRestartsTheAgent() throws {
        let systemd = try FakeSystemd()
        let box = try Sandbox()
        let result = try Harness.ctagent(updateArguments(box), environment: systemd.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("The agent service was restarted ctagent.service (via dbus)."), "\(result.stdout)")
        #expect(systemd.restartedUnits == ["ctagent.service"])
        #expect(box.read() == sampleAfterDocExample)
    }

    @Test(arguments: ["done", "skipped", "signal-before-reply"])
    func successfulJobResults(_ behavior: String) throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": behavior])
        let result = try Harness.ctagent(["restart", "--restartVia", "dbus"], environment: systemd.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Restarted ctagent.service (via dbus).\n")
    }

    @Test(arguments: [
        ("failed", "ended with result 'failed': the service failed to start"),
        ("timeout", "ended with result 'timeout': systemd's own start timeout for the unit passed"),
        ("canceled", "ended with result 'canceled'"),
        ("dependency", "ended with result 'dependency': a unit it depends on failed"),
        ("nosuchunit", "systemd has no unit ctagent.service; give the agent's unit with --service UNIT"),
        ("accessdenied", "not allowed to restart ctagent.service (Access denied); run as root"),
        ("interactive", "not allowed to restart ctagent.service (Interactive authentication required.); run as root"),
    ])
    func failuresSayTheConfigWasSavedAndExit69(_ behavior: String, _ message: String) throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": behavior])
        let box = try Sandbox()
        let result = try Harness.ctagent(updateArguments(box), environment: systemd.environment)
        #expect(result.status == 69)
        #expect(result.stderr.hasPrefix("Error: \(box.config) was saved, but the agent service was not restarted: "), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(box.read() == sampleAfterDocExample, "the config is saved even when the restart fails")
    }

    @Test func aJobThatNeverFinishesHitsTheDeadline() throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": "never"])
        let box = try Sandbox()
        let started = Date()
        let result = try Harness.ctagent(updateArguments(box, ["--restartTimeout", "1", "--json"]), environment: systemd.environment)
        #expect(result.status == 69)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.stderr.contains("ctagent.service was still restarting after 1 s"), "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["written"] as? Bool == true)
        #expect((object?["restart"] as? [String: Any])?["status"] as? String == "failed")
        #expect(box.read() == sampleAfterDocExample)
    }

    /// --rollbackOnFailure: the change the agent could not start with is taken back, the agent
    /// restarted with the previous version, both steps audited; still exit 69.
    @Test func rollbackOnFailurePutsThePreviousVersionBackAndRestartsAgain() throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": "failed then done"])
        let box = try Sandbox()
        let result = try Harness.ctagent(updateArguments(box, ["--rollbackOnFailure", "--json"]), environment: systemd.environment)
        #expect(result.status == 69)
        #expect(box.read() == Sandbox.sampleConfig, "the previous version is back")
        #expect(box.read("config.yaml.bak") == sampleAfterDocExample, "the failed version is kept as the backup")
        #expect(systemd.restartedUnits == ["ctagent.service", "ctagent.service"])
        #expect(result.stderr.contains("--rollbackOnFailure put the previous version back (the failed one is saved as \(box.config).bak) "
                                       + "and the agent restarted with it"), "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let rollback = object?["rollback"] as? [String: Any]
        #expect(rollback?["performed"] as? Bool == true, "\(result.stdout)")
        #expect((rollback?["restart"] as? [String: Any])?["status"] as? String == "restarted")
    }

    @Test func rollbackOnFailureSaysWhenThePreviousVersionFailsToo() throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": "failed"])
        let box = try Sandbox()
        let result = try Harness.ctagent(updateArguments(box, ["--rollbackOnFailure"]), environment: systemd.environment)
        #expect(result.status == 69)
        #expect(box.read() == Sandbox.sampleConfig)
        #expect(result.stderr.contains("but the agent did not restart with it either"), "\(result.stderr)")
        #expect(result.stdout.contains("Rolled back (--rollbackOnFailure)"), "\(result.stdout)")
    }

    /// A restart refused for a reason that says nothing about the config (polkit) keeps the
    /// change: rolling it back would undo a good config.
    @Test func rollbackOnFailureKeepsTheChangeWhenTheFailureIsNotTheAgents() throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": "accessdenied"])
        let box = try Sandbox()
        let result = try Harness.ctagent(updateArguments(box, ["--rollbackOnFailure", "--json"]), environment: systemd.environment)
        #expect(result.status == 69)
        #expect(box.read() == sampleAfterDocExample, "the change stays")
        #expect(result.stderr.contains("did not put the previous version back: the restart failed for a reason that says nothing about the new version"),
                "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect((object?["rollback"] as? [String: Any])?["performed"] as? Bool == false, "\(result.stdout)")
    }

    @Test func rollbackOnFailureNeedsARestart() throws {
        let box = try Sandbox()
        let result = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                                          "--skipRestart", "--rollbackOnFailure"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--rollbackOnFailure acts on a failed restart; it cannot go with --skipRestart"), "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
    }

    @Test func aFailedRestartWithJSONIsOneObject() throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": "failed"])
        let result = try Harness.ctagent(["restart", "--json"], environment: systemd.environment)
        #expect(result.status == 69)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["restarted"] as? Bool == false, "\(result.stdout)")
        #expect((object?["message"] as? String)?.contains("ended with result 'failed'") == true, "\(result.stdout)")
        #expect(result.stderr.hasPrefix("Error: the restart job of ctagent.service ended"), "\(result.stderr)")
    }

    @Test func theServiceOptionAndVariableChooseTheUnit() throws {
        let systemd = try FakeSystemd()
        var result = try Harness.ctagent(["restart", "--service", "xshield.service"], environment: systemd.environment)
        #expect(result.status == 0)
        var environment = systemd.environment
        environment["CTAGENT_SERVICE"] = "other.service"
        result = try Harness.ctagent(["restart"], environment: environment)
        #expect(result.status == 0)
        #expect(systemd.restartedUnits == ["xshield.service", "other.service"])
    }

    @Test func skipRestartDryRunAndUnchangedFilesMakeNoCall() throws {
        let systemd = try FakeSystemd()
        let box = try Sandbox()
        #expect(try Harness.ctagent(updateArguments(box, ["--dryRun"]), environment: systemd.environment).status == 0)
        #expect(try Harness.ctagent(updateArguments(box, ["--skipRestart"]), environment: systemd.environment).status == 0)
        let unchanged = try Harness.ctagent(updateArguments(box), environment: systemd.environment)
        #expect(unchanged.status == 0)
        #expect(unchanged.stdout.contains("already up to date"))
        #expect(systemd.restartedUnits == [])
    }

    @Test func aKilledFakeOrNoBusIsReported() throws {
        let systemd = try FakeSystemd()
        systemd.killMock()
        usleep(200_000)
        let noSystemd = try Harness.ctagent(["restart", "--restartVia", "dbus"], environment: systemd.environment)
        #expect(noSystemd.status == 69)
        #expect(noSystemd.stderr.contains("cannot reach systemd on the system bus"), "\(noSystemd.stderr)")
        let noSocket = try Harness.ctagent(["restart", "--restartVia", "dbus"],
                                           environment: ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/nonexistent/socket"])
        #expect(noSocket.status == 69)
        #expect(noSocket.stderr.contains("cannot reach systemd on the system bus (No such file or directory)"), "\(noSocket.stderr)")
    }

    @Test func aBusKilledWhileWaitingIsADisconnection() throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": "never"])
        // The bus goes once ctagent waits for the job: after the fake has the RestartUnit call.
        let killer = Thread {
            for _ in 0..<400 where !systemd.restartedUnits.contains("ctagent.service") { usleep(50_000) }
            usleep(300_000)  // for the job's path to reach ctagent
            systemd.killBus()
        }
        killer.start()
        let result = try Harness.ctagent(["restart", "--restartVia", "dbus", "--restartTimeout", "20"], environment: systemd.environment)
        #expect(result.status == 69)
        #expect(result.stderr.contains("the connection to the system bus was lost while waiting for ctagent.service"), "\(result.stderr)")
    }
}

/// The systemctl path, with the real systemctl against the same fake. systemctl insists on
/// /run/systemd/system, which a private mount namespace can provide.
@Suite(.enabled(if: FakeSystemd.unavailableReason == nil && FileManager.default.fileExists(atPath: "/bin/systemctl"),
                "needs dbus-daemon, python3-dbusmock and systemctl"),
       .enabled(if: HostAbilities.privateMounts, "unshare -m (a private mount namespace) is not permitted here"))
struct SystemctlRestartTests {
    private func runInNamespace(_ systemd: FakeSystemd, _ arguments: [String]) throws -> RunResult {
        let command = ([Harness.binary("ctagent")] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try Harness.shell("unshare -m sh -c \"mkdir -p /run/systemd; mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system && exec \(command.replacingOccurrences(of: "\"", with: "\\\""))\"",
                                 environment: systemd.environment.merging(["SYSTEMCTL_FORCE_BUS": "1"]) { $1 })
    }

    @Test(arguments: [
        ("done", Int32(0), "Restarted ctagent.service (via systemctl)."),
        ("failed", 69, "the restart job of ctagent.service ended with result 'failed'"),
        ("nosuchunit", 69, "systemd has no unit ctagent.service"),
        ("accessdenied", 69, "not allowed to restart ctagent.service"),
    ])
    func systemctlResults(_ behavior: String, _ status: Int32, _ message: String) throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": behavior])
        let result = try runInNamespace(systemd, ["restart", "--restartVia", "systemctl"])
        #expect(result.status == status, "\(result.stdout)\(result.stderr)")
        #expect((result.stdout + result.stderr).contains(message), "\(result.stdout)\(result.stderr)")
        #expect(systemd.restartedUnits == ["ctagent.service"])
    }

    @Test func systemctlIsKilledAtTheDeadline() throws {
        let systemd = try FakeSystemd(units: ["ctagent.service": "never"])
        let result = try runInNamespace(systemd, ["restart", "--restartVia", "systemctl", "--restartTimeout", "1"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("ctagent.service was still restarting after 1 s"), "\(result.stderr)")
    }
}
