import AgentConfig
import Audit
import DurableFile
import ServiceControl
import YAMLEdit

/// One change of the agent's config, run as explicit steps, each with a typed outcome:
///
/// 1. **plan** the new version on the current bytes (once without the lock, so that bad
///    input is refused at once, without waiting for another writer);
/// 2. **check** the whole result (the agent must be able to use its proxy settings);
/// 3. **commit** it under the lock: config first, then `.bak` (`FileStore`); the plan runs
///    again under the lock when the file changed since, or when it read the backup. A
///    confirmed change arms its guard there, with the bytes about to be written, before the
///    replace (`GuardLifecycle`): no guard, no write;
/// 4. **record** the change in the audit trail, before anything can delay us;
/// 5. **apply** it: restart the agent's unit, and record what became of the restart;
/// 6. **confirm** that it works, when asked: the unit stays up, the agent's failover path
///    works with the new file, the admin's own check passes; the guard takes the change back
///    even if this process dies (restoring its private copy of the previous version), and is
///    released on confirmation or once the change is taken back;
/// 7. **undo**: put the previous version back through the same locked path when the change
///    was not confirmed, or the agent could not start with it and the caller asked for that.
///
/// The transaction never prints and never exits; its effects are passed in.
public struct ConfigTransaction {
    /// Whether and how the change is applied.
    public enum RestartPolicy: Equatable, Sendable {
        case restart(unit: String)
        /// Saved only: the change takes effect at the unit's next restart.
        case skip(unit: String)
    }

    public var path: String
    public var lockTimeout: Duration
    public var dryRun: Bool
    public var restart: RestartPolicy
    /// Undo the change when the restart job ran and failed.
    public var rollbackOnFailure: Bool
    /// Prove the change after the restart, or take it back; nil: no confirm step.
    public var confirmation: ConfirmPolicy?
    /// Why the change is made, for the audit trail (a guard taking a change back).
    public var reason: String?
    /// The name the tool was started by, for the audit trail.
    public var tool: String
    public var effects: TransactionEffects

    public init(path: String, lockTimeout: Duration, dryRun: Bool, restart: RestartPolicy, rollbackOnFailure: Bool,
                confirmation: ConfirmPolicy? = nil, tool: String, effects: TransactionEffects) {
        self.confirmation = confirmation
        self.path = path
        self.lockTimeout = lockTimeout
        self.dryRun = dryRun
        self.restart = restart
        self.rollbackOnFailure = rollbackOnFailure
        self.tool = tool
        self.effects = effects
    }

    /// The new version worked out from the current one, with the keys it may change
    /// (`[]`: any; every key is then compared).
    public struct Revision {
        public var new: AgentConfiguration
        public var keys: [[String]]

        public init(new: AgentConfiguration, keys: [[String]]) {
            self.new = new
            self.keys = keys
        }
    }

    /// What a plan may read: the current version, and the backup (read through the store's
    /// checks; reading it makes the plan run again under the lock).
    public final class PlanInput {
        public let current: AgentConfiguration
        let store: FileStore
        private(set) var readBackup = false

        init(current: AgentConfiguration, store: FileStore) {
            self.current = current
            self.store = store
        }

        public var backupPath: String { store.backupPath }
        /// The file the change replaces (a symlinked config: its target).
        public var target: String { store.target }

        public func backup() throws(BackupError) -> [UInt8] {
            readBackup = true
            return try store.readBackup()
        }
    }

    public typealias Plan = (PlanInput) throws -> Revision

    /// Edits: the operations planned on the current version.
    public static func editing(_ operations: @escaping (AgentConfiguration) throws -> [YAMLEditOperation]) -> Plan {
        { input in
            let planned = try operations(input.current)
            // The edit returns the new document already parsed (it had to parse it to verify it).
            return Revision(new: AgentConfiguration(document: try input.current.document.applying(planned)),
                            keys: planned.map(\.path))
        }
    }

    /// Rollback: the backup as the new version, checked like any new version, and refused
    /// when it is not a version of this config.
    public static func restoringBackup(_ input: PlanInput) throws -> Revision {
        let bytes = try input.backup()
        do throws(BackupProblem) {
            return try restoring(bytes, over: input.current)
        } catch {
            throw TransactionError.backupNotRestorable(backup: input.backupPath, reason: error)
        }
    }

