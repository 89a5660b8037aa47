import CLinux
import Glibc

/// An open file descriptor that this value owns: it is closed exactly once, by `close()` when
/// the caller wants close's error (a write-back failure on NFS), or when the value goes out
/// of scope on any other path, a thrown error included. Being `~Copyable`, it cannot be
/// closed twice or used after closing.
///
/// The standard streams belong to the process, not to a command: `FileDescriptor(borrowing:)`
/// wraps them without taking ownership.
public struct FileDescriptor: ~Copyable {
    /// The number, for calls this type does not wrap; valid while this value lives.
    public let rawValue: Int32
    private let owned: Bool

    /// Takes ownership of a descriptor just returned by a system call.
    public init(adopting rawValue: Int32) {
        self.rawValue = rawValue
        self.owned = true
    }

    /// Uses a descriptor owned elsewhere (standard input, output, error); never closes it.
    public init(borrowing rawValue: Int32) {
        self.rawValue = rawValue
        self.owned = false
    }

    public static let standardInput: Int32 = 0
    public static let standardOutput: Int32 = 1
    public static let standardError: Int32 = 2

    /// `open(2)`, always with `O_CLOEXEC`: no descriptor of ours leaks into systemctl or any
    /// other program we start.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(SystemError) -> FileDescriptor {
        FileDescriptor(adopting: try valueOrErrno(.open) { unsafe Glibc.open(path, flags | O_CLOEXEC, mode) })
    }

    /// A file that lives in memory only (`memfd_create(2)`), close-on-exec: where a child
    /// process's output is collected without touching any file system.
    public static func anonymousFile(named name: String) throws(SystemError) -> FileDescriptor {
        FileDescriptor(adopting: try valueOrErrno(.memfd_create) { unsafe memfd_create(name, CTAGENT_MFD_CLOEXEC) })
    }

    deinit {
        if owned { Glibc.close(rawValue) }
    }

    /// Closes now and reports the error. Linux releases the descriptor even when close fails
    /// (EINTR included), so it is never retried.
    public consuming func close() throws(SystemError) {
        let rawValue = self.rawValue, owned = self.owned
        discard self
        guard owned else { return }
        if Glibc.close(rawValue) != 0 {
            let code = Errno.current
            if code != .interrupted { throw SystemError(.close, code) }
        }
    }

    public func status() throws(SystemError) -> FileStatus {
        var info = stat()
        try nothingOrErrno(.fstat) { unsafe fstat(rawValue, &info) }
        return FileStatus(info)
    }

    /// Some bytes, at most `count`; an empty array at the end of the file.
    public func read(upTo count: Int) throws(SystemError) -> [UInt8] {
        // Read into uninitialized storage: zero-filling a large config first would write every
        // byte twice.
        var failure: Errno?
        let buffer = unsafe [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
            while true {
                let got = unsafe Glibc.read(rawValue, storage.baseAddress, count)
                if got >= 0 {
                    initialized = got
                    return
                }
                let code = Errno.current
                if code != .interrupted {
                    failure = code
                    initialized = 0
                    return
                }
            }
        }
        if let failure { throw SystemError(.read, failure) }
        return buffer
    }

    /// Everything up to the end of the file, or the first `limit` bytes: the one read loop of
    /// the tools (configs, backups, secret input, systemctl's output).
    public func readAll(limit: Int = .max) throws(SystemError) -> [UInt8] {
        // A regular file's size is known: it is read into one buffer of that size (plus one
        // byte, to see the end), not in chunks appended and copied as the array grows.
        let expected = (try? status()).flatMap { $0.kind == .regular ? max(0, $0.size) : nil } ?? 0
        var bytes = try read(upTo: min(limit, expected + 1))
        while bytes.count < limit {
            let chunk = try read(upTo: min(65536, limit - bytes.count))
            if chunk.isEmpty { break }
            bytes += chunk
        }
        return bytes
    }

    /// Everything up to the end of the file, as `readAll`; when the file holds exactly
    /// `expected`, that array itself is returned: the file is compared with it chunk by chunk
    /// and no second copy of a large file is made. Differing bytes are read whole, up to
    /// `limit` bytes in all (as `readAll(limit:)`).
    public func readAll(expecting expected: [UInt8], limit: Int = .max) throws(SystemError) -> [UInt8] {
        var offset = 0
        while true {
            let chunk = try read(upTo: 65536)
            if chunk.isEmpty { return offset == expected.count ? expected : Array(expected[..<offset]) }
            let fits = offset + chunk.count <= expected.count
            let same = unsafe fits && expected.withUnsafeBufferPointer { expected in
                unsafe chunk.withUnsafeBufferPointer { chunk in
                    unsafe memcmp(expected.baseAddress! + offset, chunk.baseAddress!, chunk.count) == 0
                }
            }
            guard same else {
                let head = Array(expected[..<offset]) + chunk
                return head.count >= limit ? Array(head[..<limit]) : head + (try readAll(limit: limit - head.count))
            }
            offset += chunk.count
        }
    }

    /// Writes every byte, finishing short writes.
    public func writeAll(_ bytes: some Collection<UInt8>) throws(SystemError) {
        let bytes = Array(bytes)
        var offset = 0
        while offset < bytes.count {
            offset += try valueOrErrno(.write) {
                unsafe bytes.withUnsafeBytes { unsafe Glibc.write(rawValue, $0.baseAddress! + offset, $0.count - offset) }
            }
        }
    }

    public func sync() throws(SystemError) {
        try nothingOrErrno(.fsync) { fsync(rawValue) }
    }

    public func changeOwner(to owner: uid_t, group: gid_t) throws(SystemError) {
        try nothingOrErrno(.fchown) { fchown(rawValue, owner, group) }
    }

    public func changeMode(to mode: mode_t) throws(SystemError) {
        try nothingOrErrno(.fchmod) { fchmod(rawValue, mode) }
    }

    /// An exclusive `flock`, without waiting: false when another descriptor holds it.
    public func tryLockExclusively() throws(SystemError) -> Bool {
        do {
            try nothingOrErrno(.flock) { flock(rawValue, LOCK_EX | LOCK_NB) }
            return true
        } catch where error.errno == .wouldBlock {
            return false
        }
    }

    /// Moves the offset back to the start (a file written by a child process, then read).
    public func rewind() throws(SystemError) {
        _ = try valueOrErrno(.lseek) { lseek(rawValue, 0, SEEK_SET) }
    }
}
