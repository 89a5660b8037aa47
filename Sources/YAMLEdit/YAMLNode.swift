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
    public var anchor: String?
    public var tag: String?
    public var style: YAMLScalarStyle
    public var isFlow: Bool
    public var start: YAMLMark
    public var end: YAMLMark
    var closeStart: YAMLMark
    /// For a mapping: key, value, key, value…; for a sequence: its items.
    public var children: [YAMLNode]

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

    public var entries: [(key: YAMLNode, value: YAMLNode)] {
        guard kind == .mapping else { return [] }
        return stride(from: 0, to: children.count - 1, by: 2).map { (children[$0], children[$0 + 1]) }
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

/// The documents of a stream, as node trees.
struct YAMLStream {
    var documents: [YAMLNode]

    init(events: [YAMLEvent]) {
        var index = 0
        var documents: [YAMLNode] = []
        while index < events.count {
            if events[index].kind == .documentStart {
                index += 1
                documents.append(YAMLStream.node(events, &index))
            }
            index += 1
        }
        self.documents = documents
    }

    private static func node(_ events: [YAMLEvent], _ index: inout Int) -> YAMLNode {
        let event = events[index]
        index += 1
        var node = YAMLNode(kind: .scalar, value: event.value, anchor: event.anchor, tag: event.tag,
                            style: event.style, isFlow: event.isFlow, start: event.start, end: event.end,
                            closeStart: event.end, children: [])
        switch event.kind {
        case .alias:
            node.kind = .alias
        case .mappingStart, .sequenceStart:
            node.kind = event.kind == .mappingStart ? .mapping : .sequence
            while events[index].kind != .mappingEnd && events[index].kind != .sequenceEnd {
                node.children.append(YAMLStream.node(events, &index))
            }
            node.closeStart = events[index].start
            node.end = events[index].end
            index += 1
        default:
            break
        }
        return node
    }
}
