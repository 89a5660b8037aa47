import AgentConfig
import Audit
import ConfigTransaction
import DurableFile
import Foundation
import ServiceControl
import Testing
import TestSupport
import YAMLEdit

private let original = "configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: info\n"
private let debug = "configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: debug\n"

/// A config in a scratch folder, the fakes, and a transaction over them.
private final class Bench {
    let folder: TemporaryFolder
    let config: String
    let restarter: FakeRestarter
    let audit = FakeAuditSink()
    let progress = FakeProgress()

    init(_ text: String = original, restarts: [Result<ServiceRestarter.Outcome, RestartError>] = [.success(.restartedViaDBus)]) throws {
        folder = try TemporaryFolder(prefix: "ctagent-transaction")
        config = try folder.write(text, to: "config.yaml")
        restarter = FakeRestarter(restarts)
    }

    func transaction(dryRun: Bool = false, skipRestart: Bool = false, rollbackOnFailure: Bool = false,
                     lockTimeout: Duration = .seconds(10)) -> ConfigTransaction {
        ConfigTransaction(path: config, lockTimeout: lockTimeout, dryRun: dryRun,
                          restart: skipRestart ? .skip(unit: "agent.service") : .restart(unit: "agent.service"),
                          rollbackOnFailure: rollbackOnFailure, tool: "ctagent",
                          effects: TransactionEffects(restarter: restarter, audit: audit, progress: progress,
                                                      environment: FakeEnvironment()))
    }

    var text: String { read("config.yaml") ?? "" }
    func read(_ name: String) -> String? { try? String(contentsOfFile: folder.file(name), encoding: .utf8) }
}

private var setDebug: ConfigTransaction.Plan {
    ConfigTransaction.editing { _ in [.set(path: ["configuration", "log-level"], value: "debug", type: .string)] }
}

@Suite struct ConfigTransactionTests {
    @Test func aChangeIsWrittenRecordedAndApplied() throws {
        let bench = try Bench()
        // The change must be in the audit trail before the restart begins: a kill during a
        // slow restart must not leave it unrecorded.
        var recordedBeforeRestart: [AuditRecord] = []
        // The audit, not the bench: the restarter is the bench's, and a closure holding the bench
        // would keep it (and its scratch folder) alive past the test.
        bench.restarter.onRestart = { [audit = bench.audit] in recordedBeforeRestart = audit.records }
        let result = try bench.transaction().run(.change, setDebug)
        #expect(result.commit == .written(backup: bench.config + ".bak"))
        #expect(result.restart == .restarted(unit: "agent.service", via: .restartedViaDBus))
        #expect(result.confirm == .notRequested)
        #expect(result.undo == nil)
        #expect(result.changes == [KeyChange(key: "configuration.log-level", old: .scalar("info", .string), new: .scalar("debug", .string))])
        #expect(bench.text == debug)
        #expect(bench.read("config.yaml.bak") == original)
        #expect(recordedBeforeRestart.map(\.event) == [.change])
        #expect(recordedBeforeRestart.first?.restart == .pending)
        #expect(bench.audit.records.map(\.event) == [.change, .restart])
        #expect(bench.audit.records.map(\.restart) == [.pending, .restarted])
        let change = try #require(bench.audit.records.first)
        #expect(change.keys == ["configuration.log-level"])
        #expect(change.uid == 4242 && change.user == "operator" && change.sudoUser == "alice")
        #expect(change.config == bench.config)
        let digests = (try SHA256.hex(Array(original.utf8)), try SHA256.hex(Array(debug.utf8)))
        #expect(change.oldSHA256 == digests.0 && change.newSHA256 == digests.1)
    }

    @Test func identicalBytesWriteNothingAndRestartNothing() throws {
        let bench = try Bench(debug)
        let result = try bench.transaction().run(.change, setDebug)
        #expect(result.commit == .unchanged)
        #expect(!result.changed)
        #expect(result.restart == .notNeeded)
        #expect(bench.restarter.restarted.isEmpty && bench.audit.records.isEmpty)
        #expect(bench.read("config.yaml.bak") == nil)
    }

    @Test func aDryRunPlansAndTouchesNothing() throws {
        let bench = try Bench()
        let result = try bench.transaction(dryRun: true).run(.change, setDebug)
        #expect(result.commit == .dryRun)
        #expect(result.changed)
        #expect(String(decoding: result.new.document.bytes, as: UTF8.self) == debug)
        #expect(bench.text == original)
        #expect(bench.restarter.restarted.isEmpty && bench.audit.records.isEmpty)
        // Not even the lock file: a dry run never takes the lock.
        #expect(try FileManager.default.contentsOfDirectory(atPath: bench.folder.path) == ["config.yaml"])
    }

    @Test func skippingTheRestartIsOneRecord() throws {
        let bench = try Bench()
        let result = try bench.transaction(skipRestart: true).run(.change, setDebug)
        #expect(result.restart == .skipped(unit: "agent.service"))
        #expect(bench.restarter.restarted.isEmpty)
        #expect(bench.audit.records.map(\.restart) == [.skipped])
    }

    @Test func aFailedRestartKeepsTheChangeWithoutRollbackOnFailure() throws {
        let failure = RestartError.jobFailed(unit: "agent.service", result: .failed)
        let bench = try Bench(restarts: [.failure(failure)])
        let result = try bench.transaction().run(.change, setDebug)
        #expect(result.restart == .failed(unit: "agent.service", failure))
        #expect(result.undo == nil)
        #expect(bench.text == debug)
        #expect(bench.audit.records.map(\.restart) == [.pending, .failed])
        #expect(bench.audit.records.last?.restartMessage?.contains("ended with result 'failed'") == true)
    }

