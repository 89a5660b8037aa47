/// What the guard of a confirmed change keeps beside its private copy of the previous
/// version: which config, which versions (the copy's digest and the guarded one's), which
/// guard, and until when. One `key=value` line each, as systemd's environment files.
public struct GuardRecord: Equatable, Sendable {
    /// The guard's transient units' name (`NAME.timer`, `NAME.service`), also the copy's name.
    public var name: String
    /// The file the change replaced (a symlinked config: its target).
    public var config: String
    /// The SHA-256 of the private copy: the version the guard puts back.
    public var previousSHA256: String
    /// The SHA-256 of the change: the guard acts only while the config is this version.
    public var guardedSHA256: String
    /// When the guard's timer fires, in seconds since the epoch: the end of the window as the
    /// guard counts it (lock, restart, window and a margin).
    public var firesAt: Int64
    /// After this, a copy still here is one its guard left behind (the host was down when it
    /// should have fired, or it could not run): the next run removes it.
    public var keepUntil: Int64

    public init(name: String, config: String, previousSHA256: String, guardedSHA256: String, firesAt: Int64, keepUntil: Int64) {
        self.name = name
        self.config = config
        self.previousSHA256 = previousSHA256
        self.guardedSHA256 = guardedSHA256
        self.firesAt = firesAt
        self.keepUntil = keepUntil
    }

    /// How long a copy is kept after its guard's time, by the wall clock: the guard's timer
    /// runs on the monotonic clock, which stops while the host is suspended (a laptop shut for
    /// the weekend), so a week leaves it room to fire late and still find its copy.
    public static let keptAfterFiring: Int64 = 7 * 86400

    /// False for a value a line cannot hold (a path with a line break): such a config is not
    /// guarded, and so not changed with --confirm.
    public var isWritable: Bool {
        [name, config, previousSHA256, guardedSHA256].allSatisfy { !$0.contains("\n") && !$0.contains("\r") }
    }

    /// 64 lowercase ASCII hexadecimal digits (Swift's `isHexDigit` also takes full-width ones).
    public static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A guard's name as `GuardLifecycle` makes it: lowercase letters, digits and dashes.
    public static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D }
    }

    public var bytes: [UInt8] {
        Array(("name=\(name)\nconfig=\(config)\nprevious_sha256=\(previousSHA256)\nguarded_sha256=\(guardedSHA256)\n"
               + "fires_at=\(firesAt)\nkeep_until=\(keepUntil)\n").utf8)
    }

    /// nil for anything `bytes` did not write.
    public init?(parsing bytes: [UInt8]) {
        var values: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { return nil }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let name = values["name"], let config = values["config"], let previous = values["previous_sha256"],
              let guarded = values["guarded_sha256"], let firesAt = values["fires_at"].flatMap({ Int64($0) }),
              let keepUntil = values["keep_until"].flatMap({ Int64($0) }),
              GuardRecord.isDigest(previous), GuardRecord.isDigest(guarded), GuardRecord.isName(name) else { return nil }
        self.init(name: name, config: config, previousSHA256: previous, guardedSHA256: guarded, firesAt: firesAt, keepUntil: keepUntil)
    }
}
