import Foundation
import TestSupport
import Testing

/// Issue 10 on the binaries that ship: what is written means the same to YAML 1.1 and 1.2
/// readers; typed keys take only the forms both read alike, and say which one to write.
@Suite struct ReaderIndependenceTests {
    private func set(_ box: Sandbox, _ assignments: [String], _ extra: [String] = []) throws -> RunResult {
        try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--skipRestart"] + assignments.flatMap { ["--set", $0] } + extra)
    }

    @Test(arguments: [("017", "write 17"), ("+60", "write 60"), ("1_000", "write 1000"), ("0x10", "write 16"),
                      ("0o17", "write 15"), ("12:30", "write 750"), ("0060", "write 60")])
    func theHeartbeatIntervalTakesOnlyPlainDecimals(value: String, canonical: String) throws {
        let box = try Sandbox()
        let result = try set(box, ["configuration.heartbeat-interval=\(value)"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("configuration.heartbeat-interval cannot be '\(value)'"), "\(result.stderr)")
        #expect(result.stderr.contains(canonical), "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
    }

    /// Found by fuzzing (Validators): the base-60 reading of a long run of fields overflowed
    /// while the message was being worded, and the process trapped.
    @Test func aLongSexagesimalValueIsRefusedNotACrash() throws {
        let box = try Sandbox()
        let value = (1...20).map { String($0 % 60) }.joined(separator: ":")
        let result = try set(box, ["configuration.heartbeat-interval=\(value)"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("configuration.heartbeat-interval cannot be '\(value)'"), "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
    }

    @Test func anIntegerKeyInTheFileTakesOnlyPlainDecimals() throws {
        let box = try Sandbox(config: Sandbox.sampleConfig + "  retries: 5\n")
        let refused = try set(box, ["configuration.retries=0o17"])
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("write 15"), "\(refused.stderr)")
        #expect(refused.stderr.contains("a string in YAML 1.1"), "\(refused.stderr)")
        let accepted = try set(box, ["configuration.retries=7"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(box.read()?.contains("  retries: 7\n") == true)
    }

    @Test func newKeysAreTypedOnlyWhereEveryReaderAgrees() throws {
        let box = try Sandbox()
        let result = try set(box, ["configuration.a=on", "configuration.b=017", "configuration.c=12:30", "configuration.d=1e3",
                                   "configuration.e==", "configuration.f=<<", "configuration.g=42", "configuration.h=true",
                                   "configuration.i=0.5", "configuration.j=null", "configuration.k=2024-01-02"],
                         ["--allowNewKeys", "--setString", "configuration.l=8080"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = box.read() ?? ""
        for line in ["a: 'on'", "b: '017'", "c: '12:30'", "d: '1e3'", "e: '='", "f: '<<'", "g: 42", "h: true",
                     "i: 0.5", "j: null", "k: '2024-01-02'", "l: '8080'"] {
            #expect(text.contains("  \(line)\n"), "\(line) in:\n\(text)")
        }
        let json = try Harness.ctagentcmd(["getConfig", "--config", box.config, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(object["configuration.a"] as? String == "on")
        #expect(object["configuration.g"] as? Int == 42)
        #expect(object["configuration.h"] as? Bool == true)
        #expect(object["configuration.l"] as? String == "8080")
        #expect(json.stderr.isEmpty, "nothing ambiguous was written: \(json.stderr)")
    }

    @Test func getConfigNamesValuesReadersDisagreeOn() throws {
        let box = try Sandbox(config: Sandbox.sampleConfig + "  enabled: yes\n  mode: 0755\n")
        let result = try Harness.ctagentcmd(["getConfig", "--config", box.config, "--json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(object["configuration.enabled"] as? String == "yes", "an ambiguous value is reported as its text")
        #expect(object["configuration.mode"] as? String == "0755")
        #expect(result.stderr.contains("Warning: configuration.enabled is 'yes', which YAML readers do not agree on: a boolean (true) in YAML 1.1, a string in YAML 1.2"), "\(result.stderr)")
        #expect(result.stderr.contains("Warning: configuration.mode is '0755'"), "\(result.stderr)")
        #expect(result.stderr.contains("an integer (493) in YAML 1.1, an integer (755) in YAML 1.2"), "\(result.stderr)")
    }
}
