import SystemCalls

/// What systemd says of a unit now: enough to tell whether it stayed up since a restart.
public struct UnitStatus: Equatable, Sendable {
    /// `active`, `activating`, `deactivating`, `failed`, `inactive`, `reloading`.
    public var activeState: String
    public var subState: String
    /// The invocation's 128-bit ID in hex; a new one each time the unit starts.
    public var invocationID: String
    /// How often systemd restarted the service by its `Restart=`; nil for systemd before 235.
    public var restarts: UInt32?

    public init(activeState: String, subState: String, invocationID: String, restarts: UInt32?) {
        self.activeState = activeState
        self.subState = subState
        self.invocationID = invocationID
        self.restarts = restarts
    }
}

/// Reads a unit's status over the same door a restart used: D-Bus properties, or
/// `systemctl show` (also when `auto` finds no bus).
public struct UnitInspector: Sendable {
    public var method: ServiceRestarter.Method
    public var timeout: Duration
    public var systemctl: String

    public init(method: ServiceRestarter.Method, timeout: Duration, systemctl: String = "systemctl") {
        self.method = method
        self.timeout = timeout
        self.systemctl = systemctl
    }

    public func status(of unit: String) throws(RestartError) -> UnitStatus {
        switch method {
        case .dbus: return try viaBus(unit)
        case .systemctl: return try viaSystemctl(unit)
        case .auto:
            do {
                return try viaBus(unit)
            } catch where error.busCouldNotBeReached {
                return try viaSystemctl(unit)
            }
        }
    }

    private func viaBus(_ unit: String) throws(RestartError) -> UnitStatus {
        let bus = unsafe try SystemdBus(timeout: timeout)
        let path = unsafe try bus.unitPath(unit)
        let unitInterface = "org.freedesktop.systemd1.Unit"
        let id = unsafe try bus.bytesProperty(path, unitInterface, "InvocationID", unit: unit)
        return UnitStatus(activeState: unsafe try bus.stringProperty(path, unitInterface, "ActiveState", unit: unit),
                          subState: unsafe try bus.stringProperty(path, unitInterface, "SubState", unit: unit),
                          invocationID: id.map { String($0, radix: 16).leftPadded(to: 2) }.joined(),
                          restarts: unit.hasSuffix(".service")
                            ? unsafe try bus.uint32Property(path, "org.freedesktop.systemd1.Service", "NRestarts", unit: unit) : nil)
    }

    /// `systemctl show` prints `KEY=VALUE` lines, InvocationID in hex as D-Bus gives its bytes.
    private func viaSystemctl(_ unit: String) throws(RestartError) -> UnitStatus {
        let arguments = [systemctl, "show", "--property=ActiveState", "--property=SubState", "--property=InvocationID",
                         "--property=NRestarts", "--", unit]
        let outcome = ChildProcess.run(arguments, timeout: timeout)
        if let failure = SystemctlRestarter.failure(of: outcome, program: systemctl, unit: unit, timeout: timeout) { throw failure }
        var values: [String: String] = [:]
        for line in outcome.output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let state = values["ActiveState"] else {
            throw .systemctlFailed(unit: unit, status: 0, output: "systemctl show printed no ActiveState")
        }
        return UnitStatus(activeState: state, subState: values["SubState"] ?? "", invocationID: values["InvocationID"] ?? "",
                          restarts: values["NRestarts"].flatMap { UInt32($0) })
    }
}

