import Foundation
import TestSupport
import Testing

/// One bad input: the arguments after `--config FILE`, what stderr must say, the exit code.
struct BadInput: CustomTestStringConvertible, Sendable {
    var arguments: [String]
    var message: String
    var status: Int32 = 64
    var testDescription: String { arguments.joined(separator: " ") }
}

private func proxy(_ list: String, users: String? = nil, passwords: String? = nil) -> [String] {
    ["updateProxy", "--proxy=\(list)"] + (users.map { ["--proxyUser=\($0)"] } ?? []) + (passwords.map { ["--proxyPassword=\($0)"] } ?? [])
}

let badInputs: [BadInput] = [
    BadInput(arguments: proxy("http://proxy.example.com:3128"),
             message: "proxy #1 'http://proxy.example.com:3128' names the host 'proxy.example.com'. FQDNs are not supported: use the proxy's IP address"),
    BadInput(arguments: proxy("http://10.10.6.4:3128,http://squid:3128"), message: "proxy #2 'http://squid:3128' names the host 'squid'. FQDNs are not supported"),
    BadInput(arguments: proxy("http://10.10.6.256:3128"), message: "proxy #1 'http://10.10.6.256:3128' has '10.10.6.256', which is not an IPv4 address in dotted decimal"),
    BadInput(arguments: proxy("http://10.010.6.4:3128"), message: "no leading zeros"),
    BadInput(arguments: proxy("http://10.10.6:3128"), message: "proxy #1 'http://10.10.6:3128' has '10.10.6', which is not an IPv4 address"),
    BadInput(arguments: proxy("http://10.10.6.4"), message: "proxy #1 'http://10.10.6.4' has no port; add one, e.g. http://10.10.6.4:3128"),
    BadInput(arguments: proxy("http://10.10.6.4:0"), message: "has port '0'; a port is a number from 1 to 65535"),
    BadInput(arguments: proxy("http://10.10.6.4:65536"), message: "has port '65536'; a port is a number from 1 to 65535"),
    BadInput(arguments: proxy("socks5://10.10.6.4:1080"), message: "proxy #1 'socks5://10.10.6.4:1080' uses scheme 'socks5'; the agent supports http:// and https:// proxies only"),
    BadInput(arguments: proxy("http://fd00::10:3128"), message: "looks like an IPv6 address without brackets; write it as http://[ADDRESS]:PORT"),
    BadInput(arguments: proxy("http://[fd00::zz]:3128"), message: "has '[fd00::zz]', which is not a valid IPv6 address"),
    BadInput(arguments: proxy("http://ctuser1:c2VjcmV0@10.10.6.4:3128"),
             message: "proxy #1 'http://***@10.10.6.4:3128' contains credentials; give the proxy as http://IP:PORT and the user with --proxyUser"),
    BadInput(arguments: proxy("http://10.10.6.4:3128/path"), message: "has a path ('/path'); a proxy is only scheme://IP:PORT"),
    BadInput(arguments: proxy("http://10.10.6.4:3128?x=1"), message: "has a query ('?x=1')"),
    BadInput(arguments: proxy("http://10.10.6.4:3128,,http://10.10.4.5:4128"), message: "proxy #2 is empty"),
    BadInput(arguments: proxy("http://10.10.6.4:3128,http://10.10.6.4:3128"), message: "proxy #2 'http://10.10.6.4:3128' repeats proxy #1"),
    BadInput(arguments: proxy(docProxies, users: "ctuser1", passwords: docPasswords),
             message: "--proxyUser has 1 entry but --proxy has 2 proxies; give one entry per proxy"),
    BadInput(arguments: proxy(docProxies, users: docUsers, passwords: "Y29sb3JzMzIxMQ=="),
             message: "--proxyPassword has 1 entry but --proxy has 2 proxies"),
    BadInput(arguments: proxy(docProxies, users: docUsers, passwords: "Y29sb3JzMzIxMQ=,Y29sb3JzMzIxMg=="),
             message: "--proxyPassword entry 1 is not valid base64: its length (15) is not a multiple of 4"),
    BadInput(arguments: proxy(docProxies, users: docUsers, passwords: "Y29sb3JzMzIxMQ==,Y29sb3J!MzIxMg=="),
             message: "--proxyPassword entry 2 is not valid base64: character 8 is not in the base64 alphabet"),
    BadInput(arguments: proxy(docProxies, users: docUsers, passwords: "Y29sb3JzMzIxMQ==,password"),
             message: "--proxyPassword entry 2 is probably not base64-encoded"),
    BadInput(arguments: proxy(docProxies, users: "ctuser1,ct:user2", passwords: docPasswords),
             message: "--proxyUser entry 2 'ct:user2' contains ':'; user names cannot contain"),
    BadInput(arguments: proxy(docProxies, users: "ctuser1,", passwords: docPasswords),
             message: "--proxyPassword entry 2 has a password but no user; give the user at the same position in --proxyUser"),
    BadInput(arguments: proxy(docProxies, users: docUsers, passwords: "Y29sb3JzMzIxMQ==,"),
             message: "--proxyUser entry 2 has a user but no password"),
    BadInput(arguments: proxy(docProxies, users: docUsers),
             message: "--proxyUser entry 1 has a user but no password"),
    BadInput(arguments: ["updateProxy", "--proxy= "], message: "--proxy is empty; give at least one proxy, or use clearProxy"),
    BadInput(arguments: ["updateProxy", "--proxy="], message: "Missing value for '--proxy <list>'"),
    BadInput(arguments: ["updateProxy"], message: "Missing expected argument '--proxy <list>'"),
    BadInput(arguments: ["updateProxy", "--proxy=\(docProxies)", "--proxyPassword=\(docPasswords)", "--proxyPasswordStdin"],
             message: "give the passwords only once"),
    BadInput(arguments: ["updateConfig", "--param", "configuration.proxy-usr", "--value", "x"],
             message: "configuration.proxy-usr is not a known setting and is not in the config file; did you mean configuration.proxy-user?"),
    BadInput(arguments: ["updateConfig", "--param", "configuration.proxy;configuration.proxy-user", "--value", "http://10.10.6.4:3128"],
             message: "--param names 2 keys but --value gives 1 value"),
    BadInput(arguments: ["updateConfig", "--set", "configuration.proxy=http://proxy.example.com:3128"],
             message: "FQDNs are not supported: use the proxy's IP address"),
    BadInput(arguments: ["updateConfig", "--set", "configuration.proxy-user=a,b"],
             message: "configuration.proxy-user has 2 entries but configuration.proxy has 1 proxy; give one entry per proxy"),
    BadInput(arguments: ["updateConfig", "--set", "configuration.heartbeat-interval=soon"],
             message: "configuration.heartbeat-interval cannot be 'soon': expected a whole number of seconds"),
    BadInput(arguments: ["updateConfig", "--set", "configuration.log-level=loud"],
             message: "configuration.log-level cannot be 'loud': expected one of trace, debug, info"),
    BadInput(arguments: ["updateConfig", "--set", "configuration.platform-url=platform.example.net"],
             message: "configuration.platform-url cannot be 'platform.example.net': expected a URL such as https://platform.example.net:443"),
    BadInput(arguments: ["updateConfig", "--set", "novalue"], message: "--set 'novalue' is not KEY=VALUE"),
    BadInput(arguments: ["updateConfig", "--set", "configuration.proxy-password:S3cret"], message: "--set 'configuration.proxy-password…' (the rest hidden, in case it is a secret) is not KEY=VALUE"),
    BadInput(arguments: proxy("socks5://u:S3cret@10.0.0.1:1080"), message: "proxy #1 'socks5://***@10.0.0.1:1080' contains credentials"),
    BadInput(arguments: proxy("http://u:pa ss@10.0.0.1:1080"), message: "proxy #1 'http://***@10.0.0.1:1080' contains credentials"),
    BadInput(arguments: ["updateConfig", "--set", "configuration.platform-url=https://u:S3cret@platform.example.net:443"],
             message: "configuration.platform-url cannot be 'https://***@platform.example.net:443'"),
    BadInput(arguments: ["updateConfig", "--unset", "configuration.nope"], message: "configuration.nope is not in the config file"),
    BadInput(arguments: ["updateConfig", "--skipRestart"], message: "nothing to change"),
    BadInput(arguments: ["getConfig", "--param", "configuration.log-levl"],
             message: "configuration.log-levl is not in the config file; did you mean configuration.log-level?"),
    BadInput(arguments: ["updateProxy", "--proxy=\(docProxies)", "--lockTimeout=-1"], message: "--lockTimeout must be"),
    BadInput(arguments: ["updateProxy", "--proxy=\(docProxies)", "--restartTimeout", "inf"], message: "--restartTimeout must be"),
    BadInput(arguments: ["testProxy", "--timeout", "inf"], message: "--timeout must be a number of seconds greater than 0 and at most 3600"),
    BadInput(arguments: ["testProxy", "--target", "nohost"], message: "--target 'nohost' is not HOST:PORT"),
]