    /// The guard's rollback: its private copy of the version its change replaced, read from
    /// `folder` only while the config is still the guarded version (`guarded`; otherwise
    /// `GuardStandsDown`), only when its record names this config and this version, and only
    /// when the copy is the version the record names. Never `.bak`.
    public static func restoringGuardCopy(_ folder: GuardCopyFolder, name: String, guarded: String,
                                          digest: @escaping ([UInt8]) throws(SHA256.Unavailable) -> String = SHA256.hex) -> Plan {
        { input in
            try standDownUnless(input, is: guarded, digest: digest)
            let recordPath = folder.recordPath(name)
            func refuse(_ problem: GuardCopyProblem) -> TransactionError { .guardCopyNotRestorable(record: recordPath, problem) }
            let record: GuardRecord, copy: [UInt8]
            do {
                guard let parsed = GuardRecord(parsing: try folder.readRecord(name: name)) else {
                    throw refuse(.notThisGuard("it cannot be read as a guard's record"))
                }
                record = parsed
                copy = try folder.readCopy(name: name, limit: AgentConfiguration.sizeLimit)
            } catch let error as StoreError {
                if case .notFound = error { throw refuse(.missing) }
                throw refuse(.unreadable(error))
            }
            guard record.name == name, record.guardedSHA256 == guarded, record.config == input.target else {
                throw refuse(.notThisGuard("it is for \(record.config), version \(record.guardedSHA256.prefix(12))…"))
            }
            let copied = try digest(copy)
            guard copied == record.previousSHA256 else { throw refuse(.altered(expected: record.previousSHA256, actual: copied)) }
            do throws(BackupProblem) {
                return try restoring(copy, over: input.current)
            } catch {
                throw refuse(.unusable(error))
            }
        }
    }

    /// A guard acts only while the config is the version it is bound to; otherwise
    /// `GuardStandsDown`, and a later change stands.
    public static func standDownUnless(_ input: PlanInput, is guarded: String,
                                       digest: ([UInt8]) throws(SHA256.Unavailable) -> String = SHA256.hex) throws {
        let actual = try digest(input.current.document.bytes)
        guard actual == guarded else { throw GuardStandsDown(actual: actual) }
    }

    /// The config is no longer the version the guard was bound to: a later change stands.
    public struct GuardStandsDown: Error, Sendable {
        public var actual: String

        public init(actual: String) {
            self.actual = actual
        }
    }

    /// A whole earlier version as the new one, checked here so that a version the agent
    /// could not use is named as the problem (`BackupProblem`).
    static func restoring(_ bytes: [UInt8], over current: AgentConfiguration) throws(BackupProblem) -> Revision {
        do {
            let restored = try AgentConfiguration(bytes: bytes)
            try ConfigChange.checkConsistency(restored)
            if (try? current.node("configuration")) != nil && (try? restored.node("configuration")) == nil {
                throw BackupProblem.notAVersionOfTheConfig
            }
            return Revision(new: restored, keys: [])
        } catch let problem as BackupProblem {
            throw problem
        } catch {
            throw .unreadable(error)
        }
    }

    /// Runs every step; `event` names the change in the audit trail.
    public func run(_ event: AuditRecord.Event, _ plan: Plan) throws -> TransactionResult {
        let store = try openStore()
        let firstRead = try store.read()
        // A rollback replaces the whole file: it may repair one that no reader agrees on.
        let replacesWhole = event == .rollback
        var planned = try planAndCheck(firstRead, store: store, replacesWhole: replacesWhole, plan)
        var armed: ArmedGuard?
        let commit = dryRun ? CommitOutcome.dryRun : try commitGuarded(store: store, expecting: firstRead, armed: &armed) { bytes in
            if bytes != firstRead || planned.readBackup {
                planned = try planAndCheck(bytes, store: store, replacesWhole: replacesWhole, plan)
            }
            return planned.new.document.bytes
        }
        let changes = KeyChanges.between(planned.old, planned.new, under: planned.keys)
        var result = TransactionResult(path: path, target: store.target, old: planned.old, new: planned.new, changes: changes,
                                       commit: commit, restart: .notNeeded, confirm: .notRequested, undo: nil,
                                       wroteSecrets: commit.wrote && planned.wroteSecrets)
        guard commit.wrote else { return result }
        let written = Written(old: planned.old.document.bytes, new: planned.new.document.bytes, keys: changes.map(\.key))
        record(event, written, restart: pendingState, reason: reason, in: store)
        result.guardName = armed?.name
        result.restart = apply()
        if case .restart = restart { record(.restart, written, restart: result.restart, in: store) }
        if let confirmation, let effects = effects.confirm, let lifecycle = guardLifecycle {
            result.confirm = confirm(result.restart, new: planned.new, policy: confirmation, effects: effects)
            result.undo = settleGuard(armed, lifecycle, after: &result.confirm, written, in: store)
        } else if let failure = result.restart.failure, rollbackOnFailure {
            result.undo = undo(written, after: failure, in: store)
        }
        return result
    }

