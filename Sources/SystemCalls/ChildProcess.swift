import CLinux
import Glibc
import TimeKeeping

/// A program run to its end or to a deadline, without a shell: argv as given, stdin from
/// /dev/null, stdout and stderr together in a pipe read as it runs, of which the last
/// `outputLimit` bytes are kept (`OutputTail`), SIGPIPE back at its default (the tool ignores
/// it). For systemctl, systemd-run and the admin's own checks.
///
/// The program runs in a process group of its own, and the whole group is killed with
/// SIGKILL at the deadline and once the program has exited: what it started in the
/// background (`sh -c 'sleep 120 & …'`) does not outlive it. A process that leaves the group
/// on purpose (`setsid`) is beyond this; under systemd, the unit's cgroup still holds it.
/// A signal that ends the tool meanwhile kills the group too (`killRunningGroup`).
public enum ChildProcess {
    public enum Outcome: Equatable, Sendable {
        case exited(status: Int32, output: String)
        case signaled(signal: Int32, output: String)
        /// Killed at the deadline.
        case timedOut(output: String)
        /// It could not be started (not found, not executable…).
        case couldNotStart(Errno)
        /// It was started, but its end cannot be known: `waitid`/`waitpid` failed (ECHILD when
        /// SIGCHLD is ignored and the kernel reaped it). Never to be taken as success.
        case notWaited(Errno, output: String)

        public var output: String {
            switch self {
            case .exited(_, let output), .signaled(_, let output), .timedOut(let output), .notWaited(_, let output): return output
            case .couldNotStart: return ""
            }
        }
    }

    /// The output kept: the last 64 KiB, enough for any message, bounded against a chatty program.
    public static let outputLimit = 64 << 10

    /// - Parameter arguments: argv, the program first (looked up on PATH when it has no slash).
    public static func run(_ arguments: [String], timeout: Duration) -> Outcome {
        guard let program = arguments.first else { return .couldNotStart(.invalidArgument) }
        var ends: [Int32] = [-1, -1]
        guard unsafe pipe2(&ends, O_CLOEXEC) == 0 else { return .couldNotStart(.current) }
        let output = FileDescriptor(adopting: ends[0])
        let writeEnd = FileDescriptor(adopting: ends[1])
        _ = fcntl(output.rawValue, F_SETFL, fcntl(output.rawValue, F_GETFL) | O_NONBLOCK)
        var actions = unsafe posix_spawn_file_actions_t()
        unsafe posix_spawn_file_actions_init(&actions)
        defer { unsafe posix_spawn_file_actions_destroy(&actions) }
        unsafe posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        unsafe posix_spawn_file_actions_adddup2(&actions, writeEnd.rawValue, 1)
        unsafe posix_spawn_file_actions_adddup2(&actions, writeEnd.rawValue, 2)
        var attributes = posix_spawnattr_t()
        unsafe posix_spawnattr_init(&attributes)
        defer { unsafe posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        unsafe sigemptyset(&defaults)
        // The tool ignores these for itself (ProcessSignals); the program gets the defaults and
        // an empty signal mask.
        unsafe sigaddset(&defaults, SIGPIPE)
        unsafe sigaddset(&defaults, SIGXFSZ)
        unsafe posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        unsafe sigemptyset(&mask)
        unsafe posix_spawnattr_setsigmask(&attributes, &mask)
        // Process group 0: a new group led by the child, whose id is the child's pid.
        unsafe posix_spawnattr_setpgroup(&attributes, 0)
        unsafe posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        var argv: [UnsafeMutablePointer<CChar>?] = unsafe arguments.map { unsafe strdup($0) } + [nil]
        defer { unsafe argv.forEach { unsafe free($0) } }
        var pid: pid_t = 0
        let spawned = unsafe posix_spawnp(&pid, program, &actions, &attributes, &argv, unsafe environ)
        guard spawned == 0 else { return .couldNotStart(Errno(rawValue: spawned)) }
        unsafe runningGroup.pointee = pid
        // Our copy of the write end is closed here, so that the pipe ends with the group.
        _ = consume writeEnd
        return collect(pid, output: output, deadline: .after(timeout))
    }

    /// Reads the output while the child runs; the group is killed before the child is reaped,
    /// so that its id cannot have been reused by then (a zombie keeps it).
    private static func collect(_ pid: pid_t, output: borrowing FileDescriptor, deadline: Deadline) -> Outcome {
        var tail = OutputTail(limit: outputLimit)
        var open = true
        var timedOut = false
        var lost: Errno?
        while true {
            if open { open = drain(output, into: &tail, waitingUpTo: 20) } else { usleep(20_000) }
            var info = unsafe siginfo_t()
            // WNOWAIT: seen, not reaped.
            if unsafe waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 {
                let code = Errno.current
                if code == .interrupted { continue }
                lost = code
                break
            }
            if unsafe info.si_signo == SIGCHLD { break }
            if deadline.hasPassed {
                timedOut = true
                break
            }
        }
        var status: Int32 = 0
        if lost == nil {
            // Not reaped yet (a zombie keeps its id), so the group is still the child's.
            kill(-pid, SIGKILL)
            unsafe runningGroup.pointee = 0
            while unsafe waitpid(pid, &status, 0) < 0 {
                let code = Errno.current
                if code != .interrupted {
                    lost = code
                    break
                }
            }
        }
        unsafe runningGroup.pointee = 0
        // What the group wrote before it was killed is still in the pipe.
        if open { _ = drain(output, into: &tail, waitingUpTo: 0) }
        let text = tail.text
        if let lost { return .notWaited(lost, output: text) }
        if timedOut { return .timedOut(output: text) }
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        if status & 0x7F != 0 { return .signaled(signal: status & 0x7F, output: text) }
        return .exited(status: (status >> 8) & 0xFF, output: text)
    }

    /// Reads what the pipe holds (waiting up to `milliseconds` for something), at most 1 MiB
    /// at a time so that an endless writer still lets the deadline be seen; false at its end.
    private static func drain(_ output: borrowing FileDescriptor, into tail: inout OutputTail, waitingUpTo milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: output.rawValue, events: Int16(POLLIN), revents: 0)
        if unsafe poll(&descriptor, 1, milliseconds) <= 0 { return true }
        for _ in 0..<16 {
            guard let chunk = try? output.read(upTo: 65536) else { return true }  // EAGAIN: nothing more now
            if chunk.isEmpty { return false }
            tail.append(chunk)
        }
        return true
    }

    /// The group of the program running now (0: none), where a signal handler can reach it.
    nonisolated(unsafe) private static let runningGroup: UnsafeMutablePointer<pid_t> = {
        let cell = UnsafeMutablePointer<pid_t>.allocate(capacity: 1)
        unsafe cell.initialize(to: 0)
        return unsafe cell
    }()

    /// Allocates what `killRunningGroup` reads; call before installing a handler that calls it.
    public static func prepare() {
        _ = unsafe runningGroup
    }

    /// Kills the running program's whole group, for a handler of a signal that ends the tool.
    /// Async-signal-safe once `prepare()` ran.
    public static func killRunningGroup() {
        let group = unsafe runningGroup.pointee
        if group > 0 { kill(-group, SIGKILL) }
    }
}
