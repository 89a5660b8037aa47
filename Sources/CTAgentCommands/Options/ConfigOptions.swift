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

    var path: String {
        if let config { return config }
        if let value = getenv("CTAGENT_CONFIG"), value.pointee != 0 { return String(cString: value) }
        return ConfigOptions.defaultPath
    }
}