    /// The guard of a confirmed change, when this transaction is one.
    var guardLifecycle: GuardLifecycle? {
        guard confirmation != nil, let confirm = effects.confirm else { return nil }
        return GuardLifecycle(timers: confirm.guards, copies: confirm.copies, clock: confirm.clock, progress: effects.progress)
    }

    /// The versions a commit wrote, and the keys it changed.
    struct Written {
        var old: [UInt8]
        var new: [UInt8]
        var keys: [String]
    }

    func openStore() throws -> FileStore {
        let progress = effects.progress, timeout = lockTimeout
        return try FileStore(path: path, lockTimeout: lockTimeout, sizeLimit: AgentConfiguration.sizeLimit) { lockPath, holder in
            progress.report(.waitingForLock(lockPath: lockPath, holder: holder, timeout: timeout))
        }
    }

    /// **commit**, guarded: under the lock, once the plan has produced the bytes to be written
    /// and before they replace the file, a confirmed change arms its guard with exactly those
    /// bytes (so it is bound to what is really written, whoever wrote before us). A guard that
    /// cannot be armed means nothing is written; a write that fails releases its guard.
    func commitGuarded(store: FileStore, expecting firstRead: [UInt8], armed: inout ArmedGuard?,
                       _ revise: ([UInt8]) throws -> [UInt8]) throws -> CommitOutcome {
        let lifecycle = guardLifecycle, delay = confirmation?.guardDelay ?? .zero, target = store.target
        do {
            return try commit(store: store, expecting: firstRead) { current in
                let new = try revise(current)
                if new != current, let lifecycle {
                    do throws(GuardFailure) {
                        armed = try lifecycle.arm(config: target, replacing: current, with: new, after: delay)
                    } catch {
                        throw TransactionError.guardNotArmed(error)
                    }
                }
                return new
            }
        } catch {
            if let armed, let lifecycle { lifecycle.release(armed) }
            armed = nil
            throw error
        }
    }

    /// After the **confirm** step: a confirmed change releases its guard (a timer that cannot
    /// be stopped is named in the evidence); one that failed is taken back, and its guard is
    /// released unless the take-back could not be written (the guard then still tries).
    func settleGuard(_ armed: ArmedGuard?, _ lifecycle: GuardLifecycle, after outcome: inout ConfirmOutcome, _ written: Written,
                     in store: FileStore) -> UndoOutcome? {
        switch outcome {
        case .confirmed(var evidence):
            evidence.guardStillArmed = armed.flatMap(lifecycle.release)
            outcome = .confirmed(evidence)
            record(.confirm, written, restart: .restarted, in: store)
            return nil
        case .failed(let failure):
            let undo = undo(written, reason: failure.auditReason, in: store)
            if let armed, undo.keepsTheGuard == false { lifecycle.release(armed) }
            return undo
        case .notRequested:
            return nil
        }
    }

    // MARK: The steps

    /// A planned version, with what the plan read.
    struct Planned {
        var old: AgentConfiguration
        var new: AgentConfiguration
        var keys: [[String]]
        var readBackup: Bool

