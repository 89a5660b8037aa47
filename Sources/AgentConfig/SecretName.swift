/// Whether a key's name says that its value is a secret, by its words: `api-key`, `apiKey`,
/// `api_key`, `private-key`, `client_secret`, `Authorization`, `bearer`, `cookie`, `pin`,
/// `pass`, `passwd`, `password`, `passphrase`, `token`, `credential(s)`, `secret(s)`, and `key`
/// or `keys` as a whole word. Not `newkey`, `monkey` or `keyboard-layout`: a word inside
/// another one does not count, except a word ending in password, passwd, secret or token
/// (`dbpassword`, `authtoken`), which no harmless name does.
public enum SecretName {
    static let words: Set<String> = [
        "password", "passwords", "passwd", "passphrase", "pass", "pwd", "secret", "secrets", "token", "tokens",
        "credential", "credentials", "key", "keys", "authorization", "bearer", "cookie", "cookies", "pin",
        "apikey", "privatekey", "secretkey", "accesskey", "signingkey", "otp", "totp",
    ]
    static let endings = ["password", "passwd", "secret", "token", "passphrase"]

    /// Letters one of the words above contains: a name without any of them is not split.
    static let triggers: [[UInt8]] = ["pass", "pwd", "secret", "token", "credential", "key", "authorization", "bearer",
                                      "cookie", "pin", "otp"].map { Array($0.utf8) }

    public static func isSecret(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return containsTrigger(bytes.span) && namesSecret(name)
    }

    /// Whether a key with a trigger in it names a secret, by its words.
    private static func namesSecret(_ name: String) -> Bool {
        words(of: name).contains { word in words.contains(word) || endings.contains { word.hasSuffix($0) } }
    }

    /// The same for a key's bytes lent by a walk over a tree's records. Most keys name no
    /// secret: one pass over the bytes, looking each up among the triggers' first letters,
    /// tells most of them apart without making a string or splitting words.
    public static func isSecret(utf8 name: Span<UInt8>) -> Bool {
        guard containsTrigger(name) else { return false }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.count)
        for index in name.indices { bytes.append(name[index]) }
        return namesSecret(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether one of the triggers occurs in the key, ASCII letters compared without case: one
    /// pass over its bytes, each looked up among the triggers' first letters.
    private static func containsTrigger(_ name: Span<UInt8>) -> Bool {
        let starts = startsTrigger
        for index in name.indices where starts[Int(folded(name[index]))] {
            for trigger in triggersByFirstByte[Int(folded(name[index]))] where index + trigger.count <= name.count {
                var matched = 1
                while matched < trigger.count, folded(name[index + matched]) == trigger[matched] { matched += 1 }
                if matched == trigger.count { return true }
            }
        }
        return false
    }

    private static func folded(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    /// The same for a key's UTF-8 bytes: the scan runs on them, and a string is made only for
    /// a key that contains one of the trigger letters.
    public static func isSecret(utf8 name: ArraySlice<UInt8>) -> Bool {
        isSecret(utf8: name.span)
    }

    /// The triggers by their first letter: one pass over a key looks up each of its bytes.
    private static let triggersByFirstByte: [[[UInt8]]] = (0..<256).map { byte in triggers.filter { $0.first == UInt8(byte) } }
    private static let startsTrigger: [Bool] = triggersByFirstByte.map { !$0.isEmpty }

    /// The words of a key: split at `-`, `_`, `.`, spaces and camelCase humps (`apiKey`:
    /// api, key; `APIKey`: api, key), in lower case.
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        let scalars = Array(name.unicodeScalars)
        func isUpper(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII ? (65...90).contains(scalar.value) : scalar.properties.isUppercase }
        func isLower(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII ? (97...122).contains(scalar.value) : scalar.properties.isLowercase }
        for (index, scalar) in scalars.enumerated() {
            if scalar == "-" || scalar == "_" || scalar == "." || scalar == " " || scalar == "\t" {
                if !current.isEmpty { words.append(String(current)) }
                current = String.UnicodeScalarView()
                continue
            }
            if isUpper(scalar), !current.isEmpty {
                let previous = scalars[index - 1]
                let next = index + 1 < scalars.count ? scalars[index + 1] : nil
                // a lower-to-upper hump (apiKey), or the last capital of an acronym before a
                // lower-case letter (APIKey: API, Key)
                if isLower(previous) || (previous.isASCII && (48...57).contains(previous.value))
                    || (isUpper(previous) && next.map(isLower) == true) {
                    words.append(String(current))
                    current = String.UnicodeScalarView()
                }
            }
            current.append(scalar)
        }
        if !current.isEmpty { words.append(String(current)) }
        return words.map { $0.lowercased() }
    }
}
