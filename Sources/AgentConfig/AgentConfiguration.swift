import YAMLEdit

/// A value of the config, as `getConfig` and `showProxy` present it.
public enum ConfigValue: Sendable, Equatable {
    case scalar(String, ScalarType)
    case list([String])
    case other(String)
}

/// One value of the config with where it is.
public struct ConfigLeaf: Sendable, Equatable {
    /// The mapping keys leading to it; a key may itself contain a dot.
    public var components: [String]
    public var value: ConfigValue
    /// Whether the value is a plain scalar without a tag: only those can read differently.
    var isPlainScalar = false
    /// Secret by `SecretClassification`'s rule: its key or a section above it names a secret,
    /// or it is, or refers to, a secret anchor.
    public var isSecret = false
    public var key: String { components.joined(separator: ".") }

    /// A merge key (`<<`): its meaning depends on the reader.
    public var isMergeKey: Bool { components.last == "<<" && value == .other("(a merge key)") }

    public init(components: [String], value: ConfigValue, isSecret: Bool) {
        self.components = components
        self.value = value
        self.isSecret = isSecret
    }

    init(components: [String], value: ConfigValue, isPlainScalar: Bool = false, isSecret: Bool) {
        self.components = components
        self.value = value
        self.isPlainScalar = isPlainScalar
        self.isSecret = isSecret
    }

    /// For a plain value that YAML 1.1 and YAML 1.2 readers read differently (`yes`, `017`),
    /// how each reads it; nil when every reader agrees. Worked out when asked (getConfig), not
    /// for every leaf of a large file.
    public var ambiguity: String? {
        guard isPlainScalar, case .scalar(let text, _) = value, !YAMLSchema.readersAgree(on: text) else { return nil }
        return YAMLSchema.readings(of: text)
    }
}

/// The agent's config file, read: the proxy settings and every other value, by dotted key.
public struct AgentConfiguration: Sendable {
    public let document: YAMLDocument

    /// The first file size refused; give it to the store so that a larger file is refused
    /// without being read.
    public static var sizeLimit: Int { YAMLDocument.sizeLimit }

    /// Refuses a file with a key twice in one mapping: what it says depends on the reader.
    /// `refusingDuplicateKeys: false` only for a version about to be replaced whole (rollback
    /// must be able to repair such a file).
    public init(bytes: [UInt8], refusingDuplicateKeys: Bool = true) throws(YAMLEditError) {
        do {
            document = try YAMLDocument(bytes)
        } catch let error as YAMLEditError {
            throw error
        } catch {
            throw .parseFailed(problem: "\(error)", line: 0, column: 0)
        }
        if refusingDuplicateKeys { try document.refuseDuplicateKeys() }
    }

    /// A document already parsed, e.g. the result of an edit.
    public init(document: YAMLDocument) {
        self.document = document
    }

    public func node(_ path: String) throws -> YAMLNode? {
        try document.node(at: path.split(separator: ".").map(String.init))
    }

    /// A list setting, stored either as a comma-separated string or as a YAML list;
    /// `nil` when the key is absent or empty.
    public func list(_ key: ConfigKey) throws -> [String]? {
        guard let node = try node(key.path), !node.isNull else { return nil }
        switch node.kind {
        case .scalar: return ProxySettings.split(node.value)
        case .sequence where node.children.allSatisfy({ $0.kind == .scalar }):
            return node.children.map(\.value)
        case .alias:
            throw ConfigValueError.invalidValue(key: key.path, value: "*\(node.value)",
                                                expected: "the value itself; this tool does not follow aliases, so write it out")
        default:
            throw ConfigValueError.invalidValue(key: key.path, value: "(\(node.kind))",
                                                expected: "a comma-separated list or a list of values")
        }
    }

    /// The proxy settings, validated as a whole, as values already stored: what earlier
    /// versions wrote and the agent can use stays readable (see `ProxyEndpoint`).
    public func proxySettings() throws -> ProxySettings {
        // YAML 1.1 readers take keys from a merge key and YAML 1.2 readers do not: which
        // proxies the agent uses would depend on its reader.
        if let section = try node("configuration"), section.kind == .mapping, mergesProxyKeys(into: section) {
            throw YAMLEditError.cannotEditSafely(path: "configuration", reason: "it uses a merge key (<<), which YAML 1.1 readers "
                                                 + "expand and YAML 1.2 readers do not, so its proxies depend on the reader; write its keys out by hand")
        }
        return try ProxySettings(proxies: try list(.proxy) ?? [], users: try list(.proxyUser),
                          passwords: try list(.proxyPassword), names: .keys, strict: false)
    }

    /// Whether a merge key (`<<: *defaults`, `<<: [*a, *b]`, `<<: {…}`) in the section brings
    /// in one of the proxy keys.
    private func mergesProxyKeys(into section: YAMLNode) -> Bool {
        let proxyKeys = Set([ConfigKey.proxy, .proxyUser, .proxyPassword].map { String($0.path.split(separator: ".").last!) })
        // The depth bounds a file whose aliases refer back to themselves.
        func bringsProxyKeys(_ node: YAMLNode, depth: Int) -> Bool {
            guard depth < 16 else { return false }
            switch node.kind {
            case .mapping: return node.entries.contains { proxyKeys.contains($0.key.value) }
            case .sequence: return node.children.contains { bringsProxyKeys($0, depth: depth + 1) }
            case .alias: return document.root.flatMap { $0.anchored(node.value) }.map { bringsProxyKeys($0, depth: depth + 1) } ?? false
            case .scalar: return false
            }
        }
        // The merge keys are found over the section's records: it may have 150,000 keys.
        return section.entries(withKey: "<<", limit: .max).contains { bringsProxyKeys(section.children[$0 * 2 + 1], depth: 0) }
    }

