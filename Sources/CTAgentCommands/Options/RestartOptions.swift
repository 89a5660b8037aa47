import ArgumentParser
import TimeKeeping
import Glibc
import ServiceControl

/// How to restart the agent service after a change.
struct RestartOptions: ParsableArguments {
    /// The systemd unit of the agent.
    @Option(name: .customLong("service"),
            help: ArgumentHelp("The agent's systemd unit (default: $CTAGENT_SERVICE, else ctagent.service).", valueName: "unit"))
    var service: String?

    /// auto tries D-Bus first and falls back to systemctl only when the bus cannot be reached.
    @Option(name: [.customLong("restartVia"), .customLong("restart-via")],
            help: ArgumentHelp("How to restart: auto (D-Bus, then systemctl when the bus cannot be reached), dbus or systemctl.",
                               valueName: "auto|dbus|systemctl"))
    var restartVia: ServiceRestarter.Method = .auto

    /// How long to wait for systemd to report the restart job's result.
    @Option(name: [.customLong("restartTimeout"), .customLong("restart-timeout")], parsing: .unconditional,
            help: ArgumentHelp("Seconds to wait for the restart to finish.", valueName: "seconds"))
    var restartTimeout: Double = 120

    /// The unit to restart. A name without a type suffix gets `.service`, as systemctl adds
    /// it: D-Bus wants the full name.
    var unit: String {
        let name = givenUnit
        return name.contains(".") || name.isEmpty ? name : name + ".service"
    }

    /// The name as given: --service, else CTAGENT_SERVICE, else the default.
    private var givenUnit: String {
        if let service { return service }
        if let value = SystemEnvironment.current.variable("CTAGENT_SERVICE") { return value }
        return "ctagent.service"
    }

    var restarter: ServiceRestarter {
        ServiceRestarter(method: restartVia, timeout: .seconds(restartTimeout))
    }

    /// Called by the commands that will restart (not with --skipRestart or --dryRun).
    func validateUnit() throws {
        if !RestartOptions.isUnitName(unit) {
            let source = service != nil ? "--service" : "CTAGENT_SERVICE"
            throw ValidationError("\(source) '\(givenUnit)' is not a systemd unit name; expected NAME.service, e.g. ctagent.service "
                                  + "(letters, digits and : - _ . \\ @, at most 255 characters, not starting with '-' or '.')")
        }
    }

    func validate() throws {
        guard restartTimeout.isFinite, restartTimeout > 0, restartTimeout <= 86400 else {
            throw ValidationError("--restartTimeout must be a number of seconds greater than 0 and at most 86400, not '\(formatSeconds(restartTimeout))'")
        }
    }
}

extension ServiceRestarter.Method: ExpressibleByArgument {}

extension RestartOptions {
    /// systemd's rule for unit names (unit_name_is_valid), with a type suffix.
    static func isUnitName(_ name: String) -> Bool {
        let types = ["service", "socket", "target", "device", "mount", "automount", "swap", "timer", "path", "slice", "scope"]
        guard name.utf8.count <= 255, let first = name.first, first != "-", first != ".",
              let dot = name.lastIndex(of: "."), types.contains(String(name[name.index(after: dot)...])) else { return false }
        return name[..<dot].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ":-_.\\@".contains($0)) } && dot != name.startIndex
    }
}
