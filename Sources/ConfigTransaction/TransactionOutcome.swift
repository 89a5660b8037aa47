import AgentConfig
import Audit
import ServiceControl

/// What the **commit** step did with the new version.
public enum CommitOutcome: Equatable, Sendable {
    /// `dryRun`: planned and checked, nothing written.
    case dryRun
    /// The new version is the old one, byte for byte: nothing written.
    case unchanged
    /// In place; `backup` is nil when the previous version could not be saved.
    case written(backup: String?)

    public var wrote: Bool {
        if case .written = self { return true }
        return false
    }
}

/// What the **apply** step did: the restart of the agent's unit.
public enum RestartOutcome: Equatable, Sendable {
    /// Nothing was written, so nothing needs applying.
    case notNeeded
    /// Written, and told not to restart: the change waits for the next restart of `unit`.
    case skipped(unit: String)
    case restarted(unit: String, via: ServiceRestarter.Outcome)
    case failed(unit: String, RestartError)

    /// As the audit trail names it.
    public var auditState: AuditRecord.RestartState {
        switch self {
        case .notNeeded: return .notNeeded
        case .skipped: return .skipped
        case .restarted: return .restarted
        case .failed: return .failed
        }
    }

    public var failure: RestartError? {
        if case .failed(_, let error) = self { return error }
        return nil
    }
}

/// What the **undo** step did, when the transaction took its change back.
public enum UndoOutcome: Equatable, Sendable {
    /// The previous version is in place again, and the agent was restarted (or not) with it.
    case performed(restart: RestartOutcome)
    /// The change stays, for this reason.
    case notPerformed(UndoRefusal)

    /// A take-back that could not be written leaves the change in place, so its guard stays
    /// armed to try again from its own process.
    var keepsTheGuard: Bool {
        if case .notPerformed(.writeFailed) = self { return true }
        return false
    }
}

public enum UndoRefusal: Equatable, Sendable {
    /// The restart did not finish in time: the agent may still be starting with the change.
    case restartStillRunning
    /// The restart failed for a reason that says nothing about the new version (bus, access, unit name).
    case failureSaysNothingAboutTheChange
    /// Another writer changed the file after this change: its version stays.
    case fileChangedSince
    /// The write that would have put the previous version back failed.
    case writeFailed(String)
}

/// One key whose value differs between the two versions, values as stored (the caller masks
/// what it shows).
public struct KeyChange: Equatable, Sendable {
    public var key: String
    public var old: ConfigValue?
    public var new: ConfigValue?
    /// Secret in either version (`SecretClassification`'s rule).
    public var secret: Bool

    public init(key: String, old: ConfigValue?, new: ConfigValue?, secret: Bool = false) {
        self.key = key
        self.old = old
        self.new = new
        self.secret = secret
    }
}

/// Everything a transaction did, step by step, for the caller to render.
public struct TransactionResult: Sendable {
    /// The config as given, and the file actually replaced (a symlink's target).
    public var path: String
    public var target: String
    public var old: AgentConfiguration
    public var new: AgentConfiguration
    public var changes: [KeyChange]
    public var commit: CommitOutcome
    public var restart: RestartOutcome
    public var confirm: ConfirmOutcome
    public var undo: UndoOutcome?
    /// The change wrote a secret that is not empty (the caller may warn about who can read the file).
    public var wroteSecrets: Bool
    /// The guard's units' name, when a confirmed change armed one.
    public var guardName: String?

    /// The bytes differ: something was (or, in a dry run, would be) written.
    public var changed: Bool { old.document.bytes != new.document.bytes }
}
