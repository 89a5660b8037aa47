import Foundation
import Testing
import TestSupport
@testable import YAMLEdit

/// Values that YAML 1.1 and YAML 1.2 readers disagree on, that need quoting, or that break
/// naive splicing (issue 10's list and more).
let awkwardValues = [
    "on", "off", "On", "OFF", "yes", "no", "Yes", "NO", "y", "n", "Y", "N", "true", "false", "True", "FALSE",
    "~", "null", "Null", "", " ", "0", "60", "-5", "017", "+60", "1_000", "0o17", "0x10", "0b101", "12:30", "12:30:45",
    "1.5", "-1.25", "1.5e+3", "1e3", ".5", ".inf", "-.inf", ".NaN", ".nan", "2024-01-02", "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 +5", "=", "<<", "- item", "? key", "a: b", "a #b", "#c", "'", "\"", "\\", "x\ny", "tab\there",
    "é☕𝄞", "[1, 2]", "{a: b}", "*alias", "&anchor x", "!tag x", "|", ">", "---", "...", "%YAML", "@at", "`tick",
    "trailing:", "http://10.10.6.4:3128,http://10.10.4.5:4128", "Y29sb3JzMzIxMQ==", "value with ' and \"",
]

/// The independent judges must be there: /usr/bin/python3 with PyYAML and ruamel.yaml.
private let judgesAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", "import yaml, ruamel.yaml"]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

private struct Case: Encodable {
    var file: String
    var original: String
    var path: [String]
    var index: Int?
    var text: String
    var kind: String
}

/// What a value given for a new key must read as: typed only where both families agree.
private func intendedKind(_ text: String) -> String {
    switch YAMLSchema.portable(text) {
    case .int?: return "int"
    case .float?: return "float"
    case .bool?: return "bool"
    case .null?: return "null"
    default: return "string"
    }
}

@Suite struct ReaderAgreementTests {
    @Test(.enabled(if: access(corpusRoot, F_OK) == 0, "yaml-test-suite not found"),
          .enabled(if: judgesAvailable, "needs /usr/bin/python3 with PyYAML and ruamel.yaml (python3-yaml, python3-ruamel.yaml)"))
    func pyyamlAndRuamelReadEveryValueWeWriteAsIntended() throws {
        let scratch = try TemporaryFolder(prefix: "ctagent-judges")
        let folder = scratch.path
        var cases: [Case] = []
        var refusals: [String: Int] = [:]
        var written = 0
        for (number, input) in corpusInputs().enumerated() {
            let bytes = readFile(input)
            guard let document = try? YAMLDocument(bytes), let root = document.root else { continue }
            let original = "\(folder)/\(number).yaml"
            FileManager.default.createFile(atPath: original, contents: Data(bytes))
            let (keys, mappings) = paths(in: root)
            let stringKeys = keys.filter { (try? document.node(at: $0))?.kind == .scalar && (try? document.node(at: $0))?.scalarType == .string }
            let intKeys = keys.filter { (try? document.node(at: $0))?.scalarType == .int }
            // Every value as a new key at the top; the others take turns for the other kinds of
            // edit, so the run stays short while every value meets every kind of edit.
            for (index, text) in awkwardValues.enumerated() {
                var operations: [(YAMLEditOperation, String?, Int?)] = [(.set(path: ["ctagent-new"], value: text, type: nil), intendedKind(text), nil)]
                if index % 4 == number % 4 {
                    if mappings.count > 1 { operations.append((.set(path: mappings[1] + ["ctagent-new"], value: text, type: nil), intendedKind(text), nil)) }
                    if let key = stringKeys.first { operations.append((.set(path: key, value: text, type: .string), "string", nil)) }
                    if let key = intKeys.first { operations.append((.set(path: key, value: text, type: nil), YAMLSchema.portable(text) == .int ? "int" : nil, nil)) }
                    if let key = keys.first { operations.append((.setList(path: key, values: [text, "x"]), "string", 0)) }
                }
                for (operation, kind, item) in operations {
                    do {
                        let result = try document.applying(operation).bytes
                        guard let kind else {
                            Issue.record("\(input): \(operation) should have been refused (not portable as an integer)")
                            continue
                        }
                        written += 1
                        let file = "\(folder)/\(number)-\(written).yaml"
                        FileManager.default.createFile(atPath: file, contents: Data(result))
                        cases.append(Case(file: file, original: original, path: operation.path, index: item, text: text, kind: kind))
                    } catch let error as YAMLEditError {
                        let reason = "\(error)".split(separator: ":").first.map(String.init) ?? "\(error)"
                        refusals[Mirror(reflecting: error).children.first?.label ?? reason, default: 0] += 1
                        if case .verificationFailed = error, kind == "string" || kind == nil {
                            // The re-parse check refusing a string is a refusal, not a disagreement:
                            // the file is left untouched. Counted above.
                        }
                    }
                }
            }
        }
        let list = "\(folder)/cases.jsonl"
        let encoder = JSONEncoder()
        let lines = try cases.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n")
        FileManager.default.createFile(atPath: list, contents: Data(lines.utf8))
        let judge = Process()
        judge.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        let script = String(#filePath).split(separator: "/").dropLast(2).joined(separator: "/")
        judge.arguments = ["/" + script + "/Fixtures/yaml_judges.py", list]
        let output = Pipe()
        judge.standardOutput = output
        try judge.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        judge.waitUntilExit()
        print("reader agreement: \(cases.count) edits written, refused: \(refusals.sorted { $0.key < $1.key })\n\(report)")
        #expect(cases.count > 5000)
        #expect(judge.terminationStatus == 0, "\(report)")
    }
}
