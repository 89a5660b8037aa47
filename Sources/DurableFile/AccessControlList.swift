import SystemCalls

/// A POSIX access ACL as the kernel stores it in `system.posix_acl_access`
/// (include/uapi/linux/posix_acl_xattr.h: a 4-byte version, 2, then 8-byte entries of tag,
/// permissions and id, little-endian). libacl's acl_get_file reads the same attribute; the
/// format is the kernel's ABI, and only the write bit of a few tags matters here.
struct AccessControlList: Equatable {
    enum Tag: UInt16 {
        case owner = 0x01, user = 0x02, owningGroup = 0x04, group = 0x08, mask = 0x10, others = 0x20
    }

    struct Entry: Equatable {
        var tag: Tag
        var canWrite: Bool
        var id: UInt32
    }

    let entries: [Entry]

    /// nil for bytes that are not a version-2 ACL.
    init?(xattr bytes: [UInt8]) {
        func number(_ offset: Int, _ size: Int) -> UInt32 {
            (0..<size).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
        }
        guard bytes.count >= 4, (bytes.count - 4) % 8 == 0, number(0, 4) == 2 else { return nil }
        var entries: [Entry] = []
        for offset in stride(from: 4, to: bytes.count, by: 8) {
            guard let tag = Tag(rawValue: UInt16(number(offset, 2))) else { return nil }
            entries.append(Entry(tag: tag, canWrite: number(offset + 2, 2) & 0x2 != 0, id: number(offset + 4, 4)))
        }
        self.entries = entries
    }

    enum Reading {
        /// Only the mode bits say who may write.
        case none
        case acl(AccessControlList)
        /// It could not be read (or not understood): who may write is unknown.
        case unknown(String)
    }

    /// The file's access ACL.
    static func of(_ path: String) -> Reading {
        do {
            guard let bytes = try FileSystem.attribute(named: "system.posix_acl_access", of: path) else { return .none }
            guard let acl = AccessControlList(xattr: bytes) else { return .unknown("its ACL is in a form this tool does not know") }
            return .acl(acl)
        } catch {
            return .unknown("its ACL cannot be read (\(error))")
        }
    }

    /// Named users and groups, and the owning group, that may write: their entry grants it and
    /// the mask does not take it away.
    var writers: [Entry] {
        let maskAllowsWrite = entries.first { $0.tag == .mask }?.canWrite ?? true
        return entries.filter { [.user, .group, .owningGroup].contains($0.tag) && $0.canWrite && maskAllowsWrite }
    }
}
