import AgentConfig
import YAMLEdit

/// What every writing subcommand does once it knows which edits it wants: plan them on the
/// current file under the lock, refuse an inconsistent result, write atomically (or show the
/// diff with `--dryRun`), report, and restart the agent when something changed.
struct ConfigWriter {
    let options: WriteOptions
    var path: String { options.configOptions.path }

    struct Change: Encodable, Equatable {
        var key: String
        var old: String?
        var new: String?
    }

    struct Report: Encodable {
        var config: String
        var dryRun: Bool
        var changed: Bool
        var written: Bool
        var backup: String?
        var changes: [Change]
        var restart: RestartReport
    }

    struct RestartReport: Encodable {
        var requested: Bool
        var performed: Bool
        var status: String
        var message: String?
    }

    func apply(_ plan: @escaping (AgentConfiguration) throws -> [YAMLEditOperation]) throws {
        try ErrorReporting.run(configPath: path) {
            let store = ConfigStore(path: path, lockTimeout: options.lockTimeout)
            // Each version is parsed once: the edit returns the new document already parsed
            // (it had to parse it to verify it), and the consistency check and the list of
            // changes read those same trees.
            func transform(_ bytes: [UInt8]) throws -> (old: AgentConfiguration, new: AgentConfiguration, keys: [[String]]) {
                let current = try AgentConfiguration(bytes: bytes)
                let operations = try plan(current)
                let edited = AgentConfiguration(document: try current.document.applying(operations))
                try ConfigChange.checkConsistency(edited)
                return (current, edited, operations.map(\.path))
            }
            // Planned once without the lock, so that bad input is refused at once (without
            // waiting for another writer, and without creating the lock file), then again under
            // the lock when another writer changed the file in between.
            let firstRead = try store.read()
            var versions = try transform(firstRead)
            var backup: String?
            var written = false
            if !options.dryRun {
                let outcome = try store.update { bytes in
                    if bytes != firstRead { versions = try transform(bytes) }
                    return versions.new.document.bytes
                }
                if case .written(let path, let notes) = outcome {
                    written = true
                    backup = path
                    notes.forEach { Console.error("Warning: " + $0) }
                }
            }
            let old = versions.old.document.bytes, new = versions.new.document.bytes
            let changes = ConfigWriter.changes(old: versions.old, new: versions.new, under: versions.keys)
            let changed = old != new
            let restart = restartReport(changed: changed)
            if options.json {
                JSONOutput.print(Report(config: path, dryRun: options.dryRun, changed: changed, written: written,
                                        backup: backup, changes: changes, restart: restart))
            } else {
                printText(old: old, new: new, changes: changes, backup: backup, restart: restart)
            }
            if restart.status == "failed" {
                throw CommandFailure(description: "\(path) was saved, but the agent service was not restarted: "
                                     + (restart.message ?? "unknown error") + ". The change takes effect at the next restart",
                                     exitCode: 69)
            }
        }
    }

    /// Restarts the agent when the file changed, unless told not to.
    private func restartReport(changed: Bool) -> RestartReport {
        if options.dryRun || !changed {
            return RestartReport(requested: false, performed: false, status: "not-needed", message: nil)
        }
        if options.skipRestart {
            return RestartReport(requested: false, performed: false, status: "skipped",
                                 message: "restart \(options.restart.unit) to apply the change")
        }
        do {
            let outcome = try options.restart.restarter.restart(unit: options.restart.unit)
            return RestartReport(requested: true, performed: true, status: "restarted",
                                 message: "restarted \(options.restart.unit) (via \(outcome.rawValue))")
        } catch {
            return RestartReport(requested: true, performed: false, status: "failed", message: error.description)
        }
    }

    private func printText(old: [UInt8], new: [UInt8], changes: [Change], backup: String?, restart: RestartReport) {
        guard old != new else {
            Console.out("\(path) is already up to date; nothing was written and the service was not restarted.")
            return
        }
        if options.dryRun {
            let masked = SecretMask.mask(old: old, new: new)
            Console.out(UnifiedDiff.make(old: masked.old, new: masked.new, oldName: path, newName: path + " (new)"), terminator: "")
            Console.out("Dry run: \(changes.map(\.key).joined(separator: ", ")) would change; nothing was written and the service was not restarted.")
            return
        }
        let keys = changes.map(\.key).joined(separator: ", ")
        Console.out("Updated \(path): \(keys.isEmpty ? "formatting" : keys) changed. "
                    + (backup.map { "Previous version saved as \($0)." } ?? "The previous version was not saved (see the warning)."))
        for change in changes {
            Console.out("  \(change.key): \(change.old ?? "(absent)") -> \(change.new ?? "(removed)")")
        }
        switch restart.status {
        case "restarted": Console.out("The agent service was \(restart.message ?? "restarted").")
        case "skipped": Console.out("The agent service was not restarted (--skipRestart): \(restart.message ?? "").")
        default: break
        }
    }

    /// Which keys differ between the two versions, secrets masked. Only the edited keys are
    /// compared: the edit was verified to change nothing else.
    static func changes(old: AgentConfiguration, new: AgentConfiguration, under edited: [[String]]) -> [Change] {
        var seen = Set<[String]>()
        let paths = edited.filter { seen.insert($0).inserted }
        let before = paths.flatMap(old.leaves(under:)), after = paths.flatMap(new.leaves(under:))
        let oldValues = Dictionary(before.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let newValues = Dictionary(after.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        var keys = after.map(\.key).filter { oldValues[$0] != newValues[$0] }
        keys += before.map(\.key).filter { newValues[$0] == nil }
        var listed = Set<String>()  // edited paths may overlap (a key and one under it)
        return keys.filter { listed.insert($0).inserted }.map { key in
            Change(key: key, old: oldValues[key].map { display($0, key: key, showSecrets: false) },
                   new: newValues[key].map { display($0, key: key, showSecrets: false) })
        }
    }
}

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
