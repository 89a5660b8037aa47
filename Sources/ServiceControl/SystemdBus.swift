import CSystemd
import Glibc
import SystemCalls
import TimeKeeping

/// One connection to systemd on the system bus, for what a confirmed change asks of it
/// beyond a restart: a unit's properties, and a transient timer that runs a command later.
@unsafe final class SystemdBus {
    static let destination = "org.freedesktop.systemd1"
    static let managerPath = "/org/freedesktop/systemd1"
    static let managerInterface = "org.freedesktop.systemd1.Manager"
    static let unitInterface = "org.freedesktop.systemd1.Unit"
    static let serviceInterface = "org.freedesktop.systemd1.Service"

    let library: LibSystemd
    let bus: OpaquePointer
    let timeout: Duration

    init(timeout: Duration) throws(RestartError) {
        let library = unsafe try LibSystemd.load()
        var bus: OpaquePointer?
        let opened = unsafe library.openSystem(&bus)
        guard opened >= 0, let bus = unsafe bus else { throw .busUnavailable(reason: Errno(rawValue: -opened).description) }
        _ = unsafe library.setAllowInteractiveAuthorization(bus, 0)
        unsafe self.library = library
        unsafe self.bus = bus
        unsafe self.timeout = timeout
    }

    deinit { _ = unsafe library.flushCloseUnref(bus) }

    /// The unit's object path (LoadUnit: also for a unit not loaded yet).
    func unitPath(_ unit: String) throws(RestartError) -> String {
        let reply = unsafe try call("LoadUnit", unit: unit) { message throws(RestartError) in
            try unsafe self.appendString(message, unit, unit: unit)
        }
        defer { _ = unsafe library.messageUnref(reply) }
        var path: UnsafePointer<CChar>?
        guard unsafe library.readBasic(reply, CChar(UInt8(ascii: "o")), &path) > 0, let path = unsafe path else {
            throw .callFailed(unit: unit, method: "LoadUnit", name: "InvalidReply", message: "LoadUnit did not return a unit path")
        }
        return unsafe String(cString: path)
    }

    func stringProperty(_ path: String, _ interface: String, _ member: String, unit: String) throws(RestartError) -> String {
        var error = unsafe ctagent_sd_bus_error(name: nil, message: nil, _need_free: 0)
        defer { unsafe library.errorFree(&error) }
        var value: UnsafeMutablePointer<CChar>?
        let result = unsafe library.getPropertyString(bus, SystemdBus.destination, path, interface, member, &error, &value)
        guard result >= 0, let value = unsafe value else { throw unsafe failure(error, result, method: "Get", unit: unit) }
        defer { unsafe free(value) }
        return unsafe String(cString: value)
    }

    /// A `u` property; nil when the unit has no such property (NRestarts before systemd 235).
    func uint32Property(_ path: String, _ interface: String, _ member: String, unit: String) throws(RestartError) -> UInt32? {
        var error = unsafe ctagent_sd_bus_error(name: nil, message: nil, _need_free: 0)
        defer { unsafe library.errorFree(&error) }
        var value: UInt32 = 0
        let result = unsafe library.getPropertyTrivial(bus, SystemdBus.destination, path, interface, member, &error,
                                                       CChar(UInt8(ascii: "u")), &value)
        if result >= 0 { return value }
        let name = unsafe error.name.map { unsafe String(cString: $0) } ?? ""
        if name == "org.freedesktop.DBus.Error.UnknownProperty" || name == "org.freedesktop.DBus.Error.InvalidArgs" { return nil }
        throw unsafe failure(error, result, method: "Get", unit: unit)
    }

