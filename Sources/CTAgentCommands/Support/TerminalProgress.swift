import ConfigTransaction
import TimeKeeping

/// A transaction's progress as lines on stderr, while it runs.
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
        }
    }
}
