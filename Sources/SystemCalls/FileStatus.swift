import Glibc

/// What `stat(2)` tells of a file, with its kind as a value.
public struct FileStatus: Sendable {
    public enum Kind: Equatable, Sendable {
        case regular, directory, symbolicLink, fifo, socket, characterDevice, blockDevice, unknown
    }

    public let kind: Kind
    public let owner: uid_t
    public let group: gid_t
    /// The permission bits and setuid/setgid/sticky (`mode & 07777`).
    public let permissions: mode_t
    public let linkCount: Int
    public let device: UInt64
    public let inode: UInt64
    /// The size in bytes (of a regular file: its length).
    public let size: Int

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        default: kind = .unknown
        }
        owner = info.st_uid
        group = info.st_gid
        permissions = info.st_mode & 0o7777
        linkCount = Int(info.st_nlink)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
    }

    /// `stat(2)`, or `lstat(2)` when `followLinks` is false.
    public init(path: String, followLinks: Bool = true) throws(SystemError) {
        var info = stat()
        if followLinks {
            try nothingOrErrno(.stat) { unsafe stat(path, &info) }
        } else {
            try nothingOrErrno(.lstat) { unsafe lstat(path, &info) }
        }
        self.init(info)
    }

    /// The device as /proc/locks writes it: `08:01` (glibc's major()/minor() are macros Swift
    /// cannot import: the same arithmetic, written out).
    public var deviceNumbers: (major: UInt64, minor: UInt64) {
        ((device >> 8) & 0xfff | (device >> 32) & ~UInt64(0xfff), device & 0xff | (device >> 12) & ~UInt64(0xff))
    }
}
