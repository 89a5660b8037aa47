import CLinux
import Glibc

/// Calls on paths rather than on open files.
public enum FileSystem {
    public static func rename(_ source: String, to target: String) throws(SystemError) {
        try nothingOrErrno(.rename) { unsafe Glibc.rename(source, target) }
    }

    /// Removal that is allowed to find nothing: cleaning up a temp file that may be gone.
    public static func removeIfPresent(_ path: String) {
        _ = unsafe unlink(path)
    }

    /// Removes a file; one that is already gone is fine (false), any other failure is an error.
    @discardableResult
    public static func remove(_ path: String) throws(SystemError) -> Bool {
        do {
            try nothingOrErrno(.unlink) { unsafe unlink(path) }
            return true
        } catch where error.errno == .noSuchFile {
            return false
        }
    }

    /// Makes a folder with this mode (less the umask); one that exists already is fine (false).
    @discardableResult
    public static func makeDirectory(_ path: String, mode: mode_t) throws(SystemError) -> Bool {
        do {
            try nothingOrErrno(.mkdir) { unsafe mkdir(path, mode) }
            return true
        } catch where error.errno == .fileExists {
            return false
        }
    }

    /// The canonical path with every symlink resolved.
    public static func realPath(_ path: String) throws(SystemError) -> String {
        guard let resolved = unsafe realpath(path, nil) else { throw SystemError(.realpath, .current) }
        defer { unsafe free(resolved) }
        return unsafe String(cString: resolved)
    }

    /// What a symbolic link points at, as written in it; nil when `path` is no symlink.
    public static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = unsafe readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in a folder, `.` and `..` included.
    public static func entries(of directory: String) throws(SystemError) -> [String] {
        guard let handle = unsafe opendir(directory) else { throw SystemError(.opendir, .current) }
        defer { unsafe closedir(handle) }
        var names: [String] = []
        while let entry = unsafe readdir(handle) {
            unsafe names.append(withUnsafeBytes(of: entry.pointee.d_name) {
                unsafe String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            })
        }
        return names
    }

    /// Makes a rename in `directory` durable: the folder's entry is on disk only once the
    /// folder itself is synced.
    public static func syncDirectory(_ directory: String) throws(SystemError) {
        let folder = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
        try folder.sync()
    }

    /// The working folder, for making a relative path absolute.
    public static func currentDirectory() -> String? {
        guard let buffer = unsafe getcwd(nil, 0) else { return nil }
        defer { unsafe free(buffer) }
        return unsafe String(cString: buffer)
    }

    /// The folder part of a path: `/etc/ctagent` for `/etc/ctagent/config.yaml`.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of a path: `config.yaml`.
    public static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

extension FileSystem {
    /// An extended attribute of the file at `path` (symlinks followed), read with getxattr(2),
    /// which needs no permission on the file itself; nil when the file has none of that name
    /// or the file system keeps none.
    public static func attribute(named name: String, of path: String) throws(SystemError) -> [UInt8]? {
        do {
            return try unsafe sizedRead(.getxattr, { unsafe getxattr(path, name, $0, $1) })
        } catch where error.errno == .noData || error.errno == .notSupported {
            return nil
        }
    }
}
