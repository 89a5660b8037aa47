import Glibc
import SystemCalls
import TimeKeeping

/// Restarts a unit by running `systemctl --no-ask-password restart UNIT`, killed at the
/// deadline, with its exit code translated like the D-Bus errors.
struct SystemctlRestarter {
    let timeout: Duration
    /// The program to run; tests and unusual hosts may point elsewhere.
    var executable = "systemctl"

    func restart(unit: String) throws(RestartError) {
        // "--": a unit name is never read as an option, whatever it looks like.
        let outcome = ChildProcess.run([executable, "--no-ask-password", "restart", "--", unit], timeout: timeout)
        if let failure = SystemctlRestarter.failure(of: outcome, program: executable, unit: unit, timeout: timeout) { throw failure }
    }

    /// How a run of systemctl (or systemd-run) that did not exit 0 is reported, in the
    /// restart's terms; nil when it exited 0.
    static func failure(of outcome: ChildProcess.Outcome, program: String, unit: String, timeout: Duration) -> RestartError? {
        switch outcome {
        case .exited(0, _): return nil
        case .exited(let code, let output): return classify(code: code, output: output.trimmingWhitespace, unit: unit)
        case .signaled(_, let output): return classify(code: -1, output: output.trimmingWhitespace, unit: unit)
        case .timedOut: return .stillRunning(unit: unit, after: timeout)
        case .couldNotStart(let errno): return .systemctlUnavailable(reason: "\(program): \(errno.description)")
        // Its exit status is lost: not a success, whatever it did.
        case .notWaited(let errno, _):
            return .systemctlUnavailable(reason: "\(program) ran, but how it ended cannot be known (waiting for it failed: \(errno.description))")
        }
    }

    /// systemctl's exit codes follow the LSB: 4 insufficient privileges, 5 unit not found;
    /// 1 covers failed jobs and "not booted with systemd", which only the text tells apart.
    static func classify(code: Int32, output: String, unit: String) -> RestartError {
        let lines = output.split(separator: "\n").map(String.init)
        let summary = lines.first ?? ""
        if output.contains("not been booted with systemd") || output.contains("Failed to connect to bus")
            || output.contains("Failed to connect to system scope bus") {
            return .busUnavailable(reason: summary)
        }
        switch code {
        case 4: return .accessDenied(unit: unit, detail: summary)
        case 5: return .noSuchUnit(unit: unit)
        default:
            if output.contains("Interactive authentication required") || output.contains("Access denied") {
                return .accessDenied(unit: unit, detail: summary)
            }
            // systemctl's wording of each JobRemoved result (src/systemctl/systemctl-util.c).
            let results: [(String, JobResult)] = [("dependency job", .dependency), ("timed out", .timeout),
                                                  ("timeout was exceeded", .timeout), ("canceled", .canceled), ("failed", .failed)]
            if summary.contains("Job for") || summary.contains("dependency job") {
                for (phrase, result) in results where summary.contains(phrase) {
                    return .jobFailed(unit: unit, result: result)
                }
            }
            return .systemctlFailed(unit: unit, status: code, output: summary)
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
