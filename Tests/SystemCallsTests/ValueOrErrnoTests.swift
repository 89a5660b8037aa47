import Glibc
import SystemCalls
import Testing

/// Signals delivered to the interrupted read below, counted by its handler.
nonisolated(unsafe) private var interruptions: Int32 = 0

@Suite struct ValueOrErrnoTests {
    @Test func anInterruptedCallIsRetriedAndOtherFailuresKeepTheirErrno() throws {
        var calls = 0
        let value = try valueOrErrno(.read) { () -> Int in
            calls += 1
            if calls < 3 { errno = EINTR; return -1 }
            return 42
        }
        #expect(value == 42 && calls == 3)
        let refused = #expect(throws: SystemError.self) {
            try valueOrErrno(.connect) { () -> Int32 in errno = ECONNREFUSED; return -1 }
        }
        #expect(refused == SystemError(.connect, .connectionRefused))
    }

    @Test func callersThatHandleInterruptionsThemselvesSeeThem() {
        var calls = 0
        let error = #expect(throws: SystemError.self) {
            try valueOrErrno(.poll, retryOnInterrupt: false) { () -> Int32 in calls += 1; errno = EINTR; return -1 }
        }
        #expect(error?.errno == .interrupted && calls == 1)
    }

    /// A real interruption: a blocking read on an empty pipe, hit by a signal whose handler is
    /// installed without SA_RESTART, so that the kernel ends read(2) with EINTR. The read must
    /// go on and return the bytes written after the signal.
    @Test func aReadInterruptedByARealSignalGoesOn() throws {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptions += 1 }
        action.sa_flags = 0
        var previous = sigaction()
        sigaction(SIGUSR2, &action, &previous)
        defer { sigaction(SIGUSR2, &previous, nil) }
        // The test may run on a thread that blocks signals; this one must take it.
        var mask = sigset_t(), saved = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGUSR2)
        pthread_sigmask(SIG_UNBLOCK, &mask, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let reader = FileDescriptor(adopting: ends[0]), writer = FileDescriptor(adopting: ends[1])
        let target = pthread_self()
        let writerNumber = writer.rawValue
        var helper = pthread_t()
        let context = UnsafeMutablePointer<(pthread_t, Int32)>.allocate(capacity: 1)
        context.initialize(to: (target, writerNumber))
        defer { context.deallocate() }
        pthread_create(&helper, nil, { raw in
            let (target, writer) = raw!.assumingMemoryBound(to: (pthread_t, Int32).self).pointee
            usleep(200_000)
            pthread_kill(target, SIGUSR2)  // the reader is blocked in read(2) by now
            usleep(200_000)
            _ = write(writer, "late", 4)
            return nil
        }, context)
        let bytes = try reader.read(upTo: 16)
        pthread_join(helper, nil)
        #expect(String(decoding: bytes, as: UTF8.self) == "late")
        #expect(interruptions >= 1, "the signal never arrived, so nothing was interrupted")
    }
}
