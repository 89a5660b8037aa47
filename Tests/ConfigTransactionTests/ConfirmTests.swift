import AgentConfig
import Audit
import ConfigTransaction
import Foundation
import ServiceControl
import SystemCalls
import Testing
import TestSupport

private let original = "configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: info\n"
private let debug = "configuration:\n  proxy: http://127.0.0.1:3128\n  log-level: debug\n"
private let throughProxy = ConnectivityResult(chosen: .proxy(0), proxies: 1, report: ["  1. proxy #1: ok"])

/// The confirm step with fakes of every effect: each check that can fail, the guard's life.
private final class ConfirmBench {
    let folder: TemporaryFolder
    let config: String
    let restarter = FakeRestarter()
    let audit = FakeAuditSink()
    let progress = FakeProgress()
    let clock = FakeClock()
    var units = FakeUnits([FakeUnits.up])
    var connectivity = FakeConnectivity(result: throughProxy)
    var commands = FakeCommands(.exited(status: 0, output: "heartbeat seen\n"))
    let guards = FakeGuards()
    let copies = FakeCopies()

    init() throws {
        folder = try TemporaryFolder(prefix: "ctagent-confirm")
        config = try folder.write(original, to: "config.yaml")
    }

    func run(allowDirect: Bool = false, command: [String]? = nil, settle: Duration = .seconds(5)) throws -> TransactionResult {
        let policy = ConfirmPolicy(window: .seconds(30), settle: settle, allowDirect: allowDirect, command: command,
                                   guardDelay: .seconds(200))
        let effects = TransactionEffects(
            restarter: restarter, audit: audit, progress: progress, environment: FakeEnvironment(),
            confirm: ConfirmEffects(units: units, connectivity: connectivity, commands: commands, guards: guards, copies: copies, clock: clock))
        let transaction = ConfigTransaction(path: config, lockTimeout: .seconds(5), dryRun: false, restart: .restart(unit: "agent.service"),
                                            rollbackOnFailure: false, confirmation: policy, tool: "ctagent", effects: effects)
        return try transaction.run(.change, ConfigTransaction.editing { _ in
            [.set(path: ["configuration", "log-level"], value: "debug", type: .string)]
        })
    }

    var text: String { (try? String(contentsOfFile: config, encoding: .utf8)) ?? "" }
}

@Suite struct ConfirmTests {
    @Test func aChangeThatWorksIsConfirmedAndItsGuardDisarmed() throws {
        let bench = try ConfirmBench()
        let result = try bench.run(command: ["/usr/local/bin/check"])
        guard case .confirmed(let evidence) = result.confirm else { Issue.record("\(result.confirm)"); return }
        #expect(evidence.path.chosen == .proxy(0))
        #expect(evidence.commandOutput == "heartbeat seen\n")
        #expect(bench.text == debug)
        #expect(result.undo == nil)
        #expect(bench.guards.armed.count == 1 && bench.guards.disarmed == bench.guards.armed)
        #expect(bench.guards.armed.first?.sha256 == (try SHA256.hex(Array(debug.utf8))), "bound to the version written")
        #expect(bench.copies.saved.isEmpty && bench.copies.removed == bench.guards.armed.map(\.name), "its copy is removed")
        #expect(bench.audit.records.map(\.event) == [.change, .restart, .confirm])
        // The unit was watched for the whole settle time, then the command had what was left of the window.
        #expect(bench.units.reads >= 20)
        #expect(bench.commands.ran.first?.0 == ["/usr/local/bin/check"])
        #expect((bench.commands.ran.first?.1 ?? .zero) <= .seconds(25))
    }

    @Test(arguments: [
        ([FakeUnits.up, UnitStatus(activeState: "failed", subState: "failed", invocationID: "aa11", restarts: 0)],
         UnitProblem.notActive(state: "failed", subState: "failed")),
        ([FakeUnits.up, UnitStatus(activeState: "active", subState: "running", invocationID: "bb22", restarts: 0)],
         UnitProblem.newInvocation(from: "aa11", to: "bb22")),
        ([FakeUnits.up, UnitStatus(activeState: "active", subState: "running", invocationID: "aa11", restarts: 1)],
         UnitProblem.restartedBySystemd(from: 0, to: 1)),
    ])
    func aUnitThatDoesNotStayUpIsTakenBack(_ statuses: [UnitStatus], _ problem: UnitProblem) throws {
        let bench = try ConfirmBench()
        bench.units = FakeUnits(statuses)
        let result = try bench.run()
        #expect(result.confirm == .failed(.unitNotUp(problem)))
        #expect(result.undo == .performed(restart: .restarted(unit: "agent.service", via: .restartedViaDBus)))
        #expect(bench.text == original, "the previous version is back")
        #expect(bench.restarter.restarted.count == 2, "restarted again with the previous version")
        #expect(bench.guards.disarmed.count == 1)
        let rollback = try #require(bench.audit.records.first { $0.event == .rollback })
        #expect(rollback.reason == ConfirmFailure.unitNotUp(problem).auditReason)
    }

    @Test func aListNoneOfWhoseProxiesWorksIsTakenBackEvenIfDirectWorks() throws {
        let bench = try ConfirmBench()
        bench.connectivity = FakeConnectivity(result: ConnectivityResult(chosen: .direct, proxies: 1, report: []))
        let result = try bench.run()
        #expect(result.confirm == .failed(.onlyDirect(ConnectivityResult(chosen: .direct, proxies: 1, report: []))))
        #expect(bench.text == original)
    }

