import AgentConfig
import ConfigTransaction
import ArgumentParser
import ProxyProbe

struct UpdateProxy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "updateProxy",
        abstract: "Replace the agent's proxy list, users and passwords.",
        discussion: """
            Replaces the whole proxy configuration: the agent tries the proxies in the order given, \
            keeps the first that works, and connects directly when none does. Proxies are \
            http://IP:PORT or https://IP:PORT (IPv6 as http://[ADDRESS]:PORT); host names and FQDNs are \
            refused. Users and base64 passwords are given per proxy, in the same order; leave an entry \
            empty for a proxy without authentication. Omitting --proxyUser and --proxyPassword removes \
            both keys (no proxy needs auth). Passwords can be kept out of argv and shell history with \
            --proxyPasswordStdin or --proxyPasswordFile; encode them with `ctagent encodePassword`.

            Example (the agent documentation's):
              ctagent updateProxy --proxy=http://10.10.6.4:3128,http://10.10.4.5:4128 \\
                  --proxyUser=ctuser1,ctuser2 \\
                  --proxyPassword=Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg==

            Passwords from a script, without argv:
              printf '%s' "$PW1,$PW2" | ctagent updateProxy --proxyPasswordStdin \\
                  --proxy=http://10.10.6.4:3128,http://10.10.4.5:4128 \\
                  --proxyUser=ctuser1,ctuser2
            """ + HelpText.pointer,
        aliases: ["update-proxy"]
    )

    /// The proxies in failover order.
    @Option(name: .customLong("proxy"),
            help: ArgumentHelp("Proxies in failover order, comma-separated: http://IP:PORT[,http://IP:PORT...].", valueName: "list"))
    var proxy: String

    /// One user per proxy.
    @Option(name: [.customLong("proxyUser"), .customLong("proxy-user")],
            help: ArgumentHelp("Users, one per proxy, comma-separated (empty entry: no auth for that proxy).", valueName: "list"))
    var proxyUser: String?

    /// One base64 password per proxy. Visible to other users in the process list: prefer stdin.
    @Option(name: [.customLong("proxyPassword"), .customLong("proxy-password")],
            help: ArgumentHelp("Base64 passwords, one per proxy, comma-separated.", valueName: "list"))
    var proxyPassword: String?

    /// Keeps the password list out of argv.
    @Flag(name: [.customLong("proxyPasswordStdin"), .customLong("proxy-password-stdin")],
          help: "Read the password list (same comma format) from standard input.")
    var proxyPasswordStdin = false

    @Option(name: [.customLong("proxyPasswordFile"), .customLong("proxy-password-file")],
            help: ArgumentHelp("Read the password list (same comma format) from a file.", valueName: "file"),
            completion: .file())
    var proxyPasswordFile: String?

    /// Refuses a list with no working proxy, which would silently send the agent direct.
    @Flag(help: "Before writing, walk the new list as testProxy does; refuse (exit 68) when no proxy in it works.")
    var verify = false

    @Flag(help: "With --verify: write even when no proxy works.")
    var force = false

    @OptionGroup var probe: ProbeOptions

    @OptionGroup var write: WriteOptions

    func validate() throws {
        if force && !verify { throw ValidationError("--force only makes sense with --verify") }
        if probe.targets.count > 1 {
            throw ValidationError("--target is given \(probe.targets.count) times; the new list is walked to one platform")
        }
        if !verify && write.confirmation.confirm == nil && (probe.target != nil || probe.caFile != nil) {
            throw ValidationError("--target and --caFile only make sense with --verify or --confirm (they say where and how to probe the new list)")
        }
        let sources = [proxyPassword != nil, proxyPasswordStdin, proxyPasswordFile != nil].filter { $0 }.count
        if sources > 1 {
            throw ValidationError("give the passwords only once: --proxyPassword, --proxyPasswordStdin or --proxyPasswordFile")
        }
    }

    func run() throws {
        let settings = try settingsFromOptions()
        if verify { try verifyNewList(settings) }
        try write.runChange(ConfigTransaction.editing { config in
            try ConfigChange.replacingProxies(with: settings, in: config)
        }, probe: probe)
    }

    /// The new list from --proxy, --proxyUser and the passwords, wherever they come from.
    private func settingsFromOptions() throws -> ProxySettings {
        let passwords: String?
        if proxyPasswordStdin {
            passwords = try SecretInput.readStandardInput()
        } else if let proxyPasswordFile {
            SecretWarnings.passwordFileProblem(proxyPasswordFile).map { Console.error($0) }
            passwords = try SecretInput.readFile(proxyPasswordFile, option: "--proxyPasswordFile")
        } else {
            passwords = proxyPassword
            if let proxyPassword, !proxyPassword.isEmpty, !SecretWarnings.accepted(byFlag: write.acceptArgvSecrets) {
                Console.error(SecretWarnings.secretOnCommandLine(
                    "--proxyPassword", saferPath: "pipe them to --proxyPasswordStdin or give --proxyPasswordFile FILE instead"))
            }
        }
        // Known before anything can fail or print: every form of them stays out of the output.
        let users: [String] = proxyUser.map(ProxySettings.split) ?? []
        let given: [String] = passwords.map(ProxySettings.split) ?? []
        for (index, password) in given.enumerated() where !password.isEmpty {
            SecretRegistry.registerPassword(password, user: index < users.count ? users[index] : nil)
        }
        let proxies = ProxySettings.split(proxy)
        if proxies.isEmpty {
            throw ConfigValueError.usage("--proxy is empty; give at least one proxy, or use clearProxy to remove them all")
        }
        // Errors name where the passwords came from: the option, or the file.
        let passwordSource = proxyPasswordStdin ? "--proxyPasswordStdin" : proxyPasswordFile.map { "--proxyPasswordFile \($0)" } ?? "--proxyPassword"
        let names = ProxyFieldNames(proxies: "--proxy", users: "--proxyUser", passwords: passwordSource)
        return try ProxySettings(proxies: proxies, users: proxyUser.map(ProxySettings.split),
                                 passwords: passwords.map(ProxySettings.split), names: names)
    }

    /// With --json, a refusal is one object: the walk, in testProxy --json's shape, and the error.
    struct VerifyRefusal: Encodable {
        var verify: WalkReport
        var error: ErrorReporting.JSONError.Body
    }

    private func verifyNewList(_ settings: ProxySettings) throws {
        let config = try write.configOptions.load()
        let target = try ConfigFileError.about(write.configOptions.path) { try probe.resolvedTarget(config: config) }
        let walk = FailoverWalk.run(settings, target: target, prober: probe.prober)
        let lines = ["Verifying the new proxy list against \(target):"] + WalkReport.lines(walk, settings: settings)
        // With --json, stdout is reserved for the one result object.
        lines.forEach { write.json ? Console.error($0) : Console.out($0) }
        guard walk.aProxyWorks else {
            if walk.unprobedProxies > 0 {
                Console.error("Warning: no proxy in the new list could be verified; https:// proxies need libssl (OpenSSL 3 or 1.1.1) to be probed, and neither is installed. Writing it.")
                return
            }
            if force {
                Console.error("Warning: no proxy in the new list works; writing it anyway (--force).")
                return
            }
            let message = "no proxy in the new list reaches \(target); nothing was written. Fix the list, or write it anyway with --force"
            if write.json {
                JSONOutput.print(VerifyRefusal(verify: WalkReport(walk, target: target),
                                               error: .init(message: message, status: ExitStatus.noPath.rawValue)))
            }
            throw CommandFailure(description: message, status: .noPath, answeredInJSON: write.json)
        }
    }
}
