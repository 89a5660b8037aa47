import Glibc
import SystemCalls

/// Where the guard of a confirmed change keeps its private copy of the version the change
/// replaced, with a small record beside it (`NAME.record`, `NAME.copy`), so that the guard
/// restores exactly that version and never whatever `.bak` holds by the time it fires.
///
/// The copy may hold the config's secrets, so it gets the config's protection and more: the
/// folder is this user's (root's) alone, 0700, and every file in it is a plain 0600 file with
/// one link, owned by this user, never followed through a symbolic link. A folder or file
/// that is not so is refused, never repaired behind the admin's back.
public struct GuardCopyFolder: Sendable {
    /// e.g. `/var/lib/ctagent/guards`.
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public static let fileMode: mode_t = 0o600
    public static let folderMode: mode_t = 0o700

    /// Keeps the record, then the copy: a copy is never there without its record, so that
    /// the record's time limit covers both.
    public func save(name: String, copy: [UInt8], record: [UInt8]) throws(StoreError) {
        try prepare()
        try PublishedFile.write(record, to: file(name, .record), mode: GuardCopyFolder.fileMode)
        try PublishedFile.write(copy, to: file(name, .copy), mode: GuardCopyFolder.fileMode)
    }

    public func readRecord(name: String, limit: Int = 64 << 10) throws(StoreError) -> [UInt8] {
        try read(file(name, .record), limit: limit)
    }

    public func readCopy(name: String, limit: Int) throws(StoreError) -> [UInt8] {
        try read(file(name, .copy), limit: limit)
    }

    /// Removes the copy, then the record. Files already gone are fine.
    public func remove(name: String) throws(StoreError) {
        for kind in [Kind.copy, .record] {
            let target = file(name, kind)
            do {
                try FileSystem.remove(target)
            } catch {
                throw StoreError.cannotReplace(path: target, reason: "it cannot be removed (\(error))")
            }
        }
        // Not made durable on purpose: a copy that comes back after a crash is removed by the
        // next run once its time is past, and its guard restores only the guarded version.
        try? FileSystem.syncDirectory(path)
    }

    /// The names of the guards that have a record here; none when the folder does not exist.
    public func names() -> [String] {
        guard let entries = try? FileSystem.entries(of: path) else { return [] }
        let suffix = "." + Kind.record.rawValue
        return entries.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.map { String($0.dropLast(suffix.count)) }.sorted()
    }

    /// The record's path, which the guard is given.
    public func recordPath(_ name: String) -> String { file(name, .record) }

    /// The folder and name of a record's path (`recordPath`), nil for any other path.
    public static func locate(record: String) -> (folder: GuardCopyFolder, name: String)? {
        let suffix = "." + Kind.record.rawValue
        let base = FileSystem.baseName(of: record)
        guard record.hasPrefix("/"), base.hasSuffix(suffix), base.count > suffix.count, !base.hasPrefix(".") else { return nil }
        return (GuardCopyFolder(path: FileSystem.directory(of: record)), String(base.dropLast(suffix.count)))
    }

    // MARK: -

    enum Kind: String {
        case copy, record
    }

    func file(_ name: String, _ kind: Kind) -> String { path + "/" + name + "." + kind.rawValue }

    /// The folder and the one above it, made when missing (the state folder 0755, as the
    /// redundancy watch makes it; this one 0700), and checked: a directory, not a link,
    /// owned by this user, with no access for anyone else.
    func prepare() throws(StoreError) {
        let parent = FileSystem.directory(of: path)
        // Checked before anything is made: from the nearest folder that exists, up.
        var existing = parent
        while existing.count > 1, (try? FileStatus(path: existing)) == nil { existing = FileSystem.directory(of: existing) }
        try SafePath.checkFolders(above: existing + "/.", holding: "the guards' private copies")
        for (folder, mode) in [(parent, mode_t(0o755)), (path, GuardCopyFolder.folderMode)] {
            do {
                try FileSystem.makeDirectory(folder, mode: mode)
            } catch {
                throw StoreError.cannotReplace(path: folder, reason: "the folder for guards' private copies cannot be made (\(error))")
            }
        }
        try checkFolder()
    }

    /// The folder as `prepare` leaves it, and every folder above it safe from others.
    func checkFolder() throws(StoreError) {
        try SafePath.checkFolders(above: path, holding: "the guards' private copies")
        let info: FileStatus
        do {
            info = try FileStatus(path: path, followLinks: false)
        } catch {
            throw StoreError.readError(path: path, reason: "\(error)")
        }
        guard info.kind == .directory else {
            throw StoreError.unsafePath(path: path, problem: "it is not a folder (a link or another kind of file)",
                                        fix: "remove it; the tool makes the folder itself")
        }
        guard info.owner == geteuid(), info.permissions & 0o077 == 0 else {
            throw StoreError.unsafePath(path: path, problem: "it is owned by uid \(info.owner) with mode \(SafePath.octal(info.permissions)), "
                                        + "and it holds private copies of the config",
                                        fix: "chown \(geteuid()) \(path) && chmod 0700 \(path)")
        }
    }

    /// A file of the folder, only if it is what `save` wrote: a plain file with one link,
    /// this user's, 0600.
    func read(_ file: String, limit: Int) throws(StoreError) -> [UInt8] {
        do {
            try checkFolder()
        } catch .readError(_, _) {
            // No folder: nothing to read.
            throw .notFound(path: file)
        }
        let handle: FileDescriptor
        do {
            handle = try FileDescriptor.open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        } catch where error.errno == .noSuchFile {
            throw .notFound(path: file)
        } catch {
            throw .readError(path: file, reason: "\(error)")
        }
        do {
            let info = try handle.status()
            guard info.kind == .regular, info.linkCount == 1, info.owner == geteuid(), info.permissions & 0o077 == 0 else {
                throw StoreError.unsafePath(path: file, problem: "it is not a plain 0600 file of uid \(geteuid()) with one link, "
                                            + "as the guard wrote it", fix: "remove it; a guard's copy is never trusted otherwise")
            }
            let bytes = try handle.readAll(limit: limit + 1)
            if bytes.count > limit { throw StoreError.tooLarge(path: file, bytes: bytes.count, limit: limit) }
            return bytes
        } catch let error as StoreError {
            throw error
        } catch {
            throw .readError(path: file, reason: "\(error)")
        }
    }
}
