import ArgumentParser
import Audit
import ConfigTransaction
import DurableFile

struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Put the previous version (config.yaml.bak) back.",
        discussion: """
            Restores config.yaml.bak through the same locked, atomic path as every change: the backup \
            is read under the lock (it must be a plain file owned by root or the config's owner that no \
            one else can write), checked like any new version (it must parse, and its proxy settings \
            must be usable), and written over the config with the config's owner, mode, ACLs and \
            attributes. The version it replaces becomes the new config.yaml.bak, so a second rollback \
            undoes the first. The agent is restarted unless --skipRestart, and the rollback is recorded \
            in the journal like every change.

            --expectSHA256 and --guardRecord are what the guard of a --confirm change runs: it rolls \
            back only while the config is still the version that change wrote, so that a later change \
            is never taken back, and it puts back the private copy of the version that change replaced \
            (kept 0600 in /var/lib/ctagent/guards/, or --stateDir's guards/), never whatever \
            config.yaml.bak holds by then. The copy is removed once the guard has rolled back or stood down.

            Examples:
              ctagent rollback --dryRun
              ctagent rollback
              ctagent rollback --confirm 60
            """ + HelpText.pointer,
        aliases: ["roll-back"]
    )

    @OptionGroup var write: WriteOptions

    /// The binding of a confirmed change's guard: take back exactly that change.
    @Option(name: [.customLong("expectSHA256"), .customLong("expect-sha256")],
            help: ArgumentHelp("Roll back only while the config's SHA-256 is this one (what --confirm's guard passes); "
                               + "otherwise a later change stands and nothing is written (exit 0).", valueName: "hex"))
    var expectSHA256: String?

    /// The guard's private copy of the version its change replaced.
    @Option(name: [.customLong("guardRecord"), .customLong("guard-record")],
            help: ArgumentHelp("With --expectSHA256: restore the private copy this guard record names (what --confirm's guard passes), "
                               + "not config.yaml.bak.", valueName: "path"))
    var guardRecord: String?

    func validate() throws {
        if let expectSHA256, !GuardRecord.isDigest(expectSHA256.lowercased()) {
            throw ValidationError("--expectSHA256 '\(expectSHA256)' is not a SHA-256 (64 hexadecimal digits)")
        }
        if let guardRecord {
            if expectSHA256 == nil { throw ValidationError("--guardRecord only makes sense with --expectSHA256 (a guard's binding)") }
            if GuardCopyFolder.locate(record: guardRecord) == nil {
                throw ValidationError("--guardRecord '\(guardRecord)' is not a guard's record (an absolute path ending in NAME.record)")
            }
        }
    }

    /// What the guard says when the file has moved on.
    struct StandDown: Encodable {
        var config: String
        var rolledBack: Bool
        var reason: String
    }

    func run() throws {
        guard let expected = expectSHA256?.lowercased() else {
            try write.runChange(ConfigTransaction.restoringBackup, event: .rollback)
            return
        }
        let reason = "the change was not confirmed in time (guard \(expected.prefix(12)))"
        let copy = guardRecord.flatMap(GuardCopyFolder.locate(record:))
        do {
            if let copy {
                do {
                    try write.runChange(ConfigTransaction.restoringGuardCopy(copy.folder, name: copy.name, guarded: expected),
                                        event: .rollback, reason: reason)
                } catch let failure as CommandFailure {
                    // Rolled back, and the restart failed: the copy's work is done all the same.
                    try removeCopy(copy, guarding: expected)
                    throw failure
                }
            } else {
                // A guard armed by an earlier version of the tool, which kept no copy.
                try write.runChange({ input in
                    try ConfigTransaction.standDownUnless(input, is: expected)
                    return try ConfigTransaction.restoringBackup(input)
                }, event: .rollback, reason: reason)
            }
        } catch let error as ConfigFileError where error.underlying is ConfigTransaction.GuardStandsDown {
            let actual = (error.underlying as? ConfigTransaction.GuardStandsDown)?.actual ?? ""
            let text = "Not rolled back: \(write.configOptions.path) has changed since the guarded change (its SHA-256 is "
                + "\(actual.prefix(12))…, not \(expected.prefix(12))…); the later version stays and nothing was written."
            try removeCopy(copy, guarding: expected)
            if write.json {
                JSONOutput.print(StandDown(config: write.configOptions.path, rolledBack: false, reason: text))
            } else {
                Console.out(text)
            }
            return
        }
        try removeCopy(copy, guarding: expected)
    }

    /// The guard's work is done (rolled back, or stood down): its copy goes. Never on a dry
    /// run, and only the copy of the guard this binding names.
    private func removeCopy(_ copy: (folder: GuardCopyFolder, name: String)?, guarding expected: String) throws {
        guard let copy, !write.dryRun else { return }
        do {
            guard let record = GuardRecord(parsing: try copy.folder.readRecord(name: copy.name)),
                  record.name == copy.name, record.guardedSHA256 == expected else { return }
        } catch {
            return
        }
        do {
            try copy.folder.remove(name: copy.name)
        } catch {
            Console.error("Warning: the guard's private copy \(copy.folder.recordPath(copy.name)) could not be removed (\(error)); "
                          + "the next change with --confirm removes it once its time has passed.")
        }
    }
}
