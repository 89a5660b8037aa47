import Glibc

/// Replaces a file so that a reader, or a crash at any instant, sees the old bytes or the new
/// ones and nothing else: a temp file in the same folder, written in full, given the old
/// owner and mode, fsynced, renamed over the target, and the folder fsynced so the rename
/// itself survives a power cut. On any error the temp file is removed.
///
/// Foundation's atomic write is not used: on Linux it replaces a symlink with a plain file,
/// drops owner and mode and skips the folder fsync.
enum AtomicReplace {
    static let tempMarker = ".tmp-"

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

    static func replace(_ target: String, with bytes: [UInt8], owner: uid_t, group: gid_t, mode: mode_t) throws(StoreError) {
        let temp = tempPrefix(for: target) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var fd: Int32 = -1
        do {
            fd = try PosixFile.open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            try PosixFile.writeAll(fd, bytes)
            // Compared with what the temp file got, not with our ids: in a setgid folder it
            // inherits the folder's group.
            var created = stat()
            unsafe try PosixFile.check(fstat(fd, &created), "fstat")
            if owner != created.st_uid || group != created.st_gid {
                try PosixFile.check(fchown(fd, owner, group), "fchown")
            }
            try PosixFile.check(fchmod(fd, mode & 0o7777), "fchmod")
            try PosixFile.check(fsync(fd), "fsync")
            let closing = fd
            fd = -1  // closed below even when close reports an error: never close it twice
            try PosixFile.check(close(closing), "close")
            unsafe try PosixFile.check(rename(temp, target), "rename")
        } catch {
            if fd >= 0 { close(fd) }
            unsafe unlink(temp)
            throw classify(error, target: target)
        }
        syncDirectory(of: target)
    }

    /// The rename is durable only once the folder's entry is on disk.
    private static func syncDirectory(of path: String) {
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
