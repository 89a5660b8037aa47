import ArgumentParser
import ConfigTransaction

struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Put the previous version (config.yaml.bak) back.",
        discussion: """
            Restores config.yaml.bak through the same locked, atomic path as every change: the backup \
            is read under the lock, checked like any new version (it must parse, and its proxy settings \
            must be usable), and written over the config with the config's owner, mode, ACLs and \
            attributes. The version it replaces becomes the new config.yaml.bak, so a second rollback \
            undoes the first. The agent is restarted unless --skipRestart, and the rollback is recorded \
            in the journal like every change.

            Examples:
              ctagent rollback --dryRun
              ctagent rollback
            """ + HelpText.pointer,
        aliases: ["roll-back"]
    )

    @OptionGroup var write: WriteOptions

    func run() throws {
        try write.runChange(ConfigTransaction.restoringBackup, event: .rollback)
    }
}
