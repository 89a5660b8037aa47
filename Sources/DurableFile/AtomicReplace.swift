import Glibc
import SystemCalls

/// Replaces a file so that a reader, or a crash at any instant, sees the old bytes or the new
/// ones and nothing else, in two steps:
/// - `prepare`: a temp file in the same folder, written in full, given the old owner, group,
///   mode, ACLs and extended attributes, and fsynced;
/// - `commit`: renamed over the target, and the folder fsynced so the rename survives a power
///   cut.
/// Two steps, so that a writer can prepare both the new config and its backup before renaming
/// either: a failure then costs neither the config nor the previous backup.
///
/// Foundation's atomic write is not used: on Linux it replaces a symlink with a plain file,
/// drops owner, mode and attributes, and skips the folder fsync.
enum AtomicReplace {
    static let tempMarker = ".tmp-"

    /// What the replacement must keep of the file it replaces.
    struct Likeness {
        var owner: uid_t
        var group: gid_t
        var permissions: mode_t
        var attributes: ExtendedAttributes
    }

    /// A written, synced temp file, not yet renamed over its target.
    struct Prepared {
        let temp: String
        let target: String
        let slot: Int

        func commit() throws(StoreError) {
            do {
                try FileSystem.rename(temp, to: target)
            } catch {
                discard()
                throw AtomicReplace.classify(error, target: target)
            }
            TempFileRegistry.forget(slot: slot)
            // The rename is already done: a folder that cannot be synced costs durability on
            // a power cut, not the edit.
            try? FileSystem.syncDirectory(FileSystem.directory(of: target))
        }

        func discard() {
            FileSystem.removeIfPresent(temp)
            TempFileRegistry.forget(slot: slot)
        }
    }

    /// Temp files are `.NAME.tmp-PID-RANDOM` beside `NAME`, so a stale one is easy to recognise.
    static func tempPrefix(for target: String) -> String {
        FileSystem.directory(of: target) + "/." + FileSystem.baseName(of: target) + tempMarker
    }

    /// Removes temp files left by a writer that was killed. Only call while holding the lock:
    /// then no other writer can own one.
    static func removeStaleTemps(for target: String) {
        let prefix = "." + FileSystem.baseName(of: target) + tempMarker
        let directory = FileSystem.directory(of: target)
        for name in (try? FileSystem.entries(of: directory)) ?? [] where name.hasPrefix(prefix) {
            FileSystem.removeIfPresent(directory + "/" + name)
        }
    }

    /// `slot` (0 or 1) names the temp file to `TempFileRegistry` for as long as it exists.
    static func prepare(_ target: String, with bytes: [UInt8], like likeness: Likeness, slot: Int) throws(StoreError) -> Prepared {
        let temp = tempPrefix(for: target) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        TempFileRegistry.remember(temp, slot: slot)
        do {
            // On a failure the descriptor is closed as it goes out of scope, before the unlink.
            let file = try FileDescriptor.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
            try write(bytes, to: file, like: likeness, target: target)
            // close reports a delayed write-back error (NFS, a full quota) that fsync missed.
            try file.close()
        } catch {
            FileSystem.removeIfPresent(temp)
            TempFileRegistry.forget(slot: slot)
            switch error {
            case let error as SystemError: throw classify(error, target: target)
            case let error as StoreError: throw error
            default: throw StoreError.ioError(path: target, reason: "\(error)")
            }
        }
        return Prepared(temp: temp, target: target, slot: slot)
    }

    /// The temp file's bytes, owner, mode and attributes, synced to disk.
    private static func write(_ bytes: [UInt8], to file: borrowing FileDescriptor, like likeness: Likeness, target: String) throws {
        try file.writeAll(bytes)
        // Compared with what the temp file got, not with our ids: in a setgid folder it
        // inherits the folder's group.
        let created = try file.status()
        if likeness.owner != created.owner || likeness.group != created.group {
            try file.changeOwner(to: likeness.owner, group: likeness.group)
        }
        try file.changeMode(to: likeness.permissions)
        // After fchmod: the access ACL carries the group bits (its mask).
        try likeness.attributes.apply(to: file, target: target)
        try file.sync()
    }

    static func classify(_ failure: SystemError, target: String) -> StoreError {
        let reason = failure.description
        switch failure.errno {
        case .permissionDenied:
            return .permissionDenied(path: target, action: failure.call == .fchown ? "keep the owner of" : "write beside")
        case .notPermitted where failure.call == .fchown:
            return .permissionDenied(path: target, action: "keep the owner of")
        case .readOnlyFileSystem:
            return .cannotReplace(path: target, reason: "the file system is read-only (\(reason))")
        case .busy, .crossDevice, .notPermitted:
            return .cannotReplace(path: target, reason: "it cannot be renamed over, e.g. because it is bind-mounted or immutable (\(reason))")
        case .noSpace, .quotaExceeded:
            return .ioError(path: target, reason: "no space left on the device (\(reason))")
        case .fileTooLarge:
            return .ioError(path: target, reason: "file too large for the file-size limit (\(reason))")
        default:
            return .ioError(path: target, reason: reason)
        }
    }
}

