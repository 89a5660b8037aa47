/// The result systemd gives a finished job (the JobRemoved signal's `result`, as
/// `systemctl` reports it too): one of systemd's `job_result_to_string` names.
public enum JobResult: Equatable, Sendable {
    case done, skipped, canceled, timeout, failed, dependency, invalid, unsupported, once, frozen, concurrency
    /// A name this tool does not know (a newer systemd).
    case other(String)

    public init(name: String) {
        switch name {
        case "done": self = .done
        case "skipped": self = .skipped
        case "canceled": self = .canceled
        case "timeout": self = .timeout
        case "failed": self = .failed
        case "dependency": self = .dependency
        case "invalid": self = .invalid
        case "unsupported": self = .unsupported
        case "once": self = .once
        case "frozen": self = .frozen
        case "concurrency": self = .concurrency
        default: self = .other(name)
        }
    }

    /// systemd's name for it.
    public var name: String {
        switch self {
        case .done: return "done"
        case .skipped: return "skipped"
        case .canceled: return "canceled"
        case .timeout: return "timeout"
        case .failed: return "failed"
        case .dependency: return "dependency"
        case .invalid: return "invalid"
        case .unsupported: return "unsupported"
        case .once: return "once"
        case .frozen: return "frozen"
        case .concurrency: return "concurrency"
        case .other(let name): return name
        }
    }

    /// The job did what was asked: the unit was restarted (or had nothing to do).
    public var succeeded: Bool { self == .done || self == .skipped }
}
