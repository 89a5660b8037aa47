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

    /// The users other than root in a group, by membership or as their primary group: group
    /// root is trusted like root only while it has none.
    public static func membersOtherThanRoot(ofGroup gid: gid_t) -> [String] {
        var names: [String] = []
        if let entry = unsafe getgrgid(gid), var member = unsafe entry.pointee.gr_mem {
            while let name = unsafe member.pointee {
                let text = unsafe String(cString: name)
                if text != "root" { names.append(text) }
                unsafe member += 1
            }
        }
        setpwent()
        defer { endpwent() }
        while let user = unsafe getpwent() {
            if unsafe user.pointee.pw_gid == gid && user.pointee.pw_uid != 0 {
                names.append(unsafe String(cString: user.pointee.pw_name))
            }
        }
        return Array(Set(names)).sorted()
    }
}
