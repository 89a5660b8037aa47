import Testing
@testable import ServiceControl

@Suite struct ErrorClassificationTests {
    @Test(arguments: [
        ("org.freedesktop.systemd1.NoSuchUnit", RestartError.noSuchUnit(unit: "a.service")),
        ("org.freedesktop.DBus.Error.AccessDenied", .accessDenied(unit: "a.service", detail: "msg")),
        ("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", .accessDenied(unit: "a.service", detail: "msg")),
        ("org.freedesktop.DBus.Error.ServiceUnknown", .busUnavailable(reason: "no systemd on the bus: msg")),
        ("org.example.Other", .callFailed(unit: "a.service", method: "RestartUnit", name: "org.example.Other", message: "msg")),
    ])
    func dbusErrorNames(_ name: String, _ expected: RestartError) {
        #expect(DBusRestarter.classify(name: name, message: "msg", errno: 0, unit: "a.service", method: "RestartUnit", timeout: .seconds(5)) == expected)
    }

    @Test(arguments: [
        (1, "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down",
         RestartError.busUnavailable(reason: "System has not been booted with systemd as init system (PID 1). Can't operate.")),
        (5, "Failed to restart a.service: Unit a.service not found.", .noSuchUnit(unit: "a.service")),
        (4, "Failed to restart a.service: Access denied", .accessDenied(unit: "a.service", detail: "Failed to restart a.service: Access denied")),
        (1, "Job for a.service failed because the control process exited with error code.", .jobFailed(unit: "a.service", result: .failed)),
        (1, "Job for a.service timed out.", .jobFailed(unit: "a.service", result: .timeout)),
        (1, "Job for a.service failed because a timeout was exceeded.", .jobFailed(unit: "a.service", result: .timeout)),
        (1, "Job for a.service canceled.", .jobFailed(unit: "a.service", result: .canceled)),
        (1, "A dependency job for a.service failed. See 'journalctl -xe' for details.", .jobFailed(unit: "a.service", result: .dependency)),
        (3, "something else", .systemctlFailed(unit: "a.service", status: 3, output: "something else")),
    ])
    func systemctlExitCodesAndMessages(_ code: Int32, _ output: String, _ expected: RestartError) {
        #expect(SystemctlRestarter.classify(code: code, output: output, unit: "a.service") == expected)
    }

    @Test func onlyAnUnreachableBusFallsBackToSystemctl() {
        #expect(RestartError.busUnavailable(reason: "x").busCouldNotBeReached)
        #expect(!RestartError.noSuchUnit(unit: "a").busCouldNotBeReached)
        #expect(!RestartError.jobFailed(unit: "a", result: .failed).busCouldNotBeReached)
    }

    @Test func aMissingSystemctlIsReported() {
        #expect(throws: RestartError.systemctlUnavailable(reason: "/nonexistent/systemctl: No such file or directory")) {
            try SystemctlRestarter(timeout: .seconds(1), executable: "/nonexistent/systemctl").restart(unit: "a.service")
        }
    }
}
