import Glibc

/// Users and groups as messages name them: `tuser (uid 1001)`, or the number alone when the
/// system has no name for it.
public enum AccountNames {
    public static func user(_ uid: uid_t) -> String {
        guard let entry = unsafe getpwuid(uid) else { return "uid \(uid)" }
        return unsafe "\(String(cString: entry.pointee.pw_name)) (uid \(uid))"
    }

    public static func group(_ gid: gid_t) -> String {
        guard let entry = unsafe getgrgid(gid) else { return "group \(gid)" }
        return unsafe "group \(String(cString: entry.pointee.gr_name)) (gid \(gid))"
    }

    /// The users other than root listed as members of a group (/etc/group, or what NSS says):
    /// group root is trusted like root only while it lists none. Users whose primary group
    /// it is are not counted: RHEL and Alpine give gid 0 to system accounts (sync, halt,
    /// operator), and walking every account of a directory service would be slow.
    public static func membersOtherThanRoot(ofGroup gid: gid_t) -> [String] {
        var names: [String] = []
        if let entry = unsafe getgrgid(gid), var member = unsafe entry.pointee.gr_mem {
            while let name = unsafe member.pointee {
                let text = unsafe String(cString: name)
                if text != "root" { names.append(text) }
                unsafe member += 1
            }
        }
        return Array(Set(names)).sorted()
    }
}
