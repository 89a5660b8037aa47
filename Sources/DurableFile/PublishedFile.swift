import Glibc
import SystemCalls

/// A file the tool writes whole for others to read (node_exporter's textfile collector, its own
/// state): a temp file in the same folder, written, synced and renamed over the old one, so a
/// reader sees the old content or the new, never half a file. No lock, no backup: the newest
/// writer wins, which is right for a snapshot.
public enum PublishedFile {
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(StoreError) {
        let temp = AtomicReplace.tempPrefix(for: path) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        TempFileRegistry.remember(temp, slot: 0)
        defer { TempFileRegistry.forget(slot: 0) }
        do {
            let file = try FileDescriptor.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: mode)
            try file.writeAll(bytes)
            // Exactly this mode, whatever the umask took away.
            try file.changeMode(to: mode)
            try file.sync()
            try file.close()
            try FileSystem.rename(temp, to: path)
        } catch {
            FileSystem.removeIfPresent(temp)
            throw AtomicReplace.classify(error, target: path)
        }
        try? FileSystem.syncDirectory(FileSystem.directory(of: path))
    }

    /// The file's bytes, or nil when there is none (or it cannot be read).
    public static func read(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
        guard let file = try? FileDescriptor.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK) else { return nil }
        return try? file.readAll(limit: limit)
    }
}
