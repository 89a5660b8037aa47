/// Restarts the agent's unit through the chosen door: D-Bus, systemctl, or D-Bus with
/// systemctl as the fallback when (and only when) the bus cannot be reached.
public struct ServiceRestarter: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case auto, dbus, systemctl
    }

    public var method: Method
    public var timeout: Duration
    public var systemctl: String

    public init(method: Method, timeout: Duration, systemctl: String = "systemctl") {
        self.method = method
        self.timeout = timeout
        self.systemctl = systemctl
    }

    /// How the restart was done, for the report.
    public enum Outcome: String, Sendable {
        case restartedViaDBus = "dbus"
        case restartedViaSystemctl = "systemctl"
    }

    public func restart(unit: String) throws(RestartError) -> Outcome {
        switch method {
        case .dbus:
            try DBusRestarter(timeout: timeout).restart(unit: unit)
            return .restartedViaDBus
        case .systemctl:
            try SystemctlRestarter(timeout: timeout, executable: systemctl).restart(unit: unit)
            return .restartedViaSystemctl
        case .auto:
            do {
                try DBusRestarter(timeout: timeout).restart(unit: unit)
                return .restartedViaDBus
            } catch where error.busCouldNotBeReached {
                try SystemctlRestarter(timeout: timeout, executable: systemctl).restart(unit: unit)
                return .restartedViaSystemctl
            }
        }
    }
}
