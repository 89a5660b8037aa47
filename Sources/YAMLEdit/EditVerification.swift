/// The document an edit is meant to produce, built by changing the parsed tree of the original.
enum ExpectedDocument {
    static func setting(_ path: [String], to value: YAMLNode, in node: YAMLNode) -> YAMLNode {
        var node = node
        let key = path[0]
        if let index = node.entries.firstIndex(where: { $0.key.kind == .scalar && $0.key.value == key }) {
            let valueIndex = index * 2 + 1
            if path.count == 1 {
                node.children[valueIndex] = value
            } else {
                var child = node.children[valueIndex]
                if child.kind != .mapping { child = .emptyMapping() }
                node.children[valueIndex] = setting(Array(path.dropFirst()), to: value, in: child)
            }
        } else {
            node.children.append(.scalar(key, type: .string))
            node.children.append(path.count == 1 ? value : setting(Array(path.dropFirst()), to: value, in: .emptyMapping()))
        }
        return node
    }

    static func removing(_ path: [String], from node: YAMLNode) -> YAMLNode {
        var node = node
        guard let index = node.entries.firstIndex(where: { $0.key.kind == .scalar && $0.key.value == path[0] }) else {
            return node
        }
        if path.count == 1 {
            node.children.removeSubrange(index * 2...index * 2 + 1)
        } else {
            node.children[index * 2 + 1] = removing(Array(path.dropFirst()), from: node.children[index * 2 + 1])
        }
        return node
    }
}

/// Compares what a reader will get from the new bytes with what the edit intended: values,
/// types, anchors, aliases and structure, ignoring only presentation (quoting, layout).
enum EditVerification {
    static func check(_ bytes: [UInt8], matches expected: YAMLNode, path: String) throws {
        let result: YAMLDocument
        do {
            result = try YAMLDocument(bytes)
        } catch let error as YAMLEditError {
            throw YAMLEditError.verificationFailed(path: path, detail: "the result would not parse: \(error)")
        }
        let actual = signature(result.root ?? .emptyMapping())
        let wanted = signature(expected)
        guard actual != wanted else { return }
        let index = zip(actual, wanted).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actual.count, wanted.count)
        // Only the kind of event is named: the values may be secrets.
        func kind(_ events: [String]) -> String {
            guard index < events.count else { return "the end of the document" }
            let event = events[index]
            if event.hasPrefix("=VAL") { return "a value of type " + (event.split(separator: " ").dropFirst().first { !$0.hasPrefix("&") }.map(String.init) ?? "?") }
            return event.hasPrefix("+MAP") ? "a mapping" : event.hasPrefix("+SEQ") ? "a list" : event.hasPrefix("*") ? "an alias" : "the end of a collection"
        }
        let detail = kind(actual) == kind(wanted) ? "event \(index + 1) would hold a different value"
            : "event \(index + 1) would be \(kind(actual)) instead of \(kind(wanted))"
        throw YAMLEditError.verificationFailed(path: path, detail: detail)
    }

    static func signature(_ node: YAMLNode) -> [String] {
        var events: [String] = []
        append(node, to: &events)
        return events
    }

    private static func append(_ node: YAMLNode, to events: inout [String]) {
        let anchor = node.anchor.map { " &" + $0 } ?? ""
        switch node.kind {
        case .alias:
            events.append("*" + node.value)
        case .scalar:
            let type = node.scalarType
            let typeName = type == .other ? "<\(node.tag ?? "")>" : type.rawValue
            events.append("=VAL\(anchor) \(typeName) \(escaped(node.value))")
        case .mapping, .sequence:
            let tag = node.tag.map { " <\($0)>" } ?? ""
            events.append((node.kind == .mapping ? "+MAP" : "+SEQ") + anchor + tag)
            for child in node.children { append(child, to: &events) }
            events.append(node.kind == .mapping ? "-MAP" : "-SEQ")
        }
    }

    private static func escaped(_ text: String) -> String {
        ScalarRendering.doubleQuoted(text)
    }
}
