import AgentConfig
import ConfigTransaction
import YAMLEdit
import ServiceControl

/// A transaction's result as `--json` reports it. The field names are the interface scripts
/// read: they stay as they are.
struct ChangeReport: Encodable {
    struct Change: Encodable, Equatable {
        var key: String
        var old: String?
        var new: String?
    }

    struct RestartReport: Encodable {
        var requested: Bool
        var performed: Bool
        var status: String
        var message: String?
    }

    /// With --rollbackOnFailure, after a failed restart.
    struct RollbackReport: Encodable {
        /// The previous version is in place again.
        var performed: Bool
        /// Why it was not put back.
        var message: String?
        /// The restart with the previous version.
        var restart: RestartReport?
    }

    var config: String
    var dryRun: Bool
    /// The net effect: whether the file now differs from what it was before the command
    /// (false after the change was taken back).
    var changed: Bool
    /// Whether the file was written (also when the change was then taken back).
    var written: Bool
    /// The change was taken back (--rollbackOnFailure, --confirm): the file holds the
    /// previous version again.
    var rolledBack: Bool
    var backup: String?
    var changes: [Change]
    var restart: RestartReport
    var rollback: RollbackReport?
    /// With --confirm.
    var confirm: ConfirmReport?

    init(_ result: TransactionResult) {
        config = result.path
        dryRun = result.commit == .dryRun
        if case .performed? = result.undo { rolledBack = true } else { rolledBack = false }
        changed = result.changed && !rolledBack
        written = result.commit.wrote
        if case .written(let saved) = result.commit { backup = saved }
        changes = ChangeReport.changes(result.changes)
        restart = RestartReport(result.restart)
        rollback = result.undo.map(RollbackReport.init)
        let confirmation = ConfirmReport(result)
        confirm = confirmation.requested ? confirmation : nil
    }

    /// The changed keys with their values as people see them: secrets masked.
    static func changes(_ changes: [KeyChange]) -> [Change] {
        changes.map { change in
            Change(key: change.key, old: change.old.map { ScalarRendering.displayed(display($0, secret: change.secret, showSecrets: false)) },
                   new: change.new.map { ScalarRendering.displayed(display($0, secret: change.secret, showSecrets: false)) })
        }
    }
}

extension ChangeReport.RestartReport {
    init(_ outcome: RestartOutcome) {
        switch outcome {
        case .notNeeded:
            self.init(requested: false, performed: false, status: "not-needed", message: nil)
        case .skipped(let unit):
            self.init(requested: false, performed: false, status: "skipped", message: "restart \(unit) to apply the change")
        case .restarted(let unit, let via):
            self.init(requested: true, performed: true, status: "restarted", message: "restarted \(unit) (via \(via.rawValue))")
        case .failed(_, let error):
            self.init(requested: true, performed: false, status: "failed", message: ErrorMessages.text(for: error))
        }
    }
}

extension ChangeReport.RollbackReport {
    init(_ undo: UndoOutcome) {
        switch undo {
        case .performed(let restart):
            self.init(performed: true, message: nil, restart: ChangeReport.RestartReport(restart))
        case .notPerformed(let refusal):
            self.init(performed: false, message: ChangeReport.RollbackReport.reason(refusal), restart: nil)
        }
    }

    static func reason(_ refusal: UndoRefusal) -> String {
        switch refusal {
        case .restartStillRunning:
            return "the restart had not finished; the agent may still be starting with the new version, so it was not taken back"
        case .failureSaysNothingAboutTheChange:
            return "the restart failed for a reason that says nothing about the new version, so it was not taken back"
        case .fileChangedSince:
            return "another writer changed the config after this change, and its version stays"
        case .writeFailed(let reason):
            return reason
        }
    }
}

