/// The document an edit is meant to produce, built by changing the parsed tree of the original.
/// Only the nodes on the edited path are copied; the rest of the tree is shared.
enum ExpectedDocument {
    static func setting(_ path: [String], to value: YAMLNode, in node: YAMLNode) -> YAMLNode {
        if let valueIndex = valueIndex(of: path[0], in: node) {
            var child = node.children[valueIndex]
            if path.count == 1 {
                child = value
            } else {
                if child.kind != .mapping { child = .emptyMapping() }
                child = setting(Array(path.dropFirst()), to: value, in: child)
            }
            return node.changingChildren(.replacing(valueIndex, child))
        }
        let added = path.count == 1 ? value : setting(Array(path.dropFirst()), to: value, in: .emptyMapping())
        return node.changingChildren(.appending([.scalar(path[0], type: .string), added]))
    }

    static func removing(_ path: [String], from node: YAMLNode) -> YAMLNode {
        guard let valueIndex = valueIndex(of: path[0], in: node) else { return node }
        if path.count == 1 {
            return node.changingChildren(.removing(valueIndex - 1..<valueIndex + 1))
        }
        let child = removing(Array(path.dropFirst()), from: node.children[valueIndex])
        return node.changingChildren(.replacing(valueIndex, child))
    }

    /// The index in `children` of the value of the first entry whose key is `key`.
    private static func valueIndex(of key: String, in mapping: YAMLNode) -> Int? {
        mapping.entries(withKey: key, limit: 1).first.map { $0 * 2 + 1 }
    }
}

/// Compares what a reader will get from the new bytes with what the edit intended: values,
/// types, anchors, aliases and structure, ignoring only presentation (quoting, layout).
enum EditVerification {
    /// Parses `bytes` and compares the result with `expected`; returns the parsed result so
    /// that callers need not parse it again.
    @discardableResult
    static func check(_ bytes: [UInt8], matches expected: YAMLNode, original: YAMLNode?, path: String) throws -> YAMLDocument {
        let result: YAMLDocument
        do {
            result = try YAMLDocument(bytes)
        } catch let error as YAMLEditError {
            throw YAMLEditError.verificationFailed(path: path, detail: "the result would not parse (\(error))")
        }
        if let difference = firstDifference(result.root ?? .emptyMapping(), expected, at: []) {
            throw YAMLEditError.verificationFailed(path: path, detail: difference)
        }
        // libyaml's events do not check aliases; readers do, and refuse the whole file when an
        // alias names an anchor that is gone (a list or key holding `&name` was replaced).
        // A result without anchors or aliases has none that dangle.
        if result.usesAnchors && danglingAliases(in: result.root) > danglingAliases(in: original) {
            throw YAMLEditError.verificationFailed(path: path, detail: "an alias elsewhere in the file refers to an anchor inside the value being replaced or removed")
        }
        return result
    }

    /// Where two trees first differ, in words an admin can act on; no value is quoted (it may
    /// be a secret). Depth is bounded by `YAMLTreeBuilder.maximumDepth`. The trees are compared
    /// without building any text (`same`); words are made only along the path to the first
    /// difference.
    static func firstDifference(_ actual: YAMLNode, _ wanted: YAMLNode, at location: [String]) -> String? {
        var place: String { location.isEmpty ? "the top level" : location.joined(separator: ".") }
        guard actual.kind == wanted.kind else {
            return "\(place) would read as \(describe(actual)) instead of \(describe(wanted))"
        }
        guard actual.anchor == wanted.anchor else { return "the anchor of \(place) would change" }
        switch actual.kind {
        case .alias:
            return actual.hasSameValue(as: wanted) ? nil : "the alias at \(place) would refer to another anchor"
        case .scalar:
            guard actual.scalarType == wanted.scalarType, actual.scalarType != .other || actual.tag == wanted.tag else {
                return "\(place) would read as \(actual.scalarType.description) instead of \(wanted.scalarType.description)"
            }
            return actual.hasSameValue(as: wanted) ? nil : "\(place) would read as a different text than the one given"
        case .mapping, .sequence:
            guard actual.tag == wanted.tag else { return "the tag of \(place) would change" }
            guard actual.children.count == wanted.children.count else {
                let unit = actual.kind == .mapping ? "keys" : "items"
                let count = actual.kind == .mapping ? 2 : 1
                return "\(place) would hold \(actual.children.count / count) \(unit) instead of \(wanted.children.count / count)"
            }
            guard let index = actual.children.indices.first(where: { !same(actual.children[$0], wanted.children[$0]) }) else {
                return nil
            }
            var childLocation = location
            if actual.kind == .mapping {
                let key = actual.children[index - index % 2]
                childLocation.append(index % 2 == 0 ? "(key \(index / 2 + 1))" : (key.kind == .scalar ? key.value : "(key \(index / 2 + 1))"))
            } else {
                childLocation.append("[\(index)]")
            }
            return firstDifference(actual.children[index], wanted.children[index], at: childLocation)
        }
    }

    /// Whether a reader gets the same from both trees: `firstDifference` is nil exactly when
    /// this is true. A scalar written exactly alike (text, style, tag) reads alike without
    /// being resolved.
    static func same(_ actual: YAMLNode, _ wanted: YAMLNode) -> Bool {
        // Most of an edited document is the original's own nodes: compared record by record.
        if let alike = actual.readsAlike(wanted) { return alike }
        let kind = actual.kind
        guard kind == wanted.kind else { return false }
        // Most nodes have neither anchor nor tag: then both compare equal without a lookup.
        let plain = actual.hasNoProperties && wanted.hasNoProperties
        guard plain || actual.anchor == wanted.anchor else { return false }
        switch kind {
        case .alias:
            return actual.hasSameValue(as: wanted)
        case .scalar:
            guard actual.hasSameValue(as: wanted) else { return false }
            if actual.style == wanted.style && (plain || actual.tag == wanted.tag) { return true }
            return actual.scalarType == wanted.scalarType && (actual.scalarType != .other || actual.tag == wanted.tag)
        case .mapping, .sequence:
            let actualChildren = actual.children, wantedChildren = wanted.children
            guard plain || actual.tag == wanted.tag, actualChildren.count == wantedChildren.count else { return false }
            for index in actualChildren.indices where !same(actualChildren[index], wantedChildren[index]) { return false }
            return true
        }
    }

    /// Aliases that no earlier anchor defines, in document order.
    static func danglingAliases(in root: YAMLNode?) -> Int {
        var defined = Set<String>()
        var dangling = 0
        func walk(_ node: YAMLNode) {
            if let anchor = node.anchor { defined.insert(anchor) }
            if node.kind == .alias && !defined.contains(node.value) { dangling += 1 }
            node.children.forEach(walk)
        }
        root.map(walk)
        return dangling
    }

    private static func describe(_ node: YAMLNode) -> String {
        switch node.kind {
        case .scalar: return node.scalarType.description
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
