import SystemCalls

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

    static let accessACL = "system.posix_acl_access"

    /// Everything this process can read. A file system without extended attributes has none.
    static func read(from file: borrowing FileDescriptor) throws(SystemError) -> ExtendedAttributes {
        var attributes: [Attribute] = []
        for name in try file.attributeNames() {
            // nil: removed since it was listed.
            if let value = try file.attribute(named: name) { attributes.append(Attribute(name: name, value: value)) }
        }
        return ExtendedAttributes(attributes: attributes)
    }

    /// Sets every attribute on `file`. Call after fchown and fchmod: setting the access ACL
    /// also sets the group permission bits from its mask, and a later fchmod would change the
    /// mask.
    func apply(to file: borrowing FileDescriptor, target: String) throws(StoreError) {
        // A new file inherits its folder's default ACL. The replacement must give no more
        // access than the original: without an ACL there, none here.
        if !attributes.contains(where: { $0.name == ExtendedAttributes.accessACL }) {
            do {
                try file.removeAttribute(named: ExtendedAttributes.accessACL)
            } catch {
                throw .attributeNotKept(path: target, attribute: ExtendedAttributes.accessACL,
                                        reason: "the folder's default ACL cannot be taken off the new version: \(error.errno)")
            }
        }
        for attribute in attributes {
            do {
                try file.setAttribute(named: attribute.name, to: attribute.value)
            } catch {
                throw .attributeNotKept(path: target, attribute: attribute.name, reason: error.errno.description)
            }
        }
    }
}
