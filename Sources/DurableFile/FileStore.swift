import Glibc
import SystemCalls

/// A file that matters, on disk: read it, or change it under the writers' lock with an
/// atomic, owner- and mode-preserving replace that keeps the previous version as `.bak`.
/// Knows nothing of what the file holds.
public struct FileStore: Sendable {
    /// The path as given (possibly a symlink).
    public let path: String
    /// The file actually replaced: a symlink's final target, so the link itself stays.
    /// Resolved once, when the store is made: every later step works on this path.
    public let target: String
    public let lockTimeout: Duration
    /// Files of this many bytes or more are refused: before a byte is read when `fstat` gives
    /// the size, else once that many are read. What the caller can hold: a huge file costs
    /// no memory to refuse.
    public let sizeLimit: Int?

    /// Told once, after a second of waiting for another writer's lock: its path and the
    /// holder's PID when known. The store does not print; the caller decides.
    public var onLockWait: (@Sendable (_ lockPath: String, _ holder: Int32?) -> Void)?

    public init(path: String, lockTimeout: Duration = .seconds(10), sizeLimit: Int? = nil,
                onLockWait: (@Sendable (String, Int32?) -> Void)? = nil) throws(StoreError) {
        self.path = path
        self.target = try FileStore.resolve(path)
        self.lockTimeout = lockTimeout
        self.sizeLimit = sizeLimit
        self.onLockWait = onLockWait
    }

    public enum Outcome: Equatable, Sendable {
        /// The change left every byte as it was: nothing written.
        case unchanged
        /// The new config is in place. `backup` is nil when the previous version could not be
        /// saved after that; `notes` say what the user should know (hard links, the backup).
        case written(backup: String?, notes: [String])
    }

    private static func resolve(_ path: String) throws(StoreError) -> String {
        let info: FileStatus
        do {
            info = try FileStatus(path: path, followLinks: false)
        } catch {
            if error.errno == .permissionDenied { throw .permissionDenied(path: path, action: "read") }
            throw .notFound(path: path)
        }
        guard info.kind == .symbolicLink else { return path }
        do {
            return try FileSystem.realPath(path)
        } catch {
            switch error.errno {
            case .permissionDenied: throw .permissionDenied(path: path, action: "follow the symlink")
            case .tooManySymbolicLinks: throw .symlinkLoop(path: path)
            case .noSuchFile: throw .danglingSymlink(path: path, target: FileSystem.linkTarget(path) ?? "?")
            default: throw .notFound(path: path)
            }
        }
    }

    /// Where the previous version is kept: beside the file actually replaced (a symlinked
    /// config has its backup beside its target).
    public var backupPath: String { target + ".bak" }

    /// The writers' lock, beside the file actually replaced, so that writers through a
    /// symlink and writers to the file itself serialize on the same lock.
    public var lockPath: String {
        FileSystem.directory(of: target) + "/." + FileSystem.baseName(of: target) + ".lock"
    }

    public func read() throws(StoreError) -> [UInt8] {
        try readTarget(target).bytes
    }

    /// Takes the lock, reads the current bytes, asks `change` for the new ones and writes them
    /// when they differ. `change` runs under the lock, so concurrent writers each see the
    /// previous writer's result and none is lost. `expected` is the version the caller read
    /// before: when the file still holds exactly that, the caller's copy is used and the one
    /// just read is dropped (a large config is not held twice).
    public func update(expecting expected: [UInt8]? = nil, _ change: ([UInt8]) throws -> [UInt8]) throws -> Outcome {
        try SafePath.check(config: target, givenAs: path)
        let lockFile = lockPath
        // The lock is trusted by the rule the config is: root's, or the config's owner's.
        let trustedOwner = (try? FileStatus(path: target))?.owner ?? geteuid()
        let lock = try WriterLock(path: lockFile, timeout: lockTimeout, trusting: trustedOwner,
                                  onWait: { holder in onLockWait?(lockFile, holder) })
        let backup = backupPath
        AtomicReplace.removeStaleTemps(for: target)
        AtomicReplace.removeStaleTemps(for: backup)
        // Where the previous version goes must be free for it: a folder there would cost the
        // backup after the config is replaced, and a link there is not ours.
        if let existing = try? FileStatus(path: backup, followLinks: false), existing.kind != .regular {
            let kind = existing.kind == .symbolicLink ? "a symbolic link" : (SafePath.kindName(existing.kind) ?? "not a regular file")
            throw StoreError.cannotReplace(path: backup, reason: "it is \(kind), where the previous version is kept; nothing was written. "
                                 + "Remove it or move it away")
        }
        let current = try readTarget(target, withAttributes: true, expecting: expected)
        let new = try change(current.bytes)
        guard new != current.bytes else {
            _ = consume lock
            return .unchanged
        }
        let outcome = try replace(target, with: new, keeping: current, as: backup)
        _ = consume lock
        return outcome
    }

