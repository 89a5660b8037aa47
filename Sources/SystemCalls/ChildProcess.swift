import Glibc
import TimeKeeping

/// A program run to its end or to a deadline, without a shell: argv as given, stdin from
/// /dev/null, stdout and stderr together in a memory file read back afterwards (no pipe can
/// fill up and block it), SIGPIPE back at its default (the tool ignores it), killed with
/// SIGKILL at the deadline. For systemctl, systemd-run and the admin's own checks.
public enum ChildProcess {
    public enum Outcome: Equatable, Sendable {
        case exited(status: Int32, output: String)
        case signaled(signal: Int32, output: String)
        /// Killed at the deadline.
        case timedOut(output: String)
        /// It could not be started (not found, not executable…).
        case couldNotStart(Errno)

        public var output: String {
            switch self {
            case .exited(_, let output), .signaled(_, let output), .timedOut(let output): return output
            case .couldNotStart: return ""
            }
        }
    }

    /// Output beyond this is cut: enough for any message, bounded against a chatty program.
    public static let outputLimit = 1 << 20

    /// - Parameter arguments: argv, the program first (looked up on PATH when it has no slash).
    public static func run(_ arguments: [String], timeout: Duration) -> Outcome {
        guard let program = arguments.first else { return .couldNotStart(.invalidArgument) }
        // Without a memory file (a seccomp filter, an old kernel) the program still runs;
        // only its words are lost.
        let output: FileDescriptor
        do {
            output = try FileDescriptor.anonymousFile(named: "child-output")
        } catch {
            do {
                output = try FileDescriptor.open("/dev/null", O_RDWR)
            } catch {
                return .couldNotStart(error.errno)
            }
        }
        var actions = unsafe posix_spawn_file_actions_t()
        unsafe posix_spawn_file_actions_init(&actions)
        defer { unsafe posix_spawn_file_actions_destroy(&actions) }
        unsafe posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        unsafe posix_spawn_file_actions_adddup2(&actions, output.rawValue, 1)
        unsafe posix_spawn_file_actions_adddup2(&actions, output.rawValue, 2)
        var attributes = posix_spawnattr_t()
        unsafe posix_spawnattr_init(&attributes)
        defer { unsafe posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        unsafe sigemptyset(&defaults)
        unsafe sigaddset(&defaults, SIGPIPE)
        unsafe posix_spawnattr_setsigdefault(&attributes, &defaults)
        unsafe posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = unsafe arguments.map { unsafe strdup($0) } + [nil]
        defer { unsafe argv.forEach { unsafe free($0) } }
        var pid: pid_t = 0
        let spawned = unsafe posix_spawnp(&pid, program, &actions, &attributes, &argv, unsafe environ)
        guard spawned == 0 else { return .couldNotStart(Errno(rawValue: spawned)) }
        let deadline = Deadline.after(timeout)
        var status: Int32 = 0
        var timedOut = false
        while true {
            let waited = unsafe waitpid(pid, &status, WNOHANG)
            if waited == pid || (waited < 0 && errno != EINTR) { break }
            if deadline.hasPassed {
                kill(pid, SIGKILL)
                _ = unsafe waitpid(pid, &status, 0)
                timedOut = true
                break
            }
            usleep(20_000)
        }
        var text = ""
        if (try? output.rewind()) != nil, let bytes = try? output.readAll(limit: outputLimit) {
            text = String(decoding: bytes, as: UTF8.self)
        }
        if timedOut { return .timedOut(output: text) }
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        if status & 0x7F != 0 { return .signaled(signal: status & 0x7F, output: text) }
        return .exited(status: (status >> 8) & 0xFF, output: text)
    }
}
