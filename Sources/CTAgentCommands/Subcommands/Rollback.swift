import AgentConfig
import ArgumentParser
import SystemCalls

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
        try ConfigWriter(options: write).apply(event: .rollback) { current in
            // Read under the lock: this runs inside the store's update.
            let backup = try ConfigStore(path: path).backupPath()
            let bytes = try Rollback.readBackup(backup, of: path)
            do {
                let restored = try AgentConfiguration(bytes: bytes)
                // Checked here, so that a backup the agent could not use is named as the problem.
                try ConfigChange.checkConsistency(restored)
                if (try? current.node("configuration")) != nil && (try? restored.node("configuration")) == nil {
                    throw ConfigValueError.usage("it has no configuration section, so it is not a version of this config")
                }
                return (restored, [])
            } catch {
                throw CommandFailure(description: "the backup \(backup) cannot be restored: \(error); nothing was written", status: .dataError)
            }
        }
    }

    /// The backup as the tool wrote it: a plain file owned like the config (or by root),
    /// never followed through a symbolic link, so that rollback cannot be pointed at another
    /// file (and a --dryRun diff cannot print one).
    static func readBackup(_ backup: String, of path: String) throws -> [UInt8] {
        let info: FileStatus
        do {
            info = try FileStatus(path: backup, followLinks: false)
        } catch where error.errno == .noSuchFile {
            throw CommandFailure(description: "there is no backup to roll back to: \(backup) does not exist "
                                 + "(each change of \(path) saves the previous version there)", status: .noInput)
        } catch {
            throw CommandFailure(description: "cannot examine the backup \(backup): \(error); nothing was written",
                                 status: error.errno == .permissionDenied ? .permission : .ioError)
        }
        switch info.kind {
        case .regular: break
        case .symbolicLink:
            throw CommandFailure(description: "\(backup) is a symbolic link, not the backup this tool writes; nothing was written. "
                                 + "Remove it (rm \(backup))", status: .cannotReplace)
        default:
            throw CommandFailure(description: "\(backup) is not a regular file, so it is not the backup this tool writes; nothing was written",
                                 status: .noInput)
        }
        let owner = (try? FileStatus(path: path))?.owner ?? 0
        guard info.owner == 0 || info.owner == owner else {
            throw CommandFailure(description: "\(backup) belongs to \(AccountNames.user(info.owner)), neither root nor the config's owner; "
                                 + "nothing was written. Check where it came from before using it", status: .permission)
        }
        do {
            return try ConfigStore(path: backup).read()
        } catch {
            throw CommandFailure(description: "the backup \(backup) cannot be read: \(error); nothing was written", status: .ioError)
        }
    }
}