    /// The backup as this store writes it: a plain file owned like the file (or by root),
    /// never followed through a symbolic link and writable by no one else, so that a
    /// take-back cannot be pointed at another file or install one that someone planted.
    public func readBackup() throws(BackupError) -> [UInt8] {
        let backup = backupPath
        let info: FileStatus
        do {
            info = try FileStatus(path: backup, followLinks: false)
        } catch where error.errno == .noSuchFile {
            throw .missing(backup: backup)
        } catch {
            throw .cannotExamine(backup: backup, errno: error.errno, reason: error.description)
        }
        switch info.kind {
        case .regular: break
        case .symbolicLink: throw .symbolicLink(backup: backup)
        default: throw .notARegularFile(backup: backup)
        }
        let owner = (try? FileStatus(path: target))?.owner ?? 0
        guard info.owner == 0 || info.owner == owner else { throw .foreignOwner(backup: backup, owner: info.owner) }
        if let problem = SafePath.problem(with: info, at: backup, owner: owner) {
            throw .unsafe(backup: backup, problem: problem.text, fix: problem.fix(backup))
        }
        do {
            return try readTarget(backup, shownAs: backup).bytes
        } catch {
            throw .unreadable(backup: backup, error)
        }
    }

    /// Both versions are written and synced before either is renamed, the config first: a
    /// failure at any point costs neither the config nor the previous backup.
    private func replace(_ target: String, with new: [UInt8], keeping current: Current, as backup: String) throws(StoreError) -> Outcome {
        let info = current.info
        let likeness = AtomicReplace.Likeness(owner: info.owner, group: info.group, permissions: info.permissions,
                                              attributes: current.attributes)
        let config = try AtomicReplace.prepare(target, with: new, like: likeness, slot: 0)
        let saved: AtomicReplace.Prepared
        do {
            saved = try AtomicReplace.prepare(backup, with: current.bytes, like: likeness, slot: 1)
        } catch {
            config.discard()
            throw error
        }
        do {
            try config.commit()
        } catch {
            saved.discard()
            throw error
        }
        var notes: [String] = []
        if info.linkCount > 1 {
            notes.append("\(target) had \(info.linkCount - 1) other hard link(s); they still hold the previous version. "
                         + "Find them with: find / -xdev -samefile \(backup); replace them with symbolic links to \(path)")
        }
        do {
            try saved.commit()
            return .written(backup: backup, notes: notes)
        } catch {
            notes.append("the new config is in place, but the previous version could not be saved as \(backup) (\(error.reason)); "
                         + "\(backup) still holds an older version, if any")
            return .written(backup: nil, notes: notes)
        }
    }

    private struct Current {
        var bytes: [UInt8]
        var info: FileStatus
        var attributes: ExtendedAttributes
    }

    /// `expecting`: the version the caller holds, returned as it is when the file still holds
    /// exactly that (see `FileDescriptor.readAll(expecting:)`).
    private func readTarget(_ target: String, shownAs path: String? = nil, withAttributes: Bool = false,
                            expecting expected: [UInt8]? = nil) throws(StoreError) -> Current {
        let path = path ?? self.path
        let file: FileDescriptor
        do {
            // O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever. It changes
            // nothing for a regular file, the only kind read below.
            file = try FileDescriptor.open(target, O_RDONLY | O_NONBLOCK | O_NOCTTY)
        } catch {
            switch error.errno {
            case .noSuchFile: throw .notFound(path: path)
            case .permissionDenied, .notPermitted: throw .permissionDenied(path: target, action: "read")
            case .noSuchDeviceOrAddress: throw .notARegularFile(path: path, kind: "a socket or a FIFO")
            default: throw .readError(path: target, reason: "cannot open: \(error.errno)")
            }
        }
        do {
            let info = try file.status()
            if let kind = SafePath.kindName(info.kind) { throw StoreError.notARegularFile(path: path, kind: kind) }
            let limit = sizeLimit ?? .max
            if info.size >= limit { throw StoreError.tooLarge(path: path, bytes: info.size, limit: limit) }
            let bytes: [UInt8]
            if let expected { bytes = try file.readAll(expecting: expected, limit: limit) } else { bytes = try file.readAll(limit: limit) }
            // Longer than fstat said: it grew, or its file system does not report sizes (/proc).
            if bytes.count >= limit { throw StoreError.tooLarge(path: path, bytes: bytes.count, limit: limit) }
            let attributes = withAttributes ? try ExtendedAttributes.read(from: file) : ExtendedAttributes(attributes: [])
            return Current(bytes: bytes, info: info, attributes: attributes)
        } catch let error as SystemError {
            if error.errno == .isDirectory { throw .notAFile(path: path) }
            throw .readError(path: target, reason: error.description)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .readError(path: target, reason: "\(error)")
        }
    }
}
