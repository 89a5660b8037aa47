import Glibc
import Testing
@testable import AgentConfig

private func makeDirectory() -> String {
    var template = Array("/tmp/ctagent-store.XXXXXX".utf8CString)
    return String(cString: mkdtemp(&template)!)
}

private func write(_ text: String, to path: String, mode: mode_t = 0o644) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
    _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
    close(fd)
}

@Suite struct ConfigStoreTests {
    @Test func updateWritesBackupAndKeepsMode() throws {
        let dir = makeDirectory()
        let path = dir + "/config.yaml"
        write("a: 1\n", to: path, mode: 0o600)
        let outcome = try ConfigStore(path: path).update { _ in Array("a: 2\n".utf8) }
        #expect(outcome == .written(backup: path + ".bak", notes: []))
        #expect(try ConfigStore(path: path).read() == Array("a: 2\n".utf8))
        #expect(try ConfigStore(path: path + ".bak").read() == Array("a: 1\n".utf8))
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o7777 == 0o600)
    }

    @Test func identicalBytesWriteNothing() throws {
        let dir = makeDirectory()
        let path = dir + "/config.yaml"
        write("a: 1\n", to: path)
        #expect(try ConfigStore(path: path).update { $0 } == .unchanged)
        #expect(access(path + ".bak", F_OK) != 0)
    }

    @Test func aThrowingChangeWritesNothing() throws {
        let dir = makeDirectory()
        let path = dir + "/config.yaml"
        write("a: 1\n", to: path)
        struct Refused: Error {}
        #expect(throws: Refused.self) { try ConfigStore(path: path).update { _ in throw Refused() } }
        #expect(try ConfigStore(path: path).read() == Array("a: 1\n".utf8))
    }

    @Test func missingAndDirectory() {
        let dir = makeDirectory()
        #expect(throws: StoreError.notFound(path: dir + "/nope.yaml")) { try ConfigStore(path: dir + "/nope.yaml").read() }
        #expect(throws: StoreError.notARegularFile(path: dir, kind: "a folder")) { try ConfigStore(path: dir).read() }
    }
}

@Suite struct SecretMaskTests {
    @Test func secretsAreMaskedEvenUnderAKeyWithADot() {
        let old = Array("\"cloud.v2\":\n  api-password: c2VjcmV0\nconfiguration:\n  log-level: info\n".utf8)
        let new = Array("\"cloud.v2\":\n  api-password: bmV3c2VjcmV0\nconfiguration:\n  log-level: debug\n".utf8)
        let masked = SecretMask.mask(old: old, new: new)
        let oldText = String(decoding: masked.old, as: UTF8.self), newText = String(decoding: masked.new, as: UTF8.self)
        #expect(oldText == "\"cloud.v2\":\n  api-password: <secret>\nconfiguration:\n  log-level: info\n")
        #expect(newText.contains("api-password: <new secret>"))
        #expect(!newText.contains("bmV3c2VjcmV0"))
    }

    /// Secrets that no dotted key reaches: inside lists (block scalars and quoted values over
    /// several lines included), and whole sections under a secret key. Their lines are hidden;
    /// every other line, and the line count, stay.
    @Test func secretsNoKeyReachesHaveTheirLinesHidden() {
        let text = """
            configuration:
              log-level: info
            keys:
              - api-key: LISTSECRET
                name: first
              - private-key: |
                  PEMLINE1
                  PEMLINE2
              - password: "QUOTED\\nSECRET
                 SECONDLINE"
            api-token:
              ci: TOKENVALUE
            creds: [{password: FLOWSECRET}]
            plain:
              - token-ttl: 3600

            """
        let bytes = Array(text.utf8)
        let shown = String(decoding: SecretMask.mask(old: bytes, new: bytes).old, as: UTF8.self)
        for secret in ["LISTSECRET", "PEMLINE1", "PEMLINE2", "QUOTED", "SECONDLINE", "TOKENVALUE", "FLOWSECRET"] {
            #expect(!shown.contains(secret), "\(secret) in:\n\(shown)")
        }
        for kept in ["log-level: info", "name: first", "configuration:"] { #expect(shown.contains(kept), "\(kept) in:\n\(shown)") }
        #expect(shown.split(separator: "\n", omittingEmptySubsequences: false).count == text.split(separator: "\n", omittingEmptySubsequences: false).count)
    }
}
