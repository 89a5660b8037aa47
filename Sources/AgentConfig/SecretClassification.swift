import YAMLEdit

/// Every secret node of a document, found by one rule, so that every output (getConfig,
/// showProxy, the change list, diffs, errors) hides the same things:
/// - the value of a key whose name says secret (`SecretName`), whatever its shape: a scalar in
///   any style, with any tag or anchor, over any number of lines, a list, a whole section;
/// - everything under such a key, the keys of its sections included (they may be tokens);
/// - every alias of a secret anchor, and every anchored node that a secret key refers to by an
///   alias (`defaults: &d hunter2` … `password: *d`);
/// - the user-info part of any URL value (`https://user:pw@host`).
public struct SecretClassification: Sendable {
    /// One secret node: where it is in the source, and its text.
    public struct SecretSpan: Sendable, Equatable {
        /// The node's place: mapping keys, and `#N` for the N-th item of a list.
        public var path: [String]
        /// Where it starts: a byte offset of the body, and libyaml's 0-based line. (No column:
        /// working one out costs the length of the line, and a one-line file can hold every
        /// secret.)
        public var offset: Int
        public var line: Int
        /// The last line the node's text is on.
        public var lastLine: Int
        /// The scalar's value, or the alias's anchor name.
        public var value: String
    }

    public private(set) var spans: [SecretSpan] = []
    /// URL values whose user-info is secret, with that user-info (`user:pw`).
    public private(set) var userInfo: [(span: SecretSpan, userInfo: String)] = []
    /// Anchors whose nodes are secret.
    public private(set) var anchors: Set<String> = []

    public init(_ document: YAMLDocument) {
        guard let root = document.root else { return }
        // Without anchors a node is secret only by a key above it: one pass over the tree's
        // records finds those nodes and the values with an `@`, and handles are made only for
        // them (a large config has millions of nodes and few secrets). With anchors, the walk
        // below follows them node by node.
        if !document.usesAnchors,
           let picked = root.pick(marksSection: SecretName.isSecret(utf8:), wanted: SecretClassification.containsAt) {
            for (node, place, inSecretSection) in picked {
                if inSecretSection {
                    spans.append(span(node, path: place))
                } else if let info = SecretClassification.userInfo(in: node.value) {
                    userInfo.append((span(node, path: place), info))
                }
            }
            return
        }
        self = SecretClassification(walking: document)
    }

    /// Node by node, anchors followed: for documents with anchors, and the reference the
    /// one-pass classification is checked against (SecretClassificationPassTests).
    init(walking document: YAMLDocument) {
        guard let root = document.root else { return }
        if document.usesAnchors { anchors = SecretClassification.secretAnchors(in: root) }
        var path: [Step] = []
        walk(root, path: &path, secret: false)
    }

    /// Whether a value has an `@`, which a URL with user-info must.
    private static func containsAt(_ bytes: Swift.Span<UInt8>) -> Bool {
        for index in bytes.indices where bytes[index] == UInt8(ascii: "@") { return true }
        return false
    }

    /// Every secret text: scalar values and user-info, for the last-line filter.
    public var values: [String] { spans.map(\.value) + userInfo.map(\.userInfo) }

    /// The lines (0-based) any secret byte is on.
    public var lines: Set<Int> {
        var lines = Set<Int>()
        for span in spans + userInfo.map(\.span) { lines.formUnion(span.line...max(span.line, span.lastLine)) }
        return lines
    }

    /// Whether a node reached with `secret` inherited is secret itself.
    func isSecret(_ node: YAMLNode, inherited: Bool) -> Bool {
        inherited || node.anchor.map(anchors.contains) == true || (node.kind == .alias && anchors.contains(node.value))
    }

    /// One step of the walk's place: a key (its text made only for a secret found) or a list item.
    private enum Step {
        case key(YAMLNode)
        case item(Int)

        var component: String {
            switch self {
            case .key(let key): return key.kind == .scalar ? key.value : "*" + key.value
            case .item(let index): return "#\(index)"
            }
        }
    }

