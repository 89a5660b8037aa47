import Audit
import ConfigTransaction
import DurableFile
import ServiceControl

/// What every writing subcommand does once it knows its plan: make the transaction from the
/// options, run it, and render its result (text or `--json`). The change itself is
/// `ConfigTransaction`'s; this only translates.
extension WriteOptions {
    /// The transaction these options ask for, with the real effects.
    func transaction(effects: TransactionEffects? = nil) -> ConfigTransaction {
        let unit = restart.unit
        return ConfigTransaction(
            path: configOptions.path, lockTimeout: .seconds(lockTimeout), dryRun: dryRun,
            restart: skipRestart ? .skip(unit: unit) : .restart(unit: unit), rollbackOnFailure: rollbackOnFailure,
            tool: MultiCall.invokedAs,
            effects: effects ?? TransactionEffects(restarter: restart.restarter, audit: JournalAuditSink(),
                                                   progress: TerminalProgress(), environment: SystemEnvironment.current))
    }

    /// Runs the change and says what it did; throws when the restart failed (69), after the
    /// result is shown.
    func runChange(_ plan: @escaping ConfigTransaction.Plan, event: AuditRecord.Event = .change) throws {
        let path = configOptions.path
        let result = try ConfigFileError.about(path) { try transaction().run(event, plan) }
        if result.wroteSecrets, let warning = SecretWarnings.readableConfig(result.target) {
            Console.error(warning)
        }
        if json {
            JSONOutput.print(ChangeReport(result))
        } else {
            Console.out(ChangeText.text(result), terminator: "")
        }
        if let failure = result.restart.failure {
            throw CommandFailure(description: ChangeText.failedRestart(result, reason: failure), status: .restartFailed,
                                 answeredInJSON: json)
        }
    }
}
