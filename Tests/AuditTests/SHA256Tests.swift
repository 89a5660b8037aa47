import Testing
import Audit

@Suite struct SHA256Tests {
    /// FIPS 180-2's examples: the checksum comes from OpenSSL, the expectation from the standard.
    @Test func knownDigests() throws {
        #expect(try SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // Two blocks, and a million bytes through one update (FIPS 180-2, appendix B.2 and B.3).
        #expect(try SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(try SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func theRecordNamesKeysNeverValues() {
        let record = AuditRecord(event: .change, tool: "ctagent", config: "/etc/ctagent/config.yaml",
                                 keys: ["configuration.proxy", "configuration.proxy-password"], oldSHA256: "aa", newSHA256: "bb",
                                 uid: 0, user: "root", sudoUser: "alice\nforged=1", restart: .restarted, restartMessage: nil)
        let fields = Dictionary(record.fields, uniquingKeysWith: { first, _ in first })
        #expect(fields["MESSAGE_ID"] == AuditRecord.messageID)
        #expect(fields["SYSLOG_IDENTIFIER"] == "ctagent")
        #expect(fields["CTAGENT_KEYS"] == "configuration.proxy,configuration.proxy-password")
        #expect(fields["CTAGENT_SUDO_USER"] == "alice?forged=1", "a field stays one line")
        #expect(fields["MESSAGE"] == "root (sudo by alice?forged=1) changed /etc/ctagent/config.yaml: configuration.proxy, configuration.proxy-password; sha256 aa -> bb; restart restarted")
    }
}
