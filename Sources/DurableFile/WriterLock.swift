import Glibc
import SystemCalls
import TimeKeeping

/// The sidecar lock (`.config.yaml.lock`) that serializes writers. A sidecar, not the config
/// itself, because the config is replaced by rename: a lock on the old inode would not stop
/// a writer that opened the new one. Held for as long as this value lives: closing the
/// descriptor releases the flock.
struct WriterLock: ~Copyable {
    private let file: FileDescriptor

    /// - Parameter trusting: who besides root may own the lock file: the owner of the file it
    ///   guards, whom `SafePath` trusts with that file too.
    /// - Parameter onWait: called once, after a second of waiting, with the holder's PID when
    ///   the kernel says which process holds the lock (/proc/locks).
    init(path: String, timeout: Duration, trusting trustedOwner: uid_t, onWait: ((Int32?) -> Void)? = nil) throws(StoreError) {
        let file: FileDescriptor
        do {
            // Never through a symlink: one planted in a folder others can write would make
            // root create or open any file of the attacker's choice.
            file = try FileDescriptor.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK, mode: 0o600)
        } catch {
            if error.errno == .tooManySymbolicLinks {
                throw .unsafePath(path: path, problem: "is a symbolic link", fix: "Remove it (rm \(path)); the lock is a plain file")
            }
            if error.errno == .isDirectory {
                throw .unsafePath(path: path, problem: "is a folder", fix: "Remove it (rmdir \(path)); the lock is a plain file")
            }
            throw WriterLock.classify(error, path: path)
        }
        let info: FileStatus
        do {
            info = try file.status()
        } catch {
            throw .ioError(path: path, reason: "cannot examine the lock file: \(error)")
        }
        guard info.kind == .regular else {
            throw .unsafePath(path: path, problem: "is not a regular file", fix: "Remove it; the lock is a plain file")
        }
        guard info.owner == 0 || info.owner == trustedOwner else {
            throw .unsafePath(path: path, problem: "belongs to \(AccountNames.user(info.owner)), neither root nor the config's owner",
                              fix: "Remove it (rm \(path)) and run again")
        }
        let started = ContinuousClock.now
        let deadline = started + timeout
        var told = false
        while true {
            do {
                if try file.tryLockExclusively() { break }
            } catch {
                throw .ioError(path: path, reason: "cannot lock: \(error.errno)")
            }
            if !told && ContinuousClock.now - started >= .seconds(1) {
                told = true
                onWait?(WriterLock.holder(of: info))
            }
            if deadline.hasPassed { throw .lockTimeout(lockPath: path, after: timeout) }
            usleep(10_000)
        }
        self.file = file
    }

    /// The PID that holds a flock on this file, from /proc/locks
    /// ("1: FLOCK  ADVISORY  WRITE 4242 08:01:131 0 EOF"); nil when it cannot be told.
    static func holder(of info: FileStatus) -> Int32? {
        guard let locks = try? FileDescriptor.open("/proc/locks", O_RDONLY), let bytes = try? locks.readAll(limit: 1 << 20) else {
            return nil
        }
        let (major, minor) = info.deviceNumbers
        let device = String(major, radix: 16).leftPadded(to: 2) + ":" + String(minor, radix: 16).leftPadded(to: 2) + ":" + String(info.inode)
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 6, fields[1] == "FLOCK", fields[5] == device, let pid = Int32(fields[4]) { return pid }
        }
        return nil
    }

    private static func classify(_ failure: SystemError, path: String) -> StoreError {
        switch failure.errno {
        case .permissionDenied, .notPermitted: return .permissionDenied(path: path, action: "create the lock file")
        case .readOnlyFileSystem: return .cannotReplace(path: path, reason: "the folder is on a read-only file system")
        default: return .ioError(path: path, reason: "cannot open the lock file: \(failure.errno)")
        }
    }
}