/// The same result in words, for a person at a terminal.
enum ChangeText {
    /// The whole text, ending with a newline.
    static func text(_ result: TransactionResult) -> String {
        let path = result.path
        guard result.changed else {
            return "\(path) is already up to date; nothing was written and the service was not restarted.\n"
        }
        let keys = result.changes.map(\.key)
        if result.commit == .dryRun {
            let masked = SecretMask.mask(old: result.old.document.bytes, new: result.new.document.bytes)
            let diff = UnifiedDiff.make(old: masked.old, new: masked.new, oldName: path, newName: path + " (new)")
            // The diff ends with its own newline.
            return diff + "Dry run: \(keys.joined(separator: ", ")) would change; nothing was written and the service was not restarted.\n"
        }
        var backup: String?
        if case .written(let saved) = result.commit { backup = saved }
        var lines = ["Updated \(path): \(keys.isEmpty ? "formatting" : keys.joined(separator: ", ")) changed. "
                     + (backup.map { "Previous version saved as \($0)." } ?? "The previous version was not saved (see the warning).")]
        lines += ChangeReport.changes(result.changes).map { "  \($0.key): \($0.old ?? "(absent)") -> \($0.new ?? "(removed)")" }
        let restart = ChangeReport.RestartReport(result.restart)
        switch result.restart {
        case .restarted: lines.append("The agent service was \(restart.message ?? "restarted").")
        case .skipped: lines.append("The agent service was not restarted (--skipRestart): \(restart.message ?? "").")
        default: break
        }
        lines += ConfirmText.lines(result)
        if case .performed(let again) = result.undo {
            let message = ChangeReport.RestartReport(again).message ?? "restarted"
            let why = result.confirm == .notRequested ? "--rollbackOnFailure" : "--confirm"
            lines.append("Rolled back (\(why)): the previous version of \(path) is in place again"
                         + (again.auditState == .restarted ? "; the agent service was \(message)." : "."))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Why the command fails after a change that was not confirmed, and what became of it.
    static func notConfirmed(_ result: TransactionResult, _ failure: ConfirmFailure) -> String {
        let path = result.path
        let head = "the change to \(path) was not confirmed: \(ConfirmText.reason(failure)). "
        switch result.undo {
        case .performed(let again)?:
            let backup = result.target + ".bak"
            if let failure = again.failure {
                return head + "The previous version was put back (the unconfirmed one is saved as \(backup)), but the agent did "
                    + "not restart with it either: " + ErrorMessages.text(for: failure)
            }
            return head + "The previous version was put back (the unconfirmed one is saved as \(backup)) and the agent restarted with it"
        case .notPerformed(let refusal)?:
            return head + "It was not put back: " + ChangeReport.RollbackReport.reason(refusal)
                + (result.guardName.map { "; its guard (\($0).timer) was stopped" } ?? "")
        case nil:
            return head + "It was not put back"
        }
    }

    /// Why the command fails after a write whose restart failed.
    static func failedRestart(_ result: TransactionResult, reason error: RestartError) -> String {
        let path = result.path
        let reason = ErrorMessages.text(for: error)
        guard let undo = result.undo else {
            return "\(path) was saved, but the agent service was not restarted: \(reason). The change takes effect at the next restart"
        }
        guard case .performed(let again) = undo else {
            let why = ChangeReport.RollbackReport(undo).message ?? "unknown error"
            return "\(path) was saved, but the agent service was not restarted: \(reason). "
                + "--rollbackOnFailure did not put the previous version back: \(why)"
        }
        let backup = result.target + ".bak"
        if let failure = again.failure {
            return "the agent service did not restart with the change to \(path): \(reason). --rollbackOnFailure put the previous "
                + "version back (the failed one is saved as \(backup)), but the agent did not restart with it either: "
                + ErrorMessages.text(for: failure)
        }
        return "the agent service did not restart with the change to \(path): \(reason). --rollbackOnFailure put the previous "
            + "version back (the failed one is saved as \(backup)) and the agent restarted with it"
    }
}
