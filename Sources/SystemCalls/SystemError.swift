/// A failed system call: which one, and its errno. Callers classify by both, as values.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: SystemCall
    public var errno: Errno

    public init(_ call: SystemCall, _ errno: Errno) {
        self.call = call
        self.errno = errno
    }

    /// `rename: Device or resource busy`.
    public var description: String { "\(call.rawValue): \(errno)" }
}

/// The calls this module makes, named as in section 2 of the manual.
public enum SystemCall: String, Sendable {
    case open, close, read, write, fstat, stat, lstat, fchown, fchmod, fsync, flock, rename, unlink
    case realpath, opendir
    case flistxattr, fgetxattr, fsetxattr, fremovexattr, getxattr
    case socket, connect, send, sendto, recv, poll, getsockopt
    case waitpid, lseek, memfd_create, mkdir
}
