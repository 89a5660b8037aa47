import AgentConfig
import ServiceControl
import Glibc
import SystemCalls
import TimeKeeping

/// What `--confirm` asks of a change: after the restart, within `window`, the unit stays up
/// for `settle`, the agent's failover path works with the new file, and the admin's own
/// command succeeds. Otherwise the change is taken back. A guard armed before the restart
/// takes it back even if this process dies.
public struct ConfirmPolicy: Equatable, Sendable {
    public var window: Duration
    public var settle: Duration
    /// The direct path counts when the new file lists proxies (it does not by default: the
    /// admin meant to use them).
    public var allowDirect: Bool
    /// argv of the admin's check; nil for none.
    public var command: [String]?
    /// How long the guard waits, from when it is armed, before it takes the change back.
    public var guardDelay: Duration

    public init(window: Duration, settle: Duration, allowDirect: Bool, command: [String]?, guardDelay: Duration) {
        self.window = window
        self.settle = settle
        self.allowDirect = allowDirect
        self.command = command
        self.guardDelay = guardDelay
    }

    /// The least time a probe attempt is given: a connect, a CONNECT and a TLS handshake to a
    /// proxy nearby. A window that cannot hold the settle time and one attempt is refused, not
    /// run to a restart and a rollback for nothing.
    public static let shortestProbeAttempt: Duration = .seconds(1)

    /// The shortest window for this settle time.
    public static func shortestWindow(settle: Duration) -> Duration { settle + shortestProbeAttempt }
}

/// The effects only a confirmed change needs.
public struct ConfirmEffects {
    public var units: any UnitWatching
    public var connectivity: any ConnectivityChecking
    public var commands: any CommandRunning
    public var guards: any GuardArming
    /// Where the guard keeps its private copy of the previous version.
    public var copies: any GuardCopying
    public var clock: any TransactionClock

    public init(units: any UnitWatching, connectivity: any ConnectivityChecking, commands: any CommandRunning,
                guards: any GuardArming, copies: any GuardCopying, clock: any TransactionClock) {
        self.units = units
        self.connectivity = connectivity
        self.commands = commands
        self.guards = guards
        self.copies = copies
        self.clock = clock
    }
}

public protocol UnitWatching {
    func status(of unit: String) throws(RestartError) -> UnitStatus
}

extension UnitInspector: UnitWatching {}

/// The agent's failover walk on a version of the config (the testProxy walk), done within
/// `limit`: what is left of the confirm window, so that the window bounds the whole check.
public protocol ConnectivityChecking {
    func check(_ config: AgentConfiguration, within limit: Duration) -> ConnectivityResult
}

public struct ConnectivityResult: Equatable, Sendable {
    public enum Path: Equatable, Sendable {
        /// 0-based index in the list.
        case proxy(Int)
        case direct
    }

    /// The path the agent would take; nil when none works.
    public var chosen: Path?
    /// How many proxies the file lists.
    public var proxies: Int
    /// The walk in words, one line per attempt.
    public var report: [String]

    public init(chosen: Path?, proxies: Int, report: [String]) {
        self.chosen = chosen
        self.proxies = proxies
        self.report = report
    }
}

public protocol CommandRunning {
    func run(_ arguments: [String], timeout: Duration) -> ChildProcess.Outcome
}

/// The real one: `ChildProcess`.
public struct ChildProcessRunner: CommandRunning {
    public init() {}
    public func run(_ arguments: [String], timeout: Duration) -> ChildProcess.Outcome { ChildProcess.run(arguments, timeout: timeout) }
}

/// Arms and disarms the timer of the guard that takes a change back unless it is confirmed:
/// named `name` (its private copy's name), bound to the file's SHA-256 after the change, so
/// that it never takes back a later one. `GuardLifecycle` drives it.
public protocol GuardArming {
    /// How the timer was armed (D-Bus or systemd-run), so that it is stopped the same way.
    func arm(_ name: String, boundTo sha256: String, after delay: Duration) throws(RestartError) -> ServiceRestarter.Outcome
    func disarm(_ armed: ArmedGuard) throws(RestartError)
}

