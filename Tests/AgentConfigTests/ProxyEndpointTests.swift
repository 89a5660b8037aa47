import Testing
@testable import AgentConfig

@Suite struct ProxyEndpointTests {
    @Test(arguments: [
        ("http://10.10.6.4:3128", "http://10.10.6.4:3128", "10.10.6.4:3128"),
        ("HTTPS://10.10.6.4:443", "https://10.10.6.4:443", "10.10.6.4:443"),
        ("10.10.6.4:3128", "http://10.10.6.4:3128", "10.10.6.4:3128"),
        ("http://[fd00::10]:3128", "http://[fd00::10]:3128", "[fd00::10]:3128"),
        ("[::1]:8080", "http://[::1]:8080", "[::1]:8080"),
        ("http://0.0.0.1:1", "http://0.0.0.1:1", "0.0.0.1:1"),
        ("http://255.255.255.254:65535", "http://255.255.255.254:65535", "255.255.255.254:65535"),
        ("http://[FD00:0::10]:3128", "http://[fd00::10]:3128", "[fd00::10]:3128"),
        ("http://[ff::1]:3128", "http://[ff::1]:3128", "[ff::1]:3128"),
    ])
    func accepted(_ text: String, _ normalized: String, _ hostPort: String) throws {
        let endpoint = try ProxyEndpoint(parsing: text, position: 1)
        #expect(endpoint.description == normalized)
        #expect(endpoint.hostPort == hostPort)
        // Stored as typed, but for the scheme, which is written in lower case.
        let scheme = text.firstRange(of: "://").map { String(text[..<$0.lowerBound]) } ?? ""
        #expect(endpoint.original == scheme.lowercased() + text.dropFirst(scheme.count))
    }

    @Test(arguments: [
        "proxy.example.com:3128", "http://localhost:3128", "http://10.10.6.4", "http://10.10.6.4:", "http://10.10.6.4:x",
        "http://10.10.6.4:99999", "http://1.2.3:80", "http://1.2.3.4.5:80", "http://01.2.3.4:80", "http://1.2.3.-4:80",
        "ftp://1.2.3.4:21", "http://u@1.2.3.4:80", "http://1.2.3.4:80/", "http://1.2.3.4:80#x", "http://[fd00::1%eth0]:80",
        "http://[fd00::1:80", "http://[fd00::1]80", "http://fd00::1:80", "http://0.0.0.0:80", "http://[::]:80", "",
        "http:// 1.2.3.4:80", "http://１.2.3.4:80", "http://1.2.3.4:0080", "http://255.255.255.255:80",
        "http://224.0.0.1:80", "http://239.1.1.1:80", "http://[ff02::1]:80", "http://[0::0]:80", "http://[::ffff:10.0.0.1]:80",
    ])
    func refused(_ text: String) {
        #expect(throws: ConfigValueError.self) { try ProxyEndpoint(parsing: text, position: 3) }
    }

    /// One address, two spellings: still the same proxy twice.
    @Test func ipv6SpellingsOfOneAddressAreDuplicates() {
        #expect(throws: ConfigValueError.duplicateProxy(entry: "proxy #2", value: "http://[fd00:0::10]:3128", first: 1)) {
            try ProxySettings(proxies: ["http://[fd00::10]:3128", "http://[fd00:0::10]:3128"], users: nil, passwords: nil, names: .options)
        }
    }

    /// What earlier versions stored and the agent can still use stays readable: only new
    /// input is strict about it.
    @Test(arguments: ["http://1.2.3.4:0080", "http://255.255.255.255:80", "http://224.0.0.1:80", "http://[ff02::1]:80"])
    func storedValuesAreReadLeniently(_ text: String) throws {
        #expect(throws: ConfigValueError.self) { try ProxyEndpoint(parsing: text, position: 1) }
        _ = try ProxyEndpoint(parsing: text, position: 1, strict: false)
    }

    @Test func aHugeValueIsNotEchoedWhole() {
        let huge = "http://" + String(repeating: "1", count: 100_000) + ":80"
        do {
            _ = try ProxyEndpoint(parsing: huge, position: 1)
            Issue.record("accepted")
        } catch {
            #expect(error.description.count < 300, "\(error.description.prefix(400))")
            #expect(error.description.contains("(100010 bytes)"), "\(error.description.prefix(400))")
        }
    }

    @Test func fqdnMessageSaysToUseTheIP() {
        #expect(throws: ConfigValueError.hostNameNotSupported(entry: "proxy #2", value: "http://squid.corp:3128", host: "squid.corp")) {
            try ProxyEndpoint(parsing: "http://squid.corp:3128", position: 2)
        }
    }

    @Test func credentialsAreMaskedInTheMessage() {
        do {
            _ = try ProxyEndpoint(parsing: "http://user:secret@1.2.3.4:80", position: 1)
            Issue.record("expected a refusal")
        } catch {
            #expect(!error.description.contains("secret"))
            #expect(error.description.contains("http://***@1.2.3.4:80"))
        }
    }
}

