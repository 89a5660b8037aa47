import ConfigTransaction
import TimeKeeping

/// A transaction's progress as lines on stderr, while it runs.
/// With --json too: stdout is the one result object, and progress goes to stderr either way.
struct TerminalProgress: TransactionProgress {
    func report(_ event: TransactionEvent) {
        switch event {
        case .waitingForLock(let lockPath, let holder, let timeout):
            Console.error("Waiting for another writer" + (holder.map { " (PID \($0))" } ?? "") + " to release \(lockPath)"
                          + " (at most \(formatSeconds(timeout)) s, --lockTimeout)...")
        case .storeNote(let note):
            Console.error("Warning: " + note)
        case .notRecorded(let reason):
            Console.error("Warning: the change was saved but not recorded: \(reason)")
        case .guardArmed(let name, let after):
            Console.error("Guard armed: unless the change is confirmed, systemd takes it back in \(formatSeconds(after)) s "
                          + "(\(name).timer), even if this tool is stopped.")
        case .guardCopyLeft(let name, let reason):
            Console.error("Warning: the guard's private copy \(name) could not be removed (\(reason)); the next change "
                          + "with --confirm removes it once its time has passed.")
        case .versionRead(let inventory):
            SecretRegistry.register(inventory)
        case .confirming(let window):
            Console.error("Confirming the change (at most \(formatSeconds(window)) s): the unit must stay up, the agent's path "
                          + "must work with the new file...")
        }
    }
}
