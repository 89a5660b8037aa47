import Glibc

/// Small wrappers over the system calls the store needs, retrying on EINTR and finishing
/// short writes, with errno kept for the caller to classify.
enum PosixFile {
    struct Failure: Error {
        var errno: Int32
        var call: String
        var message: String { unsafe String(cString: strerror(errno)) }
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) throws(Failure) -> Int32 {
        while true {
            let fd = unsafe Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw Failure(errno: errno, call: "open") }
        }
    }

    /// Everything up to the end of the file, or the first `limit` bytes: the one read loop of
    /// the tools (configs, backups, secret input).
    static func readAll(_ fd: Int32, limit: Int = .max) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count < limit {
            let wanted = min(buffer.count, limit - bytes.count)
            let count = unsafe buffer.withUnsafeMutableBytes { unsafe Glibc.read(fd, $0.baseAddress, wanted) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno, call: "read")
            }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let count = unsafe bytes.withUnsafeBytes { unsafe Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno, call: "write")
            }
            offset += count
        }
    }

    static func check(_ result: Int32, _ call: String) throws(Failure) {
        if result != 0 { throw Failure(errno: errno, call: call) }
    }

    static func status(_ path: String, followLinks: Bool = true) -> stat? {
        var info = stat()
        let result = unsafe followLinks ? stat(path, &info) : lstat(path, &info)
        return result == 0 ? info : nil
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func entries(of directory: String) -> [String] {
        guard let handle = unsafe opendir(directory) else { return [] }
        defer { unsafe closedir(handle) }
        var names: [String] = []
        while let entry = unsafe readdir(handle) {
            unsafe names.append(withUnsafeBytes(of: entry.pointee.d_name) {
                unsafe String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            })
        }
        return names
    }
}
