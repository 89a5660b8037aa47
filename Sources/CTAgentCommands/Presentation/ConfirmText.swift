import ConfigTransaction
import ServiceControl
import SystemCalls

/// The confirm step in words and in `--json`.
struct ConfirmReport: Encodable, Equatable {
    var requested: Bool
    var confirmed: Bool
    /// What failed, as a stable word for scripts: restart-failed, unit-not-up, no-path,
    /// only-direct, command-failed, command-timed-out, command-not-started, window-passed.
    var failure: String?
    var message: String?
    /// The path the agent takes with the new file: "proxy #2", "direct".
    var path: String?
    /// The guard's timer (NAME.timer), when one was armed.
    var `guard`: String?
    var commandOutput: String?

    init(_ result: TransactionResult) {
        `guard` = result.guardName.map { $0 + ".timer" }
        switch result.confirm {
        case .notRequested:
            requested = false
            confirmed = false
        case .confirmed(let evidence):
            requested = true
            confirmed = true
            path = ConfirmText.name(evidence.path.chosen)
            message = ConfirmText.evidence(evidence)
            commandOutput = evidence.commandOutput.map(ConfirmText.shown)
        case .failed(let failure):
            requested = true
            confirmed = false
            self.failure = ConfirmText.kind(failure)
            message = ConfirmText.reason(failure)
            switch failure {
            case .noPath(let walk), .onlyDirect(let walk): path = ConfirmText.name(walk.chosen)
            case .commandFailed(_, let output), .commandSignaled(_, let output), .commandTimedOut(let output), .commandNotWaited(_, let output):
                commandOutput = ConfirmText.shown(output)
            default: break
            }
        }
    }
}

enum ConfirmText {
    static func name(_ path: ConnectivityResult.Path?) -> String? {
        switch path {
        case .proxy(let index)?: return "proxy #\(index + 1)"
        case .direct?: return "direct"
        case nil: return nil
        }
    }

    static func kind(_ failure: ConfirmFailure) -> String {
        switch failure {
        case .restartFailed: return "restart-failed"
        case .unitNotUp: return "unit-not-up"
        case .noPath: return "no-path"
        case .onlyDirect: return "only-direct"
        case .commandFailed, .commandSignaled: return "command-failed"
        case .commandTimedOut: return "command-timed-out"
        case .commandNotStarted: return "command-not-started"
        case .commandNotWaited: return "command-not-waited"
        case .windowPassed: return "window-passed"
        }
    }

    static func evidence(_ evidence: ConfirmEvidence) -> String {
        "the unit stayed \(evidence.unit.activeState) (\(evidence.unit.subState)) with the same invocation, the agent's path goes "
            + (name(evidence.path.chosen) ?? "nowhere")
            + (evidence.commandOutput != nil ? ", and --confirmCommand exited 0" : "")
    }

    static func reason(_ failure: ConfirmFailure) -> String {
        switch failure {
        case .restartFailed(let error):
            return "the agent service did not restart with it: \(ErrorMessages.text(for: error))"
        case .unitNotUp(.notActive(let state, let sub)):
            return "the unit was \(state) (\(sub)) after the restart"
        case .unitNotUp(.newInvocation):
            return "the unit started again after the restart (a new invocation): it did not stay up"
        case .unitNotUp(.restartedBySystemd(let from, let to)):
            return "systemd restarted the unit after ours (NRestarts \(from) -> \(to)): it did not stay up"
        case .unitNotUp(.unreadable(let error)):
            return "the unit's state could not be read: \(ErrorMessages.text(for: error))"
        case .noPath(let walk):
            return walk.proxies == 0 ? "the new file lists no proxy and the direct path does not reach the platform"
                : "no proxy of the new list reaches the platform"
        case .onlyDirect:
            return "only the direct path reaches the platform, not one of the new list's proxies (--confirmAllowDirect accepts that)"
        case .commandFailed(let status, _):
            return "--confirmCommand exited with status \(status)"
        case .commandSignaled(let signal, _):
            return "--confirmCommand was killed by signal \(signal)"
        case .commandTimedOut:
            return "--confirmCommand did not finish within the --confirm window"
        case .commandNotStarted(let errno):
            return "--confirmCommand could not be started: \(errno.description)"
        case .commandNotWaited(let errno, _):
            return "how --confirmCommand ended cannot be known (waiting for it failed: \(errno.description)), so it does not confirm"
        case .windowPassed(let stage):
            return "the --confirm window ended during the \(stage.rawValue) check"
        }
    }

    /// A command's output as shown: the last 20 lines, control characters escaped.
    static func shown(_ output: String) -> String {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).suffix(21)
        let text = lines.joined(separator: "\n").trimmingWhiteSpace
        return String(text.unicodeScalars.map { scalar -> String in
            scalar == "\n" || scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value))
                ? String(scalar) : "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
        }.joined().prefix(4096))
    }

    /// The lines the text report adds for the confirm step.
    static func lines(_ result: TransactionResult) -> [String] {
        switch result.confirm {
        case .notRequested:
            return []
        case .confirmed(let evidence):
            var lines = evidence.commandOutput.map { output in ["--confirmCommand said:"] + indented(output) } ?? []
            lines.append("Confirmed: \(ConfirmText.evidence(evidence))"
                         + (evidence.guardStillArmed == nil ? "; the guard was disarmed." : "; the guard could not be disarmed (see the warning)."))
            return lines
        case .failed(let failure):
            var lines: [String] = []
            switch failure {
            case .noPath(let walk), .onlyDirect(let walk): lines += walk.report
            case .commandFailed(_, let output), .commandSignaled(_, let output), .commandTimedOut(let output), .commandNotWaited(_, let output):
                if !output.isEmpty { lines += ["--confirmCommand said:"] + indented(output) }
            default: break
            }
            lines.append("Not confirmed: \(reason(failure)).")
            return lines
        }
    }

    private static func indented(_ output: String) -> [String] {
        shown(output).split(separator: "\n", omittingEmptySubsequences: false).map { "  | " + $0 }
    }
}

