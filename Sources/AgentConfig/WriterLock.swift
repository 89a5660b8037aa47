import Glibc
import TimeKeeping

/// The sidecar lock (`.config.yaml.lock`) that serializes writers. A sidecar, not the config
/// itself, because the config is replaced by rename: a lock on the old inode would not stop
/// a writer that opened the new one.
struct WriterLock: ~Copyable {
    private let fd: Int32

    /// - Parameter onWait: called once, after a second of waiting, with the holder's PID when
    ///   the kernel says which process holds the lock (/proc/locks).
    init(path: String, timeout: Double, onWait: ((Int32?) -> Void)? = nil) throws(StoreError) {
        let fd: Int32
        do {
            // Never through a symlink: one planted in a folder others can write would make
            // root create or open any file of the attacker's choice.
            fd = try PosixFile.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o600)
        } catch {
            if error.errno == ELOOP {
                throw .unsafePath(path: path, problem: "is a symbolic link", fix: "Remove it (rm \(path)); the lock is a plain file")
            }
            throw WriterLock.classify(error, path: path)
        }
        var info = stat()
        guard unsafe fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .unsafePath(path: path, problem: "is not a regular file", fix: "Remove it; the lock is a plain file")
        }
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            close(fd)
            throw .unsafePath(path: path, problem: "belongs to uid \(info.st_uid), not to root or to the user running this",
                              fix: "Remove it (rm \(path)) and run again")
        }
        let started = MonotonicClock.now
        let deadline = started + timeout
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if !told && MonotonicClock.now - started >= 1 {
                told = true
                onWait?(WriterLock.holder(of: info))
            }
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

    /// The PID that holds a flock on this file, from /proc/locks
    /// ("1: FLOCK  ADVISORY  WRITE 4242 08:01:131 0 EOF"); nil when it cannot be told.
    static func holder(of info: stat) -> Int32? {
        guard let file = unsafe fopen("/proc/locks", "r") else { return nil }
        defer { unsafe fclose(file) }
        // glibc's major()/minor() are macros: the same arithmetic, written out.
        let dev = UInt64(info.st_dev)
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff))
        let minor = (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff))
        let device = String(major, radix: 16).leftPadded(to: 2) + ":" + String(minor, radix: 16).leftPadded(to: 2) + ":" + String(info.st_ino)
        var buffer = [CChar](repeating: 0, count: 512)
        while unsafe fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 6, fields[1] == "FLOCK", fields[5] == device, let pid = Int32(fields[4]) { return pid }
        }
        return nil
    }

    private static func classify(_ failure: PosixFile.Failure, path: String) -> StoreError {
        switch failure.errno {
        case EACCES, EPERM: return .permissionDenied(path: path, action: "create the lock file")
        case EROFS: return .cannotReplace(path: path, reason: "the folder is on a read-only file system")
        default: return .ioError(path: path, reason: "cannot open the lock file: \(failure.message)")
        }
    }
}

extension String {
    /// `8` → `08`, as /proc/locks writes device numbers.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
