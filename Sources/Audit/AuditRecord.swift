/// One change of the agent's config, as the audit trail records it: who, which file, which
/// keys, the file's checksums before and after, and what became of the restart. Never a value:
/// the keys changed are named, their values are not (they may be secrets).
public struct AuditRecord: Sendable, Equatable {
    public enum Event: String, Sendable {
        /// A new version written; `rollback`: the backup put back; `restart`: what became of
        /// the restart after one of those, recorded on its own once it is known, so that a
        /// change is in the trail before the restart starts (and stays there if we are killed
        /// during a slow one).
        case change, rollback, restart
        /// A change that proved itself within its confirm window.
        case confirm
    }

    /// What became of the restart after a change, when the record was written.
    public enum RestartState: String, Sendable {
        /// Requested; its outcome follows in a `restart` record.
        case pending
        case restarted, skipped, failed
        case notNeeded = "not-needed"
    }

    /// `journalctl MESSAGE_ID=3d59a09ddf6746c99f6a125fdf44c58f` lists every change.
    public static let messageID = "3d59a09ddf6746c99f6a125fdf44c58f"

    public var event: Event
    /// The name the tool was started by: ctagent or ctagentcmd (the journal's SYSLOG_IDENTIFIER).
    public var tool: String
    public var config: String
    public var keys: [String]
    /// nil when the digest could not be computed (no libcrypto): the record says so, and
    /// never carries a sentence where a digest belongs.
    public var oldSHA256: String?
    public var newSHA256: String?
    public var uid: UInt32
    public var user: String?
    /// The user who ran sudo, when the tool runs under it.
    public var sudoUser: String?
    public var restart: RestartState
    public var restartMessage: String?
    /// Why a change was taken back (a confirm check that failed); never a value.
    public var reason: String?

    public init(event: Event, tool: String, config: String, keys: [String], oldSHA256: String?, newSHA256: String?,
                uid: UInt32, user: String?, sudoUser: String?, restart: RestartState, restartMessage: String?,
                reason: String? = nil) {
        self.reason = reason
        self.event = event
        self.tool = tool
        self.config = config
        self.keys = keys
        self.oldSHA256 = oldSHA256
        self.newSHA256 = newSHA256
        self.uid = uid
        self.user = user
        self.sudoUser = sudoUser
        self.restart = restart
        self.restartMessage = restartMessage
    }

    /// The line people read (journalctl's MESSAGE, syslog's text).
    public var message: String {
        let who = (user ?? "uid \(uid)") + (sudoUser.map { " (sudo by \($0))" } ?? "")
        let keyList = keys.isEmpty ? "formatting" : keys.joined(separator: ", ")
        let what: String
        switch event {
        case .change: what = "changed \(config)"
        case .rollback: what = "rolled back \(config) to its backup"
        case .restart: what = "restarted the agent after the change of \(config)"
        case .confirm: what = "confirmed the change of \(config)"
        }
        let digests = oldSHA256.flatMap { old in newSHA256.map { "\(old.prefix(12)) -> \($0.prefix(12))" } } ?? "unavailable"
        return "\(who) \(what): \(keyList); sha256 \(digests); restart \(restart.rawValue)"
            + (restartMessage.map { " (\($0))" } ?? "") + (reason.map { "; reason: \($0)" } ?? "")
    }

    /// The journal's fields, in the order they are sent. Control characters become `?`: a
    /// field is one line in the native protocol's simple form.
    public var fields: [(String, String)] {
        var fields: [(String, String)] = [
            ("MESSAGE", message), ("MESSAGE_ID", AuditRecord.messageID), ("PRIORITY", "5"),
            ("SYSLOG_FACILITY", "10"), ("SYSLOG_IDENTIFIER", tool),
            ("CTAGENT_EVENT", event.rawValue), ("CTAGENT_CONFIG", config), ("CTAGENT_KEYS", keys.joined(separator: ",")),
            ("CTAGENT_UID", String(uid)), ("CTAGENT_RESTART", restart.rawValue),
        ]
        if let oldSHA256 { fields.append(("CTAGENT_OLD_SHA256", oldSHA256)) }
        if let newSHA256 { fields.append(("CTAGENT_NEW_SHA256", newSHA256)) }
        if let user { fields.append(("CTAGENT_USER", user)) }
        if let sudoUser { fields.append(("CTAGENT_SUDO_USER", sudoUser)) }
        if let restartMessage { fields.append(("CTAGENT_RESTART_MESSAGE", restartMessage)) }
        if let reason { fields.append(("CTAGENT_REASON", reason)) }
        return fields.map { ($0.0, String($0.1.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })) }
    }
}
