import Testing
import Foundation
import TestSupport
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

/// The one-pass classification (documents without anchors) against the walk over every node
/// (which documents with anchors still take), on the same documents: the same spans and user-info, in the same order, on the yaml-test-suite
/// corpus with secret names put in, and on the shapes secrets take in configs.
@Suite struct SecretClassificationPassTests {
    /// Compares both on one text: the secrets found, or nil when the text is not a mapping
    /// document without anchors.
    static func agree(_ text: String, _ label: String) -> Int? {
        guard let document = try? YAMLDocument(Array(text.utf8)), !document.usesAnchors else { return nil }
        let pass = SecretClassification(document), walk = SecretClassification(walking: document)
        #expect(pass.spans == walk.spans, "\(label)")
        #expect(pass.userInfo.map(\.span) == walk.userInfo.map(\.span), "\(label)")
        #expect(pass.userInfo.map(\.userInfo) == walk.userInfo.map(\.userInfo), "\(label)")
        return walk.spans.count + walk.userInfo.count
    }

    @Test func theShapesOfSecretsAgree() {
        let texts = [
            "a:\n  password: x\n  url: https://u:p@h/\n  list: [a, 'https://v:w@h', {token: t}]\n",
            "api-token: |\n  one\n  two\nnested:\n  secrets:\n    - a\n    - {k: v, ? [c, d] : e}\n    - [f, 'x@y']\n",
            "? complex\n: value\nKey: v\nPIN: [1, 2]\nmonkey: https://a:b@c\nempty-password:\nq: \"x@y\"\n",
            "{password: p, inner: {cookie: [c1, c2], plain: p}}",
        ]
        let found = texts.enumerated().compactMap { SecretClassificationPassTests.agree($1, "shape \($0)") }
        #expect(found.count == texts.count)
        #expect(found.allSatisfy { $0 > 0 })
    }

    @Test(.enabled(if: YAMLTestSuite.available, "the yaml-test-suite corpus is not present"))
    func theCorpusAgrees() throws {
        var compared = 0, secrets = 0
        func agree(_ text: String, _ label: String) {
            guard let found = SecretClassificationPassTests.agree(text, label) else { return }
            compared += 1
            secrets += found
        }
        for input in YAMLTestSuite.inputs() {
            guard let data = FileManager.default.contents(atPath: input) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            // As it is, and with its first keys renamed to secret names so that sections,
            // lists and nested mappings are marked.
            agree(text, input)
            var renamed = text
            for key in ["foo", "bar", "a", "key", "name", "hr", "top1", "b"] {
                renamed = renamed.replacingOccurrences(of: "\(key):", with: "\(key)-password:")
            }
            agree(renamed, input + " (renamed)")
        }
        // About 210 of the corpus's documents are mappings without anchors (twice: as they are
        // and renamed).
        #expect(compared > 150, "only \(compared) documents compared")
        #expect(secrets > 100, "only \(secrets) secrets found")
    }
}
