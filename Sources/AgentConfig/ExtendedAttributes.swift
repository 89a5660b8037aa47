import CLinux
import Glibc

/// The extended attributes of an open file: POSIX ACLs (`system.posix_acl_access`, and
/// `system.posix_acl_default` on folders), SELinux labels (`security.selinux`), `user.*`, and
/// `trusted.*` when running as root. Copied to a replacement so that the agent keeps the
/// access an ACL gave it and SELinux keeps the file's label; anything that cannot be copied
/// refuses the write instead of being dropped silently.
struct ExtendedAttributes {
    struct Attribute {
        var name: String
        var value: [UInt8]
    }

    var attributes: [Attribute]

    /// Everything this process can read. A file system without extended attributes has none.
    static func read(fd: Int32, path: String) throws(StoreError) -> ExtendedAttributes {
        var names: [UInt8] = []
        while true {
            let size = flistxattr(fd, nil, 0)
            if size < 0 {
                if errno == ENOTSUP { return ExtendedAttributes(attributes: []) }
                throw .readError(path: path, reason: unsafe "cannot list its extended attributes: \(String(cString: strerror(errno)))")
            }
            if size == 0 { return ExtendedAttributes(attributes: []) }
            names = [UInt8](repeating: 0, count: size)
            let got = unsafe names.withUnsafeMutableBytes { unsafe flistxattr(fd, $0.baseAddress, $0.count) }
            if got >= 0 { names.removeLast(names.count - got); break }
            if errno != ERANGE { throw .readError(path: path, reason: "cannot list its extended attributes") }
            // The list grew between the two calls: ask again.
        }
        var attributes: [Attribute] = []
        for name in names.split(separator: 0).map({ String(decoding: $0, as: UTF8.self) }) {
            if let value = try value(of: name, fd: fd, path: path) { attributes.append(Attribute(name: name, value: value)) }
        }
        return ExtendedAttributes(attributes: attributes)
    }

    private static func value(of name: String, fd: Int32, path: String) throws(StoreError) -> [UInt8]? {
        while true {
            let size = unsafe fgetxattr(fd, name, nil, 0)
            if size < 0 {
                if errno == ENODATA { return nil }  // removed since it was listed
                throw .readError(path: path, reason: unsafe "cannot read its extended attribute \(name): \(String(cString: strerror(errno)))")
            }
            var value = [UInt8](repeating: 0, count: size)
            let got = unsafe value.withUnsafeMutableBytes { unsafe fgetxattr(fd, name, $0.baseAddress, $0.count) }
            if got >= 0 { value.removeLast(value.count - got); return value }
            if errno != ERANGE { throw .readError(path: path, reason: "cannot read its extended attribute \(name)") }
        }
    }

    /// Sets every attribute on `fd`. Call after fchown and fchmod: setting the access ACL also
    /// sets the group permission bits from its mask, and a later fchmod would change the mask.
    func apply(to fd: Int32, target: String) throws(StoreError) {
        for attribute in attributes {
            let result = unsafe attribute.value.withUnsafeBytes { unsafe fsetxattr(fd, attribute.name, $0.baseAddress, $0.count, 0) }
            guard result == 0 else {
                let code = errno
                throw .attributeNotKept(path: target, attribute: attribute.name, reason: unsafe String(cString: strerror(code)))
            }
        }
    }
}
