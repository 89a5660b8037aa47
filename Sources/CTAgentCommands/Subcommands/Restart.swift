import ArgumentParser
import ServiceControl

struct Restart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Restart the agent service and wait for the result.",
        discussion: """
            Restarts the agent's systemd unit the way `systemctl restart` does: over D-Bus, waiting for the \
            restart job's result (done, failed, timeout...), or with systemctl. With --restartVia auto (the \
            default) systemctl is used only when the system bus cannot be reached. Provisioning scripts that \
            pass --skipRestart to several updates run this once at the end.

            Examples:
              ctagent restart
              ctagent restart --service xshield-agent.service --restartTimeout 300
            """ + HelpText.pointer
    )

    @OptionGroup var restart: RestartOptions

    func validate() throws {
        try restart.validateUnit()
    }

    @Flag(help: "Print one JSON object saying whether the service was restarted.")
    var json = false

    struct Report: Encodable {
        var unit: String
        var restarted: Bool
        var via: String?
        var message: String?
    }

    func run() throws {
        let unit = restart.unit
        do {
            let outcome = try restart.restarter.restart(unit: unit)
            if json {
                JSONOutput.print(Report(unit: unit, restarted: true, via: outcome.rawValue, message: nil))
            } else {
                Console.out("Restarted \(unit) (via \(outcome.rawValue)).")
            }
        } catch {
            guard json else { throw error }
            let message = ErrorMessages.text(for: error)
            JSONOutput.print(Report(unit: unit, restarted: false, via: nil, message: message))
            throw CommandFailure(description: message, status: .restartFailed, answeredInJSON: true)
        }
    }
}
