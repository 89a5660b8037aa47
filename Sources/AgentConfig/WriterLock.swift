import Glibc

/// The sidecar lock (`.config.yaml.lock`) that serializes writers. A sidecar, not the config
/// itself, because the config is replaced by rename: a lock on the old inode would not stop
/// a writer that opened the new one.
struct WriterLock: ~Copyable {
    private let fd: Int32

    init(path: String, timeout: Double) throws(StoreError) {
        let fd: Int32
        do {
            fd = try PosixFile.open(path, O_RDWR | O_CREAT, 0o600)
        } catch {
            throw WriterLock.classify(error, path: path)
        }
        let deadline = MonotonicClock.now + timeout
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                throw .ioError(path: path, reason: unsafe "cannot lock: \(String(cString: strerror(code)))")
            }
            if MonotonicClock.now >= deadline {
                close(fd)
                throw .lockTimeout(lockPath: path, seconds: timeout)
            }
            usleep(10_000)
        }
        self.fd = fd
    }

    deinit {
        close(fd)  // closing releases the flock
    }

    private static func classify(_ failure: PosixFile.Failure, path: String) -> StoreError {
        switch failure.errno {
        case EACCES, EPERM: return .permissionDenied(path: path, action: "create the lock file")
        case EROFS: return .cannotReplace(path: path, reason: "the folder is on a read-only file system")
        default: return .ioError(path: path, reason: "cannot open the lock file: \(failure.message)")
        }
    }
}

/// Seconds on a clock that wall-clock changes do not move, for deadlines.
public enum MonotonicClock {
    public static var now: Double {
        var time = timespec()
        unsafe clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
