/// Every exit status the tools use, named as sysexits.h names them, in one place. Errors carry
/// their status by type (see `ErrorReporting.status(for:)`); the help's exit-code paragraph is
/// written from this list, so the two cannot drift apart.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// EX_USAGE: bad arguments or values.
    case usage = 64
    /// EX_DATAERR: the config cannot be parsed or edited safely, or holds unusable settings.
    case dataError = 65
    /// EX_NOINPUT: the config (or its backup) does not exist, or is not a regular file.
    case noInput = 66
    /// EX_NOHOST: no path to the platform works.
    case noPath = 68
    /// EX_UNAVAILABLE: the restart failed or was not confirmed.
    case restartFailed = 69
    /// EX_SOFTWARE: an error the tool has no name for, which is a bug.
    case software = 70
    /// EX_CANTCREAT: the file cannot be replaced.
    case cannotReplace = 73
    /// EX_IOERR: I/O error while reading or writing.
    case ioError = 74
    /// EX_TEMPFAIL: another writer held the lock.
    case lockHeld = 75
    /// EX_NOPERM: permission denied, or an unsafe file or folder.
    case permission = 77
    /// EX_CONFIG: a --confirm change did not prove itself and was taken back.
    case notConfirmed = 78

    /// For the help text.
    var meaning: String {
        switch self {
        case .success: return "success (also \"already up to date\" and --dryRun)"
        case .usage: return "bad arguments or values"
        case .dataError: return "config cannot be parsed or edited safely, or holds unusable proxy settings"
        case .noInput: return "config file (or backup) missing, or not a regular file"
        case .noPath: return "no path to the platform works"
        case .restartFailed: return "restart failed or not confirmed (the config was saved)"
        case .software: return "internal error (a bug: please report it)"
        case .cannotReplace: return "file cannot be replaced, or an attribute cannot be kept"
        case .ioError: return "I/O error while reading or writing"
        case .lockHeld: return "lock held by another writer"
        case .permission: return "permission denied, or a config, folder or lock others can tamper with"
        case .notConfirmed: return "a --confirm change did not prove itself and was taken back"
        }
    }

    /// Built at every start (it is part of the help's text): `String(_:)` of the number, not
    /// interpolation, which first looks up the number's conformances at run time.
    static var paragraph: String {
        "Exit codes: " + allCases.map { String($0.rawValue) + " " + $0.meaning }.joined(separator: "; ") + "."
    }
}
