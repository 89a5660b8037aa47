import AgentConfig
import ArgumentParser
import Audit
import Glibc
import ServiceControl
import YAMLEdit
import TimeKeeping

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
        /// With --rollbackOnFailure, after a failed restart.
        var rollback: RollbackReport?
    }

    struct RollbackReport: Encodable {
        /// The previous version is in place again.
        var performed: Bool
        /// Why it was not put back.
        var message: String?
        /// The restart with the previous version.
        var restart: RestartReport?
    }

    struct RestartReport: Encodable {
        var requested: Bool
        var performed: Bool
        var status: String
        var message: String?
        /// Why it failed, for --rollbackOnFailure; not in the JSON (`message` says it).
        var failure: RestartError?

        enum CodingKeys: String, CodingKey { case requested, performed, status, message }
    }

    /// Edits: the operations planned on the current file.
    func apply(_ plan: @escaping (AgentConfiguration) throws -> [YAMLEditOperation]) throws {
        try apply(event: .change) { current in
            let operations = try plan(current)
            // The edit returns the new document already parsed (it had to parse it to verify it).
            return (AgentConfiguration(document: try current.document.applying(operations)), operations.map(\.path))
        }
    }

    /// Any new version of the file, worked out from the current one under the lock, with the
    /// keys it may change (`[]`: any).
    func apply(event: AuditRecord.Event,
               revise: @escaping (AgentConfiguration) throws -> (new: AgentConfiguration, keys: [[String]])) throws {
        try ConfigFileError.about(path) { try write(event: event, revise: revise) }
    }

    private func write(event: AuditRecord.Event,
                       revise: @escaping (AgentConfiguration) throws -> (new: AgentConfiguration, keys: [[String]])) throws {
        let store = ConfigStore(path: path, lockTimeout: .seconds(options.lockTimeout)) { lockPath, holder in
            Console.error("Waiting for another writer" + (holder.map { " (PID \($0))" } ?? "") + " to release \(lockPath)"
                          + " (at most \(formatSeconds(.seconds(options.lockTimeout))) s, --lockTimeout)...")
        }
        // Each version is parsed once: the consistency check and the list of changes read
        // the same trees.
        func transform(_ bytes: [UInt8]) throws -> (old: AgentConfiguration, new: AgentConfiguration, keys: [[String]]) {
            let current = try AgentConfiguration(bytes: bytes)
            let revision = try revise(current)
            do {
                try ConfigChange.checkConsistency(revision.new)
            } catch let error as ConfigValueError where (try? ConfigChange.checkConsistency(current)) == nil {
                // The file was already unusable before this edit: not the caller's typo.
                throw ErrorReporting.unusableStoredSettings(error, path: path)
            }
            return (current, revision.new, revision.keys)
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
            // Only the secrets this change wrote are looked at: the rest of a large file is not walked.
            let wroteSecrets = versions.keys.filter { ConfigKey.isSecret($0.joined(separator: ".")) }
            let holdsSecrets = wroteSecrets.flatMap(versions.new.leaves(under:)).contains { leaf in
                leaf.value != .scalar("", .string) && leaf.value != .list([]) && leaf.value != .scalar("", .null)
            }
            if written && holdsSecrets, let target = try? store.resolvedTarget(),
               let warning = SecretWarnings.readableConfig(target) {
                Console.error(warning)
            }
        }
        let old = versions.old.document.bytes, new = versions.new.document.bytes
        let changes = ConfigWriter.changes(old: versions.old, new: versions.new, under: versions.keys)
        let changed = old != new
        let restart = restartReport(changed: changed)
        if written {
            record(event: event, old: old, new: new, changes: changes, restart: restart, store: store)
        }
        var rollback: RollbackReport?
        if written && options.rollbackOnFailure, let failure = restart.failure {
            rollback = takeBack(new, restoring: old, changes: changes, store: store, after: failure)
        }
        if options.json {
            JSONOutput.print(Report(config: path, dryRun: options.dryRun, changed: changed, written: written,
                                    backup: backup, changes: changes, restart: restart, rollback: rollback))
        } else {
            printText(old: old, new: new, changes: changes, backup: backup, restart: restart, rollback: rollback)
        }
        if restart.status == "failed" {
            throw CommandFailure(description: failedRestartMessage(restart, rollback: rollback),
                                 status: .restartFailed, answeredInJSON: options.json)
        }
    }

    /// --rollbackOnFailure: puts the previous version back, through the same locked, verified
    /// write, and restarts again. Only our own version is taken back: when another writer
    /// changed the file since, its change stays.
    private func takeBack(_ written: [UInt8], restoring previous: [UInt8], changes: [Change], store: ConfigStore,
                          after failure: RestartError) -> RollbackReport {
        // Only a restart job that ran and failed says the agent could not start with the new
        // config. A bus, a permission, a unit name or a timeout says nothing about it; after
        // a timeout the agent may even still be starting with it.
        switch failure {
        case .jobFailed: break
        case .stillRunning:
            return RollbackReport(performed: false, message: "the restart had not finished; the agent may still be starting "
                                  + "with the new version, so it was not taken back", restart: nil)
        default:
            return RollbackReport(performed: false, message: "the restart failed for a reason that says nothing about the new "
                                  + "version, so it was not taken back", restart: nil)
        }
        do {
            _ = try store.update { current in
                guard current == written else {
                    throw CommandFailure(description: "another writer changed \(path) after this change, and its version stays",
                                         status: .restartFailed)
                }
                return previous
            }
        } catch {
            return RollbackReport(performed: false, message: "\(error)", restart: nil)
        }
        let again = restartReport(changed: true)
        let undone = changes.map { Change(key: $0.key, old: $0.new, new: $0.old) }
        record(event: .rollback, old: written, new: previous, changes: undone, restart: again, store: store)
        return RollbackReport(performed: true, message: nil, restart: again)
    }

    private func failedRestartMessage(_ restart: RestartReport, rollback: RollbackReport?) -> String {
        let reason = restart.message ?? "unknown error"
        guard let rollback else {
            return "\(path) was saved, but the agent service was not restarted: \(reason). The change takes effect at the next restart"
        }
        guard rollback.performed else {
            return "\(path) was saved, but the agent service was not restarted: \(reason). "
                + "--rollbackOnFailure did not put the previous version back: \(rollback.message ?? "unknown error")"
        }
        let backup = (try? ConfigStore(path: path).backupPath()) ?? path + ".bak"
        if let again = rollback.restart, again.status == "failed" {
            return "the agent service did not restart with the change to \(path): \(reason). --rollbackOnFailure put the previous "
                + "version back (the failed one is saved as \(backup)), but the agent did not restart with it either: "
                + (again.message ?? "unknown error")
        }
        return "the agent service did not restart with the change to \(path): \(reason). --rollbackOnFailure put the previous "
            + "version back (the failed one is saved as \(backup)) and the agent restarted with it"
    }

    /// The audit trail: one journal (or syslog) entry per write. A write that could not be
    /// recorded is not undone, but the admin is told.
    private func record(event: AuditRecord.Event, old: [UInt8], new: [UInt8], changes: [Change],
                        restart: RestartReport, store: ConfigStore) {
        let uid = getuid()
        let user = unsafe getpwuid(uid).flatMap { unsafe String(cString: $0.pointee.pw_name) }
        let sudoUser = unsafe getenv("SUDO_USER").map { unsafe String(cString: $0) }
        let entry = AuditRecord(event: event, tool: MultiCall.invokedAs, config: (try? store.resolvedTarget()) ?? path,
                                keys: changes.map(\.key), oldSHA256: SHA256.hex(old), newSHA256: SHA256.hex(new),
                                uid: uid, user: user, sudoUser: sudoUser, restart: restart.status,
                                restartMessage: restart.status == "failed" ? restart.message : nil)
        do {
            try AuditLog.record(entry)
        } catch {
            Console.error("Warning: the change was saved but not recorded: \(error)")
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
            return RestartReport(requested: true, performed: false, status: "failed", message: error.description, failure: error)
        }
    }

    private func printText(old: [UInt8], new: [UInt8], changes: [Change], backup: String?, restart: RestartReport,
                           rollback: RollbackReport?) {
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
        if let rollback, rollback.performed {
            Console.out("Rolled back (--rollbackOnFailure): the previous version of \(path) is in place again"
                        + (rollback.restart?.status == "restarted" ? "; the agent service was \(rollback.restart?.message ?? "restarted")." : "."))
        }
    }

    /// Which keys differ between the two versions, secrets masked. Only the edited keys are
    /// compared (the edit was verified to change nothing else), or all of them when any may
    /// have changed.
    static func changes(old: AgentConfiguration, new: AgentConfiguration, under edited: [[String]]) -> [Change] {
        var seen = Set<[String]>()
        // No edited keys (a rollback replaces the whole file): every key is compared.
        let paths = edited.isEmpty ? [[]] : edited.filter { seen.insert($0).inserted }
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