@Suite struct ValidationErrorTests {
    @Test(arguments: badInputs)
    func badInputIsRefusedClearlyAndTouchesNothing(_ input: BadInput) throws {
        let box = try Sandbox()
        let before = box.files
        var arguments = input.arguments
        arguments.insert(contentsOf: ["--config", box.config], at: 1)
        let result = try Harness.ctagent(arguments)
        #expect(result.status == input.status)
        #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
        #expect(result.stderr.contains(input.message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(box.read() == Sandbox.sampleConfig, "the config must stay byte for byte")
        #expect(box.files == before, "no backup, lock or temp file may appear: \(box.files)")
        for secret in ["c2VjcmV0", "Y29sb3JzMzIxMQ", "Y29sb3J!MzIxMg", ",password", "S3cret", "pa ss"] {
            #expect(!result.stderr.contains(secret), "a secret must not appear in the message")
        }
    }
}

@Suite struct FileProblemTests {
    @Test func missingConfigIs66() throws {
        let box = try Sandbox(config: nil)
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(docProxies)", "--skipRestart"])
        #expect(result.status == 66)
        #expect(result.stderr == "Error: \(box.config) does not exist; check the path or give another with --config FILE (or CTAGENT_CONFIG)\n")
        #expect(box.files.isEmpty)
    }