public struct ArmedGuard: Equatable, Sendable {
    /// The transient units' name (`NAME.timer`, `NAME.service`).
    public var name: String
    public var sha256: String
    public var via: ServiceRestarter.Outcome

    public init(name: String, sha256: String, via: ServiceRestarter.Outcome) {
        self.name = name
        self.sha256 = sha256
        self.via = via
    }
}

/// Time for the confirm step, passed in so that tests need not wait.
public protocol TransactionClock {
    var now: ContinuousClock.Instant { get }
    /// Seconds since the epoch, for what outlives this process (a guard's record).
    var wallSeconds: Int64 { get }
    func sleep(for duration: Duration)
}

public struct SystemClock: TransactionClock {
    public init() {}
    public var now: ContinuousClock.Instant { .now }
    public var wallSeconds: Int64 { Int64(time(nil)) }
    public func sleep(for duration: Duration) {
        var left = duration
        while left > .zero {
            // usleep takes less than a second at a time.
            let step = min(left, .milliseconds(500))
            usleep(UInt32(step.roundedUpMicroseconds))
            left -= step
        }
    }
}

/// What the **confirm** step found.
public enum ConfirmOutcome: Equatable, Sendable {
    case notRequested
    case confirmed(ConfirmEvidence)
    case failed(ConfirmFailure)
}

public struct ConfirmEvidence: Equatable, Sendable {
    public var unit: UnitStatus
    public var path: ConnectivityResult
    /// The admin's command's output, when one ran.
    public var commandOutput: String?
    /// The guard could not be stopped: it will take the confirmed change back unless
    /// someone stops it.
    public var guardStillArmed: RestartError?
}

public enum ConfirmFailure: Equatable, Sendable {
    /// The restart itself failed.
    case restartFailed(RestartError)
    /// The unit did not stay up: its state, a new invocation, or systemd restarting it.
    case unitNotUp(UnitProblem)
    /// No proxy of the new list works (nor, with none listed, the direct path).
    case noPath(ConnectivityResult)
    /// Only the direct path works, and the new file lists proxies.
    case onlyDirect(ConnectivityResult)
    case commandFailed(status: Int32, output: String)
    case commandSignaled(signal: Int32, output: String)
    case commandTimedOut(output: String)
    case commandNotStarted(Errno)
    /// It ran, but how it ended cannot be known (waiting for it failed): not a success.
    case commandNotWaited(Errno, output: String)
    /// The window ended before every check was done.
    case windowPassed(stage: ConfirmStage)
}

public enum ConfirmStage: String, Equatable, Sendable {
    case unit, path, command
}

public enum UnitProblem: Equatable, Sendable {
    case notActive(state: String, subState: String)
    case newInvocation(from: String, to: String)
    case restartedBySystemd(from: UInt32, to: UInt32)
    case unreadable(RestartError)
}

extension ConfirmFailure {
    /// A line for the audit trail (no secrets: states, counts and exit statuses only).
    public var auditReason: String {
        switch self {
        case .restartFailed: return "restart failed"
        case .unitNotUp(.notActive(let state, let sub)): return "unit \(state) (\(sub)) after the restart"
        case .unitNotUp(.newInvocation): return "unit started again (new invocation) after the restart"
        case .unitNotUp(.restartedBySystemd(let from, let to)): return "systemd restarted the unit (NRestarts \(from) -> \(to))"
        case .unitNotUp(.unreadable): return "unit state unreadable"
        case .noPath: return "no proxy of the new list reaches the platform"
        case .onlyDirect: return "only the direct path reaches the platform"
        case .commandFailed(let status, _): return "confirm command exited with \(status)"
        case .commandSignaled(let signal, _): return "confirm command killed by signal \(signal)"
        case .commandTimedOut: return "confirm command timed out"
        case .commandNotStarted: return "confirm command could not start"
        case .commandNotWaited: return "confirm command's exit status could not be read"
        case .windowPassed(let stage): return "confirm window passed during the \(stage.rawValue) check"
        }
    }
}
