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
///    again under the lock when the file changed since, or when it read the backup;
/// 4. **record** the change in the audit trail, before anything can delay us;
/// 5. **apply** it: restart the agent's unit, and record what became of the restart;
/// 6. **confirm** that it works, when asked: the unit stays up, the agent's failover path
///    works with the new file, the admin's own check passes; a guard armed before the commit
///    takes the change back even if this process dies, and is disarmed on confirmation;
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
        do {
            let restored = try AgentConfiguration(bytes: bytes)
            // Checked here, so that a backup the agent could not use is named as the problem.
            try ConfigChange.checkConsistency(restored)
            if (try? input.current.node("configuration")) != nil && (try? restored.node("configuration")) == nil {
                throw BackupProblem.notAVersionOfTheConfig
            }
            return Revision(new: restored, keys: [])
        } catch let problem as BackupProblem {
            throw TransactionError.backupNotRestorable(backup: input.backupPath, reason: problem)
        } catch {
            throw TransactionError.backupNotRestorable(backup: input.backupPath, reason: .unreadable(error))
        }
    }

    /// Runs every step; `event` names the change in the audit trail.
    public func run(_ event: AuditRecord.Event, _ plan: Plan) throws -> TransactionResult {
        let progress = effects.progress, timeout = lockTimeout
        let store = try FileStore(path: path, lockTimeout: lockTimeout, sizeLimit: AgentConfiguration.sizeLimit) { lockPath, holder in
            progress.report(.waitingForLock(lockPath: lockPath, holder: holder, timeout: timeout))
        }
        let firstRead = try store.read()
        // A rollback replaces the whole file: it may repair one that no reader agrees on.
        let replacesWhole = event == .rollback
        var planned = try planAndCheck(firstRead, store: store, replacesWhole: replacesWhole, plan)
        var commit = CommitOutcome.dryRun
        // A confirmed change is guarded before anything is written: a host where the guard
        // cannot be armed gets a refusal, not an unguarded change.
        var armed: ArmedGuard?
        if !dryRun, planned.changed, let confirmation, let guards = effects.confirm?.guards {
            // A write the store would refuse arms nothing (no "Guard armed" for a file never written).
            try store.checkWritable()
            armed = try arm(guards, planned.new.document.bytes, confirmation)
        }
        if !dryRun {
            do {
                commit = try self.commit(store: store, expecting: firstRead) { bytes in
                    if bytes != firstRead || planned.readBackup {
                        planned = try planAndCheck(bytes, store: store, replacesWhole: replacesWhole, plan)
                    }
                    return planned.new.document.bytes
                }
            } catch {
                if let armed { disarm(armed) }
                throw error
            }
        }
        let changes = KeyChanges.between(planned.old, planned.new, under: planned.keys)
        var result = TransactionResult(path: path, target: store.target, old: planned.old, new: planned.new, changes: changes,
                                       commit: commit, restart: .notNeeded, confirm: .notRequested, undo: nil,
                                       wroteSecrets: commit.wrote && planned.wroteSecrets)
        let old = planned.old.document.bytes, new = planned.new.document.bytes
        // Another writer's version under the lock: the guard must be bound to what was written.
        if let current = armed, !commit.wrote || current.sha256 != SHA256.hex(new) {
            disarm(current)
            armed = nil
            if commit.wrote, let confirmation, let guards = effects.confirm?.guards {
                armed = try? arm(guards, new, confirmation)
            }
        }
        guard commit.wrote else { return result }
        let keys = changes.map(\.key)
        record(event, old: old, new: new, keys: keys, restart: pendingState, reason: reason, in: store)
        result.guardName = armed?.name
        result.restart = apply()
        if case .restart = restart {
            record(.restart, old: old, new: new, keys: keys, restart: result.restart, in: store)
        }
        if let confirmation, let effects = effects.confirm {
            result.confirm = confirm(result.restart, new: planned.new, policy: confirmation, effects: effects)
            switch result.confirm {
            case .confirmed(var evidence):
                if let armed {
                    do {
                        try effects.guards.disarm(armed)
                    } catch {
                        evidence.guardStillArmed = error
                    }
                }
                result.confirm = .confirmed(evidence)
                record(.confirm, old: old, new: new, keys: keys, restart: .restarted, in: store)
            case .failed(let failure):
                result.undo = undo(written: new, restoring: old, keys: keys, reason: failure.auditReason, in: store)
                if let armed { disarm(armed) }
            case .notRequested:
                break
            }
        } else if let failure = result.restart.failure {
            result.undo = rollbackOnFailure ? undo(written: new, restoring: old, keys: keys, after: failure, in: store)
                : nil
        }
        return result
    }

    /// The guard, bound to the version about to be written.
    private func arm(_ guards: any GuardArming, _ bytes: [UInt8], _ confirmation: ConfirmPolicy) throws -> ArmedGuard {
        do {
            let armed = try guards.arm(boundTo: SHA256.hex(bytes), after: confirmation.guardDelay)
            effects.progress.report(.guardArmed(name: armed.name, after: confirmation.guardDelay))
            return armed
        } catch {
            throw TransactionError.guardNotArmed(error)
        }
    }

    /// A guard that is no longer needed. One that cannot be stopped refuses on its own: it is
    /// bound to a version that is no longer the file's.
    private func disarm(_ armed: ArmedGuard) {
        try? effects.confirm?.guards.disarm(armed)
    }

    // MARK: The steps

    /// A planned version, with what the plan read.
    struct Planned {
        var old: AgentConfiguration
        var new: AgentConfiguration
        var keys: [[String]]
        var readBackup: Bool

        var changed: Bool { old.document.bytes != new.document.bytes }

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
    func record(_ event: AuditRecord.Event, old: [UInt8], new: [UInt8], keys: [String], restart: RestartOutcome, in store: FileStore) {
        var message: String?
        if case .failed(_, let error) = restart { message = error.description }
        record(event, old: old, new: new, keys: keys, restart: restart.auditState, message: message, in: store)
    }

    func record(_ event: AuditRecord.Event, old: [UInt8], new: [UInt8], keys: [String], restart: AuditRecord.RestartState,
                reason: String?, in store: FileStore) {
        record(event, old: old, new: new, keys: keys, restart: restart, message: nil, reason: reason, in: store)
    }

    func record(_ event: AuditRecord.Event, old: [UInt8], new: [UInt8], keys: [String], restart: AuditRecord.RestartState,
                message: String? = nil, reason: String? = nil, in store: FileStore) {
        let environment = effects.environment
        let uid = environment.userID
        let entry = AuditRecord(event: event, tool: tool, config: store.target, keys: keys, oldSHA256: SHA256.hex(old),
                                newSHA256: SHA256.hex(new), uid: uid, user: environment.userName(uid),
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
            }
        }
        return .confirmed(ConfirmEvidence(unit: latest, path: path, commandOutput: output, guardStillArmed: nil))
    }

    /// **undo**: the previous version back through the same locked, verified write, and a
    /// restart with it. Only a restart job that ran and failed says the agent could not start
    /// with the change; a bus, a permission, a unit name or a timeout says nothing about it
    /// (after a timeout the agent may even still be starting with it). Only our own version
    /// is taken back: when another writer changed the file since, its change stays.
    func undo(written: [UInt8], restoring previous: [UInt8], keys: [String], after failure: RestartError,
              in store: FileStore) -> UndoOutcome {
        switch failure {
        case .jobFailed: break
        case .stillRunning: return .notPerformed(.restartStillRunning)
        default: return .notPerformed(.failureSaysNothingAboutTheChange)
        }
        return undo(written: written, restoring: previous, keys: keys, reason: "restart job failed", in: store)
    }

    /// Puts the previous version back, whatever the reason (named in the audit trail).
    func undo(written: [UInt8], restoring previous: [UInt8], keys: [String], reason: String, in store: FileStore) -> UndoOutcome {
        struct MovedOn: Error {}
        do {
            _ = try store.update { current in
                guard current == written else { throw MovedOn() }
                return previous
            }
        } catch is MovedOn {
            return .notPerformed(.fileChangedSince)
        } catch {
            return .notPerformed(.writeFailed("\(error)"))
        }
        record(.rollback, old: written, new: previous, keys: keys, restart: pendingState, reason: reason, in: store)
        let again = apply()
        record(.restart, old: written, new: previous, keys: keys, restart: again, in: store)
        return .performed(restart: again)
    }
}
