/// A change of the proxies' redundancy, as the journal records it: one entry when the state
/// changes (degraded, restored, no redundancy left, no path at all), none while it holds.
/// Names proxies by number and address, never a user or a password.
public struct RedundancyEvent: Sendable, Equatable {
    /// `journalctl MESSAGE_ID=5b8f2e1c9a3d4f6e8b7a0c1d2e3f4a5b` lists every redundancy change.
    public static let messageID = "5b8f2e1c9a3d4f6e8b7a0c1d2e3f4a5b"

    public var tool: String
    public var config: String
    /// The new state and the one before (nil: none recorded yet).
    public var state: String
    public var previous: String?
    public var working: Int
    public var configured: Int
    /// "proxy 2", "direct", "none".
    public var path: String
    /// The failing proxies, "#1 (10.10.6.4:3128)".
    public var failing: [String]
    public var verdict: String
    /// syslog's: 3 error (no path), 4 warning (less redundancy), 5 notice (restored).
    public var priority: Int

    public init(tool: String, config: String, state: String, previous: String?, working: Int, configured: Int, path: String,
                failing: [String], verdict: String, priority: Int) {
        self.tool = tool
        self.config = config
        self.state = state
        self.previous = previous
        self.working = working
        self.configured = configured
        self.path = path
        self.failing = failing
        self.verdict = verdict
        self.priority = priority
    }

    public var message: String {
        "proxy redundancy \(previous.map { "changed from \($0) to" } ?? "is") \(state): \(verdict)"
            + (failing.isEmpty ? "" : "; failing: " + failing.joined(separator: ", "))
    }

    public var fields: [(String, String)] {
        [("MESSAGE", message), ("MESSAGE_ID", RedundancyEvent.messageID), ("PRIORITY", String(priority)),
         ("SYSLOG_FACILITY", "3"), ("SYSLOG_IDENTIFIER", tool), ("CTAGENT_CONFIG", config), ("CTAGENT_REDUNDANCY", state),
         ("CTAGENT_PREVIOUS_REDUNDANCY", previous ?? ""), ("CTAGENT_WORKING_PROXIES", String(working)),
         ("CTAGENT_CONFIGURED_PROXIES", String(configured)), ("CTAGENT_AGENT_PATH", path)]
            .map { ($0.0, String($0.1.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })) }
    }
}
