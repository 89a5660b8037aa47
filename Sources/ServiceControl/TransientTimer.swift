import SystemCalls
import TimeKeeping

/// A command systemd runs later, once, unless the timer is stopped first: a transient
/// `NAME.timer` with `NAME.service` beside it, made over D-Bus (StartTransientUnit) or with
/// `systemd-run --on-active` (also when `auto` finds no bus). Systemd runs it whatever
/// becomes of the process that asked for it.
public struct TransientTimer: Equatable, Sendable {
    /// The units' name without a type: `NAME.timer`, `NAME.service`.
    public var name: String
    public var description: String
    public var after: Duration
    /// argv; the program by its absolute path.
    public var command: [String]

    public init(name: String, description: String, after: Duration, command: [String]) {
        self.name = name
        self.description = description
        self.after = after
        self.command = command
    }
}

public struct TransientTimers: Sendable {
    public var method: ServiceRestarter.Method
    public var timeout: Duration
    public var systemctl: String
    public var systemdRun: String

    public init(method: ServiceRestarter.Method, timeout: Duration, systemctl: String = "systemctl",
                systemdRun: String = "systemd-run") {
        self.method = method
        self.timeout = timeout
        self.systemctl = systemctl
        self.systemdRun = systemdRun
    }

    /// How the timer was made, so that it is stopped through the same door.
    public func start(_ timer: TransientTimer) throws(RestartError) -> ServiceRestarter.Outcome {
        switch method {
        case .dbus:
            try viaBus(timer)
            return .restartedViaDBus
        case .systemctl:
            try viaSystemdRun(timer)
            return .restartedViaSystemctl
        case .auto:
            do {
                try viaBus(timer)
                return .restartedViaDBus
            } catch where error.busCouldNotBeReached {
                try viaSystemdRun(timer)
                return .restartedViaSystemctl
            }
        }
    }

    /// Stops `NAME.timer`, so that the command never runs. A timer that is gone is fine.
    public func stop(_ name: String, via door: ServiceRestarter.Outcome) throws(RestartError) {
        switch door {
        case .restartedViaDBus:
            try unsafe SystemdBus(timeout: timeout).stopUnit(name + ".timer")
        case .restartedViaSystemctl:
            let arguments = [systemctl, "--no-ask-password", "stop", "--", name + ".timer"]
            let outcome = ChildProcess.run(arguments, timeout: timeout)
            switch SystemctlRestarter.failure(of: outcome, program: systemctl, unit: name + ".timer", timeout: timeout) {
            case nil, .noSuchUnit?: return
            case let failure?: throw failure
            }
        }
    }

    private func viaBus(_ timer: TransientTimer) throws(RestartError) {
        try unsafe SystemdBus(timeout: timeout).startTransientTimer(name: timer.name, description: timer.description,
                                                                    after: timer.after, command: timer.command)
    }

    private func viaSystemdRun(_ timer: TransientTimer) throws(RestartError) {
        let seconds = Int((timer.after.inSeconds).rounded(.up))
        let arguments = [systemdRun, "--no-ask-password", "--no-block", "--unit=" + timer.name, "--on-active=\(seconds)s",
                         "--timer-property=AccuracySec=1s", "--description=" + timer.description, "--"] + timer.command
        let outcome = ChildProcess.run(arguments, timeout: timeout)
        if let failure = SystemctlRestarter.failure(of: outcome, program: systemdRun, unit: timer.name + ".timer", timeout: timeout) {
            throw failure
        }
    }
}
