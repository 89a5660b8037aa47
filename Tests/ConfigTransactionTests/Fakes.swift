import Audit
import ConfigTransaction
import Foundation
import ServiceControl

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