    @Test func theBypassConfirmsWhenAllowedOrWhenTheListIsEmpty() throws {
        let allowed = try ConfirmBench()
        allowed.connectivity = FakeConnectivity(result: ConnectivityResult(chosen: .direct, proxies: 1, report: []))
        guard case .confirmed = try allowed.run(allowDirect: true).confirm else { Issue.record("the bypass was allowed"); return }
        let empty = try ConfirmBench()
        empty.connectivity = FakeConnectivity(result: ConnectivityResult(chosen: .direct, proxies: 0, report: []))
        guard case .confirmed = try empty.run().confirm else { Issue.record("an empty list confirms by the direct path"); return }
    }

    @Test func noPathAtAllIsTakenBack() throws {
        let bench = try ConfirmBench()
        bench.connectivity = FakeConnectivity(result: ConnectivityResult(chosen: nil, proxies: 1, report: []))
        #expect(try bench.run().confirm == .failed(.noPath(ConnectivityResult(chosen: nil, proxies: 1, report: []))))
        #expect(bench.text == original)
    }

    @Test(arguments: [
        (ChildProcess.Outcome.exited(status: 3, output: "no heartbeat"), ConfirmFailure.commandFailed(status: 3, output: "no heartbeat")),
        (.timedOut(output: ""), .commandTimedOut(output: "")),
        (.couldNotStart(.noSuchFile), .commandNotStarted(.noSuchFile)),
    ])
    func aFailingConfirmCommandIsTakenBack(_ outcome: ChildProcess.Outcome, _ failure: ConfirmFailure) throws {
        let bench = try ConfirmBench()
        bench.commands = FakeCommands(outcome)
        let result = try bench.run(command: ["check"])
        #expect(result.confirm == .failed(failure))
        #expect(bench.text == original)
    }

    @Test func aWalkThatOutlastsTheWindowIsNotConfirmed() throws {
        let bench = try ConfirmBench()
        let clock = bench.clock
        bench.connectivity = FakeConnectivity(result: throughProxy, onCheck: { clock.advance(.seconds(40)) })
        #expect(try bench.run().confirm == .failed(.windowPassed(stage: .path)))
        #expect(bench.text == original)
    }

    /// The window bounds the path check: it is given what the settle time left of the window.
    @Test func thePathCheckIsGivenWhatIsLeftOfTheWindow() throws {
        let bench = try ConfirmBench()
        _ = try bench.run(settle: .seconds(12))
        let limit = try #require(bench.connectivity.limits.first)
        #expect(limit <= .seconds(18) && limit > .seconds(17), "the window is 30 s and the settle time 12 s: \(limit)")
    }

    /// A walk that ends after the window with no working path says so, with the walk.
    @Test func aFailedWalkThatEndsAfterTheWindowIsReportedAsItsVerdict() throws {
        let bench = try ConfirmBench()
        let clock = bench.clock
        let none = ConnectivityResult(chosen: nil, proxies: 1, report: ["  1. proxy #1: timed out"])
        bench.connectivity = FakeConnectivity(result: none, onCheck: { clock.advance(.seconds(26)) })
        #expect(try bench.run().confirm == .failed(.noPath(none)))
        #expect(bench.text == original)
    }

    @Test func aWindowUsedUpBySettlingLeavesNoPathCheck() throws {
        let bench = try ConfirmBench()
        #expect(try bench.run(settle: .seconds(30)).confirm == .failed(.windowPassed(stage: .path)))
        #expect(bench.connectivity.limits.isEmpty, "no walk is started with no time left")
        #expect(bench.text == original)
    }

    @Test func aFailedRestartIsNotConfirmed() throws {
        let bench = try ConfirmBench()
        bench.restarter.outcomes = [.failure(.accessDenied(unit: "agent.service", detail: "polkit")), .success(.restartedViaDBus)]
        let result = try bench.run()
        #expect(result.confirm == .failed(.restartFailed(.accessDenied(unit: "agent.service", detail: "polkit"))))
        #expect(bench.text == original)
    }

    @Test func withoutAGuardNothingIsWritten() throws {
        let bench = try ConfirmBench()
        bench.guards.armFailure = .busUnavailable(reason: "no systemd here")
        #expect {
            try bench.run()
        } throws: { error in
            guard case TransactionError.guardNotArmed(.timerNotArmed(.busUnavailable)) = error else { return false }
            return true
        }
        #expect(bench.text == original)
        #expect(bench.restarter.restarted.isEmpty && bench.audit.records.isEmpty)
        #expect(bench.copies.saved.isEmpty, "the copy kept for a timer that could not be armed is removed")
    }

    @Test func aGuardThatCannotBeStoppedIsSaid() throws {
        let bench = try ConfirmBench()
        bench.guards.disarmFailure = .accessDenied(unit: "guard-0.timer", detail: "polkit")
        guard case .confirmed(let evidence) = try bench.run().confirm else { Issue.record("confirmed"); return }
        #expect(evidence.guardStillArmed == .accessDenied(unit: "guard-0.timer", detail: "polkit"))
        // Without its copy the stuck guard cannot undo the confirmed change: it fails loudly instead.
        #expect(bench.copies.saved.isEmpty)
    }
}