    @Test(arguments: [
        ("configuration:\n  proxy: [a\n", "is not valid YAML"),
        ("a: 1\n---\nb: 2\n", "holds 2 YAML documents"),
        ("- a\n- b\n", "the top level of the file is a list, not a mapping"),
        ("base: &b {proxy: x}\nconfiguration: *b\n", "configuration is an alias"),
        ("configuration:\n  proxy: a\n  proxy: b\n", "configuration.proxy appears twice in the same mapping (lines 2 and 3)"),
    ])
    func configThatCannotBeEditedSafelyIs65(_ text: String, _ message: String) throws {
        let box = try Sandbox(config: text)
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(docProxies)", "--skipRestart"])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("Error: \(box.config): "))
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(box.read() == text)
    }

    @Test func aFileWithUTF16IsRefusedWith65() throws {
        let box = try Sandbox(config: nil)
        var bytes: [UInt8] = [0xFF, 0xFE]
        for byte in "configuration:\n  proxy: x\n".utf8 { bytes += [byte, 0] }
        try Data(bytes).write(to: URL(fileURLWithPath: box.config))
        let result = try Harness.ctagent(["clearProxy", "--config", box.config, "--skipRestart"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("encoded as UTF-16"))
    }

    /// A sparse file of 4 GiB: refused from its size, before a byte is read, by a change, a
    /// read and a rollback (of a 4 GiB backup) alike. Each runs with 1 GiB of address space
    /// (but under AddressSanitizer), so a tool that read the file would fail, not pass slowly.
    @Test func aFileOf4GiBIsRefusedWith65WithoutBeingRead() throws {
        let fourGiB = off_t(1) << 32
        // Not for AddressSanitizer's builds: they reserve terabytes of shadow memory at start.
        let limited = { (arguments: [String]) in
            ShippedBinaryTests.expected == "asan" ? try Harness.ctagent(arguments)
                : try Harness.run("/usr/bin/prlimit", ["--as=\(1 << 30)", Harness.binary("ctagent")] + arguments)
        }
        let box = try Sandbox()
        #expect(truncate(box.config, fourGiB) == 0, "cannot make a sparse file: \(String(cString: strerror(errno)))")
        let refusal = "\(box.config) holds 4294967296 bytes (4.0 GiB); only files under 4294967295 bytes (4.0 GiB) are read, "
            + "and an agent's config is a few KiB: check what wrote it. Nothing was read or written"
        for arguments in [["clearProxy", "--skipRestart"], ["getConfig"]] {
            let result = try limited(arguments + ["--config", box.config])
            #expect(result.status == 65, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(refusal), "\(arguments): \(result.stderr)")
        }
        var info = stat()
        #expect(stat(box.config, &info) == 0 && info.st_size == fourGiB && info.st_blocks < 64, "the file is as it was, still sparse")
        #expect(box.files == ["config.yaml"])

        let backup = try Sandbox()
        try backup.write("", to: "config.yaml.bak")
        #expect(truncate(backup.config + ".bak", fourGiB) == 0)
        let rollback = try limited(["rollback", "--config", backup.config, "--skipRestart"])
        #expect(rollback.status == 65, "\(rollback.stderr)")
        #expect(rollback.stderr.contains("the backup \(backup.config).bak cannot be read: \(backup.config).bak holds 4294967296 bytes (4.0 GiB); "
                                         + "only files under 4294967295 bytes (4.0 GiB) are read, and an agent's config is a few KiB: check what wrote it; "
                                         + "nothing was written"), "\(rollback.stderr)")
        #expect(backup.read() == Sandbox.sampleConfig)
    }

    @Test func permissionDeniedIs77AndNothingIsWritten() throws {
        let box = try Sandbox()
        chmod(box.directory, 0o755)
        chmod(box.config, 0o644)
        // As an unprivileged user (tests run as root in CI, where root bypasses permissions).
        let result = try Harness.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                          Harness.binary("ctagent"), "clearProxy", "--config", box.config, "--skipRestart"])
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.contains("permission denied"), "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
        #expect(box.files == ["config.yaml"])
    }
}

