// libFuzzer target: the validators of what users type. Input is three lines (proxies, users,
// passwords) and is also fed as raw bytes to base64 and the secret-input decoder. Never a
// crash; accepted settings are accepted again as stored; base64 round-trips; no error message
// quotes a password.
@testable import AgentConfig

extension ProxyFieldNames {
    /// As `updateProxy` names the lists (the commands' own names; the core has only the keys).
    static let options = ProxyFieldNames(proxies: "--proxy", users: "--proxyUser", passwords: "--proxyPassword")
}

func check(_ data: [UInt8]) {
    let text = String(decoding: data, as: UTF8.self)
    let lines = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    let proxies = lines[0], users = lines.count > 1 ? lines[1] : nil, passwords = lines.count > 2 ? lines[2] : nil
    do {
        let settings = try ProxySettings(proxies: ProxySettings.split(proxies), users: users.map(ProxySettings.split),
                                         passwords: passwords.map(ProxySettings.split), names: .options)
        // What we would store must be accepted when read back.
        let again = try? ProxySettings(proxies: settings.storedProxies ?? [], users: settings.storedUsers,
                                       passwords: settings.storedPasswords, names: .keys)
        if again == nil { fatalError("stored settings are not accepted back") }
    } catch {
        // A password found in the message is a leak only when the same input without the
        // passwords does not produce that text (examples such as http://10.10.6.4:3128 do).
        let message = error.description
        var reference = ""
        do {
            _ = try ProxySettings(proxies: ProxySettings.split(proxies), users: users.map(ProxySettings.split),
                                  passwords: nil, names: .options)
        } catch {
            reference = error.description
        }
        for secret in ProxySettings.split(passwords ?? "") where secret.count >= 4
            && message.contains(secret) && !reference.contains(secret) {
            fatalError("an error message quotes a password")
        }
    }
    for key in ConfigKey.all { try? key.validate(text) }
    _ = try? PlatformURL(parsing: text)
    _ = try? ProxyEndpoint(parsing: text, position: 1)
    if let decoded = try? Base64.decode(text), Base64.encode(decoded) != text { fatalError("base64 does not round-trip") }
    guard (try? Base64.decode(Base64.encode(data))) == data else { fatalError("encode then decode lost bytes") }
    if let secret = try? SecretText.decode(data, source: "fuzz") {
        if data.count > SecretText.maximumBytes { fatalError("over-long secret input accepted") }
        if Array(secret.utf8).count > data.count { fatalError("secret text grew") }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    check(unsafe start.map { unsafe Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
    return 0
}
