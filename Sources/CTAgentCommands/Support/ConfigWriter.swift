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
            let transform = { (old: [UInt8]) throws -> [UInt8] in
                let new = try YAMLDocument.applying(try plan(try AgentConfiguration(bytes: old)), to: old)
                try ConfigChange.checkConsistency(new)
                return new
            }
            var old: [UInt8] = [], new: [UInt8] = []
            var backup: String?
            // Planned once without the lock, so that bad input is refused at once (without
            // waiting for another writer, and without creating the lock file), then again under
            // the lock on the bytes actually replaced.
            old = try store.read()
            new = try transform(old)
            if !options.dryRun {
                let outcome = try store.update { bytes in
                    old = bytes
                    new = try transform(bytes)
                    return new
                }
                if case .written(let path) = outcome { backup = path }
            }
            let changes = ConfigWriter.changes(old: old, new: new)
            let changed = old != new
            let restart = restartReport(changed: changed)
            if options.json {
                JSONOutput.print(Report(config: path, dryRun: options.dryRun, changed: changed, written: backup != nil,
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
        Console.out("Updated \(path): \(keys.isEmpty ? "formatting" : keys) changed. Previous version saved as \(backup ?? "-").")
        for change in changes {
            Console.out("  \(change.key): \(change.old ?? "(absent)") -> \(change.new ?? "(removed)")")
        }
        switch restart.status {
        case "restarted": Console.out("The agent service was \(restart.message ?? "restarted").")
        case "skipped": Console.out("The agent service was not restarted (--skipRestart): \(restart.message ?? "").")
        default: break
        }
    }

    /// Which keys differ between the two versions, secrets masked.
    static func changes(old: [UInt8], new: [UInt8]) -> [Change] {
        let before = (try? AgentConfiguration(bytes: old))?.leaves ?? []
        let after = (try? AgentConfiguration(bytes: new))?.leaves ?? []
        let oldValues = Dictionary(before.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let newValues = Dictionary(after.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        var keys = after.map(\.key).filter { oldValues[$0] != newValues[$0] }
        keys += before.map(\.key).filter { newValues[$0] == nil }
        return keys.map { key in
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
