import DurableFile
import AgentConfig
import ArgumentParser
import Glibc

/// Shell completion of dotted keys: the known settings plus every key of the config file the
/// command line names (`--config FILE`, else `$CTAGENT_CONFIG`, else the default). Runs in the
/// binary when the user presses TAB, so it always knows the file as it is now.
enum KeyCompletion {
    enum Style {
        /// `--param`: keys separated by `;`, so the word may already hold finished keys.
        case list
        /// `--set KEY=VALUE`: a key followed by `=`.
        case assignment
        case plain
    }

    static func completion(_ style: Style) -> CompletionKind {
        .custom { words, _, prefix in candidates(words: words, prefix: prefix, style: style) }
    }

    static func candidates(words: [String], prefix: String, style: Style) -> [String] {
        let keys = Set(ConfigKey.all.map(\.path) + fileKeys(configPath(in: words))).sorted()
        switch style {
        case .plain:
            return keys.filter { $0.hasPrefix(prefix) }
        case .assignment:
            return keys.map { $0 + "=" }.filter { $0.hasPrefix(prefix) }
        case .list:
            let done = prefix.split(separator: ";", omittingEmptySubsequences: false).dropLast()
            let head = done.isEmpty ? "" : done.joined(separator: ";") + ";"
            let current = String(prefix.dropFirst(head.count))
            return keys.filter { $0.hasPrefix(current) && !done.contains(Substring($0)) }.map { head + $0 }
        }
    }

    static func configPath(in words: [String]) -> String {
        for (index, word) in words.enumerated() {
            if word.hasPrefix("--config=") { return unquote(String(word.dropFirst("--config=".count))) }
            if word == "--config", index + 1 < words.count { return unquote(words[index + 1]) }
        }
        return ConfigOptions.path(given: nil)
    }

    /// Shell words arrive verbatim, quotes and escapes included.
    private static func unquote(_ word: String) -> String {
        var text = word
        if let first = text.first, (first == "'" || first == "\""), text.last == first, text.count >= 2 {
            text = String(text.dropFirst().dropLast())
        }
        return text.split(separator: "\\ ", omittingEmptySubsequences: false).joined(separator: " ")
    }

    private static func fileKeys(_ path: String) -> [String] {
        guard let bytes = try? FileStore(path: path, sizeLimit: AgentConfiguration.sizeLimit).read(), let config = try? AgentConfiguration(bytes: bytes) else { return [] }
        return config.keyPaths
    }
}
