import Glibc

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
        var mode: mode_t
        var attributes: ExtendedAttributes
    }

    /// A written, synced temp file, not yet renamed over its target.
    struct Prepared {
        let temp: String
        let target: String
        let slot: Int

        func commit() throws(StoreError) {
            guard unsafe rename(temp, target) == 0 else {
                let failure = PosixFile.Failure(errno: errno, call: "rename")
                discard()
                throw AtomicReplace.classify(failure, target: target)
            }
            SignalCleanup.forget(slot: slot)
            AtomicReplace.syncDirectory(of: target)
        }

        func discard() {
            unsafe unlink(temp)
            SignalCleanup.forget(slot: slot)
        }
    }

    /// Temp files are `.NAME.tmp-PID-RANDOM` beside `NAME`, so a stale one is easy to recognise.
    static func tempPrefix(for target: String) -> String {
        PosixFile.directory(of: target) + "/." + PosixFile.baseName(of: target) + tempMarker
    }

    /// Removes temp files left by a writer that was killed. Only call while holding the lock:
    /// then no other writer can own one.
    static func removeStaleTemps(for target: String) {
        let prefix = "." + PosixFile.baseName(of: target) + tempMarker
        let directory = PosixFile.directory(of: target)
        for name in PosixFile.entries(of: directory) where name.hasPrefix(prefix) {
            unsafe unlink(directory + "/" + name)
        }
    }

    /// `slot` (0 or 1) names the temp file to `SignalCleanup` for as long as it exists.
    static func prepare(_ target: String, with bytes: [UInt8], like likeness: Likeness, slot: Int) throws(StoreError) -> Prepared {
        let temp = tempPrefix(for: target) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        SignalCleanup.remember(temp, slot: slot)
        var fd: Int32 = -1
        do {
            fd = try PosixFile.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
            try PosixFile.writeAll(fd, bytes)
            // Compared with what the temp file got, not with our ids: in a setgid folder it
            // inherits the folder's group.
            var created = stat()
            unsafe try PosixFile.check(fstat(fd, &created), "fstat")
            if likeness.owner != created.st_uid || likeness.group != created.st_gid {
                try PosixFile.check(fchown(fd, likeness.owner, likeness.group), "fchown")
            }
            try PosixFile.check(fchmod(fd, likeness.mode & 0o7777), "fchmod")
        } catch {
            if fd >= 0 { close(fd) }
            unsafe unlink(temp)
            SignalCleanup.forget(slot: slot)
            throw classify(error, target: target)
        }
        do {
            // After fchmod: the access ACL carries the group bits (its mask).
            try likeness.attributes.apply(to: fd, target: target)
        } catch {
            close(fd)
            unsafe unlink(temp)
            SignalCleanup.forget(slot: slot)
            throw error
        }
        do {
            try PosixFile.check(fsync(fd), "fsync")
            let closing = fd
            fd = -1  // closed below even when close reports an error: never close it twice
            try PosixFile.check(close(closing), "close")
        } catch {
            if fd >= 0 { close(fd) }
            unsafe unlink(temp)
            SignalCleanup.forget(slot: slot)
            throw classify(error, target: target)
        }
        return Prepared(temp: temp, target: target, slot: slot)
    }

    /// The rename is durable only once the folder's entry is on disk.
    static func syncDirectory(of path: String) {
        let fd = unsafe open(PosixFile.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func classify(_ failure: PosixFile.Failure, target: String) -> StoreError {
        let reason = "\(failure.call): \(failure.message)"
        switch failure.errno {
        case EACCES:
            return .permissionDenied(path: target, action: failure.call == "fchown" ? "keep the owner of" : "write beside")
        case EPERM where failure.call == "fchown":
            return .permissionDenied(path: target, action: "keep the owner of")
        case EROFS:
            return .cannotReplace(path: target, reason: "the file system is read-only (\(reason))")
        case EBUSY, EXDEV, EPERM:
            return .cannotReplace(path: target, reason: "it cannot be renamed over, e.g. because it is bind-mounted or immutable (\(reason))")
        case ENOSPC, EDQUOT:
            return .ioError(path: target, reason: "no space left on the device (\(reason))")
        case EFBIG:
            return .ioError(path: target, reason: "file too large for the file-size limit (\(reason))")
        default:
            return .ioError(path: target, reason: reason)
        }
    }
}