    /// `path` is the place of `node`, kept as one array that grows and shrinks with the walk:
    /// text is made only for a secret found.
    private mutating func walk(_ node: YAMLNode, path: inout [Step], secret inherited: Bool) {
        let secret = isSecret(node, inherited: inherited)
        switch node.kind {
        case .mapping:
            let children = node.children
            var index = 0
            while index + 1 < children.count {
                let key = children[index], value = children[index + 1]
                index += 2
                path.append(.key(key))
                if secret { record(key, path: path) }
                walk(value, path: &path, secret: secret || (key.kind == .scalar && SecretName.isSecret(utf8: key.valueBytes)))
                path.removeLast()
            }
        case .sequence:
            for (index, item) in node.children.enumerated() {
                path.append(.item(index))
                walk(item, path: &path, secret: secret)
                path.removeLast()
            }
        case .scalar, .alias:
            if secret {
                record(node, path: path)
            } else if node.kind == .scalar, node.valueBytes.contains(UInt8(ascii: "@")),
                      let info = SecretClassification.userInfo(in: node.value) {
                userInfo.append((span(node, path: path), info))
            }
        }
    }

    private mutating func record(_ node: YAMLNode, path: [Step]) {
        guard node.kind == .scalar || node.kind == .alias else { return }
        spans.append(span(node, path: path.map(\.component)))
    }

    private func span(_ node: YAMLNode, path: [Step]) -> SecretSpan { span(node, path: path.map(\.component)) }

    private func span(_ node: YAMLNode, path: [String]) -> SecretSpan {
        SecretSpan(path: path, offset: node.startOffset, line: node.startLine, lastLine: node.lastLine, value: node.value)
    }

    /// Anchors that are secret: defined under a secret key, or referred to by an alias under
    /// one. Aliases follow their anchors in a document, so one walk finds both kinds.
    static func secretAnchors(in root: YAMLNode) -> Set<String> {
        var anchors = Set<String>()
        var pending: [(node: YAMLNode, secret: Bool)] = [(root, false)]
        var defined: [String: YAMLNode] = [:]
        while let (node, secret) = pending.popLast() {
            if let anchor = node.anchor {
                defined[anchor] = node
                if secret { anchors.insert(anchor) }
            }
            switch node.kind {
            case .mapping:
                for (key, value) in Array(node.entries).reversed() {
                    pending.append((value, secret || (key.kind == .scalar && SecretName.isSecret(utf8: key.valueBytes))))
                }
            case .sequence:
                pending += node.children.reversed().map { ($0, secret) }
            case .alias where secret:
                anchors.insert(node.value)
            default:
                break
            }
        }
        // An anchor made secret by an alias makes the anchors inside its node secret too.
        var changed = true
        while changed {
            changed = false
            for anchor in anchors {
                guard let node = defined[anchor] else { continue }
                for inner in anchorsInside(node) where !anchors.contains(inner) {
                    anchors.insert(inner)
                    changed = true
                }
            }
        }
        return anchors
    }

    private static func anchorsInside(_ node: YAMLNode) -> [String] {
        var found: [String] = []
        var pending = Array(node.children)
        while let next = pending.popLast() {
            if let anchor = next.anchor { found.append(anchor) }
            if next.kind == .alias { found.append(next.value) }
            pending += next.children
        }
        return found
    }

    /// The user-info of a URL value (`scheme://user:pw@host…` → `user:pw`); nil for a value
    /// that is not a URL with user-info.
    public static func userInfo(in value: String) -> String? {
        guard let scheme = value.firstRange(of: "://"), value[..<scheme.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) }),
              !value[..<scheme.lowerBound].isEmpty else { return nil }
        let authority = value[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let info = authority[..<at]
        return info.isEmpty ? nil : String(info)
    }
}

/// What a version of the config holds that must never be printed: every secret text, and the
/// proxies' users with their base64 passwords (so that their decoded and Basic-authentication
/// forms can be recognised too).
public struct SecretInventory: Equatable, Sendable {
    public struct Credential: Equatable, Sendable {
        public var user: String?
        public var encodedPassword: String
    }

    public var values: [String]
    public var credentials: [Credential]
}

extension AgentConfiguration {
    public var secretInventory: SecretInventory {
        let credentials = ((try? proxySettings())?.entries ?? []).compactMap { entry in
            entry.encodedPassword.map { SecretInventory.Credential(user: entry.user, encodedPassword: $0) }
        }
        return SecretInventory(values: secrets.values, credentials: credentials)
    }
}
