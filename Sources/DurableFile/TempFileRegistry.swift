import Glibc

/// The temp files a replace has on disk right now, kept where a signal handler can reach them:
/// when SIGINT, SIGTERM or SIGHUP ends the process mid-write, the handler (installed by the
/// program's `main`, never by this library) calls `removeAll()`, so that no half-written temp
/// file is left. The config is then the old one or the new one: temp files are only ever
/// renamed over it whole.
///
/// A signal handler may only do async-signal-safe work, so the paths live in C memory that
/// is allocated once (`prepare()`, before any handler is installed), and `removeAll()` only
/// reads that memory and calls unlink.
public enum TempFileRegistry {
    private static let slots = 2
    private static let capacity = Int(PATH_MAX) + 1
    nonisolated(unsafe) private static let paths: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: slots * capacity)
        unsafe buffer.initialize(repeating: 0, count: slots * capacity)
        return unsafe buffer
    }()

    /// Allocates the registry's memory; call before installing a handler that calls
    /// `removeAll()`, so that the allocation never happens inside the handler.
    public static func prepare() {
        _ = unsafe paths
    }

    /// Removes every temp file registered now. Async-signal-safe once `prepare()` ran.
    public static func removeAll() {
        for slot in 0..<slots {
            let path = unsafe paths + slot * capacity
            if unsafe path[0] != 0 { unsafe unlink(path) }
        }
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

    /// The paths registered now, for tests.
    static var registered: [String] {
        (0..<slots).compactMap { slot in
            let path = unsafe paths + slot * capacity
            return unsafe path[0] == 0 ? nil : unsafe String(cString: path)
        }
    }
}
