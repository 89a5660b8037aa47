// libFuzzer target: arbitrary bytes as a config plus one edit. Never a crash or a hang; the
// edit either reads back as intended (checked here again, independently of the editor's own
// verification) or is refused with a typed YAMLEditError.
//
// Input: byte 0 picks the operation and the key, byte 1 the value, the rest is the file.
@testable import YAMLEdit

/// Values that YAML readers disagree on, need quoting, or break naive splicing.
let awkwardValues = [
    "plain", "", " ", "yes", "on", "No", "~", "null", "017", "0o17", "0x1F", "1e3", "12:30", ".NaN", "-.inf",
    "2001-12-14t21:59:43.10-05:00", "<<", "=", "- item", "? key", "a: b", "a #b", "#c", "'", "\"", "\\", "x\ny",
    "tab\there", "é☕𝄞", "\u{85}", "[1, 2]", "{a: b}", "*alias", "&anchor x", "!tag x", "|", ">", "---", "...",
    "%YAML", "@at", "`tick", "trailing:", "10.10.6.4:3128", "http://10.10.6.4:3128,http://10.10.4.5:4128",
]

func keyPaths(_ node: YAMLNode, _ prefix: [String] = []) -> (keys: [[String]], mappings: [[String]]) {
    var keys: [[String]] = [], mappings: [[String]] = [prefix]
    guard node.kind == .mapping else { return (keys, mappings) }
    var index = 0
    while index + 1 < node.children.count {
        let key = node.children[index], value = node.children[index + 1]
        index += 2
        guard key.kind == .scalar, !key.value.isEmpty else { continue }
        keys.append(prefix + [key.value])
        if value.kind == .mapping {
            let nested = keyPaths(value, prefix + [key.value])
            keys += nested.keys
            mappings += nested.mappings
        }
    }
    return (keys, mappings)
}

func check(_ data: [UInt8]) {
    guard data.count >= 2 else { return }
    let selector = Int(data[0]), value = awkwardValues[Int(data[1]) % awkwardValues.count]
    let file = Array(data[2...])
    let root = (try? YAMLDocument(file))?.root
    let found = root.map { keyPaths($0) } ?? (keys: [], mappings: [[]])
    let existing = found.keys.isEmpty ? ["configuration", "proxy"] : found.keys[(selector >> 2) % found.keys.count]
    let newKey = found.mappings[(selector >> 2) % found.mappings.count] + ["new-key"]
    let operation: YAMLEditOperation
    switch selector & 3 {
    case 0: operation = .set(path: existing, value: value, type: .string)
    case 1: operation = .remove(path: existing)
    case 2: operation = .setList(path: existing, values: [value, "b"])
    default: operation = .set(path: newKey, value: value, type: nil)
    }
    let result: [UInt8]
    do {
        result = try YAMLDocument.applying([operation], to: file)
    } catch is YAMLEditError {
        return  // a typed refusal is a correct answer
    } catch {
        fatalError("untyped error: \(error)")
    }
    guard let edited = try? YAMLDocument(result) else { fatalError("the edited file does not parse") }
    let node = try? edited.node(at: operation.path)
    switch operation {
    case .set(_, let text, let type):
        guard let node, node.kind == .scalar, node.value == text else { fatalError("set did not read back") }
        if type == .string, node.scalarType != .string { fatalError("a string was written as \(node.scalarType)") }
    case .remove:
        if node != nil { fatalError("remove left the key") }
    case .setList(_, let values):
        guard let node, node.kind == .sequence, node.children.map(\.value) == values else { fatalError("list did not read back") }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    check(unsafe start.map { unsafe Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
    return 0
}
