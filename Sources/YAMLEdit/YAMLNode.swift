/// A node of a parsed document with the byte positions an editor needs.
///
/// Positions come from libyaml's marks, with two corrections that matter for splicing:
/// the end mark of a *block* collection points at the next token, past any comments, so
/// `contentEnd` uses the last child's end instead; and a flow collection keeps the position of
/// its closing bracket (`closeStart`) so that entries can be added before it.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable, Equatable { case scalar, mapping, sequence, alias }

    public var kind: Kind
    /// The scalar's value, or the alias's anchor name.
    public var value: String
    /// Anchor and tag, which few nodes have, in one optional box: 8 bytes a node instead of
    /// 32 for two optional strings.
    private var properties: Properties?
    public var style: YAMLScalarStyle
    public var isFlow: Bool
    public var start: YAMLMark
    public var end: YAMLMark
    var closeStart: YAMLMark
    /// For a mapping: key, value, key, value…; for a sequence: its items.
    public var children: [YAMLNode]

    private final class Properties: Sendable {
        let anchor: String?
        let tag: String?

        init?(anchor: String?, tag: String?) {
            guard anchor != nil || tag != nil else { return nil }
            self.anchor = anchor
            self.tag = tag
        }
    }

    init(kind: Kind, value: String, anchor: String?, tag: String?, style: YAMLScalarStyle, isFlow: Bool,
         start: YAMLMark, end: YAMLMark, closeStart: YAMLMark, children: [YAMLNode]) {
        self.kind = kind
        self.value = value
        properties = Properties(anchor: anchor, tag: tag)
        self.style = style
        self.isFlow = isFlow
        self.start = start
        self.end = end
        self.closeStart = closeStart
        self.children = children
    }

    public var anchor: String? {
        get { properties?.anchor }
        set { properties = Properties(anchor: newValue, tag: tag) }
    }
    public var tag: String? {
        get { properties?.tag }
        set { properties = Properties(anchor: anchor, tag: newValue) }
    }

    /// The end of the text that belongs to this node, not counting comments after it.
    var contentEnd: Int {
        if (kind == .mapping || kind == .sequence) && !isFlow, let last = children.last {
            return last.contentEnd
        }
        return end.offset
    }

    public var isNull: Bool {
        kind == .scalar && tag == nil && style == .plain && ScalarType.resolve(value) == .null
    }

    /// The YAML type a reader gives this scalar: an explicit tag wins, a quoted or block
    /// scalar is a string, a plain one is resolved from its text.
    public var scalarType: ScalarType {
        if let tag { return ScalarType(tag: tag) }
        return style == .plain ? ScalarType.resolve(value) : .string
    }

    /// `<<` as a plain, untagged key: YAML 1.1's merge key.
    public var isMergeKey: Bool { kind == .scalar && value == "<<" && style == .plain && tag == nil }

    /// A mapping's (key, value) pairs, made as they are read: walking a mapping of 150,000
    /// keys allocates nothing.
    public var entries: LazyMapSequence<StrideTo<Int>, (key: YAMLNode, value: YAMLNode)> {
        let children = kind == .mapping ? self.children : []
        return stride(from: 0, to: children.count - 1, by: 2).lazy.map { (children[$0], children[$0 + 1]) }
    }

    var kindDescription: String {
        switch kind {
        case .scalar: return isNull ? "an empty value" : "a single value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func scalar(_ value: String, type: ScalarType) -> YAMLNode {
        let zero = YAMLMark(offset: 0, line: 0, column: 0)
        return YAMLNode(kind: .scalar, value: value, anchor: nil,
                        tag: type == .string ? nil : type.tag, style: type == .string ? .doubleQuoted : .plain,
                        isFlow: false, start: zero, end: zero, closeStart: zero, children: [])
    }

    static func emptyMapping() -> YAMLNode {
        let zero = YAMLMark(offset: 0, line: 0, column: 0)
        return YAMLNode(kind: .mapping, value: "", anchor: nil, tag: nil, style: .plain, isFlow: false,
                        start: zero, end: zero, closeStart: zero, children: [])
    }
}

/// Builds the documents' node trees from the events in order, with an explicit stack (no
/// recursion, so no depth of input can overflow the call stack).
struct YAMLTreeBuilder {
    /// Deeper nesting is refused: no config needs it, and the editor's own walks recurse.
    static let maximumDepth = 500

    private(set) var documents: [YAMLNode] = []
    private var open: [YAMLNode] = []
    /// Whether any node has an anchor or is an alias: most configs have neither, and the
    /// walks that resolve them are then skipped.
    private(set) var sawAnchorOrAlias = false

    // Events and nodes are consumed, not borrowed: each string and child list moves from the
    // event into its node and from the node into its parent, without a retain and release
    // per node (a large config has millions).
    mutating func add(_ event: consuming YAMLEvent) throws {
        if event.anchor != nil || event.kind == .alias { sawAnchorOrAlias = true }
        switch event.kind {
        case .streamStart, .streamEnd, .documentStart, .documentEnd:
            return
        case .mappingStart, .sequenceStart:
            guard open.count < YAMLTreeBuilder.maximumDepth else {
                throw YAMLEditError.tooDeeplyNested(limit: YAMLTreeBuilder.maximumDepth, line: event.start.line + 1)
            }
            let kind: YAMLNode.Kind = event.kind == .mappingStart ? .mapping : .sequence
            var node = YAMLTreeBuilder.node(event)
            node.kind = kind
            open.append(node)
        case .mappingEnd, .sequenceEnd:
            var node = open.removeLast()
            node.closeStart = event.start
            node.end = event.end
            finish(node)
        case .alias:
            var node = YAMLTreeBuilder.node(event)
            node.kind = .alias
            finish(node)
        case .scalar:
            finish(YAMLTreeBuilder.node(event))
        }
    }

    private mutating func finish(_ node: consuming YAMLNode) {
        if open.isEmpty {
            documents.append(node)
        } else {
            open[open.count - 1].children.append(node)
        }
    }

    private static func node(_ event: consuming YAMLEvent) -> YAMLNode {
        YAMLNode(kind: .scalar, value: event.value, anchor: event.anchor, tag: event.tag,
                 style: event.style, isFlow: event.isFlow, start: event.start, end: event.end,
                 closeStart: event.end, children: [])
    }
}

extension YAMLNode {
    /// Whether an alias anywhere in this tree refers to `anchor`. An explicit stack, so that
    /// deep documents cannot exhaust the call stack.
    func containsAlias(to anchor: String) -> Bool {
        var pending = [self]
        while let node = pending.popLast() {
            if node.kind == .alias && node.value == anchor { return true }
            pending += node.children
        }
        return false
    }

    /// The first node in this tree that carries `anchor` (document order), if any.
    public func anchored(_ anchor: String) -> YAMLNode? {
        var pending = [self]
        while let node = pending.popLast() {
            if node.anchor == anchor { return node }
            pending += node.children.reversed()
        }
        return nil
    }
}
