import Foundation
import Testing

/// The stand-in systemd refuses what systemd 252 refuses (issue 38: it accepted a timer base
/// real systemd refuses, so every confirmed change failed on real hosts and passed here). The
/// same cases and expected answers run against real systemd in scripts/test-systemd-vm.sh.
@Suite(.enabled(if: FakeSystemd.unavailableReason == nil, "needs dbus-daemon and python3-dbusmock"))
struct StandInStrictnessTests {
    static let cases = Harness.packageRoot + "/Tests/Fixtures/transient_refusals.py"
    static let expected = Harness.packageRoot + "/Tests/Fixtures/transient_refusals.expected"

    @Test func theStandInRefusesWhatSystemdRefuses() throws {
        let systemd = try FakeSystemd()
        let result = try Harness.run("/usr/bin/python3", [StandInStrictnessTests.cases, "ctagent-refusal"],
                                     environment: systemd.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try String(contentsOfFile: StandInStrictnessTests.expected, encoding: .utf8)
        #expect(result.stdout == expected)
        // Only the accepted units and their stops were recorded: a refusal leaves no trace.
        #expect(systemd.transientCalls.map { $0["call"] as? String } == ["StartTransientUnit", "StartTransientUnit", "StopUnit", "StopUnit"])
    }

    /// What the tool sends for a guard is accepted as is, and names its timer base as systemd does.
    @Test func theGuardsTimerUsesSystemdsBaseName() throws {
        let systemd = try FakeSystemd()
        let box = try Sandbox(config: "configuration:\n  platform-url: https://127.0.0.1:1\n  log-level: info\n")
        let result = try Harness.ctagent(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug",
                                          "--confirm", "20", "--stateDir", box.directory + "/state", "--confirmSettle", "1", "--confirmAllowDirect", "--restartVia", "dbus"],
                                         environment: systemd.environment)
        let start = systemd.transientCalls.first { $0["call"] as? String == "StartTransientUnit" }
        let bases = (start?["properties"] as? [String: Any])?["TimersMonotonic"] as? [[Any]]
        #expect(bases?.first?.first as? String == "OnActiveSec", "\(systemd.transientCalls) \(result.stderr)")
    }
}
