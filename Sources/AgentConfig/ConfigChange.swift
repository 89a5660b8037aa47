import YAMLEdit

/// Turns what a user asked for into edits of the config file, validating every value first.
/// Planning happens under the writer's lock, on the bytes it is about to replace.
public enum ConfigChange {
    /// `updateProxy` and `clearProxy`: the three proxy keys are replaced as a whole.
    public static func replacingProxies(with settings: ProxySettings,
                                        in config: AgentConfiguration) throws -> [YAMLEditOperation] {
        let values: [(ConfigKey, [String]?)] = [(.proxy, settings.storedProxies), (.proxyUser, settings.storedUsers),
                                                (.proxyPassword, settings.storedPasswords)]
        return try values.map { key, list in try operation(for: key, list: list, in: config) }
    }

    private static func operation(for key: ConfigKey, list: [String]?, in config: AgentConfiguration) throws -> YAMLEditOperation {
        guard let list else { return .remove(path: key.components) }
        // Writing keeps whichever form the file already uses.
        if try config.usesListForm(key) { return .setList(path: key.components, values: list) }
        return .set(path: key.components, value: list.joined(separator: ","), type: .string)
    }

    /// One `updateConfig` assignment: a value to set, or `nil` to remove the key.
    public struct Assignment: Sendable, Equatable {
        public var key: String
        public var value: String?
        /// Store a string whatever the text looks like (`--setString`).
        public var asString: Bool
        public init(key: String, value: String?, asString: Bool = false) {
            self.key = key
            self.value = value
            self.asString = asString
        }
    }

    /// Checks each key and value, then plans the edits. Known keys are validated on their own
    /// here and the result as a whole by `checkConsistency`.
    public static func applying(_ assignments: [Assignment], allowNewKeys: Bool,
                                in config: AgentConfiguration) throws -> [YAMLEditOperation] {
        // Every key of the file, only for a did-you-mean: listed when a key is refused.
        var present: [String] { config.keyPaths }
        var operations: [YAMLEditOperation] = []
        for assignment in assignments {
            if assignment.key.trimmingWhiteSpace != assignment.key {
                throw ConfigValueError.keyWithWhiteSpace(key: assignment.key)
            }
            let path = assignment.key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.isEmpty, !path.contains(where: \.isEmpty) else {
                throw ConfigValueError.notADottedKey(key: assignment.key)
            }
            let known = ConfigKey.known(assignment.key)
            let exists = try config.node(assignment.key) != nil
            guard var value = assignment.value else {
                // One removal removes one setting; a whole section goes only key by key.
                if let node = try config.node(assignment.key), node.kind == .mapping, !node.children.isEmpty {
                    throw ConfigValueError.sectionNotOneSetting(key: assignment.key, keys: node.children.count / 2)
                }
                if !exists && known == nil {
                    throw ConfigValueError.notInFile(key: assignment.key,
                                                     suggestion: ConfigKey.suggestion(for: assignment.key, among: present))
                }
                operations.append(.remove(path: path))
                continue
            }
            if let known {
                try known.validate(value)
                // One stored form for one value, whichever command writes it.
                value = known.canonical(value)
                if known.isList {
                    operations.append(try operation(for: known, list: ProxySettings.split(value), in: config))
                    continue
                }
            } else if !exists, let twin = ConfigKey.all.map(\.path).first(where: { $0.lowercased() == assignment.key.lowercased() }) {
                // Even with --allowNewKeys: a key that differs from a known one only in case is
                // a typo that would add a second key the agent never reads. (Keys already in
                // the file may differ in case on purpose: HTTP_PROXY and http_proxy.)
                throw ConfigValueError.caseTwin(key: assignment.key, twin: twin)
            } else if !exists && !allowNewKeys {
                throw ConfigValueError.unknownKey(key: assignment.key, suggestion: ConfigKey.suggestion(
                    for: assignment.key, among: ConfigKey.all.map(\.path) + present))
            }
            operations.append(.set(path: path, value: value, type: known?.storedType ?? (assignment.asString ? .string : nil)))
        }
        return operations
    }

    /// The file after the edits must still make sense to the agent as a whole: as many users
    /// and passwords as proxies, each user with a password.
    public static func checkConsistency(_ config: AgentConfiguration) throws {
        _ = try config.proxySettings()
    }
}

