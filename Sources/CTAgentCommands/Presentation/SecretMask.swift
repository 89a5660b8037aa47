import AgentConfig
import YAMLEdit

/// Hides secrets in a config text for display (`--dryRun` and `rollback --dryRun` diffs), by
/// `SecretClassification`: every line that any byte of a secret node is on is masked,
/// whatever the node's tag, anchor, style or line count. The first line keeps what comes
/// before the secret (`  api-token: `) and then says only whether the secret changed; the
/// lines after it keep their indentation. The markers cannot be mistaken for file content:
/// `<secret>`, `<new secret>`. The user-info of a URL becomes `***`.
enum SecretMask {
    /// In values shown on their own (getConfig, showProxy, error messages).
    static let hidden = "********"
    /// In diffs, where a value looks like the file's text.
    static let unchanged = "<secret>"
    static let changed = "<new secret>"

    static func mask(_ value: String) -> String { value.isEmpty ? "" : hidden }

    /// Masks `old` and `new` together, so that a changed (or added) secret shows as changed.
    static func mask(old: [UInt8], new: [UInt8]) -> (old: [UInt8], new: [UInt8]) {
        let oldSecrets = (try? AgentConfiguration(bytes: old))?.secrets
        let newSecrets = (try? AgentConfiguration(bytes: new))?.secrets
        let before = Dictionary((oldSecrets?.spans ?? []).map { ($0.path, $0.value) }, uniquingKeysWith: { first, _ in first })
        return (hide(old, oldSecrets, isChanged: { _ in false }),
                hide(new, newSecrets, isChanged: { before[$0.path] != $0.value }))
    }

    /// The text with the lines of every secret masked. A text that does not parse is masked
    /// by its keys alone: every line whose key names a secret.
    static func hide(_ bytes: [UInt8], _ secrets: SecretClassification?, isChanged: (SecretClassification.SecretSpan) -> Bool) -> [UInt8] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        guard let secrets else { return hideByKey(lines) }
        var starts: [Int] = []  // each line's offset in the text
        var offset = 0
        for line in lines {
            starts.append(offset)
            offset += line.count + 1
        }
        var masked = Set<Int>()
        for span in secrets.spans.sorted(by: { $0.offset < $1.offset }) where span.line < lines.count {
            let first = span.line
            if !masked.contains(first) {
                let prefixLength = max(0, min(lines[first].count, span.offset - starts[first]))
                let marker = isChanged(span) ? changed : unchanged
                // A comma list (proxy-password) keeps its shape: one marker per entry.
                let shown = span.value.contains(",") && !span.value.contains("\n")
                    ? ProxySettings.split(span.value).map { $0.isEmpty ? "" : marker }.joined(separator: ",") : marker
                lines[first] = Array(lines[first].prefix(prefixLength)) + Array(shown.utf8)
                masked.insert(first)
            }
            for line in (first + 1)..<max(first + 1, min(span.lastLine + 1, lines.count)) where !masked.contains(line) {
                lines[line] = Array(lines[line].prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) + Array(unchanged.utf8)
                masked.insert(line)
            }
        }
        for (span, info) in secrets.userInfo {
            for line in span.line...max(span.line, span.lastLine) where line < lines.count && !masked.contains(line) {
                lines[line] = Array(String(decoding: lines[line], as: UTF8.self).replacing(info + "@", with: "***@").utf8)
            }
        }
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }

    /// The fallback for a text no parser reads: a line whose key (the text before its first
    /// ':') names a secret shows only the key.
    private static func hideByKey(_ lines: [[UInt8]]) -> [UInt8] {
        let shown = lines.map { line -> [UInt8] in
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return line }
            let key = String(decoding: line[..<colon], as: UTF8.self).trimmingWhiteSpace.trimmingCharacters(in: "-\"' ")
            return SecretName.isSecret(key) ? Array(line[...colon]) + Array(" \(unchanged)".utf8) : line
        }
        return Array(shown.joined(separator: [UInt8(ascii: "\n")]))
    }
}

extension String {
    /// Without the given characters at either end.
    func trimmingCharacters(in set: String) -> String {
        String(drop(while: set.contains).reversed().drop(while: set.contains).reversed())
    }
}
