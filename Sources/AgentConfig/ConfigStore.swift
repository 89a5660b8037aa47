import Glibc

/// The config file on disk: read it, or change it under the writers' lock with an atomic,
/// owner- and mode-preserving replace that keeps the previous version as `.bak`.
public struct ConfigStore: Sendable {
    /// The path as given (possibly a symlink).
    public let path: String
    public let lockTimeout: Double

    public init(path: String, lockTimeout: Double = 10) {
        self.path = path
        self.lockTimeout = lockTimeout
    }

    public enum Outcome: Equatable, Sendable {
        /// The change left every byte as it was: nothing written.
        case unchanged
        case written(backup: String)
    }

    /// The file actually replaced: a symlink's final target, so the link itself stays.
    public func resolvedTarget() throws(StoreError) -> String {
        guard let info = PosixFile.status(path, followLinks: false) else { throw classifyMissing() }
        guard (info.st_mode & S_IFMT) == S_IFLNK else { return path }
        guard let resolved = unsafe realpath(path, nil) else {
            if errno == EACCES { throw .permissionDenied(path: path, action: "follow the symlink") }
            throw .notFound(path: path)
        }
        defer { unsafe free(resolved) }
        return unsafe String(cString: resolved)
    }

    /// The writers' lock, beside the file actually replaced, so that writers through a
    /// symlink and writers to the file itself serialize on the same lock.
    public var lockPath: String { lockPath(for: (try? resolvedTarget()) ?? path) }

    private func lockPath(for target: String) -> String {
        PosixFile.directory(of: target) + "/." + PosixFile.baseName(of: target) + ".lock"
    }

    public func read() throws(StoreError) -> [UInt8] {
        try readTarget(try resolvedTarget()).bytes
    }

    /// Takes the lock, reads the current bytes, asks `change` for the new ones and writes them
    /// when they differ. `change` runs under the lock, so concurrent writers each see the
    /// previous writer's result and none is lost.
    public func update(_ change: ([UInt8]) throws -> [UInt8]) throws -> Outcome {
        // Past a file-size limit the kernel would kill us with SIGXFSZ mid-write; ignored,
        // the write fails with EFBIG instead and the original stays.
        signal(SIGXFSZ, SIG_IGN)
        let target = try resolvedTarget()
        let lock = try WriterLock(path: lockPath(for: target), timeout: lockTimeout)
        let backup = target + ".bak"
        AtomicReplace.removeStaleTemps(for: target)
        AtomicReplace.removeStaleTemps(for: backup)
        let (old, info) = try readTarget(target)
        let new = try change(old)
        guard new != old else {
            _ = consume lock
            return .unchanged
        }
        try AtomicReplace.replace(backup, with: old, owner: info.st_uid, group: info.st_gid, mode: info.st_mode)
        try AtomicReplace.replace(target, with: new, owner: info.st_uid, group: info.st_gid, mode: info.st_mode)
        _ = consume lock
        return .written(backup: backup)
    }

    private func readTarget(_ target: String) throws(StoreError) -> (bytes: [UInt8], info: stat) {
        let fd: Int32
        do {
            fd = try PosixFile.open(target, O_RDONLY)
        } catch {
            switch error.errno {
            case ENOENT: throw .notFound(path: path)
            case EACCES, EPERM: throw .permissionDenied(path: target, action: "read")
            default: throw .readError(path: target, reason: "cannot open: \(error.message)")
            }
        }
        defer { close(fd) }
        var info = stat()
        guard unsafe fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw .notAFile(path: path) }
        do {
            return (try PosixFile.readAll(fd), info)
        } catch {
            if error.errno == EISDIR { throw .notAFile(path: path) }
            throw .readError(path: target, reason: error.message)
        }
    }

    private func classifyMissing() -> StoreError {
        switch errno {
        case EACCES: return .permissionDenied(path: path, action: "read")
        default: return .notFound(path: path)
        }
    }
}
