import AgentConfig
import ArgumentParser
import ConfigTransaction
import DurableFile
import ServiceControl
import Testing
import YAMLEdit
@testable import CTAgentCommands

/// Swift Testing has an ExitStatus of its own.
typealias Status = CTAgentCommands.ExitStatus

/// The commands layer in-process: parsing, the transaction the options ask for, and the one
/// table that gives each error its words and its exit status.
@Suite struct CommandLineTests {
    @Test func writeOptionsMakeTheTransactionTheyName() throws {
        let command = try CTAgent.parseAsRoot(["updateConfig", "--config", "/tmp/x.yaml", "--set", "configuration.log-level=debug",
                                               "--skipRestart", "--lockTimeout", "3", "--service", "xshield"])
        let update = try #require(command as? UpdateConfig)
        let transaction = update.write.transaction()
        #expect(transaction.path == "/tmp/x.yaml")
        #expect(transaction.lockTimeout == .seconds(3))
        #expect(transaction.restart == .skip(unit: "xshield.service"))
        #expect(!transaction.dryRun && !transaction.rollbackOnFailure)
        let rolling = try #require(try CTAgent.parseAsRoot(["rollback", "--rollbackOnFailure", "--dryRun"]) as? Rollback)
        #expect(rolling.write.transaction().restart == .restart(unit: "ctagent.service"))
        #expect(rolling.write.transaction().rollbackOnFailure && rolling.write.transaction().dryRun)
    }

    /// A short window keeps half of itself for the path check and the command: with the old
    /// default (5 s, capped at the window) a window of 5 s or less could never confirm.
    @Test(arguments: [(["--confirm", "3"], 1.5), (["--confirm", "30"], 5.0), (["--confirm", "8"], 4.0),
                      (["--confirm", "3", "--confirmSettle", "0"], 0.0), (["--confirm", "30", "--confirmSettle", "20"], 20.0)])
    func theDefaultSettleLeavesTimeToConfirm(_ options: [String], _ settle: Double) throws {
        let command = try #require(try CTAgent.parseAsRoot(["updateConfig", "--set", "configuration.log-level=debug"] + options) as? UpdateConfig)
        let window = try #require(command.write.confirmation.confirm)
        #expect(command.write.confirmation.settleSeconds(window: window) == settle)
    }

    @Test func rollbackOnFailureWithSkipRestartIsRefused() {
        #expect(throws: (any Error).self) { try CTAgent.parseAsRoot(["clearProxy", "--rollbackOnFailure", "--skipRestart"]) }
    }

    /// A slip that makes a password an unexpected argument: ArgumentParser's message is
    /// printed only after the redaction.
    @Test func argumentParserMessagesNeverQuoteAPassword() {
        let arguments = ["updateProxy", "--proxy=http://10.0.0.1:3128", "--proxyUser=u", "--proxyPassword", "c2VjcmV0UFc=", "extra"]
        do {
            _ = try CTAgent.parseAsRoot(arguments)
            Issue.record("the extra argument must be refused")
        } catch {
            let redacted = ArgumentRedaction.redact(CTAgent.fullMessage(for: error), arguments: arguments)
            #expect(!redacted.contains("c2VjcmV0UFc="), "\(redacted)")
            #expect(redacted.contains("<secret>"), "\(redacted)")
        }
        #expect(ArgumentRedaction.secrets(in: ["updateConfig", "--param", "configuration.api-token", "--value", "tok-123"]).contains("tok-123"))
    }