    @Test func aFailedRestartJobIsUndoneWithRollbackOnFailure() throws {
        let failure = RestartError.jobFailed(unit: "agent.service", result: .failed)
        let bench = try Bench(restarts: [.failure(failure), .success(.restartedViaSystemctl)])
        let result = try bench.transaction(rollbackOnFailure: true).run(.change, setDebug)
        #expect(result.undo == .performed(restart: .restarted(unit: "agent.service", via: .restartedViaSystemctl)))
        #expect(bench.text == original, "the previous version is back")
        #expect(bench.read("config.yaml.bak") == debug, "the failed version is kept as the backup")
        #expect(bench.restarter.restarted.count == 2)
        #expect(bench.audit.records.map(\.event) == [.change, .restart, .rollback, .restart])
        #expect(bench.audit.records.map(\.restart) == [.pending, .failed, .pending, .restarted])
    }

    @Test(arguments: [
        (RestartError.stillRunning(unit: "agent.service", after: .seconds(1)), UndoRefusal.restartStillRunning),
        (RestartError.accessDenied(unit: "agent.service", detail: "polkit"), UndoRefusal.failureSaysNothingAboutTheChange),
        (RestartError.busUnavailable(reason: "no bus"), UndoRefusal.failureSaysNothingAboutTheChange),
    ])
    func aRestartFailureThatSaysNothingAboutTheChangeKeepsIt(_ failure: RestartError, _ refusal: UndoRefusal) throws {
        let bench = try Bench(restarts: [.failure(failure)])
        let result = try bench.transaction(rollbackOnFailure: true).run(.change, setDebug)
        #expect(result.undo == .notPerformed(refusal))
        #expect(bench.text == debug)
        #expect(bench.restarter.restarted.count == 1)
    }

    @Test func anUndoNeverTakesBackAnotherWritersVersion() throws {
        let bench = try Bench(restarts: [.failure(.jobFailed(unit: "agent.service", result: .failed))])
        let later = "configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: warning\n"
        bench.restarter.onRestart = { [config = bench.config] in try? later.write(toFile: config, atomically: true, encoding: .utf8) }
        let result = try bench.transaction(rollbackOnFailure: true).run(.change, setDebug)
        #expect(result.undo == .notPerformed(.fileChangedSince))
        #expect(bench.text == later)
    }

    @Test func anAuditSinkThatIsMissingLeavesTheChangeAndSaysSo() throws {
        let bench = try Bench()
        bench.audit.failing = true
        let result = try bench.transaction().run(.change, setDebug)
        #expect(result.commit.wrote)
        #expect(result.restart == .restarted(unit: "agent.service", via: .restartedViaDBus))
        let notices = bench.progress.events.filter { if case .versionRead = $0 { return false } else { return true } }
        #expect(notices == [.notRecorded(reason: "no journal and no syslog here"), .notRecorded(reason: "no journal and no syslog here")])
        // Every version parsed was reported, for the caller's last filter.
        #expect(bench.progress.events.filter { if case .versionRead = $0 { return true } else { return false } }.count == 1,
                "an edit reports the version it read; the values it brings are the caller's")
        #expect(bench.text == debug)
    }

    @Test func badInputIsRefusedBeforeTheLock() throws {
        let bench = try Bench()
        let bad = ConfigTransaction.editing { _ in
            [.set(path: ["configuration", "proxy"], value: "http://proxy.example:3128", type: .string)]
        }
        #expect(throws: ConfigValueError.self) { try bench.transaction().run(.change, bad) }
        #expect(bench.text == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: bench.folder.path) == ["config.yaml"], "no lock file, no backup")
    }

    @Test func aFileThatWasAlreadyUnusableIsNamedAsTheProblem() throws {
        let bench = try Bench("configuration:\n  proxy: http://proxy.example:3128\n  log-level: info\n")
        #expect {
            try bench.transaction().run(.change, setDebug)
        } throws: { error in
            guard case TransactionError.storedSettingsUnusable(let path, _) = error else { return false }
            return path == bench.config
        }
    }

    /// The backup is read under the lock: another writer that replaces it while rollback
    /// waits for the lock (its config rename done, its backup rename not yet seen by the
    /// unlocked first pass) cannot make rollback install the version before the previous one.
    @Test func rollbackReadsTheBackupUnderTheLock() throws {
        let bench = try Bench(debug)
        try bench.folder.write("configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: N-2\n", to: "config.yaml.bak")
        let lockPath = bench.folder.file(".config.yaml.lock")
        // O_CLOEXEC: a child another test starts meanwhile must not inherit the lock.
        let holder = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(flock(holder, LOCK_EX) == 0)
        let folder = bench.folder
        // Told after a second of waiting: the other writer then puts its backup in place and
        // lets go of the lock.
        bench.progress.onEvent = { event in
            guard case .waitingForLock = event else { return }
            _ = try? folder.write(original, to: "config.yaml.bak")
            close(holder)
        }
        let result = try bench.transaction(skipRestart: true).run(.rollback, ConfigTransaction.restoringBackup)
        #expect(bench.text == original, "the backup as it is under the lock, not as the first pass read it")
        #expect(result.changes.map(\.key) == ["configuration.log-level"])
        #expect(bench.audit.records.map(\.event) == [.rollback])
    }

    @Test func aBackupOthersCanWriteIsNotInstalled() throws {
        let bench = try Bench(debug)
        let backup = try bench.folder.write(original, to: "config.yaml.bak", mode: 0o666)
        #expect {
            try bench.transaction(skipRestart: true).run(.rollback, ConfigTransaction.restoringBackup)
        } throws: { error in
            guard case BackupError.unsafe(let path, let problem, _) = error else { return false }
            return path == backup && problem.contains("every user")
        }
        #expect(bench.text == debug)
    }
}
