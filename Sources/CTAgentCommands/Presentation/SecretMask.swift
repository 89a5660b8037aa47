import AgentConfig
import YAMLEdit

/// Hides secret values in a config text for display (`--dryRun` diffs): each secret is
/// replaced, through the same format-preserving editor, by a marker that says only whether it
/// changed. The markers cannot be mistaken for file content: `<secret>`, `<new secret>`.
enum SecretMask {
    /// In values shown on their own (getConfig, showProxy, error messages).
    static let hidden = "********"
    /// In diffs, where a value looks like the file's text.
    static let unchanged = "<secret>"
    static let changed = "<new secret>"

    static func mask(_ value: String) -> String { value.isEmpty ? "" : hidden }

    /// Masks `old` and `new` together, so that a changed secret shows as changed.
    static func mask(old: [UInt8], new: [UInt8]) -> (old: [UInt8], new: [UInt8]) {
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
            // Secrets that have no dotted path to edit (inside lists, or a whole section under
            // a secret key) are hidden by line, on the text actually shown.
            let shown = (try? YAMLDocument.applying(operations, to: bytes)) ?? hideLines(bytes, containing: secrets.map(\.value))
            return hideLines(shown, numbered: linesOfUneditableSecrets(in: shown))
        }
        return (masked(old, oldSecrets, isNew: false), masked(new, newSecrets, isNew: true))
    }

    /// The lines (0-based) of every scalar that is secret by a key above it but that the
    /// edits above cannot reach: below a list, or below a secret key whose value is a section.
    /// One walk of the tree; block scalars and quoted values spanning lines are covered whole.
    static func linesOfUneditableSecrets(in bytes: [UInt8]) -> Set<Int> {
        guard let root = (try? AgentConfiguration(bytes: bytes))?.document.root else { return [] }
        var lines = Set<Int>()
        // secret: a secret key is above; reachable: the leaf edits cover it (no list on the way,
        // and the secret key's value is a scalar or a list of scalars).
        var pending: [(node: YAMLNode, secret: Bool, inList: Bool)] = [(root, false, false)]
        while let (node, secret, inList) = pending.popLast() {
            switch node.kind {
            case .mapping:
                for (key, value) in node.entries {
                    let secretKey = secret || (key.kind == .scalar && ConfigKey.isSecret(key.value))
                    let section = secretKey && value.kind == .mapping
                    pending.append((value, secretKey, inList || section))
                }
            case .sequence:
                pending += node.children.map { ($0, secret, inList || node.children.contains { $0.kind != .scalar }) }
            case .scalar where secret && inList:
                let last = node.end.column == 0 && node.end.line > node.start.line ? node.end.line - 1 : node.end.line
                lines.formUnion(node.start.line...max(node.start.line, last))
            default:
                break
            }
        }
        return lines
    }

    private static func hideLines(_ bytes: [UInt8], numbered hidden: Set<Int>) -> [UInt8] {
        guard !hidden.isEmpty else { return bytes }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated().map { index, line in
            hidden.contains(index) ? Array("# (line hidden: it contains a secret)".utf8) : Array(line)
        }
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
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
