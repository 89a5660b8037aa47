import AgentConfig
import Audit
import ConfigTransaction
import DurableFile
import Foundation
import ServiceControl
import SystemCalls
import Testing
import TestSupport

private let info = "configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: info\n"
private let debug = "configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: debug\n"
private let warning = "configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: warning\n"
private let throughProxy = ConnectivityResult(chosen: .proxy(0), proxies: 1, report: [])

/// The guard's life with a fake for every step that can fail: it is armed under the lock with
/// the bytes really written, or nothing is written; it is released when its change is
/// confirmed, taken back or never written; its private copy goes with it.
private final class GuardBench {
    let folder: TemporaryFolder
    let config: String
    let restarter = FakeRestarter()
    let audit = FakeAuditSink()
    let progress = FakeProgress()
    let clock = FakeClock()
    var units = FakeUnits([FakeUnits.up])
    var connectivity = FakeConnectivity(result: throughProxy)
    let guards = FakeGuards()
    let copies = FakeCopies()

    init(_ content: String = info) throws {
        folder = try TemporaryFolder(prefix: "ctagent-guard")
        config = try folder.write(content, to: "config.yaml")
    }

    func transaction() -> ConfigTransaction {
        let policy = ConfirmPolicy(window: .seconds(30), settle: .seconds(1), allowDirect: false, command: nil, guardDelay: .seconds(200))
        let effects = TransactionEffects(
            restarter: restarter, audit: audit, progress: progress, environment: FakeEnvironment(),
            confirm: ConfirmEffects(units: units, connectivity: connectivity, commands: FakeCommands(.exited(status: 0, output: "")),
                                    guards: guards, copies: copies, clock: clock))
        return ConfigTransaction(path: config, lockTimeout: .seconds(5), dryRun: false, restart: .restart(unit: "agent.service"),
                                 rollbackOnFailure: false, confirmation: policy, tool: "ctagent", effects: effects)
    }

    /// Sets log-level to debug; `beforePlan` runs before each plan, the first one unlocked.
    func run(beforePlan: @escaping (Int) -> Void = { _ in }) throws -> TransactionResult {
        var plans = 0
        return try transaction().run(.change) { input in
            beforePlan(plans)
            plans += 1
            return try ConfigTransaction.editing { _ in [.set(path: ["configuration", "log-level"], value: "debug", type: .string)] }(input)
        }
    }

    var text: String { (try? String(contentsOfFile: config, encoding: .utf8)) ?? "" }
    func write(_ content: String) { try? content.write(toFile: config, atomically: false, encoding: .utf8) }
}

private func sha(_ text: String) throws -> String { try SHA256.hex(Array(text.utf8)) }

@Suite struct GuardLifecycleTests {
    /// The race of issue 31: the unlocked first read finds nothing to do, an unlocked editor
    /// changes the file before the lock is taken, and the plan under the lock writes a real
    /// change. It is guarded, bound to what was written, with a copy of what it replaced.
    @Test func aChangeFoundOnlyUnderTheLockIsGuarded() throws {
        let bench = try GuardBench(debug)
        let result = try bench.run { plan in if plan == 0 { bench.write(warning) } }
        #expect(result.commit.wrote && bench.text == debug)
        #expect(bench.guards.armed.map(\.sha256) == [try sha(debug)], "armed once, bound to what was written")
        let record = try #require(bench.copies.history.first)
        let digests = (try sha(warning), try sha(debug))
        #expect(record.previousSHA256 == digests.0 && record.guardedSHA256 == digests.1)
        #expect(record.config == bench.transaction().path || record.config.hasSuffix("/config.yaml"))
    }

    /// Another writer between the first read and the lock: one guard, bound to the version
    /// really written, with the other writer's version as its copy (never the first read's).
    @Test func anotherWritersVersionIsWhatTheGuardKeeps() throws {
        let bench = try GuardBench(info)
        let other = "configuration:\n  proxy: http://127.0.0.1:3129\n  log-level: info\n"
        let expected = "configuration:\n  proxy: http://127.0.0.1:3129\n  log-level: debug\n"
        let result = try bench.run { plan in if plan == 0 { bench.write(other) } }
        #expect(result.commit.wrote && bench.text == expected)
        #expect(bench.guards.armed.map(\.sha256) == [try sha(expected)])
        let kept = try sha(other)
        #expect(bench.copies.history.map(\.previousSHA256) == [kept])
    }

    /// The guard is armed while the lock is held, before the file is replaced.
    @Test func theGuardIsArmedUnderTheLockBeforeTheReplace() throws {
        let bench = try GuardBench(info)
        var seen: (locked: Bool, content: String)?
        let lock = bench.folder.path + "/.config.yaml.lock"
        bench.guards.onArm = {
            let probe = open(lock, O_RDONLY | O_CLOEXEC)
            defer { close(probe) }
            seen = (flock(probe, LOCK_EX | LOCK_NB) != 0, bench.text)
        }
        _ = try bench.run()
        #expect(seen?.locked == true, "the writers' lock is held while the guard is armed")
        #expect(seen?.content == info, "the file is not replaced yet")
    }

