import Testing
import TestSupport
import Glibc
@testable import YAMLEdit

/// The official YAML test suite as an external corpus: every edit of every mapping document
/// libyaml accepts must read back as intended or be refused with a typed error; never a crash.
let corpusRoot = YAMLTestSuite.root

func corpusInputs() -> [String] { YAMLTestSuite.inputs() }

func readFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { return [] }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    return bytes
}

private func variants(_ bytes: [UInt8]) -> [(String, [UInt8])] {
    var crlf: [UInt8] = []
    for byte in bytes {
        if byte == 0x0A { crlf.append(0x0D) }
        crlf.append(byte)
    }
    var trimmed = bytes
    while trimmed.last == 0x0A { trimmed.removeLast() }
    return [("as is", bytes), ("CRLF", crlf), ("BOM", [0xEF, 0xBB, 0xBF] + bytes),
            ("multi-byte prefix", Array("# é ☕ 𝄞\n".utf8) + bytes), ("no final newline", trimmed)]
}

/// Paths to every key reachable through mappings, and to every mapping (for adding a key).
func paths(in node: YAMLNode, prefix: [String] = []) -> (keys: [[String]], mappings: [[String]]) {
    var keys: [[String]] = []
    var mappings: [[String]] = [prefix]
    for (key, value) in node.entries where key.kind == .scalar && !key.value.isEmpty && !key.value.contains(".") {
        let path = prefix + [key.value]
        keys.append(path)
        if value.kind == .mapping {
            let nested = paths(in: value, prefix: path)
            keys += nested.keys
            mappings += nested.mappings
        }
    }
    return (keys, mappings)
}

private struct Tally: CustomStringConvertible {
    var documents = 0, applied = 0, refused = 0, unverifiable = 0
    var refusals: [String: Int] = [:]
    var description: String {
        "\(documents) mapping documents (with variants), \(applied) edits applied and read back, "
            + "\(refused) refused with a typed reason (\(unverifiable) of them by the re-parse check): "
            + refusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}

@Suite struct YAMLTestSuiteCorpusTests {
    @Test(.enabled(if: access(corpusRoot, F_OK) == 0, "yaml-test-suite not found at ../shared/yaml-test-suite or $YAML_TEST_SUITE"))
    func everyEditReadsBackAsIntendedOrIsRefused() throws {
        var tally = Tally()
        let inputs = corpusInputs()
        #expect(inputs.count > 300, "the corpus should hold about 400 inputs")
        for input in inputs {
            for (variant, bytes) in variants(readFile(input)) {
                guard let document = try? YAMLDocument(bytes), let root = document.root else { continue }
                tally.documents += 1
                let (keys, mappings) = paths(in: root)
                var operations: [YAMLEditOperation] = keys.map { .set(path: $0, value: "new: välue #1", type: .string) }
                operations += keys.map { .remove(path: $0) }
                operations += mappings.map { .set(path: $0 + ["ctagent-new"], value: "ctagent", type: nil) }
                for operation in operations {
                    do {
                        let result = try document.applying(operation).bytes
                        let reread = try YAMLDocument(result)
                        switch operation {
                        case .set(let path, let value, _):
                            #expect(try reread.node(at: path)?.value == value, "\(input) [\(variant)] set \(path)")
                        case .remove(let path):
                            #expect(try reread.node(at: path) == nil, "\(input) [\(variant)] remove \(path)")
                        case .setList:
                            break
                        }
                        tally.applied += 1
                    } catch let error as YAMLEditError {
                        tally.refused += 1
                        let reason: String
                        switch error {
                        case .verificationFailed:
                            reason = "re-parse check"
                            tally.unverifiable += 1
                            if getenv("CORPUS_VERBOSE") != nil { print("\(input) [\(variant)] \(operation): \(error)") }
                        case .cannotEditSafely(_, let why): reason = String(why.split(separator: " of ").first ?? Substring(why))
                        default: reason = Mirror(reflecting: error).children.first?.label ?? "\(error)"
                        }
                        tally.refusals[reason, default: 0] += 1
                    }
                }
            }
        }
        print("yaml-test-suite corpus: \(tally)")
        #expect(tally.documents > 500)
        #expect(tally.applied > tally.refused, "most edits of real-world-shaped documents should apply")
    }
}