        /// Only the secrets this change wrote are looked at: the rest of a large file is not walked.
        var wroteSecrets: Bool {
            keys.flatMap(new.leaves(under:)).contains { leaf in
                leaf.isSecret && leaf.value != .scalar("", .string) && leaf.value != .list([]) && leaf.value != .scalar("", .null)
            }
        }
    }

    /// **plan** and **check**: each version is parsed once; the check and the list of
    /// changes read the same trees.
    func planAndCheck(_ bytes: [UInt8], store: FileStore, replacesWhole: Bool = false, _ plan: Plan) throws -> Planned {
        let current = try AgentConfiguration(bytes: bytes, refusingDuplicateKeys: !replacesWhole)
        effects.progress.report(.versionRead(current.secretInventory))
        let input = PlanInput(current: current, store: store)
        let revision = try plan(input)
        // A version that replaces the whole file (rollback) brings secrets of its own; an edit
        // brings only the values it was given, which the caller knows already.
        if revision.keys.isEmpty { effects.progress.report(.versionRead(revision.new.secretInventory)) }
        do {
            try ConfigChange.checkConsistency(revision.new)
        } catch let error as ConfigValueError where (try? ConfigChange.checkConsistency(current)) == nil {
            // The file was already unusable before this edit: not the caller's typo.
            throw TransactionError.storedSettingsUnusable(path: path, error)
        }
        return Planned(old: current, new: revision.new, keys: revision.keys, readBackup: input.readBackup)
    }

    /// **commit**: the store's locked, atomic replace; `revise` runs under the lock.
    func commit(store: FileStore, expecting expected: [UInt8]? = nil, _ revise: ([UInt8]) throws -> [UInt8]) throws -> CommitOutcome {
        switch try store.update(expecting: expected, revise) {
        case .unchanged:
            return .unchanged
        case .written(let backup, let notes):
            notes.forEach { effects.progress.report(.storeNote($0)) }
            return .written(backup: backup)
        }
    }

    /// What the first record says of the restart: it is not known yet when one will happen.
    var pendingState: AuditRecord.RestartState {
        switch restart {
        case .restart: return .pending
        case .skip: return .skipped
        }
    }

    /// **record**: one audit entry. A change that could not be recorded stands; the person
    /// is told at once.
    func record(_ event: AuditRecord.Event, _ written: Written, restart: RestartOutcome, in store: FileStore) {
        var message: String?
        if case .failed(_, let error) = restart { message = error.description }
        record(event, written, restart: restart.auditState, message: message, in: store)
    }

    func record(_ event: AuditRecord.Event, _ written: Written, restart: AuditRecord.RestartState, message: String? = nil,
                reason: String? = nil, in store: FileStore) {
        let environment = effects.environment
        let uid = environment.userID
        // Without libcrypto the record says the digests are unavailable; it is still made.
        let digests: (old: String, new: String)?
        do {
            digests = (try SHA256.hex(written.old), try SHA256.hex(written.new))
        } catch {
            digests = nil
        }
        let entry = AuditRecord(event: event, tool: tool, config: store.target, keys: written.keys, oldSHA256: digests?.old,
                                newSHA256: digests?.new, uid: uid, user: environment.userName(uid),
                                sudoUser: environment.variable("SUDO_USER"), restart: restart, restartMessage: message,
                                reason: reason)
        do {
            try effects.audit.record(entry)
        } catch {
            effects.progress.report(.notRecorded(reason: "\(error)"))
        }
    }

    /// **apply**: the restart, unless told to skip it.
    func apply() -> RestartOutcome {
        switch restart {
        case .skip(let unit):
            return .skipped(unit: unit)
        case .restart(let unit):
            do {
                return .restarted(unit: unit, via: try effects.restarter.restart(unit: unit))
            } catch {
                return .failed(unit: unit, error)
            }
        }
    }

