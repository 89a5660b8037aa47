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

    public static func isSecret(_ name: String) -> Bool {
        words(of: name).contains { word in words.contains(word) || endings.contains { word.hasSuffix($0) } }
    }

    /// The words of a key: split at `-`, `_`, `.`, spaces and camelCase humps (`apiKey`:
    /// api, key; `APIKey`: api, key), in lower case.
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            if character == "-" || character == "_" || character == "." || character.isWhitespace {
                if !current.isEmpty { words.append(current) }
                current = ""
                continue
            }
            if character.isUppercase, !current.isEmpty {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                // a lower-to-upper hump (apiKey), or the last capital of an acronym before a
                // lower-case letter (APIKey: API, Key)
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    words.append(current)
                    current = ""
                }
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }
    }
}
