import Foundation
import TestSupport

/// What this host lets the tests do. Tests that need a missing ability are skipped, and the
/// skip says why (a container or chroot may forbid mount namespaces or have no ptys).
enum HostAbilities {
    /// A program is on PATH (`command -v`, as a shell would find it).
    static func commandExists(_ name: String) -> Bool {
        (try? Harness.shell("command -v \(name)"))?.status == 0
    }

    /// `unshare -m` with a tmpfs mounted inside: needed to fake /run/systemd and to bind-mount.
    static let privateMounts: Bool = {
        (try? Harness.shell("unshare -m sh -c 'mount -t tmpfs tmpfs /mnt'"))?.status == 0
    }()

    /// tmux can start a session, which needs a pty.
    static let terminals: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { return false }
        let session = "ctagent-probe-\(getpid())"
        guard (try? Harness.run("/usr/bin/tmux", ["new-session", "-d", "-s", session, "sleep 5"]))?.status == 0 else { return false }
        _ = try? Harness.run("/usr/bin/tmux", ["kill-session", "-t", session])
        return true
    }()
}
