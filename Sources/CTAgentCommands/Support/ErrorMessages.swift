import AgentConfig
import ConfigTransaction
import DurableFile
import ServiceControl
import YAMLEdit

/// The one table that turns the core's errors, which carry data and name no option, into
/// messages with the options and variables a person types. Its neighbour
/// `ErrorReporting.status(for:)` gives each the exit status.
enum ErrorMessages {
    /// - Parameter configPath: the config the error is about, as given, when known.
    static func text(for error: Error, configPath: String?) -> String {
        switch error {
        case let error as YAMLEditError:
            return (configPath.map { "\($0): " } ?? "") + text(for: ErrorReporting.maskingSecrets(error))
        case let error as ConfigValueError where configPath != nil && error.isAboutTheFile:
            return "\(configPath!): \(text(for: error))"
        case let error as ConfigValueError: return text(for: error)
        case let error as StoreError: return text(for: error)
        case let error as RestartError: return text(for: error)
        case let error as BackupError: return text(for: error, configPath: configPath)
        case let error as TransactionError: return text(for: error)
        default: return "\(error)"
        }
    }

    static func text(for error: StoreError) -> String {
        switch error {
        case .notFound(let path):
            return "\(path) does not exist; check the path or give another with --config FILE (or CTAGENT_CONFIG)"
        case .notAFile(let path):
            return "\(path) is not a regular file; give the config file with --config FILE"
        case .notARegularFile(let path, let kind):
            return "\(path) is \(kind), not a regular file; only a regular config file is read or edited (give it with --config FILE)"
        case .danglingSymlink(let path, let target):
            return "\(path) is a symbolic link to \(target), which does not exist; point it at the config file (ln -sfn FILE \(path)) "
                + "or give the file with --config FILE"
        case .lockTimeout:
            return error.description + ", or wait longer with --lockTimeout SECONDS"
        default:
            return error.description
        }
    }

    static func text(for error: RestartError) -> String {
        switch error {
        case .noSuchUnit:
            return error.description + "; give the agent's unit with --service UNIT (or CTAGENT_SERVICE)"
        case .stillRunning:
            return error.description + ", or wait longer with --restartTimeout SECONDS"
        default:
            return error.description
        }
    }

    static func text(for error: YAMLEditError) -> String {
        switch error {
        case .typeMismatch(_, _, _, _, nil):
            return error.description + " with --setString"
        default:
            return error.description
        }
    }

    static func text(for error: ConfigValueError) -> String {
        switch error {
        case .credentialsInURL(let entry, let value):
            return "\(entry) '\(ConfigValueError.shortened(value))' contains credentials; give the proxy as http://IP:PORT and the "
                + "user with --proxyUser and the base64 password with --proxyPassword"
        case .unknownKey:
            return error.description + " (use --allowNewKeys to add it anyway)"
        case .sectionNotOneSetting(let key, let keys):
            return "\(key) is a section of \(keys) keys, not one setting; --unset removes one setting: unset the keys under it one by one"
        default:
            return error.description
        }
    }

    static func text(for error: BackupError, configPath: String?) -> String {
        switch error {
        case .missing(let backup):
            return "there is no backup to roll back to: \(backup) does not exist (each change of \(configPath ?? "the config") "
                + "saves the previous version there)"
        case .symbolicLink(let backup):
            return "\(backup) is a symbolic link, not the backup this tool writes; nothing was written. Remove it (rm \(backup))"
        case .notARegularFile(let backup):
            return "\(backup) is not a regular file, so it is not the backup this tool writes; nothing was written"
        case .foreignOwner(let backup, let owner):
            return "\(backup) belongs to \(AccountNames.user(owner)), neither root nor the config's owner; nothing was written. "
                + "Check where it came from before using it"
        case .unsafe(let backup, let problem, let fix):
            return "\(backup) \(problem), so another user could choose what rollback installs; nothing was written. \(fix)"
        case .cannotExamine(let backup, _, let reason):
            return "cannot examine the backup \(backup): \(reason); nothing was written"
        case .unreadable(let backup, let error):
            return "the backup \(backup) cannot be read: \(error.reason); nothing was written"
        }
    }

    static func text(for error: TransactionError) -> String {
        switch error {
        case .storedSettingsUnusable(let path, let error):
            return "\(path) holds proxy settings the agent cannot use: \(text(for: error)). Fix them with ctagent updateProxy (or clearProxy)"
        case .backupNotRestorable(let backup, let problem):
            let reason: String
            switch problem {
            case .unreadable(let error): reason = text(for: error, configPath: nil)
            case .notAVersionOfTheConfig: reason = problem.description
            }
            return "the backup \(backup) cannot be restored: \(reason); nothing was written"
        case .guardNotArmed(.timerNotArmed(let error)):
            return "--confirm arms a systemd timer that takes the change back if this tool dies, and it could not be armed: "
                + "\(text(for: error)); nothing was written. Without systemd, change without --confirm"
        case .guardNotArmed(.digestUnavailable(let error)):
            return "--confirm binds its guard to the SHA-256 of the change, and \(error); nothing was written. "
                + "Install libcrypto (libssl3 on Debian, openssl-libs on RHEL), or change without --confirm"
        case .guardNotArmed(.copyNotKept(let error)):
            return "--confirm keeps a private copy of the previous version for its guard, and it could not be kept: "
                + "\(text(for: error, configPath: nil)); nothing was written. Give another folder with --stateDir DIR"
        case .guardNotArmed(.configPathUnrecordable(let path)):
            return "--confirm cannot guard \(path.debugDescription): its path holds a line break; nothing was written"
        case .guardCopyNotRestorable(let record, let problem):
            return "the guard's private copy \(record) cannot be restored: \(problem); nothing was written"
        }
    }
}

extension ProxyFieldNames {
    /// `updateProxy` names the lists by its options.
    static let options = ProxyFieldNames(proxies: "--proxy", users: "--proxyUser", passwords: "--proxyPassword")
}
