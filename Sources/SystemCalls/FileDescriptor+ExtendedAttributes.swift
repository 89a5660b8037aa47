import CLinux
import Glibc

/// `flistxattr(2)`, `fgetxattr(2)`, `fsetxattr(2)`: the calls behind ACLs and SELinux labels.
extension FileDescriptor {
    /// The names of the attributes this process can read; none on a file system without them.
    public func attributeNames() throws(SystemError) -> [String] {
        let list: [UInt8]
        do {
            list = try unsafe sizedRead(.flistxattr, { unsafe flistxattr(rawValue, $0, $1) })
        } catch where error.errno == .notSupported {
            return []
        }
        return list.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// An attribute's value; nil when it was removed since it was listed.
    public func attribute(named name: String) throws(SystemError) -> [UInt8]? {
        do {
            return try unsafe sizedRead(.fgetxattr, { unsafe fgetxattr(rawValue, name, $0, $1) })
        } catch where error.errno == .noData {
            return nil
        }
    }

    public func setAttribute(named name: String, to value: [UInt8]) throws(SystemError) {
        try nothingOrErrno(.fsetxattr) {
            unsafe value.withUnsafeBytes { unsafe fsetxattr(rawValue, name, $0.baseAddress, $0.count, 0) }
        }
    }

    /// Removes an attribute; one that is not there (or a file system without attributes) is
    /// not an error.
    public func removeAttribute(named name: String) throws(SystemError) {
        do {
            try nothingOrErrno(.fremovexattr) { unsafe fremovexattr(rawValue, name) }
        } catch where error.errno == .noData || error.errno == .notSupported {
            return
        }
    }
}

/// The size-then-read protocol of the xattr calls (on a descriptor or a path): ask the size,
/// read into a buffer of it, and ask again when the value grew in between (ERANGE).
func sizedRead(_ call: SystemCall, _ body: (UnsafeMutableRawPointer?, Int) -> Int) throws(SystemError) -> [UInt8] {
    while true {
        let size = try valueOrErrno(call) { body(nil, 0) }
        if size == 0 { return [] }
        var buffer = [UInt8](repeating: 0, count: size)
        do {
            let got = try valueOrErrno(call) { unsafe buffer.withUnsafeMutableBytes { unsafe body($0.baseAddress, $0.count) } }
            buffer.removeLast(buffer.count - got)
            return buffer
        } catch where error.errno == .outOfRange {
            continue
        }
    }
}
