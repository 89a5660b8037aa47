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
    case guardNotArmed(RestartError)
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
