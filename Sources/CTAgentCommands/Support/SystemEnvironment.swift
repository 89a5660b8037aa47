import ConfigTransaction
import Glibc

/// The process's real environment and accounts: the one place the commands read `getenv`
/// and the user database.
struct SystemEnvironment: ProcessEnvironment {
    static let current = SystemEnvironment()

    /// A variable that is set and not empty.
    func variable(_ name: String) -> String? {
        guard let value = unsafe getenv(name), unsafe value.pointee != 0 else { return nil }
        return unsafe String(cString: value)
    }

    var userID: UInt32 { getuid() }

    func userName(_ uid: UInt32) -> String? {
        unsafe getpwuid(uid).flatMap { unsafe String(cString: $0.pointee.pw_name) }
    }
}