    /// An `ay` property (InvocationID).
    func bytesProperty(_ path: String, _ interface: String, _ member: String, unit: String) throws(RestartError) -> [UInt8] {
        var error = unsafe ctagent_sd_bus_error(name: nil, message: nil, _need_free: 0)
        defer { unsafe library.errorFree(&error) }
        var reply: OpaquePointer?
        let result = unsafe library.getProperty(bus, SystemdBus.destination, path, interface, member, &error, &reply, "ay")
        guard result >= 0, let reply = unsafe reply else { throw unsafe failure(error, result, method: "Get", unit: unit) }
        defer { _ = unsafe library.messageUnref(reply) }
        var pointer: UnsafeRawPointer?
        var size = 0
        guard unsafe library.readArray(reply, CChar(UInt8(ascii: "y")), &pointer, &size) >= 0 else { return [] }
        guard let pointer = unsafe pointer, size > 0 else { return [] }
        return unsafe Array(UnsafeRawBufferPointer(start: pointer, count: size))
    }

    /// StartTransientUnit of `NAME.timer` with `NAME.service` beside it, as
    /// `systemd-run --on-active=… --unit=NAME -- COMMAND` makes them: the timer elapses
    /// once, `after` from now, and starts the service, which runs `command`.
    func startTransientTimer(name: String, description: String, after: Duration, command: [String]) throws(RestartError) {
        let timer = name + ".timer", service = name + ".service"
        let reply = unsafe try call("StartTransientUnit", unit: timer) { message throws(RestartError) in
            try unsafe self.appendString(message, timer, unit: timer)
            try unsafe self.appendString(message, "fail", unit: timer)
            try unsafe self.container(message, "a", "(sv)", unit: timer) { () throws(RestartError) in
                try unsafe self.property(message, "Description", "s", unit: timer) { () throws(RestartError) in
                    try unsafe self.appendString(message, description, unit: timer)
                }
                try unsafe self.property(message, "RemainAfterElapse", "b", unit: timer) { () throws(RestartError) in
                    var no: Int32 = 0
                    try unsafe self.check(unsafe self.library.appendBasic(message, CChar(UInt8(ascii: "b")), &no), unit: timer)
                }
                try unsafe self.property(message, "AccuracyUSec", "t", unit: timer) { () throws(RestartError) in
                    var second: UInt64 = 1_000_000
                    try unsafe self.check(unsafe self.library.appendBasic(message, CChar(UInt8(ascii: "t")), &second), unit: timer)
                }
                try unsafe self.property(message, "TimersMonotonic", "a(st)", unit: timer) { () throws(RestartError) in
                    try unsafe self.container(message, "a", "(st)", unit: timer) { () throws(RestartError) in
                        try unsafe self.container(message, "r", "st", unit: timer) { () throws(RestartError) in
                            // The base by its unit-file name: systemd's timer_base_from_string()
                            // knows OnActiveSec and refuses OnActiveUSec (the name it *reports*
                            // bases by, in the a(stt) property it returns).
                            try unsafe self.appendString(message, "OnActiveSec", unit: timer)
                            var microseconds = after.roundedUpMicroseconds
                            try unsafe self.check(unsafe self.library.appendBasic(message, CChar(UInt8(ascii: "t")), &microseconds), unit: timer)
                        }
                    }
                }
            }
            // The auxiliary unit: the service the timer starts.
            try unsafe self.container(message, "a", "(sa(sv))", unit: timer) { () throws(RestartError) in
                try unsafe self.container(message, "r", "sa(sv)", unit: timer) { () throws(RestartError) in
                    try unsafe self.appendString(message, service, unit: timer)
                    try unsafe self.container(message, "a", "(sv)", unit: timer) { () throws(RestartError) in
                        try unsafe self.property(message, "Description", "s", unit: timer) { () throws(RestartError) in
                            try unsafe self.appendString(message, description, unit: timer)
                        }
                        try unsafe self.property(message, "ExecStart", "a(sasb)", unit: timer) { () throws(RestartError) in
                            try unsafe self.container(message, "a", "(sasb)", unit: timer) { () throws(RestartError) in
                                try unsafe self.container(message, "r", "sasb", unit: timer) { () throws(RestartError) in
                                    try unsafe self.appendString(message, command[0], unit: timer)
                                    try unsafe self.container(message, "a", "s", unit: timer) { () throws(RestartError) in
                                        for argument in command { try unsafe self.appendString(message, argument, unit: timer) }
                                    }
                                    var ignoreFailure: Int32 = 0
                                    try unsafe self.check(unsafe self.library.appendBasic(message, CChar(UInt8(ascii: "b")), &ignoreFailure),
                                                          unit: timer)
                                }
                            }
                        }
                    }
                }
            }
        }
        _ = unsafe library.messageUnref(reply)
    }

