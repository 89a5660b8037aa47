import Audit
import ConfigTransaction
import Foundation
import ServiceControl
import SystemCalls
import AgentConfig
import DurableFile

/// In-memory stand-ins for the transaction's effects, each recording what it was asked.
final class FakeRestarter: AgentRestarting, @unchecked Sendable {
    /// What each restart does, in turn; the last one repeats.
    var outcomes: [Result<ServiceRestarter.Outcome, RestartError>]
    private(set) var restarted: [String] = []
    /// Runs at the start of each restart: what a test wants to see at that moment.
    var onRestart: () -> Void = {}

    init(_ outcomes: [Result<ServiceRestarter.Outcome, RestartError>] = [.success(.restartedViaDBus)]) {
        self.outcomes = outcomes
    }

    func restart(unit: String) throws(RestartError) -> ServiceRestarter.Outcome {
        onRestart()
        restarted.append(unit)
        let outcome = outcomes.count > 1 ? outcomes.removeFirst() : outcomes[0]
        switch outcome {
        case .success(let via): return via
        case .failure(let error): throw error
        }
    }
}

final class FakeAuditSink: AuditSink, @unchecked Sendable {
    struct Unreachable: Error, CustomStringConvertible { var description: String { "no journal and no syslog here" } }
    private(set) var records: [AuditRecord] = []
    var failing = false

    func record(_ entry: AuditRecord) throws {
        if failing { throw Unreachable() }
        records.append(entry)
    }
}

final class FakeProgress: TransactionProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [TransactionEvent] = []
    var events: [TransactionEvent] { lock.withLock { storage } }
    /// Runs after each event is recorded.
    var onEvent: @Sendable (TransactionEvent) -> Void = { _ in }

    func report(_ event: TransactionEvent) {
        lock.withLock { storage.append(event) }
        onEvent(event)
    }
}

struct FakeEnvironment: ProcessEnvironment {
    var variables: [String: String] = ["SUDO_USER": "alice"]
    func variable(_ name: String) -> String? { variables[name] }
    var userID: UInt32 { 4242 }
    func userName(_ uid: UInt32) -> String? { uid == 4242 ? "operator" : nil }
}

/// Virtual time: `sleep` moves `now` on at once.
final class FakeClock: TransactionClock, @unchecked Sendable {
    private(set) var now: ContinuousClock.Instant = .now
    private(set) var wallSeconds: Int64 = 1_800_000_000
    func sleep(for duration: Duration) { advance(duration) }
    func advance(_ duration: Duration) {
        now += duration
        wallSeconds += duration.components.seconds
    }
}

final class FakeUnits: UnitWatching, @unchecked Sendable {
    /// The status at each read, in turn; the last one repeats.
    var statuses: [UnitStatus]
    private(set) var reads = 0
    init(_ statuses: [UnitStatus]) { self.statuses = statuses }

    func status(of unit: String) throws(RestartError) -> UnitStatus {
        reads += 1
        return statuses.count > 1 ? statuses.removeFirst() : statuses[0]
    }

    static let up = UnitStatus(activeState: "active", subState: "running", invocationID: "aa11", restarts: 0)
}

final class FakeConnectivity: ConnectivityChecking, @unchecked Sendable {
    var result: ConnectivityResult
    var onCheck: () -> Void
    /// The time each check was given.
    private(set) var limits: [Duration] = []
    init(result: ConnectivityResult, onCheck: @escaping () -> Void = {}) {
        self.result = result
        self.onCheck = onCheck
    }
    func check(_ config: AgentConfiguration, within limit: Duration) -> ConnectivityResult {
        limits.append(limit)
        onCheck()
        return result
    }
}

final class FakeCommands: CommandRunning, @unchecked Sendable {
    var outcome: ChildProcess.Outcome
    private(set) var ran: [([String], Duration)] = []
    init(_ outcome: ChildProcess.Outcome) { self.outcome = outcome }
    func run(_ arguments: [String], timeout: Duration) -> ChildProcess.Outcome {
        ran.append((arguments, timeout))
        return outcome
    }
}

final class FakeGuards: GuardArming, @unchecked Sendable {
    private(set) var armed: [ArmedGuard] = []
    private(set) var disarmed: [ArmedGuard] = []
    var armFailure: RestartError?
    var disarmFailure: RestartError?

    /// Runs as each timer is armed: what a test wants to see at that moment.
    var onArm: () -> Void = {}

    func arm(_ name: String, boundTo sha256: String, after delay: Duration) throws(RestartError) -> ServiceRestarter.Outcome {
        onArm()
        if let armFailure { throw armFailure }
        armed.append(ArmedGuard(name: name, sha256: sha256, via: .restartedViaDBus))
        return .restartedViaDBus
    }

    func disarm(_ armed: ArmedGuard) throws(RestartError) {
        if let disarmFailure { throw disarmFailure }
        disarmed.append(armed)
    }
}

/// The guards' private copies, in memory.
final class FakeCopies: GuardCopying, @unchecked Sendable {
    private(set) var saved: [String: (copy: [UInt8], record: GuardRecord)] = [:]
    private(set) var removed: [String] = []
    /// Every record saved, removed ones included.
    private(set) var history: [GuardRecord] = []
    var saveFailure: StoreError?
    var removeFailure: StoreError?

    func save(_ previous: [UInt8], as record: GuardRecord) throws(StoreError) {
        if let saveFailure { throw saveFailure }
        saved[record.name] = (previous, record)
        history.append(record)
    }

    func remove(_ name: String) throws(StoreError) {
        if let removeFailure { throw removeFailure }
        saved[name] = nil
        removed.append(name)
    }

    func records() -> [GuardRecord] { saved.values.map(\.record).sorted { $0.name < $1.name } }

    /// Puts a record as an earlier run left it.
    func leave(_ record: GuardRecord) { saved[record.name] = ([], record) }
}
