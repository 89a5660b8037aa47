import Foundation
import TestSupport
import Testing

/// Under CI=true, no suite may skip because a tool it needs is missing: a skipped suite passes,
/// and a CI run that quietly tests less is worse than a red one. Each condition below is one the
/// suites are `.enabled(if:)` on; this test fails naming every one that would make them skip.
/// (A file system without extended attributes, a property of the runner, is not a tool and
/// still skips its one test.)
@Suite struct NoQuietSkipTests {
    static var underCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func python(_ modules: String) -> Bool {
        (try? Harness.run("/usr/bin/python3", ["-c", "import \(modules)"]))?.status == 0
    }

    @Test(.enabled(if: underCI, "only under CI=true"))
    func everyToolATestNeedsIsHere() {
        let needs: [(String, Bool)] = [
            ("root (the namespaces, owners and modes tests)", getuid() == 0),
            ("unshare -m (private mount namespaces)", HostAbilities.privateMounts),
            ("a pty for tmux (the terminal tests)", HostAbilities.terminals),
            ("dbus-daemon and python3-dbusmock (the fake systemd): \(FakeSystemd.unavailableReason ?? "")",
             FakeSystemd.unavailableReason == nil),
            ("tinyproxy: \(TinyProxy.unavailableReason ?? "")", TinyProxy.unavailableReason == nil),
            ("the test CA (python3-cryptography)", TestCertificates.available),
            ("the yaml-test-suite corpus (\(YAMLTestSuite.root))", YAMLTestSuite.available),
            ("PyYAML and ruamel.yaml for /usr/bin/python3", NoQuietSkipTests.python("yaml, ruamel.yaml")),
            ("/bin/systemctl", FileManager.default.fileExists(atPath: "/bin/systemctl")),
            ("promtool", FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")),
            ("gcc", FileManager.default.isExecutableFile(atPath: "/usr/bin/gcc")),
        ] + ["strace", "zsh", "fish", "mandoc", "flock"].map { ($0, HostAbilities.commandExists($0)) }
        for (what, present) in needs where !present {
            Issue.record("CI=true, and \(what) is missing: the suites that need it would skip. scripts/install-deps.sh installs it")
        }
    }
}