    @Test func aCopyThatCannotBeKeptMeansNothingIsWritten() throws {
        let bench = try GuardBench()
        bench.copies.saveFailure = .ioError(path: "/var/lib/ctagent/guards/x.copy", reason: "No space left on device")
        #expect {
            try bench.run()
        } throws: { error in
            guard case TransactionError.guardNotArmed(.copyNotKept) = error else { return false }
            return true
        }
        #expect(bench.text == info && bench.guards.armed.isEmpty && bench.restarter.restarted.isEmpty)
    }

    @Test func aTimerThatCannotBeArmedMeansNothingIsWrittenAndNoCopyStays() throws {
        let bench = try GuardBench()
        bench.guards.armFailure = .accessDenied(unit: "x.timer", detail: "polkit")
        #expect(throws: (any Error).self) { try bench.run() }
        #expect(bench.text == info && bench.copies.saved.isEmpty && bench.audit.records.isEmpty)
    }

    /// A host without libcrypto: the guard has no digest to be bound by, so nothing is written.
    @Test func withoutADigestNothingIsWritten() throws {
        let bench = try GuardBench()
        let lifecycle = GuardLifecycle(timers: bench.guards, copies: bench.copies, clock: bench.clock, progress: bench.progress,
                                       digest: { (_: [UInt8]) throws(SHA256.Unavailable) -> String in throw .noLibcrypto })
        #expect {
            try lifecycle.arm(config: bench.config, replacing: Array(info.utf8), with: Array(debug.utf8), after: .seconds(60))
        } throws: { error in
            guard case GuardFailure.digestUnavailable(.noLibcrypto) = error else { return false }
            return true
        }
        #expect(bench.copies.saved.isEmpty && bench.guards.armed.isEmpty)
    }

    @Test func aFailedConfirmTakesTheChangeBackAndReleasesTheGuard() throws {
        let bench = try GuardBench()
        bench.connectivity = FakeConnectivity(result: ConnectivityResult(chosen: nil, proxies: 1, report: []))
        let result = try bench.run()
        #expect(result.undo == .performed(restart: .restarted(unit: "agent.service", via: .restartedViaDBus)))
        #expect(bench.text == info)
        #expect(bench.guards.disarmed == bench.guards.armed && bench.copies.saved.isEmpty)
    }

    /// Copies left by earlier runs are removed once their time is past, and only then.
    @Test func leftoversArePrunedByTheNextArming() throws {
        let bench = try GuardBench()
        let old = GuardRecord(name: "ctagent-guard-old", config: "/etc/ctagent/config.yaml", previousSHA256: String(repeating: "a", count: 64),
                              guardedSHA256: String(repeating: "b", count: 64), firesAt: bench.clock.wallSeconds - 7200,
                              keepUntil: bench.clock.wallSeconds - 1)
        var recent = old
        recent.name = "ctagent-guard-recent"
        recent.keepUntil = bench.clock.wallSeconds + 600
        bench.copies.leave(old)
        bench.copies.leave(recent)
        _ = try bench.run()
        #expect(bench.copies.records().map(\.name) == ["ctagent-guard-recent"])
    }

    /// The record says when the guard fires and how long its copy is kept after that.
    @Test func theRecordSaysWhenTheGuardFires() throws {
        let bench = try GuardBench()
        let start = bench.clock.wallSeconds
        bench.guards.onArm = {}
        bench.connectivity = FakeConnectivity(result: throughProxy)
        let lifecycle = GuardLifecycle(timers: bench.guards, copies: bench.copies, clock: bench.clock, progress: bench.progress)
        let armed = try lifecycle.arm(config: bench.config, replacing: Array(info.utf8), with: Array(debug.utf8), after: .seconds(172))
        let record = try #require(bench.copies.saved[armed.name]?.record)
        #expect(record.firesAt == start + 172 && record.keepUntil == start + 172 + GuardRecord.keptAfterFiring)
        #expect(GuardRecord(parsing: record.bytes) == record, "the record reads back as written")
        #expect(bench.copies.saved[armed.name]?.copy == Array(info.utf8))
    }

    /// A copy that cannot be removed is said, and the release still stops the timer.
    @Test func aCopyThatCannotBeRemovedIsSaid() throws {
        let bench = try GuardBench()
        bench.copies.removeFailure = .cannotReplace(path: "/x", reason: "Read-only file system")
        _ = try bench.run()
        #expect(bench.guards.disarmed.count == 1)
        #expect(bench.progress.events.contains { if case .guardCopyLeft = $0 { return true } else { return false } })
    }
}