@Suite struct SecretLeakTests {
    @Test func aSecretKeysValuesAreHiddenInTypeErrors() throws {
        let box = try Sandbox(config: Sandbox.sampleConfig + "cloud:\n  api-token: 12345\n")
        let result = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "cloud.api-token=S3cretToken", "--skipRestart"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("cloud.api-token holds an integer (********)"), "\(result.stderr)")
        #expect(!result.stderr.contains("S3cretToken") && !result.stderr.contains("12345"))
    }

    /// Secrets inside lists have no dotted key, but a --dryRun diff shows them as context:
    /// their lines are hidden.
    @Test func secretsInsideListsAreHiddenInDiffs() throws {
        let box = try Sandbox(config: "configuration:\n  log-level: info\nkeys:\n  - api-key: LISTSECRET2\n    name: first\ncreds: [{password: FLOWSECRET}]\n")
        let result = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--dryRun"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("+  log-level: debug"), "\(result.stdout)")
        #expect(!result.stdout.contains("LISTSECRET2") && !result.stdout.contains("FLOWSECRET"), "\(result.stdout)")
    }

    /// A pasted command line with one slip: a space or ':' where '=' belongs, a space for a
    /// comma, an em dash for `--`. The password is never quoted back, on stderr or in JSON.
    @Test(arguments: [
        ["updateConfig", "--set", "configuration.proxy-password U2VjcmV0QUFBQQ==,U2VjcmV0QkJCQg=="],
        ["updateConfig", "--set", "configuration.proxy-password:U2VjcmV0QUFBQQ==,U2VjcmV0QkJCQg=="],
        ["updateConfig", "--set", "configuration.proxy-pasword U2VjcmV0QUFBQQ==,U2VjcmV0QkJCQg=="],
        ["updateConfig", "--set", "configuration.proxy-password U2VjcmV0QUFBQQ==", "--set", "configuration.proxy-password U2VjcmV0QkJCQg=="],
        ["updateConfig", "--unset", "configuration.proxy-password=U2VjcmV0QUFBQQ==,U2VjcmV0QkJCQg=="],
        ["updateProxy", "--proxy", "http://127.0.0.1:3128,http://127.0.0.1:3129,http://127.0.0.1:3130", "--proxyUser", "a,b,c",
         "--proxyPassword", "U2VjcmV0QUFBQQ==,", "U2VjcmV0QkJCQg==,", "U2VjcmV0Q0NDQw=="],
        ["updateProxy", "--proxy", "http://127.0.0.1:3128", "--proxyUser", "a", "\u{2014}proxyPassword", "U2VjcmV0QUFBQQ"],
        ["updateConfig", "--param", "configuration.proxy-password", "--valeu", "U2VjcmV0QUFBQQ"],
        ["updateProxy", "--proxy", "http://127.0.0.1:3128,http://127.0.0.1:3129", "--proxyUser", "a,b",
         "--proxyPassword", "U2VjcmV0QUFBQQ==", "U2VjcmV0QkJCQg=="],
        ["updateProxy", "--proxy", "http://127.0.0.1:3128", "\u{2014}proxyPassword=U2VjcmV0QUFBQQ"],
        ["updateProxy", "--proxy", "http://127.0.0.1:3128", "--proxyUser", "a", "U2VjcmV0QUFBQQ=="],
    ])
    func slipsInAPastedCommandNeverQuoteThePassword(_ arguments: [String]) throws {
        let box = try Sandbox()
        // Without CTAGENT_ACCEPT_ARGV_SECRETS: the argv warning is printed, and must not quote it either.
        let result = try Harness.run("ctagent", arguments + ["--config", box.config, "--skipRestart", "--json"],
                                     removing: ["CTAGENT_ACCEPT_ARGV_SECRETS"])
        #expect(result.status == 64, "\(result.stderr)")
        for secret in ["U2VjcmV0QUFBQQ", "U2VjcmV0QkJCQg", "U2VjcmV0Q0NDQw"] {
            #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret), "\(result.stderr)\(result.stdout)")
        }
        #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
    }
}

