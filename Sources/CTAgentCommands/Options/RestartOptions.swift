import ArgumentParser
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

    var unit: String {
        if let service { return service }
        if let value = unsafe getenv("CTAGENT_SERVICE"), unsafe value.pointee != 0 { return unsafe String(cString: value) }
        return "ctagent.service"
    }

    var restarter: ServiceRestarter {
        ServiceRestarter(method: restartVia, timeout: .seconds(restartTimeout))
    }

    func validate() throws {
        guard restartTimeout.isFinite, restartTimeout > 0, restartTimeout <= 86400 else {
            throw ValidationError("--restartTimeout must be a number of seconds greater than 0 and at most 86400")
        }
    }
}

extension ServiceRestarter.Method: ExpressibleByArgument {}
