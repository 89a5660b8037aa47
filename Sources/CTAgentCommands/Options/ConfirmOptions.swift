import ArgumentParser
import ConfigTransaction
import SystemCalls
import TimeKeeping

/// A change that proves itself after the restart, or is taken back.
struct ConfirmOptions: ParsableArguments {
    /// Seconds the change has, after the restart, to prove that the agent still reaches its platform.
    @Option(name: .customLong("confirm"), parsing: .unconditional,
            help: ArgumentHelp("After the restart, prove within SECONDS that the agent still reaches the platform "
                               + "(the unit stays up, the failover path works through a new proxy, --confirmCommand passes), "
                               + "or take the change back (exit 78). A systemd timer armed first takes it back even if this tool dies, "
                               + "restoring a private copy of the previous version (0600, in --stateDir's guards/). At least 2 s.",
                               valueName: "seconds"))
    var confirm: Double?

    /// The admin's own check, e.g. asking the platform whether this host's heartbeat arrived.
    @Option(name: [.customLong("confirmCommand"), .customLong("confirm-command")],
            help: ArgumentHelp("With --confirm: a command that must exit 0 within the window; split into words as systemd splits "
                               + "ExecStart= (quotes honoured, no shell). It runs in its own process group, killed whole at the "
                               + "deadline and once it exits; the last 64 KiB of its output is kept.", valueName: "command"))
    var confirmCommand: String?

    /// The admin meant to use proxies: going direct may break egress policy, so it does not confirm unless allowed.
    @Flag(name: [.customLong("confirmAllowDirect"), .customLong("confirm-allow-direct")],
          help: "With --confirm: accept the direct path when no proxy of the new list works.")
    var confirmAllowDirect = false

    /// How long the unit must stay up after the restart.
    @Option(name: [.customLong("confirmSettle"), .customLong("confirm-settle")], parsing: .unconditional,
            help: ArgumentHelp("With --confirm: seconds the unit must stay active, with the same invocation and no restart by "
                               + "systemd, after the restart (default 5, or half the --confirm window when that is shorter; at most the window).",
                               valueName: "seconds"))
    var confirmSettle: Double?

    /// Where the guard keeps its private copy of the previous version (in `guards/`).
    @Option(name: [.customLong("stateDir"), .customLong("state-dir")],
            help: ArgumentHelp("With --confirm: the folder whose guards/ subfolder (0700) keeps the guard's private copy of the "
                               + "previous version until the change is confirmed or taken back (default \(ConfirmOptions.defaultStateDirectory)).",
                               valueName: "dir"))
    var stateDir: String?

    static let defaultStateDirectory = "/var/lib/ctagent"

    /// The guards' folder these options name.
    var guardFolder: String {
        var directory = stateDir ?? ConfirmOptions.defaultStateDirectory
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        if !directory.hasPrefix("/") { directory = (FileSystem.currentDirectory() ?? "") + "/" + directory }
        return directory + "/guards"
    }

    /// The settle time asked for, else the default: 5 s, but never more than half the window,
    /// so that a short window still leaves time for the path check and the command.
    func settleSeconds(window: Double) -> Double {
        confirmSettle ?? min(ConfirmOptions.defaultSettle, window / 2)
    }

    static let defaultSettle = 5.0
    static let longestWindow = 3600.0

    /// The command's words; nil without --confirmCommand.
    var commandWords: [String]? {
        confirmCommand.flatMap { try? CommandWords.split($0) }
    }

    func validate() throws {
        guard let confirm else {
            if confirmCommand != nil { throw ValidationError("--confirmCommand only makes sense with --confirm SECONDS") }
            if confirmAllowDirect { throw ValidationError("--confirmAllowDirect only makes sense with --confirm SECONDS") }
            if confirmSettle != nil { throw ValidationError("--confirmSettle only makes sense with --confirm SECONDS") }
            if stateDir != nil { throw ValidationError("--stateDir only makes sense with --confirm SECONDS") }
            return
        }
        guard confirm.isFinite, confirm > 0, confirm <= ConfirmOptions.longestWindow else {
            throw ValidationError("--confirm must be a number of seconds greater than 0 and at most 3600, not '\(formatSeconds(confirm))'")
        }
        if let confirmSettle, !(confirmSettle.isFinite && confirmSettle >= 0 && confirmSettle <= confirm) {
            throw ValidationError("--confirmSettle must be a number of seconds from 0 to the --confirm window (\(formatSeconds(confirm))), "
                                  + "not '\(formatSeconds(confirmSettle))'")
        }
        let settle = settleSeconds(window: confirm)
        let shortest = ConfirmPolicy.shortestWindow(settle: .seconds(settle)).inSeconds
        if confirm < shortest {
            let attempt = formatSeconds(ConfirmPolicy.shortestProbeAttempt.inSeconds)
            // With the default settle (half of a short window), the shortest window is two attempts.
            let least = confirmSettle == nil ? 2 * ConfirmPolicy.shortestProbeAttempt.inSeconds : shortest
            throw ValidationError("--confirm \(formatSeconds(confirm)) is too short to check the change: the window must hold the "
                                  + "settle time (" + (confirmSettle == nil ? "by default half the window" : "\(formatSeconds(settle)) s, --confirmSettle")
                                  + ") and one probe attempt (\(attempt) s), so at least \(formatSeconds(least)) s")
        }
        if let stateDir, stateDir.isEmpty { throw ValidationError("--stateDir is empty; give a folder, e.g. --stateDir /var/lib/ctagent") }
        // The folder goes into the guard's command line, where systemd would expand $VAR.
        if let stateDir, stateDir.contains(where: { "$%\n\r".contains($0) }) {
            throw ValidationError("--stateDir '\(stateDir)' holds a $, % or line break, which the guard's command line cannot carry; "
                                  + "give a plain folder, e.g. --stateDir /var/lib/ctagent")
        }
        if let confirmCommand {
            let words: [String]
            do {
                words = try CommandWords.split(confirmCommand)
            } catch {
                throw ValidationError("--confirmCommand has an unbalanced \(error.quote.map { "\($0)" } ?? "backslash at its end"); "
                                      + "quote words as in a systemd ExecStart= line, e.g. --confirmCommand '/usr/local/bin/check-heartbeat --host \"my host\"'")
            }
            if words.isEmpty { throw ValidationError("--confirmCommand is empty; give the command to run, e.g. --confirmCommand /usr/local/bin/check-heartbeat") }
        }
    }
}
