import Testing
@testable import CTAgentCommands

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
        // `keys:` names a secret as a whole word: everything under it is hidden, names included.
        for secret in ["LISTSECRET", "PEMLINE1", "PEMLINE2", "QUOTED", "SECONDLINE", "TOKENVALUE", "FLOWSECRET", "name: first"] {
            #expect(!shown.contains(secret), "\(secret) in:\n\(shown)")
        }
        for kept in ["log-level: info", "configuration:", "plain:"] { #expect(shown.contains(kept), "\(kept) in:\n\(shown)") }
        #expect(shown.split(separator: "\n", omittingEmptySubsequences: false).count == text.split(separator: "\n", omittingEmptySubsequences: false).count)
    }
}

@Suite struct UnifiedDiffTests {
    @Test func diffLooksLikeDiffU() {
        let old = Array("a\nb\nc\nd\ne\nf\ng\nh\n".utf8), new = Array("a\nb\nc\nD\ne\nf\ng\nh\ni\n".utf8)
        #expect(UnifiedDiff.make(old: old, new: new, oldName: "x", newName: "y") == """
            --- x
            +++ y
            @@ -1,8 +1,9 @@
             a
             b
             c
            -d
            +D
             e
             f
             g
             h
            +i

            """)
    }

    @Test func separateHunksForDistantChanges() {
        let old = Array((1...20).map { "line \($0)\n" }.joined().utf8)
        let new = Array((1...20).map { $0 == 2 || $0 == 18 ? "changed \($0)\n" : "line \($0)\n" }.joined().utf8)
        let diff = UnifiedDiff.make(old: old, new: new, oldName: "x", newName: "y")
        #expect(diff.contains("@@ -1,5 +1,5 @@\n"))
        #expect(diff.contains("@@ -15,6 +15,6 @@\n"))
    }
}
