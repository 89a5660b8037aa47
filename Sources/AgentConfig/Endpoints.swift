/// The hosts the agent talks to, as the config names them: every `https://` URL directly under
/// `configuration` (platform-url today; telemetry or logs URLs when the file has them).
public struct AgentEndpoint: Sendable, Equatable {
    /// The dotted key, e.g. `configuration.platform-url`.
    public var key: String
    public var url: PlatformURL
}

extension AgentConfiguration {
    /// The `https://` URL values of the configuration section, in the file's order; a value
    /// that does not parse as a URL is left out (validation names it elsewhere).
    public func httpsEndpoints() -> [AgentEndpoint] {
        guard let section = try? node("configuration"), section.kind == .mapping else { return [] }
        return section.entries.compactMap { key, value in
            guard key.kind == .scalar, value.kind == .scalar, value.value.lowercased().hasPrefix("https://") else { return nil }
            let path = "configuration." + key.value
            return (try? PlatformURL(parsing: value.value, key: path)).map { AgentEndpoint(key: path, url: $0) }
        }
    }
}
