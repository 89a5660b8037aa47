import AgentConfig
import ConfigTransaction
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

            What is written means the same to YAML 1.1 readers (PyYAML, Go yaml.v2) and YAML 1.2 readers \
            (Go yaml.v3, ruamel.yaml). A new value is written as a number, boolean or null only in a form \
            both read alike: decimal integers without sign, leading zeros or underscores (60, -5); \
            decimal fractions (0.5, 1.5e+3); true/True/TRUE, false/False/FALSE; null/Null/NULL/~. \
            Everything else is a string, quoted when either reader would take it for something else \
            (on, yes, 017, 0o17, 0x1F, 12:30, 1e3, 2024-01-02, .nan, <<, =). An integer or boolean key \
            accepts only those forms; others are refused with the one to write (017: write 17). \
            --setString KEY=VALUE stores a string whatever the text looks like (a port "8080" as text).

            Example (the agent documentation's):
              proxies=http://10.10.6.4:3128,http://10.10.4.5:4128 users=ctuser1,ctuser2
              passwords=Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg==
              ctagentcmd updateConfig --skipRestart --param \\
            'configuration.proxy;configuration.proxy-user;configuration.proxy-password' \\
                  --value "$proxies;$users;$passwords"

            Other examples:
              ctagentcmd updateConfig --set configuration.log-level=debug --skipRestart
              ctagentcmd updateConfig --allowNewKeys --set configuration.retries=3 \\
                  --setString configuration.build=0042
              ctagentcmd updateConfig \\
                  --unset configuration.proxy-user --unset configuration.proxy-password
            """ + HelpText.pointer,
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

    /// For values that must stay text whatever they look like.
    @Option(name: [.customLong("setString"), .customLong("set-string")], parsing: .singleValue,
            help: ArgumentHelp("Set one key to a string, whatever the text looks like: KEY=VALUE (repeatable).", valueName: "key=value"),
            completion: KeyCompletion.completion(.assignment))
    var setString: [String] = []

    @Option(name: .customLong("unset"), parsing: .singleValue,
            help: ArgumentHelp("Remove one key (repeatable).", valueName: "key"),
            completion: KeyCompletion.completion(.plain))
    var unset: [String] = []

    /// Guards against typos creating keys the agent never reads.
    @Flag(name: [.customLong("allowNewKeys"), .customLong("allow-new-keys")],
          help: "Allow adding keys that are neither known nor already in the file.")
    var allowNewKeys = false

    @OptionGroup var write: WriteOptions

    /// Checked when the command runs, not in validate(): ArgumentParser validates before it
    /// reports an unknown option, and `--sett` must be named as the slip it is, not hidden
    /// behind "nothing to change".
    func assignments() throws -> [ConfigChange.Assignment] {
        if param != nil && value == nil { throw ConfigValueError.usage("--param needs --value with one value per key") }
        if value != nil && param == nil { throw ConfigValueError.usage("--value needs --param naming the keys") }
        if param == nil && set.isEmpty && setString.isEmpty && unset.isEmpty {
            throw ConfigValueError.usage("nothing to change: give --param/--value, --set KEY=VALUE, --setString KEY=VALUE or --unset KEY")
        }
        var result: [ConfigChange.Assignment] = []
        if let param, let value {
            let keys = param.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let values = value.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard keys.count == values.count else { throw CommandLineError.countsDiffer(params: keys.count, values: values.count) }
            result += zip(keys, values).map { ConfigChange.Assignment(key: $0, value: $1) }
        }
        for (item, asString) in set.map({ ($0, false) }) + setString.map({ ($0, true) }) {
            guard let equals = item.firstIndex(of: "=") else { throw CommandLineError.malformedAssignment(item) }
            result.append(.init(key: String(item[..<equals]), value: String(item[item.index(after: equals)...]), asString: asString))
        }
        result += unset.map { .init(key: $0, value: nil) }
        // Before anything quotes a key: a slipped separator puts the value, maybe a password,
        // into it.
        for assignment in result { try UpdateConfig.refuseSeparatorSlip(in: assignment.key, unsetting: assignment.value == nil) }
        // A key given twice would silently lose one of its values (the last one wins).
        var seen = Set<String>()
        if let repeated = result.first(where: { !seen.insert($0.key.trimmingWhiteSpace).inserted }) {
            throw ConfigValueError.usage("\(repeated.key.trimmingWhiteSpace) is given more than once (by --param, --set, --setString "
                                         + "or --unset); give each key once")
        }
        return result
    }

    func run() throws {
        let planned = try assignments()
        for assignment in planned where ConfigKey.isSecret(assignment.key) {
            if let value = assignment.value, !value.isEmpty { SecretRegistry.registerPassword(value) }
        }
        let secrets = planned.filter { $0.value.map { !$0.isEmpty } == true && ConfigKey.isSecret($0.key) }.map(\.key)
        if !secrets.isEmpty && !SecretWarnings.accepted(byFlag: write.acceptArgvSecrets) {
            Console.error(SecretWarnings.secretOnCommandLine(
                "The value of " + secrets.joined(separator: ", "),
                saferPath: "for proxy passwords use ctagent updateProxy --proxyPasswordStdin or --proxyPasswordFile"))
        }
        let allowNewKeys = allowNewKeys
        try write.runChange(ConfigTransaction.editing { config in
            try ConfigChange.applying(planned, allowNewKeys: allowNewKeys, in: config)
        })
    }

    /// A pasted `--set 'KEY VALUE'`, `KEY:VALUE` or `--unset KEY=VALUE`: what follows the
    /// slip is the value, maybe a password, so it is never quoted. White space inside a key
    /// always counts as a slip (even after a mistyped key name); a ':' only after a known or
    /// secret-named key, since a key such as `urn:x` may really hold one.
    static func refuseSeparatorSlip(in key: String, unsetting: Bool) throws(ConfigValueError) {
        let trimmed = key.trimmingWhiteSpace
        guard let slip = trimmed.firstIndex(where: { $0 == ":" || $0.isWhitespace || (unsetting && $0 == "=") }) else { return }
        let name = String(trimmed[..<slip])
        guard trimmed[slip].isWhitespace || ConfigKey.known(name) != nil || ConfigKey.isSecret(name) else { return }
        let what = trimmed[slip] == ":" ? "a ':'" : trimmed[slip] == "=" ? "a '='" : "a space"
        let fix = unsetting ? "--unset takes only the key, e.g. --unset \(name)" : "write KEY=VALUE, e.g. --set configuration.log-level=debug"
        throw .usage("'\(name)…' (the rest hidden, in case it is a secret) has \(what) after the key; \(fix)")
    }

}