    public func usesListForm(_ key: ConfigKey) throws -> Bool {
        try node(key.path)?.kind == .sequence
    }

    /// Every leaf value with its dotted key, in file order. Lists of values are leaves.
    public var leaves: [ConfigLeaf] {
        guard let root = document.root else { return [] }
        var result: [ConfigLeaf] = []
        leafWalk(root).collect(of: root, at: [], secret: false, into: &result)
        return result
    }

    /// The walk that lists leaves; the anchor walks only for a document that has anchors.
    private func leafWalk(_ root: YAMLNode) -> Leaves {
        guard document.usesAnchors else { return Leaves(anchors: [], targets: [:]) }
        return Leaves(anchors: SecretClassification.secretAnchors(in: root), targets: AgentConfiguration.aliasTargets(in: root))
    }

    /// What each alias refers to (by the alias's offset): the node its anchor was last
    /// defined on before it, as YAML readers resolve it.
    static func aliasTargets(in root: YAMLNode) -> [Int: YAMLNode] {
        var defined: [String: YAMLNode] = [:], targets: [Int: YAMLNode] = [:]
        func walk(_ node: YAMLNode) {
            if node.kind == .alias, let target = defined[node.value] { targets[node.startOffset] = target }
            // An anchor is defined when its node starts; aliases inside it see the previous one.
            node.children.forEach(walk)
            if let anchor = node.anchor { defined[anchor] = node }
        }
        walk(root)
        return targets
    }

    /// The secret nodes of this version, for diffs and the last-line filter.
    public var secrets: SecretClassification { SecretClassification(document) }

    /// The leaves at or under one key: what an edit of that key can change. Costs the size of
    /// that part of the file, not of the whole.
    public func leaves(under path: [String]) -> [ConfigLeaf] {
        if path.isEmpty { return leaves }
        guard let root = document.root, let node = try? document.node(at: path) else { return [] }
        var result: [ConfigLeaf] = []
        let leaves = leafWalk(root)
        // A section above the edited key may name a secret.
        let secret = path.dropLast().contains(where: SecretName.isSecret)
        if node.kind == .mapping {
            leaves.collect(of: node, at: path, secret: secret || path.last.map(SecretName.isSecret) == true, into: &result)
        } else {
            leaves.append(node, at: path, secret: secret, into: &result)
        }
        return result
    }

    /// The walk that lists leaves, with the secret anchors known.
    private struct Leaves {
        var anchors: Set<String>
        var targets: [Int: YAMLNode]
        /// Aliases followed on the way to this leaf: a bound against an alias inside its own anchor.
        var depth = 0

        func collect(of mapping: YAMLNode, at prefix: [String], secret: Bool, into result: inout [ConfigLeaf]) {
            let secret = secret || mapping.anchor.map(anchors.contains) == true
            for (key, value) in mapping.entries {
                // A key that is an alias reads as the scalar it refers to.
                let name = key.kind == .alias ? targets[key.startOffset].flatMap { $0.kind == .scalar ? $0.value : nil } ?? "*" + key.value
                    : key.value
                let path = prefix + [name]
                if key.isMergeKey {
                    // YAML 1.1 readers expand it, YAML 1.2 readers keep a key named "<<": no
                    // value is what every reader reads. The caller refuses it.
                    result.append(ConfigLeaf(components: path, value: .other("(a merge key)"), isSecret: secret))
                    continue
                }
                if value.kind == .mapping {
                    collect(of: value, at: path, secret: secret || SecretName.isSecret(key.value), into: &result)
                } else {
                    append(value, at: path, secret: secret, into: &result)
                }
            }
        }

        /// A leaf at `path`, whose last component is its key; `secret`: a section above is.
        func append(_ value: YAMLNode, at path: [String], secret inherited: Bool, into result: inout [ConfigLeaf]) {
            let secret = inherited || path.last.map(SecretName.isSecret) == true || value.anchor.map(anchors.contains) == true
                || (value.kind == .alias && anchors.contains(value.value))
                || value.children.contains { $0.anchor.map(anchors.contains) == true || ($0.kind == .alias && anchors.contains($0.value)) }
            switch value.kind {
            case .mapping: collect(of: value, at: path, secret: secret, into: &result)
            case .scalar:
                result.append(ConfigLeaf(components: path, value: .scalar(value.value, value.scalarType),
                                         isPlainScalar: value.style == .plain && value.tag == nil, isSecret: secret))
            case .sequence where value.children.allSatisfy({ $0.kind == .scalar }):
                result.append(ConfigLeaf(components: path, value: .list(value.children.map(\.value)), isSecret: secret))
            case .sequence: result.append(ConfigLeaf(components: path, value: .other("(a nested list)"), isSecret: secret))
            case .alias:
                // Resolved to the anchored value, as YAML readers read it.
                if let target = targets[value.startOffset], depth < 8 {
                    var inner = self
                    inner.depth += 1
                    inner.append(target, at: path, secret: secret, into: &result)
                } else {
                    result.append(ConfigLeaf(components: path, value: .other("*" + value.value), isSecret: secret))
                }
            }
        }
    }

    public var keyPaths: [String] { leaves.map(\.key) }
}