@Suite struct StoredValueTests {
    @Test(arguments: ["showProxy", "testProxy"])
    func badProxySettingsInTheFileAre65AndNameTheFile(_ subcommand: String) throws {
        let box = try Sandbox(config: "configuration:\n  platform-url: https://127.0.0.1:9\n  proxy: http://squid.corp:3128\n")
        let result = try Harness.ctagent([subcommand, "--config", box.config])
        #expect(result.status == 65)
        #expect(result.stderr == "Error: \(box.config) holds proxy settings the agent cannot use: proxy #1 'http://squid.corp:3128' names the host 'squid.corp'. FQDNs are not supported: use the proxy's IP address, e.g. http://10.10.6.4:3128. Fix them with ctagent updateProxy (or clearProxy)\n")
    }

    /// What an earlier version stored and the agent can use (a port with a leading zero)
    /// stays readable and editable; only new input is refused for it.
    @Test func storedValuesFromEarlierVersionsStayUsable() throws {
        let box = try Sandbox(config: "configuration:\n  proxy: http://127.0.0.1:03128\n  log-level: info\n")
        let shown = try Harness.ctagent(["showProxy", "--config", box.config])
        #expect(shown.status == 0, "\(shown.stderr)")
        let edited = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--skipRestart"])
        #expect(edited.status == 0, "\(edited.stderr)")
        let typed = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", "http://127.0.0.1:03128", "--skipRestart"])
        #expect(typed.status == 64)
        #expect(typed.stderr.contains("has port '03128' with leading zeros; write 3128"), "\(typed.stderr)")
    }

