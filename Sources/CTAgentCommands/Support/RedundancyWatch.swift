#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Audit
import DurableFile
import ProxyProbe

/// Remembers the last redundancy in a small state file and writes one journal entry when it
/// changes (degraded, restored, no redundancy left, no path at all): the state is compared,
/// not the run, so an unchanged state writes nothing however often the check runs.
struct RedundancyWatch {
    /// The folder of the state file (`--stateDir`).
    var directory: String
    var config: String
    var tool: String

    struct State: Codable, Equatable {
        var redundancy: String
        var working: [Int]
        var configured: Int
        var path: String
    }

    var file: String { directory + "/proxy-redundancy.json" }

    static func state(of sweep: RedundancySweep) -> State {
        State(redundancy: sweep.redundancy.rawValue, working: sweep.workingProxies.map { $0 + 1 }, configured: sweep.configured,
              path: sweep.agentPath.map(pathName) ?? "none")
    }

    static func pathName(_ path: FailoverRoute.Path) -> String {
        if case .proxy(let index) = path { return "proxy \(index + 1)" }
        return "direct"
    }

    /// What the watch did: the previous state, whether it wrote a journal entry, and why the
    /// state could not be kept (a warning, not a failure of the check).
    struct Outcome {
        var previous: State?
        var recorded: Bool
        var problem: String?
    }

    func update(with sweep: RedundancySweep) -> Outcome {
        let current = RedundancyWatch.state(of: sweep)
        let previous = PublishedFile.read(file).flatMap { try? JSONDecoder().decode(State.self, from: Data($0)) }
        var outcome = Outcome(previous: previous, recorded: false, problem: nil)
        guard previous != current else { return outcome }
        let healthy = sweep.redundancy == .allWorking || sweep.redundancy == .noProxies
        // A first look at a healthy list is only remembered; anything else is news.
        if previous != nil || !healthy {
            let priority = sweep.redundancy == .noPath ? 3 : healthy ? 5 : 4
            let event = RedundancyEvent(tool: tool, config: config, state: current.redundancy, previous: previous?.redundancy,
                                        working: current.working.count, configured: current.configured, path: current.path,
                                        failing: sweep.failingProxies.map { "#\($0 + 1) (\(sweep.addresses[$0]))" },
                                        verdict: sweep.verdict, priority: priority)
            do {
                try AuditLog.send(event.fields, tool: tool, facility: 3)
                outcome.recorded = true
            } catch {
                outcome.problem = "the redundancy change was not recorded: \(error)"
            }
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try PublishedFile.write(Array(try encoder.encode(current)) + [0x0A], to: file, mode: 0o644)
        } catch {
            outcome.problem = "the redundancy state cannot be kept in \(directory) (\(error)); changes are not tracked (--stateDir DIR)"
        }
        return outcome
    }
}
