import Glibc
import SystemCalls

/// Removes our temp files when SIGINT, SIGTERM or SIGHUP arrives while a new config is being
/// written, then lets the signal end the process as it would have (exit status 130, 143, 129
/// in a shell). The config is then the old one or the new one: the temp files are only ever
/// renamed over it whole.
///
/// The handlers are process-wide, so `main` installs them once (`installHandlers()`), before
/// any command runs; the store only names its temp files here while they exist. With none
/// named, the handler does what the default disposition does.
///
/// A signal handler may only do async-signal-safe work, so the paths live in C memory that
/// is allocated once, before any handler is installed, and the handler only calls unlink,
/// signal and raise.
public enum SignalCleanup {
    static let signals = [SIGINT, SIGTERM, SIGHUP]
    private static let slots = 2
    private static let capacity = Int(PATH_MAX) + 1
    nonisolated(unsafe) private static let paths: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: slots * capacity)
        unsafe buffer.initialize(repeating: 0, count: slots * capacity)
        return unsafe buffer
    }()

    /// Installs the handlers; call once, from `main`. A signal inherited as ignored stays
    /// ignored.
    public static func installHandlers() {
        _ = unsafe paths  // allocated here, never inside a handler
        for number in signals where !SignalDisposition.isIgnored(number) { signal(number, handler) }
    }

    /// Remembers a temp file to remove if a signal arrives; `slot` 0 or 1.
    static func remember(_ path: String, slot: Int) {
        let target = unsafe paths + slot * capacity
        let bytes = Array(path.utf8.prefix(capacity - 1))
        // Both zeros first and the first byte last, so that a handler running mid-copy sees
        // an empty path, never a partial one.
        unsafe target[0] = 0
        unsafe target[bytes.count] = 0
        for (index, byte) in bytes.enumerated().reversed() { unsafe target[index] = CChar(bitPattern: byte) }
    }

    static func forget(slot: Int) {
        unsafe (paths + slot * capacity)[0] = 0
    }

    private static let handler: @convention(c) (Int32) -> Void = { number in
        for slot in 0..<SignalCleanup.slots {
            let path = unsafe SignalCleanup.paths + slot * SignalCleanup.capacity
            if unsafe path[0] != 0 { unsafe unlink(path) }
        }
        signal(number, SIG_DFL)
        raise(number)
    }
}
