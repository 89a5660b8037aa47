import Foundation
import TestSupport
import Testing

let docProxies = "http://10.10.6.4:3128,http://10.10.4.5:4128"
let docUsers = "ctuser1,ctuser2"
let docPasswords = "Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg=="

/// The sample config after the agent documentation's example: proxy replaced in place, the two
/// new keys after the last entry of `configuration`, everything else byte for byte.
let sampleAfterDocExample = Sandbox.sampleConfig
    .replacingOccurrences(of: "proxy: http://10.10.1.1:3128", with: "proxy: \(docProxies)")
    .replacingOccurrences(of: "  log-level: info\n", with: "  log-level: info\n  proxy-user: \(docUsers)\n  proxy-password: \(docPasswords)\n")

@Suite struct DocumentationExampleTests {
    @Test func updateProxyExampleWorksVerbatim() throws {
        let box = try Sandbox()
        chmod(box.config, 0o640)
        let result = try Harness.ctagent(["updateProxy", "--config", box.config, "--proxy=\(docProxies)",
                                          "--proxyUser=\(docUsers)", "--proxyPassword=\(docPasswords)", "--skipRestart"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(box.read() == sampleAfterDocExample)
        #expect(box.read("config.yaml.bak") == Sandbox.sampleConfig)
        #expect(box.files == [".config.yaml.lock", "config.yaml", "config.yaml.bak"])
        var info = stat()
        stat(box.config, &info)
        #expect(info.st_mode & 0o7777 == 0o640)
        #expect(result.stdout.contains("configuration.proxy-password: (absent) -> ********,********"))
        #expect(!result.stdout.contains("Y29sb3Jz"), "passwords must not be printed")
    }

    @Test func updateConfigExampleWorksVerbatimAndTwiceIsUpToDate() throws {
        let box = try Sandbox()
        let arguments = ["updateConfig", "--config", box.config,
                         "--param", "configuration.proxy;configuration.proxy-user;configuration.proxy-password",
                         "--value", "\(docProxies);\(docUsers);\(docPasswords)", "--skipRestart"]
        let first = try Harness.ctagentcmd(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(box.read() == sampleAfterDocExample)
        var before = stat(), after = stat()
        stat(box.config, &before)
        let second = try Harness.ctagentcmd(arguments)
        stat(box.config, &after)
        #expect(second.status == 0)
        #expect(second.stdout.contains("already up to date"))
        #expect(before.st_ino == after.st_ino, "an identical result must not be written")
    }

    @Test func spacedOptionsAndKebabCaseSpellingsWorkToo() throws {
        let box = try Sandbox()
        let result = try Harness.ctagent(["update-proxy", "--config", box.config, "--proxy", docProxies,
                                          "--proxy-user", docUsers, "--proxy-password", docPasswords, "--skip-restart"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(box.read() == sampleAfterDocExample)
    }

    @Test func configFromTheEnvironment() throws {
        let box = try Sandbox()
        let result = try Harness.ctagent(["showProxy"], environment: ["CTAGENT_CONFIG": box.config])
        #expect(result.status == 0)
        #expect(result.stdout.contains("#1  http://10.10.1.1:3128"))
    }
}
