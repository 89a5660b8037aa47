import Foundation

/// A fresh folder under /tmp, removed with everything in it when the value goes away: the
/// one way tests make scratch space.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String

    public init(prefix: String = "ctagent-test") throws {
        path = try TemporaryFolder.make(prefix: prefix)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to a file in the folder, with `mode`.
    @discardableResult
    public func write(_ text: String, to name: String, mode: mode_t = 0o600) throws -> String {
        let target = file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        chmod(target, mode)
        return target
    }

    /// A folder that outlives this value: for fixtures that remove it themselves.
    public static func make(prefix: String = "ctagent-test") throws -> String {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestSupportError(message: "mkdtemp failed: errno \(errno)") }
        return String(cString: made)
    }
}

/// Runs `body` with a fresh folder, removed afterwards.
public func withTemporaryFolder<Result>(_ body: (String) throws -> Result) throws -> Result {
    let folder = try TemporaryFolder()
    return try body(folder.path)
}
