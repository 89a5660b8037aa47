import CSystemd
import Glibc
import SystemCalls
import TimeKeeping

/// Restarts a unit the way `systemctl restart` does, over the system bus: RestartUnit(unit,
/// "replace"), then wait for the JobRemoved signal of the returned job and read its result.
struct DBusRestarter {
    static let destination = "org.freedesktop.systemd1"
    static let managerPath = "/org/freedesktop/systemd1"
    static let managerInterface = "org.freedesktop.systemd1.Manager"

    /// What the signal handlers collect while we wait. A class, because sd-bus calls back
    /// through a raw userdata pointer.
    @unsafe final class Signals {
        var removedJobs: [String: String] = [:]
        var disconnected = false
        var library: LibSystemd
        init(library: LibSystemd) { unsafe self.library = unsafe library }
    }

    /// Seconds to wait for the whole restart, from the first call to the job's result.
    let timeout: Duration

    func restart(unit: String) throws(RestartError) {
        let library = unsafe try LibSystemd.load()
        // Retained before the bus exists and released after it is closed: the match callbacks
        // get this pointer for as long as the bus might call them.
        let signals = unsafe Signals(library: library)
        let userdata = unsafe Unmanaged.passRetained(signals)
        defer { unsafe userdata.release() }
        var bus: OpaquePointer?
        let opened = unsafe library.openSystem(&bus)
        guard opened >= 0, let bus = unsafe bus else {
            throw .busUnavailable(reason: Errno(rawValue: -opened).description)
        }
        defer { _ = unsafe library.flushCloseUnref(bus) }
        // A password prompt cannot be answered here: fail with AccessDenied instead.
        _ = unsafe library.setAllowInteractiveAuthorization(bus, 0)
        let deadline = Deadline.after(timeout)

        // The match must exist before RestartUnit is sent: systemd may emit JobRemoved before
        // its method reply, and a match added after the reply would miss it.
        let jobRemoved = "type='signal',sender='org.freedesktop.systemd1',path='/org/freedesktop/systemd1',"
            + "interface='org.freedesktop.systemd1.Manager',member='JobRemoved'"
        var result = unsafe library.addMatch(bus, nil, jobRemoved, DBusRestarter.onJobRemoved, userdata.toOpaque())
        if result < 0 { throw .busUnavailable(reason: "cannot add a match: \(Errno(rawValue: -result).description)") }
        let disconnected = "type='signal',sender='org.freedesktop.DBus.Local',path='/org/freedesktop/DBus/Local',"
            + "interface='org.freedesktop.DBus.Local',member='Disconnected'"
        result = unsafe library.addMatch(bus, nil, disconnected, DBusRestarter.onDisconnected, userdata.toOpaque())
        if result < 0 { throw .busUnavailable(reason: "cannot add a match: \(Errno(rawValue: -result).description)") }

        // Older systemd sends job signals only to subscribers; errors here are harmless.
        if let reply = unsafe try? callManager(library, bus, "Subscribe", arguments: [], unit: unit, deadline: deadline) {
            _ = unsafe library.messageUnref(reply)
        }

        let reply = unsafe try callManager(library, bus, "RestartUnit", arguments: [unit, "replace"], unit: unit, deadline: deadline)
        defer { _ = unsafe library.messageUnref(reply) }
        var jobPointer: UnsafePointer<CChar>?
        guard unsafe library.readBasic(reply, CChar(UInt8(ascii: "o")), &jobPointer) > 0, let jobPointer = unsafe jobPointer else {
            throw .callFailed(unit: unit, method: "RestartUnit", name: "InvalidReply", message: "RestartUnit did not return a job")
        }
        let job = unsafe String(cString: jobPointer)

        while true {
            if let outcome = unsafe signals.removedJobs[job] {
                let result = JobResult(name: outcome)
                if result.succeeded { return }
                throw .jobFailed(unit: unit, result: result)
            }
            if unsafe signals.disconnected { throw .disconnected(unit: unit) }
            // Checked on every turn: a steady stream of other messages must not extend the wait.
            if deadline.hasPassed { throw .stillRunning(unit: unit, after: timeout) }
            let processed = unsafe library.process(bus, nil)
            if processed < 0 {
                if unsafe signals.removedJobs[job] != nil { continue }
                throw .disconnected(unit: unit)
            }
            if processed > 0 { continue }
            let waited = unsafe library.wait(bus, deadline.remaining.roundedUpMicroseconds)
            if waited < 0 && waited != -EINTR { throw .disconnected(unit: unit) }
        }
    }

