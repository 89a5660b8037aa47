import Glibc

/// An error number, read from `errno` right after the call that set it (as swift-system's
/// `Errno`): anything run in between, even a `free` or a string conversion, may change it.
/// Compared by name, never by the text of a message.
public struct Errno: RawRepresentable, Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The C library's wording: "No such file or directory".
    public var description: String { unsafe String(cString: strerror(rawValue)) }

    /// Read only by the helpers of this module, straight after the call that failed.
    static var current: Errno { Errno(rawValue: errno) }

    public static let notPermitted = Errno(rawValue: EPERM)
    public static let noSuchFile = Errno(rawValue: ENOENT)
    public static let interrupted = Errno(rawValue: EINTR)
    public static let noSuchDeviceOrAddress = Errno(rawValue: ENXIO)
    public static let badDescriptor = Errno(rawValue: EBADF)
    public static let wouldBlock = Errno(rawValue: EAGAIN)
    public static let permissionDenied = Errno(rawValue: EACCES)
    public static let busy = Errno(rawValue: EBUSY)
    public static let crossDevice = Errno(rawValue: EXDEV)
    public static let isDirectory = Errno(rawValue: EISDIR)
    public static let fileTooLarge = Errno(rawValue: EFBIG)
    public static let noSpace = Errno(rawValue: ENOSPC)
    public static let readOnlyFileSystem = Errno(rawValue: EROFS)
    public static let brokenPipe = Errno(rawValue: EPIPE)
    public static let outOfRange = Errno(rawValue: ERANGE)
    public static let tooManySymbolicLinks = Errno(rawValue: ELOOP)
    public static let noData = Errno(rawValue: ENODATA)
    public static let notSupported = Errno(rawValue: ENOTSUP)
    public static let connectionReset = Errno(rawValue: ECONNRESET)
    public static let notConnected = Errno(rawValue: ENOTCONN)
    public static let timedOut = Errno(rawValue: ETIMEDOUT)
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    public static let inProgress = Errno(rawValue: EINPROGRESS)
    public static let quotaExceeded = Errno(rawValue: EDQUOT)
    public static let invalidArgument = Errno(rawValue: EINVAL)
    public static let fileExists = Errno(rawValue: EEXIST)
    public static let noChildProcess = Errno(rawValue: ECHILD)
}
