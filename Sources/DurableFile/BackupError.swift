import SystemCalls

/// Why the backup a store keeps cannot be taken back. Data only: the words and the exit
/// status are chosen by the caller.
public enum BackupError: Error, Equatable, Sendable {
    /// There is no backup (no change has been written since the file was made).
    case missing(backup: String)
    /// A symbolic link where the backup goes: not what the store writes.
    case symbolicLink(backup: String)
    /// A folder, FIFO, device… where the backup goes.
    case notARegularFile(backup: String)
    /// Owned by someone other than root or the file's owner.
    case foreignOwner(backup: String, owner: UInt32)
    /// Writable by others (mode bits or an ACL): anyone could have planted it.
    case unsafe(backup: String, problem: String, fix: String)
    /// lstat failed for another reason.
    case cannotExamine(backup: String, errno: Errno, reason: String)
    /// The read failed.
    case unreadable(backup: String, StoreError)
}
