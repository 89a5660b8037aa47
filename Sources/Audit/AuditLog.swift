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
        let journal = record.fields.map { "\($0.0)=\($0.1)\n" }.joined()
        if send(Array(journal.utf8), to: journalSocket) { return }
        // RFC 3164 as glibc's syslog() writes it: <PRI>TIMESTAMP TAG[PID]: MESSAGE.
        // authpriv (10) and notice (5): 10 * 8 + 5.
        let details = record.fields.filter { $0.0.hasPrefix("CTAGENT_") }.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        let line = "<85>\(timestamp()) \(record.tool)[\(getpid())]: \(record.fields[0].1) [MESSAGE_ID=\(AuditRecord.messageID) \(details)]"
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
