import AgentConfig
import Audit
import ServiceControl

/// What a transaction does to the world beyond the file, passed in so that the commands use
/// the real ones (D-Bus or systemctl, the journal, the terminal, the process's environment)
/// and tests use fakes that record what they were asked.
public struct TransactionEffects {
    public var restarter: any AgentRestarting
    public var audit: any AuditSink
    public var progress: any TransactionProgress
    public var environment: any ProcessEnvironment
    /// Only for a confirmed change.
    public var confirm: ConfirmEffects?

    public init(restarter: any AgentRestarting, audit: any AuditSink, progress: any TransactionProgress,
                environment: any ProcessEnvironment, confirm: ConfirmEffects? = nil) {
        self.restarter = restarter
        self.audit = audit
        self.progress = progress
        self.environment = environment
        self.confirm = confirm
    }
}

/// Restarts the agent's unit and says how; `ServiceRestarter` (D-Bus, systemctl) is the real one.
public protocol AgentRestarting {
    func restart(unit: String) throws(RestartError) -> ServiceRestarter.Outcome
}

extension ServiceRestarter: AgentRestarting {}

/// Where audit records go; `JournalAuditSink` (the journal, else syslog) is the real one.
public protocol AuditSink {
    func record(_ entry: AuditRecord) throws
}

/// The journal, else syslog (`AuditLog`).
public struct JournalAuditSink: AuditSink {
    public init() {}
    public func record(_ entry: AuditRecord) throws { try AuditLog.record(entry) }
}

/// What a person waiting on the transaction should hear while it runs (not its result, which
/// the caller renders once it is back).
public protocol TransactionProgress: Sendable {
    func report(_ event: TransactionEvent)
}

public enum TransactionEvent: Equatable, Sendable {
    /// Another writer holds the lock; told once, after a second.
    case waitingForLock(lockPath: String, holder: Int32?, timeout: Duration)
    /// The store's notes on a write: other hard links, a backup that could not be saved.
    case storeNote(String)
    /// The audit sink refused a record: the change stands, unrecorded.
    case notRecorded(reason: String)
    /// The guard is armed: systemd takes the change back after `after` unless it is confirmed.
    case guardArmed(name: String, after: Duration)
    /// A guard's private copy could not be removed (`reason`); the next run removes it once
    /// its time is past.
    case guardCopyLeft(name: String, reason: String)
    /// The confirm step begins, for at most `window`.
    case confirming(window: Duration)
    /// A version of the config was parsed (the current one, or the planned one): the secrets
    /// it holds, so that the caller can keep them out of everything it prints.
    case versionRead(SecretInventory)
}

/// Who runs the tool, as the audit trail records it.
public protocol ProcessEnvironment {
    /// An environment variable, nil when unset.
    func variable(_ name: String) -> String?
    var userID: UInt32 { get }
    /// The name of a user, nil when the system has none.
    func userName(_ uid: UInt32) -> String?
}
