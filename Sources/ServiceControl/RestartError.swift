import TimeKeeping
/// Why the agent service was not (confirmed to be) restarted. Every case is exit 69; the
/// commands add whether the config was saved before.
public enum RestartError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No bus to talk to: not booted with systemd, or no system bus socket. `auto` falls back to systemctl.
    case busUnavailable(reason: String)
    case noSuchUnit(unit: String)
    case accessDenied(unit: String, detail: String)
    case jobFailed(unit: String, result: JobResult)
    case stillRunning(unit: String, after: Duration)
    case disconnected(unit: String)
    /// systemd answered `method` (RestartUnit, StartTransientUnit…) with an error of its own.
    case callFailed(unit: String, method: String, name: String, message: String)
    case systemctlUnavailable(reason: String)
    case systemctlFailed(unit: String, status: Int32, output: String)

    /// Only these make `auto` try systemctl: anything else came from systemd itself, and
    /// asking it again through another door would not change its answer.
    public var busCouldNotBeReached: Bool {
        if case .busUnavailable = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .busUnavailable(let reason):
            return "cannot reach systemd on the system bus (\(reason)); is this host booted with systemd? Restart the agent by hand"
        case .noSuchUnit(let unit):
            return "systemd has no unit \(unit)"
        case .accessDenied(let unit, let detail):
            return "not allowed to restart \(unit) (\(detail)); run as root (sudo)"
        case .jobFailed(let unit, let result):
            return "the restart job of \(unit) ended with result '\(result.name)': \(RestartError.explain(result)). See systemctl status \(unit) and journalctl -u \(unit)"
        case .stillRunning(let unit, let timeout):
            return "\(unit) was still restarting after \(formatSeconds(timeout)) s; check systemctl status \(unit)"
        case .disconnected(let unit):
            return "the connection to the system bus was lost while waiting for \(unit) to restart; check systemctl status \(unit)"
        case .callFailed(let unit, let method, let name, let message):
            return "systemd refused to \(RestartError.request(method)) \(unit): \(message) (\(name))"
        case .systemctlUnavailable(let reason):
            return "cannot run systemctl (\(reason)); restart the agent by hand"
        case .systemctlFailed(let unit, let status, let output):
            return "systemctl restart \(unit) failed with exit code \(status)" + (output.isEmpty ? "" : ": \(output)")
        }
    }

    /// What was asked of systemd, in words: a timer refused is not a restart refused.
    static func request(_ method: String) -> String {
        switch method {
        case "RestartUnit": return "restart"
        case "StartTransientUnit": return "start the transient unit"
        case "StopUnit": return "stop"
        case "LoadUnit", "GetUnit": return "look up"
        case "Get", "GetAll": return "read the properties of"
        default: return "answer \(method) for"
        }
    }

    static func explain(_ result: JobResult) -> String {
        switch result {
        case .failed: return "the service failed to start"
        case .timeout: return "systemd's own start timeout for the unit passed"
        case .canceled: return "the job was canceled by another job"
        case .dependency: return "a unit it depends on failed"
        case .invalid: return "the unit cannot be restarted"
        case .unsupported: return "the unit type does not support restarting"
        default: return "systemd did not complete the restart"
        }
    }
}
