import DurableFile
import AgentConfig
import Glibc
import SystemCalls

/// Warnings that teach the safe way to hand over secrets, as ssh does for keys. They go to
/// stderr, never stop the command, and never quote a secret.
enum SecretWarnings {
    /// Scripts that accept argv's exposure say so once in their environment.
    static let acceptVariable = "CTAGENT_ACCEPT_ARGV_SECRETS"

    static func accepted(byFlag flag: Bool) -> Bool {
        flag || SystemEnvironment.current.variable(acceptVariable) == "1"
    }

    /// A secret given as an argument: every local user can read it in /proc/PID/cmdline while
    /// the tool runs, and it lands in shell history.
    static func secretOnCommandLine(_ what: String, saferPath: String) -> String {
        "Warning: \(what) on the command line can be read by every local user (ps, /proc) while this runs and stays in "
            + "shell history; \(saferPath). Silence this with --acceptArgvSecrets or \(acceptVariable)=1"
    }

    /// A password file that others can read, or that someone else owns. A fix (`chmod 600`)
    /// is suggested only for a file that looks kept for these passwords: the caller's own,
    /// not shared with a group on purpose, not in a system folder. Advice to chmod
    /// /etc/shadow would break the host.
    static func passwordFileProblem(_ path: String) -> String? {
        guard let info = try? FileStatus(path: path), info.kind == .regular else { return nil }
        let mode = SafePath.octal(info.permissions)
        if info.permissions & 0o077 != 0 {
            let ownGroup = unsafe getpwuid(info.owner).map { unsafe $0.pointee.pw_gid == info.group } ?? false
            let sharedWithGroup = info.permissions & 0o040 != 0 && !ownGroup
            let absolute = path.hasPrefix("/") ? path : (FileSystem.currentDirectory() ?? "") + "/" + path
            let systemFolders = ["/etc/", "/usr/", "/var/", "/boot/", "/lib", "/bin/", "/sbin/", "/proc/", "/sys/", "/dev/", "/run/"]
            let system = systemFolders.contains(where: absolute.hasPrefix) && !absolute.hasPrefix("/etc/ctagent/")
            if info.owner == getuid() && !sharedWithGroup && !system {
                return "Warning: \(path) (mode \(mode)) can be read by other users; restrict it with: chmod 600 \(path)"
            }
            return "Warning: \(path) (mode \(mode), \(AccountNames.user(info.owner)), \(AccountNames.group(info.group))) can be read by "
                + "other users; it does not look like a file kept for these passwords, so no fix is suggested: keep them in a file "
                + "of your own with mode 0600"
        }
        if info.owner != getuid() && info.owner != 0 {
            return "Warning: \(path) belongs to \(AccountNames.user(info.owner)), not to you or root; whoever owns it can change the passwords you set"
        }
        return nil
    }

    /// Its backup, when it holds the previous passwords, is named too when every user can read it.
    static func readableConfig(_ path: String, backupHoldsSecrets: Bool) -> String? {
        guard let info = try? FileStatus(path: path) else { return nil }
        let mode = SafePath.octal(info.permissions)
        let backup = path + ".bak"
        let backupInfo = backupHoldsSecrets ? (try? FileStatus(path: backup, followLinks: false)).flatMap {
            $0.kind == .regular && $0.permissions & 0o004 != 0 ? $0 : nil
        } : nil
        if info.permissions & 0o004 != 0 {
            guard let backupInfo else {
                return "Warning: \(path) (mode \(mode)) holds passwords and can be read by every user; restrict it with: chmod o-r \(path)"
            }
            return "Warning: \(path) (mode \(mode)) holds passwords and can be read by every user, and so can its backup \(backup) "
                + "(mode \(SafePath.octal(backupInfo.permissions))); restrict them with: chmod o-r \(path) \(backup)"
        }
        if let backupInfo {
            return "Warning: \(backup) (mode \(SafePath.octal(backupInfo.permissions))) holds the previous passwords and can be read by every user; "
                + "restrict it with: chmod o-r \(backup)"
        }
        return nil
    }
}
