import YAMLEdit

/// Hides secret values in a config text for display (`--dryRun` diffs): each secret is
/// replaced, through the same format-preserving editor, by a marker that says only whether it
/// changed. The markers cannot be mistaken for file content: `<secret>`, `<new secret>`.
public enum SecretMask {
    /// In values shown on their own (getConfig, showProxy, error messages).
    public static let hidden = "********"
    /// In diffs, where a value looks like the file's text.
    public static let unchanged = "<secret>"
    public static let changed = "<new secret>"

    public static func mask(_ value: String) -> String { value.isEmpty ? "" : hidden }

    /// Masks `old` and `new` together, so that a changed secret shows as changed.
    public static func mask(old: [UInt8], new: [UInt8]) -> (old: [UInt8], new: [UInt8]) {
        let oldSecrets = secrets(in: old), newSecrets = secrets(in: new)
        func masked(_ bytes: [UInt8], _ secrets: [ConfigLeaf], isNew: Bool) -> [UInt8] {
            var operations: [YAMLEditOperation] = []
            for leaf in secrets {
                let value = leaf.value
                let marker = isNew && oldSecrets.first(where: { $0.components == leaf.components })?.value != value ? changed : unchanged
                let path = leaf.components
                switch value {
                case .list(let items): operations.append(.setList(path: path, values: items.map { $0.isEmpty ? "" : marker }))
                case .scalar(let text, _) where text.contains(","):
                    operations.append(.set(path: path, value: ProxySettings.split(text).map { $0.isEmpty ? "" : marker }.joined(separator: ","), type: .string))
                case .scalar(let text, _): operations.append(.set(path: path, value: text.isEmpty ? "" : marker, type: .string))
                case .other: break
                }
            }
            // Secrets inside lists (`- api-key: …`) have no dotted path to edit: their lines
            // are hidden instead.
            let inLists = secretsInsideLists(of: bytes)
            if let result = try? YAMLDocument.applying(operations, to: bytes) { return hideLines(result, containing: inLists) }
            return hideLines(bytes, containing: secrets.map(\.value) + inLists)
        }
        return (masked(old, oldSecrets, isNew: false), masked(new, newSecrets, isNew: true))
    }

    /// The values of secret-named keys anywhere below a list, where `leaves` does not reach.
    private static func secretsInsideLists(of bytes: [UInt8]) -> [ConfigValue] {
        guard let root = (try? AgentConfiguration(bytes: bytes))?.document.root else { return [] }
        var found: [ConfigValue] = []
        var pending: [(node: YAMLNode, inList: Bool)] = [(root, false)]
        while let (node, inList) = pending.popLast() {
            let nested = inList || node.kind == .sequence
            if node.kind == .mapping {
                for index in stride(from: 0, to: node.children.count - 1, by: 2) {
                    let key = node.children[index], value = node.children[index + 1]
                    if nested, key.kind == .scalar, ConfigKey.isSecret(key.value) {
                        found += scalars(in: value).map { .scalar($0, .string) }
                    }
                    pending.append((value, nested))
                }
            } else {
                pending += node.children.map { ($0, nested) }
            }
        }
        return found
    }

    private static func scalars(in node: YAMLNode) -> [String] {
        node.kind == .scalar ? [node.value] : node.children.flatMap(scalars(in:))
    }

    private static func secrets(in bytes: [UInt8]) -> [ConfigLeaf] {
        guard let config = try? AgentConfiguration(bytes: bytes) else { return [] }
        return config.leaves.filter { ConfigKey.isSecret($0.key) }
    }

    /// The fallback when a secret cannot be masked by editing: drop every line showing it.
    private static func hideLines(_ bytes: [UInt8], containing values: [ConfigValue]) -> [UInt8] {
        let texts: [String] = values.flatMap { value -> [String] in
            switch value {
            case .list(let items): return items
            case .scalar(let text, _): return ProxySettings.split(text) + [text]
            case .other: return []
            }
        }.filter { !$0.isEmpty }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line -> [UInt8] in
            let text = String(decoding: line, as: UTF8.self)
            return texts.contains(where: { text.contains($0) }) ? Array("# (line hidden: it contains a secret)".utf8) : Array(line)
        }
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }
}