    /// StopUnit(name, "replace"); a unit that is gone already is fine.
    func stopUnit(_ name: String) throws(RestartError) {
        do {
            let reply = unsafe try call("StopUnit", unit: name) { message throws(RestartError) in
                try unsafe self.appendString(message, name, unit: name)
                try unsafe self.appendString(message, "replace", unit: name)
            }
            _ = unsafe library.messageUnref(reply)
        } catch .noSuchUnit {
            return
        }
    }

    // MARK: Messages

    private func call(_ member: String, unit: String, _ arguments: (OpaquePointer) throws(RestartError) -> Void) throws(RestartError) -> OpaquePointer {
        var message: OpaquePointer?
        let made = unsafe library.newMethodCall(bus, &message, SystemdBus.destination, SystemdBus.managerPath,
                                                SystemdBus.managerInterface, member)
        guard made >= 0, let message = unsafe message else {
            throw .busUnavailable(reason: "cannot build the \(member) call: \(Errno(rawValue: -made).description)")
        }
        defer { _ = unsafe library.messageUnref(message) }
        do {
            try unsafe arguments(message)
        } catch .callFailed(let unit, _, let name, let text) {
            // The message could not be built: named after the call it was for.
            throw .callFailed(unit: unit, method: member, name: name, message: text)
        }
        var error = unsafe ctagent_sd_bus_error(name: nil, message: nil, _need_free: 0)
        defer { unsafe library.errorFree(&error) }
        var reply: OpaquePointer?
        let result = unsafe library.call(bus, message, timeout.roundedUpMicroseconds, &error, &reply)
        guard result >= 0, let reply = unsafe reply else { throw unsafe failure(error, result, method: member, unit: unit) }
        return unsafe reply
    }

    private func failure(_ error: ctagent_sd_bus_error, _ result: Int32, method: String, unit: String) -> RestartError {
        let name = unsafe error.name.map { unsafe String(cString: $0) } ?? ""
        let text = unsafe error.message.map { unsafe String(cString: $0) } ?? Errno(rawValue: -result).description
        return unsafe DBusRestarter.classify(name: name, message: text, errno: -result, unit: unit, method: method, timeout: timeout)
    }

    private func check(_ result: Int32, unit: String) throws(RestartError) {
        if result < 0 { throw .callFailed(unit: unit, method: "", name: "InvalidArgs", message: Errno(rawValue: -result).description) }
    }

    private func appendString(_ message: OpaquePointer, _ text: String, unit: String) throws(RestartError) {
        let result = unsafe text.withCString { unsafe library.appendBasic(message, CChar(UInt8(ascii: "s")), $0) }
        try unsafe check(result, unit: unit)
    }

    private func container(_ message: OpaquePointer, _ type: Character, _ contents: String, unit: String,
                           _ body: () throws(RestartError) -> Void) throws(RestartError) {
        try unsafe check(unsafe library.openContainer(message, CChar(type.asciiValue!), contents), unit: unit)
        try body()
        try unsafe check(unsafe library.closeContainer(message), unit: unit)
    }

    /// One `(sv)` entry of a property list.
    private func property(_ message: OpaquePointer, _ name: String, _ signature: String, unit: String,
                          _ value: () throws(RestartError) -> Void) throws(RestartError) {
        try unsafe container(message, "r", "sv", unit: unit) { () throws(RestartError) in
            try unsafe self.appendString(message, name, unit: unit)
            try unsafe self.container(message, "v", signature, unit: unit, value)
        }
    }
}
