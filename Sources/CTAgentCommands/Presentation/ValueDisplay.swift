import AgentConfig

/// A value as text for people: lists comma-joined, secrets masked entry by entry.
func display(_ value: ConfigValue, key: String, showSecrets: Bool) -> String {
    let secret = ConfigKey.isSecret(key) && !showSecrets
    switch value {
    case .scalar(let text, _):
        guard secret else { return text }
        return text.contains(",") ? ProxySettings.split(text).map(SecretMask.mask).joined(separator: ",") : SecretMask.mask(text)
    case .list(let items):
        return (secret ? items.map(SecretMask.mask) : items).joined(separator: ",")
    case .other(let text):
        return text
    }
}
