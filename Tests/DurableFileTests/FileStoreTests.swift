import Glibc
import Testing
import TestSupport
@testable import DurableFile


private func write(_ text: String, to path: String, mode: mode_t = 0o644) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
    _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
    close(fd)
}

@Suite struct FileStoreTests {
    @Test func updateWritesBackupAndKeepsMode() throws {
        let folder = try TemporaryFolder()
        let dir = folder.path
        let path = dir + "/config.yaml"
        write("a: 1\n", to: path, mode: 0o600)
        let outcome = try FileStore(path: path).update { _ in Array("a: 2\n".utf8) }
        #expect(outcome == .written(backup: path + ".bak", notes: []))
        #expect(try FileStore(path: path).read() == Array("a: 2\n".utf8))
        #expect(try FileStore(path: path + ".bak").read() == Array("a: 1\n".utf8))
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o7777 == 0o600)
    }

    @Test func identicalBytesWriteNothing() throws {
        let folder = try TemporaryFolder()
        let dir = folder.path
        let path = dir + "/config.yaml"
        write("a: 1\n", to: path)
        #expect(try FileStore(path: path).update { $0 } == .unchanged)
        #expect(access(path + ".bak", F_OK) != 0)
    }

    /// The limit is checked on the size fstat gives, before reading: at the limit refused,
    /// below it read; an update refused at the limit calls no change and writes nothing.
    @Test func aFileAtTheSizeLimitIsRefusedBeforeItIsRead() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/config.yaml"
        write("a: 12\n", to: path)
        #expect(throws: StoreError.tooLarge(path: path, bytes: 6, limit: 6)) { try FileStore(path: path, sizeLimit: 6).read() }
        #expect(try FileStore(path: path, sizeLimit: 7).read() == Array("a: 12\n".utf8))
        var called = false
        #expect(throws: StoreError.tooLarge(path: path, bytes: 6, limit: 6)) {
            try FileStore(path: path, sizeLimit: 6).update { _ in called = true; return Array("a: 1\n".utf8) }
        }
        #expect(!called)
        #expect(try FileStore(path: path).read() == Array("a: 12\n".utf8))
        #expect(access(path + ".bak", F_OK) != 0)
    }

    /// A file whose size fstat does not give (/proc reports 0) is refused once the limit is
    /// read, not read whole.
    @Test func aFileLongerThanItsSizeIsRefusedAtTheLimit() throws {
        #expect(throws: StoreError.tooLarge(path: "/proc/self/mountinfo", bytes: 16, limit: 16)) {
            try FileStore(path: "/proc/self/mountinfo", sizeLimit: 16).read()
        }
        #expect(StoreError.tooLarge(path: "/f", bytes: 16, limit: 16).description
                == "/f holds 16 bytes or more; only files under 16 bytes are read, and an agent's config is a few KiB: check what wrote it. "
                    + "Nothing was read or written")
        #expect(StoreError.tooLarge(path: "/f", bytes: 3 << 20, limit: 1 << 30).reason.hasPrefix("/f holds 3145728 bytes (3.0 MiB); only files under 1073741824 bytes (1.0 GiB)"))
    }

    @Test func aThrowingChangeWritesNothing() throws {
        let folder = try TemporaryFolder()
        let dir = folder.path
        let path = dir + "/config.yaml"
        write("a: 1\n", to: path)
        struct Refused: Error {}
        #expect(throws: Refused.self) { try FileStore(path: path).update { _ in throw Refused() } }
        #expect(try FileStore(path: path).read() == Array("a: 1\n".utf8))
    }

    @Test func missingAndDirectory() throws {
        let folder = try TemporaryFolder()
        let dir = folder.path
        #expect(throws: StoreError.notFound(path: dir + "/nope.yaml")) { try FileStore(path: dir + "/nope.yaml").read() }
        #expect(throws: StoreError.notARegularFile(path: dir, kind: "a folder")) { try FileStore(path: dir).read() }
    }
}