/// The guard's rollback on a real folder of private copies: it restores the copy, and only a
/// copy that is exactly the version its record names, for this config and this guarded version.
@Suite struct GuardCopyRestoreTests {
    private func rollback(_ config: String, _ folder: GuardCopyFolder, name: String, guarded: String) throws -> TransactionResult {
        let effects = TransactionEffects(restarter: FakeRestarter(), audit: FakeAuditSink(), progress: FakeProgress(),
                                         environment: FakeEnvironment())
        return try ConfigTransaction(path: config, lockTimeout: .seconds(5), dryRun: false, restart: .skip(unit: "agent.service"),
                                     rollbackOnFailure: false, tool: "ctagent", effects: effects)
            .run(.rollback, ConfigTransaction.restoringGuardCopy(folder, name: name, guarded: guarded))
    }

    private func setUp() throws -> (TemporaryFolder, String, GuardCopyFolder, GuardRecord) {
        let box = try TemporaryFolder(prefix: "ctagent-guard-copy")
        let config = try box.write(debug, to: "config.yaml")
        // .bak holds a third version: the guard must not take it.
        _ = try box.write(warning, to: "config.yaml.bak")
        let folder = GuardCopyFolder(path: box.path + "/state/guards")
        let record = GuardRecord(name: "ctagent-guard-test", config: try FileSystem.realPath(config), previousSHA256: try sha(info),
                                 guardedSHA256: try sha(debug), firesAt: 0, keepUntil: 0)
        try folder.save(Array(info.utf8), as: record)
        return (box, config, folder, record)
    }

    @Test func theCopyIsRestoredNotTheBackup() throws {
        let (box, config, folder, record) = try setUp()
        defer { withExtendedLifetime(box) {} }
        let result = try rollback(config, folder, name: record.name, guarded: record.guardedSHA256)
        #expect(result.commit.wrote)
        #expect(try String(contentsOfFile: config, encoding: .utf8) == info)
        let folderMode = try FileStatus(path: folder.path).permissions
        let copyMode = try FileStatus(path: folder.path + "/ctagent-guard-test.copy").permissions
        #expect(folderMode == 0o700 && copyMode == 0o600, "\(String(folderMode, radix: 8)) \(String(copyMode, radix: 8))")
    }

    @Test func aLaterVersionMakesTheGuardStandDown() throws {
        let (box, config, folder, record) = try setUp()
        defer { withExtendedLifetime(box) {} }
        _ = try box.write(warning, to: "config.yaml")
        #expect(throws: ConfigTransaction.GuardStandsDown.self) {
            try rollback(config, folder, name: record.name, guarded: record.guardedSHA256)
        }
        #expect(try String(contentsOfFile: config, encoding: .utf8) == warning)
    }

    @Test(arguments: ["altered", "missing", "foreign", "open"])
    func aCopyThatIsNotExactlyTheGuardedOnesIsRefused(_ damage: String) throws {
        let (box, config, folder, record) = try setUp()
        defer { withExtendedLifetime(box) {} }
        let copy = folder.path + "/\(record.name).copy"
        switch damage {
        case "altered": try Array(warning.utf8).withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: copy)) }
        case "missing": try folder.remove(name: record.name)
        case "foreign":
            var other = record
            other.config = "/etc/other/config.yaml"
            try folder.save(Array(info.utf8), as: other)
        default: chmod(copy, 0o644)
        }
        #expect {
            try rollback(config, folder, name: record.name, guarded: record.guardedSHA256)
        } throws: { error in
            guard case TransactionError.guardCopyNotRestorable = error else { return false }
            return true
        }
        #expect(try String(contentsOfFile: config, encoding: .utf8) == debug, "nothing was written (\(damage))")
    }

    @Test func aFolderOthersCanReadIsRefused() throws {
        let box = try TemporaryFolder(prefix: "ctagent-guard-folder")
        mkdir(box.path + "/guards", 0o755)
        chmod(box.path + "/guards", 0o755)
        let folder = GuardCopyFolder(path: box.path + "/guards")
        #expect(throws: StoreError.self) {
            try folder.save(name: "x", copy: [1], record: [2])
        }
        #expect(folder.names().isEmpty)
    }

    /// A folder others may write, anywhere above: the guards' folder could be swapped under
    /// the tool, so nothing is made or written there.
    @Test func aFolderUnderOneOthersCanWriteIsRefused() throws {
        let box = try TemporaryFolder(prefix: "ctagent-guard-parent")
        mkdir(box.path + "/open", 0o777)
        chmod(box.path + "/open", 0o777)
        let folder = GuardCopyFolder(path: box.path + "/open/state/guards")
        #expect {
            try folder.save(name: "x", copy: [1], record: [2])
        } throws: { error in
            guard case StoreError.unsafePath(let path, _, _) = error else { return false }
            return path == box.path + "/open"
        }
        #expect(!FileManager.default.fileExists(atPath: box.path + "/open/state"), "nothing was made")
    }
}
