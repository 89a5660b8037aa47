import ArgumentParser
import TimeKeeping

/// Options of every subcommand that changes the config file.
struct WriteOptions: ParsableArguments {
    @OptionGroup var configOptions: ConfigOptions

    /// Validate and show the change as a diff, secrets masked; write and restart nothing.
    @Flag(name: [.customLong("dryRun"), .customLong("dry-run")],
          help: "Validate and print the change as a unified diff (secrets masked); write nothing, restart nothing.")
    var dryRun = false

    /// Provisioning scripts change several things and restart once at the end.
    @Flag(name: [.customLong("skipRestart"), .customLong("skip-restart")],
          help: "Save the change but do not restart the agent service.")
    var skipRestart = false

    @OptionGroup var restart: RestartOptions

    @OptionGroup var confirmation: ConfirmOptions

    /// A change the agent cannot start with is taken back at once, instead of waiting for
    /// someone to run rollback.
    @Flag(name: [.customLong("rollbackOnFailure"), .customLong("rollback-on-failure")],
          help: "When the restart after the change fails, put the previous version back and restart again.")
    var rollbackOnFailure = false

    /// Writers serialize on a lock file beside the config.
    @Option(name: [.customLong("lockTimeout"), .customLong("lock-timeout")], parsing: .unconditional,
            help: ArgumentHelp("Seconds to wait for another writer to finish.", valueName: "seconds"))
    var lockTimeout: Double = 10

    @Flag(help: "Print one JSON object saying what changed, whether it was written and whether the service was restarted.")
    var json = false

    /// For scripts that accept that argv is readable by every local user.
    @Flag(name: [.customLong("acceptArgvSecrets"), .customLong("accept-argv-secrets")],
          help: "Do not warn about secrets given on the command line (or set CTAGENT_ACCEPT_ARGV_SECRETS=1).")
    var acceptArgvSecrets = false

    func validate() throws {
        // Always: the name is in the advice and the report even when no restart happens.
        try restart.validateUnit()
        if confirmation.confirm != nil && skipRestart {
            throw ValidationError("--confirm proves the change after the restart; it cannot go with --skipRestart")
        }
        if rollbackOnFailure && skipRestart {
            throw ValidationError("--rollbackOnFailure acts on a failed restart; it cannot go with --skipRestart")
        }
        guard lockTimeout.isFinite, lockTimeout >= 0, lockTimeout <= 86400 else {
            throw ValidationError("--lockTimeout must be a number of seconds from 0 to 86400, not '\(formatSeconds(lockTimeout))'")
        }
    }
}