    private func callManager(_ library: LibSystemd, _ bus: OpaquePointer, _ member: String, arguments: [String],
                             unit: String, deadline: Deadline) throws(RestartError) -> OpaquePointer {
        var message: OpaquePointer?
        var result = unsafe library.newMethodCall(bus, &message, DBusRestarter.destination, DBusRestarter.managerPath,
                                           DBusRestarter.managerInterface, member)
        guard result >= 0, let message = unsafe message else {
            throw .busUnavailable(reason: "cannot build the \(member) call: \(Errno(rawValue: -result).description)")
        }
        defer { _ = unsafe library.messageUnref(message) }
        for argument in arguments {
            result = unsafe argument.withCString { unsafe library.appendBasic(message, CChar(UInt8(ascii: "s")), $0) }
            if result < 0 { throw unsafe .callFailed(unit: unit, method: member, name: "InvalidArgs", message: Errno(rawValue: -result).description) }
        }
        var error = unsafe ctagent_sd_bus_error(name: nil, message: nil, _need_free: 0)
        defer { unsafe library.errorFree(&error) }
        var reply: OpaquePointer?
        // Never 0: sd-bus reads a zero timeout as "its default of 25 s".
        let remaining = max(.milliseconds(1), deadline.remaining)
        result = unsafe library.call(bus, message, remaining.roundedUpMicroseconds, &error, &reply)
        if result >= 0, let reply = unsafe reply { return unsafe reply }
        let name = unsafe error.name.map { unsafe String(cString: $0) } ?? ""
        let text = unsafe error.message.map { unsafe String(cString: $0) } ?? Errno(rawValue: -result).description
        let failure = DBusRestarter.classify(name: name, message: text, errno: -result, unit: unit, method: member, timeout: timeout)
        // Once RestartUnit went out, a lost connection does not mean "no bus": systemd may have
        // the job already, and falling back to systemctl would restart the agent twice.
        if member == "RestartUnit", failure.busCouldNotBeReached, isConnectionLoss(-result) {
            throw .disconnected(unit: unit)
        }
        throw failure
    }

    private func isConnectionLoss(_ errno: Int32) -> Bool { errno == ECONNRESET || errno == ENOTCONN || errno == EPIPE }

    static func classify(name: String, message: String, errno code: Int32, unit: String, method: String,
                         timeout: Duration) -> RestartError {
        switch name {
        case "org.freedesktop.systemd1.NoSuchUnit", "org.freedesktop.systemd1.LoadFailed":
            return .noSuchUnit(unit: unit)
        case "org.freedesktop.DBus.Error.AccessDenied", "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired":
            return .accessDenied(unit: unit, detail: message)
        case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
            return .busUnavailable(reason: "no systemd on the bus: \(message)")
        case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout":
            return .stillRunning(unit: unit, after: timeout)
        case "":
            if code == ECONNRESET || code == ENOTCONN || code == ECONNREFUSED || code == ENOENT {
                return .busUnavailable(reason: Errno(rawValue: code).description)
            }
            if code == ETIMEDOUT { return .stillRunning(unit: unit, after: timeout) }
            return .callFailed(unit: unit, method: method, name: "errno \(code)", message: message)
        default:
            return .callFailed(unit: unit, method: method, name: name, message: message)
        }
    }

    private static let onJobRemoved: ctagent_sd_bus_message_handler_t = { message, userdata, _ in
        guard let message = unsafe message, let userdata = unsafe userdata else { return 0 }
        let signals = unsafe Unmanaged<Signals>.fromOpaque(userdata).takeUnretainedValue()
        let library = unsafe signals.library
        var id: UInt32 = 0
        var job: UnsafePointer<CChar>?, unit: UnsafePointer<CChar>?, result: UnsafePointer<CChar>?
        guard unsafe library.readBasic(message, CChar(UInt8(ascii: "u")), &id) > 0,
              unsafe library.readBasic(message, CChar(UInt8(ascii: "o")), &job) > 0,
              unsafe library.readBasic(message, CChar(UInt8(ascii: "s")), &unit) > 0,
              unsafe library.readBasic(message, CChar(UInt8(ascii: "s")), &result) > 0,
              let job = unsafe job, let result = unsafe result else { return 0 }
        unsafe signals.removedJobs[String(cString: job)] = unsafe String(cString: result)
        return 0
    }

    private static let onDisconnected: ctagent_sd_bus_message_handler_t = { _, userdata, _ in
        guard let userdata = unsafe userdata else { return 0 }
        unsafe Unmanaged<Signals>.fromOpaque(userdata).takeUnretainedValue().disconnected = true
        return 0
    }
}