    /// Proxies that come in through a merge key or an alias depend on the reader (YAML 1.1
    /// expands merges, 1.2 does not): said, not silently read as "no proxies". A merge that
    /// brings no proxy key is fine.
    @Test func proxiesThroughAMergeKeyOrAliasAreNamed() throws {
        let merged = try Sandbox(config: "d: &d {proxy: \"http://127.0.0.1:9\"}\nconfiguration:\n  <<: *d\n  log-level: info\n")
        let shown = try Harness.ctagent(["showProxy", "--config", merged.config])
        #expect(shown.status == 65)
        #expect(shown.stderr.contains("configuration cannot be edited safely: it uses a merge key (<<)"), "\(shown.stderr)")
        let aliased = try Sandbox(config: "p: &p \"http://127.0.0.1:9\"\nconfiguration:\n  proxy: *p\n")
        let alias = try Harness.ctagent(["showProxy", "--config", aliased.config])
        #expect(alias.status == 65)
        #expect(alias.stderr.contains("configuration.proxy cannot be '*p': expected the value itself; this tool does not follow aliases"), "\(alias.stderr)")
        let other = try Sandbox(config: "d: &d {log-level: debug}\nconfiguration:\n  <<: *d\n  proxy: http://127.0.0.1:3\n")
        #expect(try Harness.ctagent(["showProxy", "--config", other.config]).status == 0)
    }

    /// An unrelated edit of a file whose proxies were already unusable: the file is named as
    /// the problem (65), as showProxy names it, not the caller's input (64).
    @Test func anUnrelatedEditOfAFileWithUnusableProxiesNamesTheFile() throws {
        let box = try Sandbox(config: "configuration:\n  proxy: http://squid.corp:3128\n  log-level: info\n")
        let result = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--skipRestart"])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("Error: \(box.config) holds proxy settings the agent cannot use: proxy #1"), "\(result.stderr)")
        let fixed = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy", "http://127.0.0.1:3128", "--skipRestart"])
        #expect(fixed.status == 0, "updateProxy still repairs it: \(fixed.stderr)")
    }
}

/// Realistic files through the real binary: every byte outside the proxy keys stays.
@Suite struct RealisticConfigTests {
    @Test func crlfBomFourSpacesAndComments() throws {
        let original = "\u{FEFF}# agent config\r\nconfiguration:    # main section\r\n    # platform\r\n    platform-url: \"https://platform.example.net:443\"\r\n\r\n    proxy: 'http://10.10.1.1:3128'   # old proxy\r\n    log-level: info\r\n# end\r\n"
        let box = try Sandbox(config: original)
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(docProxies)",
                                          "--proxyUser=\(docUsers)", "--proxyPassword=\(docPasswords)", "--skipRestart"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(box.read() == "\u{FEFF}# agent config\r\nconfiguration:    # main section\r\n    # platform\r\n    platform-url: \"https://platform.example.net:443\"\r\n\r\n    proxy: '\(docProxies)'   # old proxy\r\n    log-level: info\r\n    proxy-user: \(docUsers)\r\n    proxy-password: \(docPasswords)\r\n# end\r\n")
        let cleared = try Harness.ctagent(["clearProxy", "--config", box.config, "--skipRestart"])
        #expect(cleared.status == 0)
        #expect(box.read() == original.replacingOccurrences(of: "    proxy: 'http://10.10.1.1:3128'   # old proxy\r\n", with: ""))
    }

    @Test func aParentThatIsMissingIsCreatedWithTheFilesIndentation() throws {
        let box = try Sandbox(config: "agent:\n    name: host-1\n")
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=http://10.10.6.4:3128", "--skipRestart"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(box.read() == "agent:\n    name: host-1\nconfiguration:\n    proxy: http://10.10.6.4:3128\n")
    }
}
