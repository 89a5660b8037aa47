import ArgumentParser
import Audit
import ConfigTransaction

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

            --expectSHA256 is what the guard of a --confirm change runs: it rolls back only while the \
            config is still the version that change wrote, so that a later change is never taken back.

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

    func validate() throws {
        if let expectSHA256, expectSHA256.count != 64 || !expectSHA256.allSatisfy(\.isHexDigit) {
            throw ValidationError("--expectSHA256 '\(expectSHA256)' is not a SHA-256 (64 hexadecimal digits)")
        }
    }

    /// What the guard says when the file has moved on.
    struct StandDown: Encodable {
        var config: String
        var rolledBack: Bool
        var reason: String
    }

    /// The config is no longer the version the guard was bound to.
    struct MovedOn: Error {
        var actual: String
    }

    func run() throws {
        guard let expected = expectSHA256?.lowercased() else {
            try write.runChange(ConfigTransaction.restoringBackup, event: .rollback)
            return
        }
        do {
            // Checked on every read the plan sees, the one under the lock included.
            try write.runChange({ input in
                let actual = SHA256.hex(input.current.document.bytes)
                guard actual == expected else { throw MovedOn(actual: actual) }
                return try ConfigTransaction.restoringBackup(input)
            }, event: .rollback, reason: "the change was not confirmed in time (guard \(expected.prefix(12)))")
        } catch let error as ConfigFileError where error.underlying is MovedOn {
            let actual = (error.underlying as? MovedOn)?.actual ?? ""
            let text = "Not rolled back: \(write.configOptions.path) has changed since the guarded change (its SHA-256 is "
                + "\(actual.prefix(12))…, not \(expected.prefix(12))…); the later version stays and nothing was written."
            if write.json {
                JSONOutput.print(StandDown(config: write.configOptions.path, rolledBack: false, reason: text))
            } else {
                Console.out(text)
            }
        }
    }
}
