import AgentConfig
import ArgumentParser

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
        let path = write.configOptions.path
        try ConfigWriter(options: write).apply(event: .rollback) { _ in
            // Read under the lock: this runs inside the store's update.
            let backup = try ConfigStore(path: path).backupPath()
            let bytes: [UInt8]
            do {
                bytes = try ConfigStore(path: backup).read()
            } catch StoreError.notFound {
                throw CommandFailure(description: "there is no backup to roll back to: \(backup) does not exist "
                                     + "(each change of \(path) saves the previous version there)", status: .noInput)
            }
            do {
                let restored = try AgentConfiguration(bytes: bytes)
                // Checked here, so that a backup the agent could not use is named as the problem.
                try ConfigChange.checkConsistency(restored)
                return (restored, [])
            } catch {
                throw CommandFailure(description: "the backup \(backup) cannot be restored: \(error); nothing was written", status: .dataError)
            }
        }
    }
}
