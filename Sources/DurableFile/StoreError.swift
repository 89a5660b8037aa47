import TimeKeeping
/// Why the config file could not be read or replaced. Each case maps to one exit code and
/// says whether the original is intact (it always is: nothing is renamed over it on error).
/// The descriptions name no option: the caller's words for a person are chosen where the person is.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(path: String)
    case notAFile(path: String)
    case notARegularFile(path: String, kind: String)
    case symlinkLoop(path: String)
    case danglingSymlink(path: String, target: String)
    case unsafePath(path: String, problem: String, fix: String)
    case attributeNotKept(path: String, attribute: String, reason: String)
    case permissionDenied(path: String, action: String)
    case lockTimeout(lockPath: String, after: Duration)
    case cannotReplace(path: String, reason: String)
    case ioError(path: String, reason: String)
    case readError(path: String, reason: String)
    /// `limit`: the first size refused. `bytes` is the size fstat gave, or `limit` when the
    /// file was found that long only by reading it (it grew, or its size was not reported).
    case tooLarge(path: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path) does not exist"
        case .notAFile(let path):
            return "\(path) is not a regular file"
        case .notARegularFile(let path, let kind):
            return "\(path) is \(kind), not a regular file; only a regular file is read or edited"
        case .danglingSymlink(let path, let target):
            return "\(path) is a symbolic link to \(target), which does not exist; point it at the file (ln -sfn FILE \(path))"
        case .symlinkLoop(let path):
            return "\(path) is a symbolic link that leads back to itself (a loop); point it at the config file (ls -l \(path))"
        case .unsafePath(let path, let problem, let fix):
            return "\(path) \(problem), so another user could change what the agent reads; nothing was written. \(fix)"
        case .attributeNotKept(let path, let attribute, let reason):
            return "cannot keep the extended attribute \(attribute) of \(path) on the new version (\(reason)); nothing was replaced, to not drop it silently. The original file is intact"
        case .permissionDenied:
            return reason + ". Nothing was written"
        case .lockTimeout(let lockPath, let timeout):
            return "another writer has held \(lockPath) for more than \(formatSeconds(timeout)) s; nothing was written. Try again"
        case .cannotReplace(let path, let reason):
            return "cannot replace \(path): \(reason). The original file is intact"
        case .ioError(let path, let reason):
            return "I/O error while writing \(path): \(reason). The original file is intact"
        case .readError(let path, let reason):
            return "I/O error while reading \(path): \(reason). Nothing was written"
        case .tooLarge:
            return reason + ". Nothing was read or written"
        }
    }
}

extension StoreError {
    /// What went wrong, without what it means for the original: for a note after the new
    /// config is already in place.
    public var reason: String {
        switch self {
        case .cannotReplace(_, let reason), .ioError(_, let reason), .readError(_, let reason): return reason
        case .permissionDenied(let path, let action):
            return "permission denied to \(action) \(path); run as root (sudo) or as the file's owner"
        case .tooLarge(let path, let bytes, let limit):
            return "\(path) holds \(bytes) bytes\(bytes == limit ? " or more" : "")\(StoreError.approximately(bytes)); only files under "
                + "\(limit) bytes\(StoreError.approximately(limit)) are read, and an agent's config is a few KiB: check what wrote it"
        default: return description
        }
    }

    /// " (4.0 GiB)" for sizes of a MiB and more, in tenths; nothing below.
    private static func approximately(_ bytes: Int) -> String {
        guard bytes >= 1 << 20 else { return "" }
        let (shift, unit) = bytes >= 1 << 30 ? (30, "GiB") : (20, "MiB")
        let tenths = (bytes * 10 + (1 << (shift - 1))) >> shift
        return " (\(tenths / 10).\(tenths % 10) \(unit))"
    }
}
