import Glibc
import SystemCalls
import Testing
import TestSupport


/// What `/proc/self/fd/N` points at now; nil when N is not open. Robust against another test
/// reusing the number: it names the file, not just the number.
func openTarget(_ descriptor: Int32) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
    return count < 0 ? nil : String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

@Suite struct FileDescriptorTests {
    private struct Planned: Error {}

    @Test func aDescriptorIsClosedWhenItsOwnerLeavesScopeOnAThrownError() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/owned"
            var number: Int32 = -1
            func failHalfway() throws {
                let file = try FileDescriptor.open(path, O_WRONLY | O_CREAT, mode: 0o600)
                number = file.rawValue
                #expect(openTarget(number) == path)
                throw Planned()
            }
            #expect(throws: Planned.self) { try failHalfway() }
            #expect(openTarget(number) != path, "the descriptor of \(path) is still open")
        }
    }

    @Test func closeReportsAndTheValueCannotBeClosedAgain() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/closed"
            let file = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
            let number = file.rawValue
            try file.writeAll(Array("bytes".utf8))
            try file.close()  // consumes `file`: a second close does not compile
            #expect(openTarget(number) != path)
        }
    }

    @Test func descriptorsAreCloseOnExec() throws {
        let file = try FileDescriptor.open("/dev/null", O_RDONLY)
        let socket = try FileDescriptor.socket(family: AF_INET, type: .stream)
        let memory = try FileDescriptor.anonymousFile(named: "test")
        for flags in [fcntl(file.rawValue, F_GETFD), fcntl(socket.rawValue, F_GETFD), fcntl(memory.rawValue, F_GETFD)] {
            #expect(flags != -1 && flags & FD_CLOEXEC != 0)
        }
    }

    @Test func borrowedStandardStreamsStayOpen() throws {
        do {
            let output = FileDescriptor(borrowing: FileDescriptor.standardError)
            try output.writeAll([])
        }
        #expect(fcntl(FileDescriptor.standardError, F_GETFD) != -1)
    }

    @Test func errnoIsTheFailedCallsOwn() throws {
        let error = #expect(throws: SystemError.self) { _ = try FileDescriptor.open("/nonexistent-\(getpid())/file", O_RDONLY) }
        #expect(error == SystemError(.open, .noSuchFile))
        #expect(error?.description == "open: No such file or directory")
        let folder = #expect(throws: SystemError.self) { _ = try FileDescriptor.open("/", O_WRONLY) }
        #expect(folder?.errno == .isDirectory)
    }

    @Test func readAllStopsAtTheLimitAndAtTheEnd() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/data"
            let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let writer = try FileDescriptor.open(path, O_WRONLY | O_CREAT, mode: 0o600)
            try writer.writeAll(bytes)
            try writer.sync()
            try writer.close()
            #expect(try FileDescriptor.open(path, O_RDONLY).readAll() == bytes)
            #expect(try FileDescriptor.open(path, O_RDONLY).readAll(limit: 70_001) == Array(bytes.prefix(70_001)))
            #expect(try FileDescriptor.open("/dev/zero", O_RDONLY).readAll(limit: 10).count == 10)
        }
    }

    /// Reading a file expected to hold a known version gives the file's bytes whatever it holds:
    /// the same, changed in a later chunk, longer, shorter, empty.
    @Test func readAllExpectingAVersionReadsWhatTheFileHolds() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/data"
            let expected = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            var changed = expected
            changed[150_000] ^= 1
            let cases: [(String, [UInt8])] = [("the same", expected), ("changed in the third chunk", changed),
                                              ("longer", expected + [1, 2, 3]), ("shorter", Array(expected.prefix(70_000))),
                                              ("empty", [])]
            for (name, content) in cases {
                let writer = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
                try writer.writeAll(content)
                try writer.close()
                #expect(try FileDescriptor.open(path, O_RDONLY).readAll(expecting: expected) == content, "\(name)")
                // A limit bounds what is read where the file differs (the expected version was
                // itself read under it).
                if content != expected {
                    #expect(try FileDescriptor.open(path, O_RDONLY).readAll(expecting: expected, limit: 100_000) == Array(content.prefix(100_000)),
                            "\(name), limited")
                }
            }
        }
    }

    @Test func statusNamesEachKindAndKeepsTheModeBits() throws {
        try withTemporaryFolder { folder in
            let file = folder + "/file", fifo = folder + "/fifo", link = folder + "/link"
            try FileDescriptor.open(file, O_WRONLY | O_CREAT, mode: 0o640).close()
            chmod(file, 0o2640)
            mkfifo(fifo, 0o600)
            symlink(file, link)
            let status = try FileStatus(path: file)
            #expect(status.kind == .regular)
            #expect(status.permissions == 0o2640)
            #expect(status.owner == geteuid())
            #expect(status.linkCount == 1)
            #expect(try FileStatus(path: fifo).kind == .fifo)
            #expect(try FileStatus(path: folder).kind == .directory)
            #expect(try FileStatus(path: link).kind == .regular)
            #expect(try FileStatus(path: link, followLinks: false).kind == .symbolicLink)
            #expect(try FileStatus(path: "/dev/null").kind == .characterDevice)
            let missing = #expect(throws: SystemError.self) { try FileStatus(path: folder + "/missing", followLinks: false) }
            #expect(missing == SystemError(.lstat, .noSuchFile))
        }
    }

    @Test func anExclusiveLockIsRefusedToASecondDescriptorUntilTheFirstCloses() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/lock"
            let first = try FileDescriptor.open(path, O_RDWR | O_CREAT, mode: 0o600)
            let second = try FileDescriptor.open(path, O_RDWR)
            #expect(try first.tryLockExclusively())
            #expect(try second.tryLockExclusively() == false)
            try first.close()
            // Other tests start processes in parallel: a child between fork and exec shares
            // the lock's open file until exec closes it (close-on-exec), so allow a moment.
            var taken = false
            for _ in 0..<200 where !taken {
                taken = try second.tryLockExclusively()
                if !taken { usleep(10_000) }
            }
            #expect(taken)
        }
    }

    @Test func extendedAttributesRoundTripWhereTheFileSystemHasThem() throws {
        try withTemporaryFolder { folder in
            let file = try FileDescriptor.open(folder + "/attributes", O_RDWR | O_CREAT, mode: 0o600)
            do {
                try file.setAttribute(named: "user.ctagent-test", to: Array("value\u{0}with zero".utf8))
            } catch let error as SystemError where error.errno == .notSupported {
                return  // a file system without user.* attributes: nothing to check
            }
            #expect(try file.attributeNames().contains("user.ctagent-test"))
            #expect(try file.attribute(named: "user.ctagent-test") == Array("value\u{0}with zero".utf8))
            #expect(try file.attribute(named: "user.absent") == nil)
        }
    }
}
