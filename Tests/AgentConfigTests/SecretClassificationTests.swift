import Testing
import YAMLEdit
@testable import AgentConfig

@Suite struct SecretClassificationTests {
    @Test(arguments: ["api-key", "apiKey", "api_key", "APIKey", "private-key", "client_secret", "Authorization", "bearer", "cookie",
                      "pin", "pass", "passwd", "password", "passphrase", "token", "credential", "credentials", "secret", "secrets",
                      "key", "keys", "proxy-password", "dbpassword", "authtoken", "activation-key", "api-token"])
    func namesThatSaySecret(_ name: String) {
        #expect(SecretName.isSecret(name), "\(name)")
    }

    @Test(arguments: ["newkey", "monkey", "keyboard-layout", "keyring", "log-level", "proxy", "proxy-user", "platform-url",
                      "heartbeat-interval", "passive-mode", "bypass", "spinner", "tokenizer-mode"])
    func namesThatDoNot(_ name: String) {
        #expect(!SecretName.isSecret(name), "\(name)")
    }

    @Test func everyShapeOfSecretIsFound() throws {
        let text = """
            configuration:
              platform-url: https://user:USERINFO@host:443/x
              api-token: &tok "TOKEN1
                TOKEN2"
              copy: *tok
              defaults: &d ANCHORED
              db-password: *d
              ca-key: !!binary |
                AAAA
                BBBB
              secrets: {inner: SECTION}
              keys: [LISTED]
              log-level: info

            """
        let config = try AgentConfiguration(bytes: Array(text.utf8))
        let secrets = config.secrets
        for value in ["USERINFO", "TOKEN1 TOKEN2", "ANCHORED", "AAAA\nBBBB\n", "SECTION", "LISTED"] {
            #expect(secrets.values.contains { $0.contains(value) || value.contains($0) && !$0.isEmpty }, "\(value) in \(secrets.values)")
        }
        #expect(!secrets.values.contains("info"))
        // Lines: the URL, the two-line token, the alias, the anchor, the db-password alias,
        // the !!binary block (3 lines), the flow section, the list.
        #expect(secrets.lines.isSuperset(of: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))
        #expect(!secrets.lines.contains(12) && !secrets.lines.contains(0))
        let leaves = Dictionary(config.leaves.map { ($0.key, $0.isSecret) }, uniquingKeysWith: { first, _ in first })
        #expect(leaves["configuration.copy"] == true, "an alias of a secret anchor")
        #expect(leaves["configuration.defaults"] == true, "an anchor a secret key refers to")
        #expect(leaves["configuration.secrets.inner"] == true)
        #expect(leaves["configuration.log-level"] == false)
        #expect(leaves["configuration.platform-url"] == false, "only its user-info is secret")
    }
}
