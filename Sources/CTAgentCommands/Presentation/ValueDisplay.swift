import AgentConfig

/// A value as text for people: lists comma-joined, secrets masked entry by entry, the
/// user-info of a URL value masked (`https://***@host`) unless `showSecrets`.
func display(_ value: ConfigValue, secret: Bool, showSecrets: Bool) -> String {
    if showSecrets {
        switch value {
        case .scalar(let text, _): return text
        case .list(let items): return items.joined(separator: ",")
        case .other(let text): return text
        }
    }
    switch value {
    case .scalar(let text, _):
        guard secret else { return maskingUserInfo(text) }
        return text.contains(",") ? ProxySettings.split(text).map(SecretMask.mask).joined(separator: ",") : SecretMask.mask(text)
    case .list(let items):
        return (secret ? items.map(SecretMask.mask) : items.map(maskingUserInfo)).joined(separator: ",")
    case .other(let text):
        return secret ? SecretMask.hidden : text
    }
}

/// `https://user:pw@host` → `https://***@host`; other text as it is.
func maskingUserInfo(_ text: String) -> String {
    guard let info = SecretClassification.userInfo(in: text), let range = text.firstRange(of: info + "@") else { return text }
    var masked = text
    masked.replaceSubrange(range, with: "***@")
    return masked
}
