import AgentConfig
import DurableFile
import ServiceControl

/// Why a transaction stopped before its commit, beyond the errors of the store, the editor
/// and the settings it passes through. Data only: the commands choose the words.
public enum TransactionError: Error, Sendable {
    /// The file's proxy settings were already unusable before this change: not the caller's
    /// input but the file is the problem.
    case storedSettingsUnusable(path: String, ConfigValueError)
    /// The backup cannot be put back: it does not parse, holds unusable settings, or is not
    /// a version of this config.
    case backupNotRestorable(backup: String, reason: BackupProblem)
    /// A confirmed change needs its guard, and it could not be armed: nothing was written.
    case guardNotArmed(GuardFailure)
    /// The guard's private copy cannot be put back: nothing was written (the guard never
    /// falls back to `.bak`).
    case guardCopyNotRestorable(record: String, GuardCopyProblem)
}

public enum GuardCopyProblem: Error, Sendable, CustomStringConvertible {
    /// The record or the copy is not there (removed when the change was confirmed or taken back).
    case missing
    case unreadable(StoreError)
    /// The record is not this guard's: another config, or another guarded version.
    case notThisGuard(String)
    /// The copy is not the version the record names.
    case altered(expected: String, actual: String)
    /// The copy is not a version the agent could use.
    case unusable(BackupProblem)

    public var description: String {
        switch self {
        case .missing: return "it is not there (a guard's copy is removed when its change is confirmed or taken back)"
        case .unreadable(let error): return "\(error)"
        case .notThisGuard(let why): return "it is not this guard's record (\(why))"
        case .altered(let expected, let actual):
            return "its SHA-256 is \(actual.prefix(12))…, not \(expected.prefix(12))… as its record says"
        case .unusable(let problem): return "\(problem)"
        }
    }
}

public enum BackupProblem: Error, Sendable, CustomStringConvertible {
    case unreadable(any Error)
    case notAVersionOfTheConfig

    public var description: String {
        switch self {
        case .unreadable(let error): return "\(error)"
        case .notAVersionOfTheConfig: return "it has no configuration section, so it is not a version of this config"
        }
    }
}