@Suite struct Base64Tests {
    @Test(arguments: ["", "a", "ab", "abc", "colors3211", "pässwörd ☕"])
    func roundTrip(_ text: String) throws {
        let encoded = Base64.encode(Array(text.utf8))
        #expect(try Base64.decode(encoded) == Array(text.utf8))
    }

    @Test func knownVector() throws {
        #expect(Base64.encode(Array("colors3211".utf8)) == "Y29sb3JzMzIxMQ==")
    }

    @Test(arguments: [
        ("Y29sb3JzMzIxMQ=", Base64.Problem.length(15)),
        ("Y29sb3J!MzIxMQ==", .character(position: 8)),
        ("Y2=sb3JzMzIxMQ==", .padding),
        ("Y29sb3JzMzIxMR==", .nonCanonical),
        ("Y29sb3JzMzIx====", .padding),
    ])
    func strictness(_ text: String, _ problem: Base64.Problem) {
        #expect(throws: problem) { try Base64.decode(text) }
    }
}

@Suite struct ProxySettingsTests {
    @Test func theDocumentationExample() throws {
        let settings = try ProxySettings(proxies: ["http://10.10.6.4:3128", "http://10.10.4.5:4128"], users: ["ctuser1", "ctuser2"],
                                         passwords: ["Y29sb3JzMzIxMQ==", "Y29sb3JzMzIxMg=="], names: .options)
        #expect(settings.entries.map(\.user) == ["ctuser1", "ctuser2"])
        #expect(settings.entries.map { $0.password.map { String(decoding: $0, as: UTF8.self) } } == ["colors3211", "colors3212"])
        #expect(settings.storedPasswords == ["Y29sb3JzMzIxMQ==", "Y29sb3JzMzIxMg=="])
    }

    @Test func anEmptyEntryMeansNoAuthForThatProxy() throws {
        let settings = try ProxySettings(proxies: ["1.1.1.1:80", "2.2.2.2:80"], users: ["", "u"], passwords: ["", "cGFzcw=="], names: .keys)
        #expect(settings.entries[0].user == nil)
        #expect(settings.storedUsers == ["", "u"])
    }

    @Test func omittedListsRemoveTheirKeys() throws {
        let settings = try ProxySettings(proxies: ["1.1.1.1:80"], users: nil, passwords: nil, names: .options)
        #expect(settings.storedUsers == nil && settings.storedPasswords == nil)
    }

    @Test func splitTrimsSpacesAroundEntries() {
        #expect(ProxySettings.split(" a , b,") == ["a", "b", ""])
        #expect(ProxySettings.split("  ") == [])
    }

    @Test(arguments: [
        (["1.1.1.1:80"], ["a", "b"] as [String]?, nil as [String]?,
         ConfigValueError.countMismatch(field: "--proxyUser", count: 2, proxies: 1, proxyField: "--proxy")),
        (["1.1.1.1:80"], ["a b"], ["cGFzcw=="], .invalidUser(entry: "--proxyUser entry 1", value: "a b", reason: "contains white space or a control character")),
        (["1.1.1.1:80"], ["a;b"], ["cGFzcw=="], .invalidUser(entry: "--proxyUser entry 1", value: "a;b", reason: "contains ';'")),
        ([], ["a"], nil, .credentialsWithoutProxies(field: "--proxyUser", proxyField: "--proxy")),
        (["1.1.1.1:80", "1.1.1.1:80"], nil, nil, .duplicateProxy(entry: "proxy #2", value: "1.1.1.1:80", first: 1)),
    ])
    func refused(_ proxies: [String], _ users: [String]?, _ passwords: [String]?, _ error: ConfigValueError) {
        #expect(throws: error) { try ProxySettings(proxies: proxies, users: users, passwords: passwords, names: .options) }
    }
}

@Suite struct ConfigKeyTests {
    @Test func suggestionsCatchTypos() {
        let keys = ConfigKey.all.map(\.path)
        #expect(ConfigKey.suggestion(for: "configuration.proxy-usr", among: keys) == "configuration.proxy-user")
        #expect(ConfigKey.suggestion(for: "configuration.loglevel", among: keys) == "configuration.log-level")
        #expect(ConfigKey.suggestion(for: "something.else.entirely", among: keys) == nil)
    }

    @Test func secretsAreRecognisedByName() {
        #expect(ConfigKey.isSecret("configuration.proxy-password"))
        #expect(ConfigKey.isSecret("cloud.api-token"))
        #expect(!ConfigKey.isSecret("configuration.proxy-user"))
    }

    @Test(arguments: ["https://platform.example.net:443", "https://platform.example.net", "http://10.1.1.1:8080", "https://[fd00::1]:443"])
    func platformURLs(_ text: String) throws {
        try ConfigKey.platformURL.validate(text)
    }

    @Test(arguments: ["platform.example.net", "https://", "https://a:0", "https://u@a:443", "ftp://a:21"])
    func badPlatformURLs(_ text: String) {
        #expect(throws: ConfigValueError.self) { try ConfigKey.platformURL.validate(text) }
    }
}


extension ProxyFieldNames {
    /// As `updateProxy` names the lists.
    static let options = ProxyFieldNames(proxies: "--proxy", users: "--proxyUser", passwords: "--proxyPassword")
}
