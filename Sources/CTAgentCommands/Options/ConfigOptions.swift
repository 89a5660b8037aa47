import DurableFile
import AgentConfig
import ArgumentParser
import Glibc

/// Which config file to work on.
struct ConfigOptions: ParsableArguments {
    static let defaultPath = "/etc/ctagent/config.yaml"

    /// The agent's config file; `CTAGENT_CONFIG` sets it for a whole session.
    @Option(name: .customLong("config"),
            help: ArgumentHelp("The agent's config file (default: $CTAGENT_CONFIG, else \(ConfigOptions.defaultPath)).",
                               valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    var path: String { ConfigOptions.path(given: config) }

    func validate() throws {
        if config?.isEmpty == true {
            throw ValidationError("--config is empty; give the agent's config file, e.g. --config /etc/ctagent/config.yaml")
        }
    }

    /// The config as it is now; errors name the file.
    func load() throws -> AgentConfiguration {
        let config = try ConfigFileError.about(path) { try AgentConfiguration(bytes: try FileStore(path: path, sizeLimit: AgentConfiguration.sizeLimit).read()) }
        SecretRegistry.register(config.secretInventory)
        return config
    }

    /// The option's value, else `$CTAGENT_CONFIG`, else the default.
    static func path(given: String?) -> String {
        if let given { return given }
        if let value = SystemEnvironment.current.variable("CTAGENT_CONFIG") { return value }
        return defaultPath
    }
}
