import Testing
@testable import DurableFile

/// The kernel's ACL format (include/uapi/linux/posix_acl_xattr.h), as `setfacl -m u:1001:rw`
/// leaves it on a 0640 file: owner rw, user 1001 rw, owning group r, mask rw, others none.
@Suite struct AccessControlListTests {
    private func entry(_ tag: UInt16, _ permissions: UInt16, _ id: UInt32) -> [UInt8] {
        [UInt8(tag & 0xff), UInt8(tag >> 8), UInt8(permissions & 0xff), UInt8(permissions >> 8)]
            + (0..<4).map { UInt8((id >> (8 * $0)) & 0xff) }
    }

    @Test func aNamedUserWithWriteIsAWriterUnlessTheMaskTakesItAway() throws {
        let header: [UInt8] = [2, 0, 0, 0]
        let none = UInt32.max
        let named = header + entry(0x01, 6, none) + entry(0x02, 6, 1001) + entry(0x04, 4, none) + entry(0x10, 6, none) + entry(0x20, 0, none)
        let acl = try #require(AccessControlList(xattr: named))
        #expect(acl.writers.map(\.id) == [1001])
        let masked = header + entry(0x01, 6, none) + entry(0x02, 6, 1001) + entry(0x04, 4, none) + entry(0x10, 4, none) + entry(0x20, 0, none)
        #expect(try #require(AccessControlList(xattr: masked)).writers.isEmpty)
        let readers = header + entry(0x01, 6, none) + entry(0x08, 4, 65534) + entry(0x04, 4, none) + entry(0x10, 4, none) + entry(0x20, 4, none)
        #expect(try #require(AccessControlList(xattr: readers)).writers.isEmpty)
    }

    @Test(arguments: [[UInt8](), [1, 0, 0, 0], [2, 0, 0, 0, 1], [2, 0, 0, 0, 0x40, 0, 6, 0, 0, 0, 0, 0]])
    func bytesThatAreNoACLAreRefused(bytes: [UInt8]) {
        #expect(AccessControlList(xattr: bytes) == nil)
    }
}
