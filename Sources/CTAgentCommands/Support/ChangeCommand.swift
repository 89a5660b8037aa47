import Audit
import ConfigTransaction
import DurableFile
import ServiceControl
import SystemCalls

/// What every writing subcommand does once it knows its plan: make the transaction from the
/// options, run it, and render its result (text or `--json`). The change itself is
/// `ConfigTransaction`'s; this only translates.
extension WriteOptions {
    /// The transaction these options ask for, with the real effects. `probe`: how the confirm
    /// step walks the new list (updateProxy's probe options; the defaults otherwise).
    func transaction(probe: ProbeOptions? = nil, reason: String? = nil) -> ConfigTransaction {
        let unit = restart.unit
        var policy: ConfirmPolicy?
        var confirmEffects: ConfirmEffects?
        if let window = confirmation.confirm {
            // The guard waits out the longest a run of this tool can legitimately take before
            // it confirms: the lock, the restart, the window, and a margin.
            let delay = Duration.seconds(lockTimeout + restart.restartTimeout + window + 30)
            policy = ConfirmPolicy(window: .seconds(window), settle: .seconds(confirmation.settleSeconds(window: window)),
                                   allowDirect: confirmation.confirmAllowDirect, command: confirmation.commandWords, guardDelay: delay)
            let path = configOptions.path
            let absolute = path.hasPrefix("/") ? path : (FileSystem.currentDirectory() ?? "") + "/" + path
            let copies = GuardCopyFolder(path: confirmation.guardFolder)
            confirmEffects = ConfirmEffects(
                units: UnitInspector(method: restart.restartVia, timeout: .seconds(min(restart.restartTimeout, 30))),
                connectivity: ProbeConnectivity(probe: probe), commands: ChildProcessRunner(),
                guards: GuardTimerArming(configPath: absolute, unit: unit, restartVia: restart.restartVia,
                                         restartTimeout: restart.restartTimeout, lockTimeout: lockTimeout,
                                         timers: TransientTimers(method: restart.restartVia, timeout: .seconds(30)), copies: copies),
                copies: copies, clock: SystemClock())
        }
        var transaction = ConfigTransaction(
            path: configOptions.path, lockTimeout: .seconds(lockTimeout), dryRun: dryRun,
            restart: skipRestart ? .skip(unit: unit) : .restart(unit: unit), rollbackOnFailure: rollbackOnFailure,
            confirmation: policy, tool: MultiCall.invokedAs,
            effects: TransactionEffects(restarter: restart.restarter, audit: JournalAuditSink(), progress: TerminalProgress(),
                                        environment: SystemEnvironment.current, confirm: confirmEffects))
        transaction.reason = reason
        return transaction
    }

    /// Runs the change and says what it did; throws when the restart failed (69) or the
    /// change was not confirmed (78), after the result is shown.
    func runChange(_ plan: @escaping ConfigTransaction.Plan, event: AuditRecord.Event = .change,
                   probe: ProbeOptions? = nil, reason: String? = nil) throws {
        let path = configOptions.path
        let result = try ConfigFileError.about(path) { try transaction(probe: probe, reason: reason).run(event, plan) }
        // The previous version's secrets are looked at only when a warning may name the backup.
        if result.wroteSecrets, let warning = SecretWarnings.readableConfig(result.target, backupHoldsSecrets: {
            let previous = result.old.secretInventory
            return !previous.values.isEmpty || !previous.credentials.isEmpty
        }()) {
            Console.error(warning)
        }
        if json {
            JSONOutput.print(ChangeReport(result))
        } else {
            Console.out(ChangeText.text(result), terminator: "")
        }
        if case .failed(let failure) = result.confirm {
            throw CommandFailure(description: ChangeText.notConfirmed(result, failure), status: .notConfirmed, answeredInJSON: json)
        }
        if case .confirmed(let evidence) = result.confirm, let stuck = evidence.guardStillArmed {
            Console.error("Warning: the change is confirmed, but its guard could not be stopped (\(ErrorMessages.text(for: stuck))); "
                          + "it stands down on its own only if the file changes again. Stop it now with: systemctl stop "
                          + (result.guardName ?? "ctagent-guard-*") + ".timer")
        }
        if result.confirm == .notRequested, let failure = result.restart.failure {
            throw CommandFailure(description: ChangeText.failedRestart(result, reason: failure), status: .restartFailed,
                                 answeredInJSON: json)
        }
    }
}
