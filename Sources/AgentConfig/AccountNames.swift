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
}
