import Glibc
import SystemCalls
import TimeKeeping

/// Restarts a unit by running `systemctl --no-ask-password restart UNIT`, killed at the
/// deadline, with its exit code translated like the D-Bus errors.
struct SystemctlRestarter {
    let timeout: Duration
    /// The program to run; tests and unusual hosts may point elsewhere.
    var executable = "systemctl"

    func restart(unit: String) throws(RestartError) {
        // systemctl's stdout and stderr, read back for the message. Without a memory file (a
        // seccomp filter, an old kernel) systemctl still runs; only its words are lost.
        let output: FileDescriptor
        do {
            output = try FileDescriptor.anonymousFile(named: "systemctl-output")
        } catch {
            do {
                output = try FileDescriptor.open("/dev/null", O_RDWR)
            } catch {
                throw .systemctlUnavailable(reason: "cannot open /dev/null: \(error)")
            }
        }
        var actions = unsafe posix_spawn_file_actions_t()
        unsafe posix_spawn_file_actions_init(&actions)
        defer { unsafe posix_spawn_file_actions_destroy(&actions) }
        unsafe posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        unsafe posix_spawn_file_actions_adddup2(&actions, output.rawValue, 1)
        unsafe posix_spawn_file_actions_adddup2(&actions, output.rawValue, 2)
        // "--": a unit name is never read as an option, whatever it looks like.
        let arguments = [executable, "--no-ask-password", "restart", "--", unit]
        var argv: [UnsafeMutablePointer<CChar>?] = unsafe arguments.map { unsafe strdup($0) } + [nil]
        defer { unsafe argv.forEach { unsafe free($0) } }
        // The tool ignores SIGPIPE (its output errors become EPIPE); systemctl gets the
        // default back, as from a shell.
        var attributes = posix_spawnattr_t()
        unsafe posix_spawnattr_init(&attributes)
        defer { unsafe posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        unsafe sigemptyset(&defaults)
        unsafe sigaddset(&defaults, SIGPIPE)
        unsafe posix_spawnattr_setsigdefault(&attributes, &defaults)
        unsafe posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = unsafe posix_spawnp(&pid, executable, &actions, &attributes, &argv, environ)
        guard spawned == 0 else {
            throw .systemctlUnavailable(reason: "\(executable): \(Errno(rawValue: spawned).description)")
        }
        let deadline = Deadline.after(timeout)
        var status: Int32 = 0
        while true {
            let waited: pid_t
            do {
                waited = try valueOrErrno(.waitpid) { unsafe waitpid(pid, &status, WNOHANG) }
            } catch {
                throw .systemctlUnavailable(reason: error.description)
            }
            if waited == pid { break }
            if deadline.hasPassed {
                kill(pid, SIGKILL)
                _ = unsafe waitpid(pid, &status, 0)
                throw .stillRunning(unit: unit, after: timeout)
            }
            usleep(20_000)
        }
        var text = ""
        if (try? output.rewind()) != nil, let bytes = try? output.readAll(limit: 1 << 20) {
            text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace
        }
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        let signaled = status & 0x7F != 0
        let code = (status >> 8) & 0xFF
        if !signaled && code == 0 { return }
        throw SystemctlRestarter.classify(code: signaled ? -1 : code, output: text, unit: unit)
    }

    /// systemctl's exit codes follow the LSB: 4 insufficient privileges, 5 unit not found;
    /// 1 covers failed jobs and "not booted with systemd", which only the text tells apart.
    static func classify(code: Int32, output: String, unit: String) -> RestartError {
        let lines = output.split(separator: "\n").map(String.init)
        let summary = lines.first ?? ""
        if output.contains("not been booted with systemd") || output.contains("Failed to connect to bus")
            || output.contains("Failed to connect to system scope bus") {
            return .busUnavailable(reason: summary)
        }
        switch code {
        case 4: return .accessDenied(unit: unit, detail: summary)
        case 5: return .noSuchUnit(unit: unit)
        default:
            if output.contains("Interactive authentication required") || output.contains("Access denied") {
                return .accessDenied(unit: unit, detail: summary)
            }
            // systemctl's wording of each JobRemoved result (src/systemctl/systemctl-util.c).
            let results: [(String, JobResult)] = [("dependency job", .dependency), ("timed out", .timeout),
                                                  ("timeout was exceeded", .timeout), ("canceled", .canceled), ("failed", .failed)]
            if summary.contains("Job for") || summary.contains("dependency job") {
                for (phrase, result) in results where summary.contains(phrase) {
                    return .jobFailed(unit: unit, result: result)
                }
            }
            return .systemctlFailed(unit: unit, status: code, output: summary)
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
