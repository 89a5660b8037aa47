import AgentConfig

/// Which keys differ between two versions of the config.
enum KeyChanges {
    /// Only the edited keys are compared (the edit was verified to change nothing else), or
    /// all of them when any may have changed (`edited` empty: a rollback replaces the whole file).
    static func between(_ old: AgentConfiguration, _ new: AgentConfiguration, under edited: [[String]]) -> [KeyChange] {
        var seen = Set<[String]>()
        let paths = edited.isEmpty ? [[]] : edited.filter { seen.insert($0).inserted }
        let before = paths.flatMap(old.leaves(under:)), after = paths.flatMap(new.leaves(under:))
        let oldValues = Dictionary(before.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let newValues = Dictionary(after.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        var keys = after.map(\.key).filter { oldValues[$0] != newValues[$0] }
        keys += before.map(\.key).filter { newValues[$0] == nil }
        let secret = Set((before + after).filter(\.isSecret).map(\.key))
        var listed = Set<String>()  // edited paths may overlap (a key and one under it)
        return keys.filter { listed.insert($0).inserted }.map {
            KeyChange(key: $0, old: oldValues[$0], new: newValues[$0], secret: secret.contains($0))
        }
    }
}