    /// **confirm**: within the window, the unit stays up for the settle time (active, the
    /// same invocation, no restart by systemd), the agent's failover walk on the new file
    /// goes through one of its proxies (or direct, when allowed or when it lists none), and
    /// the admin's command exits 0. The first check that fails decides.
    func confirm(_ restart: RestartOutcome, new: AgentConfiguration, policy: ConfirmPolicy, effects: ConfirmEffects) -> ConfirmOutcome {
        guard case .restarted(let unit, _) = restart else {
            return .failed(.restartFailed(restart.failure ?? .callFailed(unit: "", method: "RestartUnit", name: "NotRestarted", message: "no restart")))
        }
        self.effects.progress.report(.confirming(window: policy.window))
        let clock = effects.clock
        let deadline = clock.now + policy.window
        let settleEnd = clock.now + min(policy.settle, policy.window)
        let baseline: UnitStatus
        do {
            baseline = try effects.units.status(of: unit)
        } catch {
            return .failed(.unitNotUp(.unreadable(error)))
        }
        var latest = baseline
        while true {
            if latest.activeState != "active" {
                return .failed(.unitNotUp(.notActive(state: latest.activeState, subState: latest.subState)))
            }
            if latest.invocationID != baseline.invocationID {
                return .failed(.unitNotUp(.newInvocation(from: baseline.invocationID, to: latest.invocationID)))
            }
            if let before = baseline.restarts, let now = latest.restarts, now != before {
                return .failed(.unitNotUp(.restartedBySystemd(from: before, to: now)))
            }
            if clock.now >= settleEnd { break }
            clock.sleep(for: min(.milliseconds(250), settleEnd - clock.now))
            do {
                latest = try effects.units.status(of: unit)
            } catch {
                return .failed(.unitNotUp(.unreadable(error)))
            }
        }
        let left = deadline - clock.now
        guard left > .zero else { return .failed(.windowPassed(stage: .path)) }
        let path = effects.connectivity.check(new, within: left)
        // A walk given what was left of the window may end a little after it: a path that
        // did not work in that time is the verdict (with the walk as evidence); one that
        // worked only after the window does not confirm.
        switch path.chosen {
        case .direct? where path.proxies > 0 && !policy.allowDirect: return .failed(.onlyDirect(path))
        case nil: return .failed(.noPath(path))
        case .proxy?, .direct?:
            if clock.now > deadline { return .failed(.windowPassed(stage: .path)) }
        }
        var output: String?
        if let command = policy.command {
            let left = deadline - clock.now
            guard left > .zero else { return .failed(.windowPassed(stage: .command)) }
            switch effects.commands.run(command, timeout: left) {
            case .exited(0, let text): output = text
            case .exited(let status, let text): return .failed(.commandFailed(status: status, output: text))
            case .signaled(let signal, let text): return .failed(.commandSignaled(signal: signal, output: text))
            case .timedOut(let text): return .failed(.commandTimedOut(output: text))
            case .couldNotStart(let errno): return .failed(.commandNotStarted(errno))
            case .notWaited(let errno, let text): return .failed(.commandNotWaited(errno, output: text))
            }
        }
        return .confirmed(ConfirmEvidence(unit: latest, path: path, commandOutput: output, guardStillArmed: nil))
    }

    /// **undo**: the previous version back through the same locked, verified write, and a
    /// restart with it. Only a restart job that ran and failed says the agent could not start
    /// with the change; a bus, a permission, a unit name or a timeout says nothing about it
    /// (after a timeout the agent may even still be starting with it). Only our own version
    /// is taken back: when another writer changed the file since, its change stays.
    func undo(_ written: Written, after failure: RestartError, in store: FileStore) -> UndoOutcome {
        switch failure {
        case .jobFailed: break
        case .stillRunning: return .notPerformed(.restartStillRunning)
        default: return .notPerformed(.failureSaysNothingAboutTheChange)
        }
        return undo(written, reason: "restart job failed", in: store)
    }

    /// Puts the previous version back, whatever the reason (named in the audit trail).
    func undo(_ written: Written, reason: String, in store: FileStore) -> UndoOutcome {
        struct MovedOn: Error {}
        do {
            _ = try store.update { current in
                guard current == written.new else { throw MovedOn() }
                return written.old
            }
        } catch is MovedOn {
            return .notPerformed(.fileChangedSince)
        } catch {
            return .notPerformed(.writeFailed("\(error)"))
        }
        let back = Written(old: written.new, new: written.old, keys: written.keys)
        record(.rollback, back, restart: pendingState, reason: reason, in: store)
        let again = apply()
        record(.restart, back, restart: again, in: store)
        return .performed(restart: again)
    }
}