    @Test(arguments: [
        (StoreError.notFound(path: "/c.yaml") as any Error, Status.noInput, "--config FILE (or CTAGENT_CONFIG)"),
        (StoreError.lockTimeout(lockPath: "/.c.lock", after: .seconds(2)), .lockHeld, "--lockTimeout SECONDS"),
        (StoreError.unsafePath(path: "/d", problem: "p", fix: "f"), .permission, "nothing was written"),
        (StoreError.cannotReplace(path: "/c", reason: "r"), .cannotReplace, "original file is intact"),
        (RestartError.noSuchUnit(unit: "a.service"), .restartFailed, "--service UNIT (or CTAGENT_SERVICE)"),
        (RestartError.stillRunning(unit: "a.service", after: .seconds(5)), .restartFailed, "--restartTimeout SECONDS"),
        (ConfigValueError.unknownKey(key: "configuration.x", suggestion: nil), .usage, "--allowNewKeys"),
        (CommandLineError.countsDiffer(params: 2, values: 1), .usage, "--param names 2 keys but --value gives 1 value"),
        (CommandLineError.malformedAssignment("novalue"), .usage, "--set 'novalue' is not KEY=VALUE"),
        (ConfigValueError.credentialsInURL(entry: "proxy #1", value: "http://***@1.2.3.4:1"), .usage, "--proxyUser"),
        (YAMLEditError.typeMismatch(path: "a.b", existingType: "an integer", existingText: "5", newText: "x", hint: nil), .usage, "--setString"),
        (BackupError.missing(backup: "/c.yaml.bak"), .noInput, "there is no backup to roll back to"),
        (BackupError.symbolicLink(backup: "/c.yaml.bak"), .cannotReplace, "rm /c.yaml.bak"),
        (BackupError.foreignOwner(backup: "/c.yaml.bak", owner: 0), .permission, "neither root nor the config's owner"),
        (BackupError.unsafe(backup: "/c.yaml.bak", problem: "can be written by every user", fix: "chmod o-w"), .permission, "chmod o-w"),
        (TransactionError.backupNotRestorable(backup: "/c.yaml.bak", reason: .notAVersionOfTheConfig), .dataError, "cannot be restored"),
        (BackupError.unreadable(backup: "/c.yaml.bak", .permissionDenied(path: "/c.yaml.bak", action: "read")), .permission,
         "the backup /c.yaml.bak cannot be read: permission denied to read /c.yaml.bak; run as root (sudo) or as the file's owner; nothing was written"),
        (BackupError.unreadable(backup: "/c.yaml.bak", .tooLarge(path: "/c.yaml.bak", bytes: 1 << 32, limit: 1 << 32 - 1)), .dataError,
         "check what wrote it; nothing was written"),
        (BackupError.unreadable(backup: "/c.yaml.bak", .readError(path: "/c.yaml.bak", reason: "Input/output error")), .ioError,
         "the backup /c.yaml.bak cannot be read: Input/output error; nothing was written"),
        (TransactionError.storedSettingsUnusable(path: "/c.yaml", .emptyEntry(entry: "proxy #1")), .dataError, "ctagent updateProxy"),
    ] as [(any Error, Status, String)])
    func everyErrorHasItsStatusAndItsWords(_ error: any Error, _ status: Status, _ words: String) {
        #expect(ErrorReporting.status(for: error) == status)
        let message = ErrorMessages.text(for: error, configPath: "/c.yaml")
        #expect(message.contains(words), "\(message)")
        // Said once: a wrapped error does not repeat what its wrapper says.
        #expect(message.lowercased().components(separatedBy: "nothing was written").count <= 2, "\(message)")
    }

    /// The core's own descriptions name no option: those words are the table's.
    @Test func coreErrorsNameNoOption() {
        let errors: [any Error & CustomStringConvertible] = [
            StoreError.notFound(path: "/c"), StoreError.notAFile(path: "/c"), StoreError.notARegularFile(path: "/c", kind: "a FIFO"),
            StoreError.danglingSymlink(path: "/c", target: "/t"), StoreError.lockTimeout(lockPath: "/l", after: .seconds(1)),
            RestartError.noSuchUnit(unit: "a.service"), RestartError.stillRunning(unit: "a.service", after: .seconds(1)),
            ConfigValueError.unknownKey(key: "k", suggestion: nil), ConfigValueError.credentialsInURL(entry: "proxy #1", value: "v"),
            YAMLEditError.typeMismatch(path: "a", existingType: "an integer", existingText: "1", newText: "x", hint: nil),
        ]
        for error in errors {
            #expect(!error.description.contains("--") && !error.description.contains("CTAGENT_"), "\(error.description)")
        }
    }

    @Test func restartOutcomesAreReportedAsBefore() {
        #expect(ChangeReport.RestartReport(.notNeeded).status == "not-needed")
        #expect(ChangeReport.RestartReport(.skipped(unit: "a.service")).message == "restart a.service to apply the change")
        #expect(ChangeReport.RestartReport(.restarted(unit: "a.service", via: .restartedViaSystemctl)).message == "restarted a.service (via systemctl)")
        let failed = ChangeReport.RestartReport(.failed(unit: "a.service", .noSuchUnit(unit: "a.service")))
        #expect(failed.status == "failed" && failed.requested && !failed.performed)
        #expect(failed.message?.contains("--service UNIT") == true)
    }
}
