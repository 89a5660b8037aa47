import SystemCalls

/// The text of secrets read from standard input or a file (`--proxyPasswordStdin`,
/// `--proxyPasswordFile`): bounded in size, UTF-8, without the one final line ending that
/// `echo` and editors add.
public enum SecretText {
    /// Far more than any list of base64 passwords, and a bound on what is read, so that
    /// `/dev/zero` or a wrong file ends at once with a message instead of exhausting memory.
    public static let maximumBytes = 64 * 1024

    /// What the input should hold, for the messages.
    public enum Expected: Sendable {
        /// updateProxy's: base64 passwords, comma-separated.
        case passwordList
        /// encodePassword's: one password in plain text.
        case onePassword

        var noun: String { self == .passwordList ? "the passwords" : "the password" }
        var description: String {
            self == .passwordList ? "the base64 passwords, comma-separated (a few hundred bytes)" : "one password, a line of text"
        }
    }

    /// Reads secrets from a descriptor: at most `maximumBytes` and one more, to tell that the
    /// input is too long. Throws `SystemError` when reading fails, `ConfigValueError` when
    /// what was read is not usable.
    public static func read(from file: borrowing FileDescriptor, source: String, expecting expected: Expected = .passwordList) throws -> String {
        try decode(try file.readAll(limit: maximumBytes + 1), source: source, expecting: expected)
    }

    /// - Parameter source: how the input is named in messages (`standard input`, a path).
    public static func decode(_ bytes: [UInt8], source: String, expecting expected: Expected = .passwordList) throws(ConfigValueError) -> String {
        guard bytes.count <= maximumBytes else {
            throw .usage("\(source) holds more than \(maximumBytes / 1024) KiB; expected \(expected.description)")
        }
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .usage("\(expected.noun) read from \(source) \(expected == .passwordList ? "are" : "is") not UTF-8 text")
        }
        return text
    }
}
