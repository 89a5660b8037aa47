import AgentConfig
import ArgumentParser

struct UpdateConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "updateConfig",
        abstract: "Set or remove keys of the agent's config file.",
        discussion: """
            Sets dotted keys: --param and --value take ';'-separated lists of the same length, as in the \
            agent's documentation; --set KEY=VALUE and --unset KEY may be repeated. Known keys \
            (configuration.proxy, configuration.proxy-user, configuration.proxy-password, \
            configuration.platform-url, configuration.heartbeat-interval, configuration.log-level) are \
            validated like updateProxy, and the file must stay consistent as a whole (as many users as \
            proxies...). A key that is neither known nor already in the file is refused with a suggestion, \
            unless --allowNewKeys. Values read back as exactly the text given, and a key keeps its YAML \
            type (a string key given `yes` is quoted).

            Example (the agent documentation's):
              ctagentcmd updateConfig --param 'configuration.proxy;configuration.proxy-user;configuration.proxy-password' --value 'http://10.10.6.4:3128,http://10.10.4.5:4128;ctuser1,ctuser2;Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg==' --skipRestart

            Other examples:
              ctagentcmd updateConfig --set configuration.log-level=debug --skipRestart
              ctagentcmd updateConfig --unset configuration.proxy-user --unset configuration.proxy-password
            """ + HelpText.reference,
        aliases: ["update-config"]
    )

    /// Keys, ';'-separated, matched by position with --value.
    @Option(name: .customLong("param"),
            help: ArgumentHelp("Dotted keys, ';'-separated, e.g. 'configuration.proxy;configuration.proxy-user'.", valueName: "keys"),
            completion: KeyCompletion.completion(.list))
    var param: String?

    /// Values, ';'-separated, one per key of --param.
    @Option(name: .customLong("value"),
            help: ArgumentHelp("Values, ';'-separated, one per key of --param.", valueName: "values"))
    var value: String?

    /// For values that contain ';'.
    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Set one key: KEY=VALUE (repeatable).", valueName: "key=value"),
            completion: KeyCompletion.completion(.assignment))
    var set: [String] = []

    @Option(name: .customLong("unset"), parsing: .singleValue,
            help: ArgumentHelp("Remove one key (repeatable).", valueName: "key"),
            completion: KeyCompletion.completion(.plain))
    var unset: [String] = []

    /// Guards against typos creating keys the agent never reads.
    @Flag(name: [.customLong("allowNewKeys"), .customLong("allow-new-keys")],
          help: "Allow adding keys that are neither known nor already in the file.")
    var allowNewKeys = false

    @OptionGroup var write: WriteOptions

    func validate() throws {
        if param != nil && value == nil { throw ValidationError("--param needs --value with one value per key") }
        if value != nil && param == nil { throw ValidationError("--value needs --param naming the keys") }
        if param == nil && set.isEmpty && unset.isEmpty {
            throw ValidationError("nothing to change: give --param/--value, --set KEY=VALUE or --unset KEY")
        }
    }

    func assignments() throws -> [ConfigChange.Assignment] {
        var result: [ConfigChange.Assignment] = []
        if let param, let value {
            let keys = param.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let values = value.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard keys.count == values.count else { throw ConfigValueError.countsDiffer(params: keys.count, values: values.count) }
            result += zip(keys, values).map { ConfigChange.Assignment(key: $0, value: $1) }
        }
        for item in set {
            guard let equals = item.firstIndex(of: "=") else { throw ConfigValueError.malformedAssignment(item) }
            result.append(.init(key: String(item[..<equals]), value: String(item[item.index(after: equals)...])))
        }
        result += unset.map { .init(key: $0, value: nil) }
        return result
    }

    func run() throws {
        var planned: [ConfigChange.Assignment] = []
        try ErrorReporting.run { planned = try assignments() }
        let allowNewKeys = allowNewKeys
        try ConfigWriter(options: write).apply { config in
            try ConfigChange.applying(planned, allowNewKeys: allowNewKeys, in: config)
        }
    }
}
