import Glibc
import SystemCalls

/// Sends audit records to the systemd journal over its native protocol (one datagram of
/// `FIELD=value` lines to /run/systemd/journal/socket, as sd_journal_send does), or, where
/// there is no journal, to syslog (/dev/log, facility authpriv). Nothing here prints: the
/// caller learns where the record went, or why it went nowhere.
public enum AuditLog {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let journalSocket = "/run/systemd/journal/socket"
    static let syslogSocket = "/dev/log"

    /// Sends the record to the journal, else to syslog; a host with neither (a container
    /// without logging) records nothing, and that is not an error.
    public static func record(_ record: AuditRecord) throws(Failure) {
        try send(record.fields, tool: record.tool, facility: 10)
    }

    /// Any entry of ours: `fields` in the journal's order, MESSAGE first, MESSAGE_ID second,
    /// PRIORITY third. In syslog: the facility (authpriv 10, daemon 3) and the priority.
    public static func send(_ fields: [(String, String)], tool: String, facility: Int) throws(Failure) {
        let journal = fields.map { "\($0.0)=\($0.1)\n" }.joined()
        if send(Array(journal.utf8), to: journalSocket) { return }
        // RFC 3164 as glibc's syslog() writes it: <PRI>TIMESTAMP TAG[PID]: MESSAGE, with PRI
        // the facility times 8 plus the priority (authpriv.notice: 10 * 8 + 5 = 85).
        let details = fields.filter { $0.0.hasPrefix("CTAGENT_") }.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        let value = { (name: String) in fields.first { $0.0 == name }?.1 ?? "" }
        let priority = facility * 8 + (Int(value("PRIORITY")) ?? 5)
        let line = "<\(priority)>\(timestamp()) \(tool)[\(getpid())]: \(value("MESSAGE")) [MESSAGE_ID=\(value("MESSAGE_ID")) \(details)]"
        if send(Array(line.utf8), to: syslogSocket) { return }
        if unsafe access(journalSocket, F_OK) != 0 && access(syslogSocket, F_OK) != 0 { return }
        throw Failure(description: "neither the journal (\(journalSocket)) nor syslog (\(syslogSocket)) accepted the audit record")
    }

    /// One datagram to a local socket; false when there is no such socket or it refuses.
    private static func send(_ bytes: [UInt8], to path: String) -> Bool {
        guard let address = SocketAddress(unixPath: path),
              let socket = try? FileDescriptor.socket(family: AF_UNIX, type: .datagram) else { return false }
        return (try? socket.sendDatagram(bytes, to: address)) == true
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = unsafe tm()
        unsafe localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = unsafe strftime(&buffer, buffer.count, "%b %e %H:%M:%S", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
