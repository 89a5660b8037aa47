import Foundation
import TestSupport

/// A private system bus (a real dbus-daemon) with a fake systemd on it (python-dbusmock and
/// Tests/Fixtures/fake_systemd.py), stopped when the value goes away.
final class FakeSystemd: @unchecked Sendable {
    static let script = Harness.packageRoot + "/Tests/Fixtures/run-fake-systemd.sh"

    /// Why the fake cannot run here, or nil when it can.
    static let unavailableReason: String? = {
        for tool in ["/usr/bin/dbus-daemon", "/usr/bin/dbus-send", "/usr/bin/python3"] where !FileManager.default.fileExists(atPath: tool) {
            return "\(tool) is not installed"
        }
        if (try? Harness.run("/usr/bin/python3", ["-c", "import dbusmock"]))?.status != 0 {
            return "python3-dbusmock is not installed"
        }
        return nil
    }()

    let directory: String
    let address: String

    /// - Parameter units: behaviour per unit: done, failed, timeout, canceled, dependency,
    ///   skipped, never, signal-before-reply, nosuchunit, accessdenied, interactive.
    /// - Parameter after: what a unit does after a successful restart: fails:MS,
    ///   restarts:MS, reinvokes:MS (see fake_systemd.py).
    init(units: [String: String] = [:], after: [String: String] = [:]) throws {
        directory = try Harness.temporaryDirectory()
        let parameters = String(decoding: try JSONSerialization.data(withJSONObject: [
            "units": units, "delay_ms": 30, "after": after, "record_file": directory + "/transient.jsonl",
        ] as [String: Any]), as: UTF8.self)
        let started = try Harness.run(FakeSystemd.script, ["start", directory, parameters])
        guard started.status == 0 else { throw FixtureError(message: "fake systemd did not start: \(started.stderr)") }
        address = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        _ = try? Harness.run(FakeSystemd.script, ["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    var environment: [String: String] { ["DBUS_SYSTEM_BUS_ADDRESS": address] }

    /// The units RestartUnit was called for, in order, from the mock's call log.
    var restartedUnits: [String] {
        let log = (try? String(contentsOfFile: directory + "/calls.log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: " RestartUnit \"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// StartTransientUnit and StopUnit calls, decoded, in order.
    var transientCalls: [[String: Any]] {
        let text = (try? String(contentsOfFile: directory + "/transient.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// The command the last transient service would run: what systemd runs when the timer elapses.
    var guardCommand: [String]? {
        guard let start = transientCalls.last(where: { $0["call"] as? String == "StartTransientUnit" }),
              let aux = (start["aux"] as? [[String: Any]])?.first, let properties = aux["properties"] as? [String: Any],
              let execStart = (properties["ExecStart"] as? [[Any]])?.first, execStart.count == 3 else { return nil }
        return execStart[1] as? [String]
    }

    func killMock() { kill(pid("mock.pid"), SIGKILL) }
    func killBus() { kill(pid("dbus.pid"), SIGKILL) }

    private func pid(_ file: String) -> pid_t {
        pid_t((try? String(contentsOfFile: directory + "/" + file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }
}

typealias FixtureError = TestSupportError
