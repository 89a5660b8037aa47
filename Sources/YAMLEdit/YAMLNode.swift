/// A node of a parsed document with the byte positions an editor needs: a handle to one
/// record of its document's flat tree (`YAMLTree`), or, for the document an edit is meant to
/// produce, a node the editor made.
///
/// Positions come from libyaml's marks, with two corrections that matter for splicing:
/// the end mark of a *block* collection points at the next token, past any comments, so
/// `contentEnd` uses the last child's end instead; and a flow collection keeps the position of
/// its closing bracket (`closeOffset`) so that entries can be added before it.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable, Equatable { case scalar, mapping, sequence, alias }

    private enum Storage: Sendable {
        case parsed(YAMLTree, Int)
        case made(MadeNode)
    }

    private let storage: Storage

    /// A node the editor made: a value it is about to write, or a collection of the expected
    /// document whose children changed. It has no place in any source.
    private final class MadeNode: Sendable {
        let kind: Kind
        let value: String
        let anchor: String?
        let tag: String?
        let style: YAMLScalarStyle
        let isFlow: Bool
        let children: Children

        init(kind: Kind, value: String, anchor: String?, tag: String?, style: YAMLScalarStyle, isFlow: Bool,
             children: Children) {
            self.kind = kind
            self.value = value
            self.anchor = anchor
            self.tag = tag
            self.style = style
            self.isFlow = isFlow
            self.children = children
        }
    }

    init(_ tree: YAMLTree, _ index: Int) {
        storage = .parsed(tree, index)
    }

    private init(made: MadeNode) {
        storage = .made(made)
    }

    public var kind: Kind {
        switch storage {
        case .parsed(let tree, let index): return tree.records[index].kind
        case .made(let node): return node.kind
        }
    }

    /// The scalar's value, or the alias's anchor name. Made into a string when asked: walks
    /// over many nodes compare `valueBytes` or use `hasValue` instead.
    public var value: String {
        switch storage {
        case .parsed(let tree, let index): return String(decoding: tree.value(of: index), as: UTF8.self)
        case .made(let node): return node.value
        }
    }

    /// The value's UTF-8 bytes, without making a string.
    public var valueBytes: ArraySlice<UInt8> {
        switch storage {
        case .parsed(let tree, let index): return tree.value(of: index)
        case .made(let node): return ArraySlice(node.value.utf8)
        }
    }

    /// Whether the value is exactly `text`, without making a string.
    public func hasValue(_ text: String) -> Bool {
        switch storage {
        case .parsed(let tree, let index): return tree.value(of: index, equals: text)
        case .made(let node): return node.value.utf8.elementsEqual(text.utf8)
        }
    }

    /// Whether both nodes have the same value bytes.
    func hasSameValue(as other: YAMLNode) -> Bool {
        if case .parsed(let tree, let index) = storage, case .parsed(let otherTree, let otherIndex) = other.storage {
            return tree.value(of: index, equalsValueOf: otherIndex, in: otherTree)
        }
        return valueBytes.elementsEqual(other.valueBytes)
    }

    /// The entries (0-based) of this mapping whose key is the scalar `text`, at most `limit`:
    /// a lookup over a mapping's records, with no handle per key.
    public func entries(withKey text: String, limit: Int) -> [Int] {
        if case .parsed(let tree, let index) = storage {
            return tree.records[index].kind == .mapping ? tree.entries(withKey: text, inMapping: index, limit: limit) : []
        }
        guard kind == .mapping else { return [] }
        let children = self.children
        var found: [Int] = []
        for position in stride(from: 0, to: children.count - 1, by: 2) where found.count < limit {
            if children[position].kind == .scalar && children[position].hasValue(text) { found.append(position / 2) }
        }
        return found
    }

    /// The nodes that a walk from here through mapping values and list items (not into keys
    /// that are collections) meets and that are picked, each with its place (keys; `*name`
    /// for an alias key; `#N` for the N-th item of a list), in document order:
    /// - inside a marked section (the value of a scalar key that `marksSection` accepts, and
    ///   everything under it): every scalar and alias, the keys of its mappings included;
    /// - outside: every scalar value that `wanted` accepts.
    /// One pass over the tree's records, for walks that need a few nodes of a large file.
    /// Nil for a node the editor made.
    public func pick(marksSection: (Span<UInt8>) -> Bool,
                     wanted: (Span<UInt8>) -> Bool) -> [(node: YAMLNode, place: [String], inMarkedSection: Bool)]? {
        guard case .parsed(let tree, let index) = storage else { return nil }
        return tree.pick(from: index, marksSection: marksSection, wanted: wanted).map { (YAMLNode(tree, $0.index), $0.place, $0.inMarkedSection) }
    }

    /// The tree and record of a parsed node; nil for a node the editor made.
    var parsed: (tree: YAMLTree, index: Int)? {
        guard case .parsed(let tree, let index) = storage else { return nil }
        return (tree, index)
    }

    /// For two parsed nodes, whether a reader gets the same from both (`YAMLTree.readsAlike`);
    /// nil when either is a node the editor made.
    func readsAlike(_ other: YAMLNode) -> Bool? {
        guard case .parsed(let tree, let index) = storage, case .parsed(let otherTree, let otherIndex) = other.storage else {
            return nil
        }
        return tree.readsAlike(index, otherIndex, in: otherTree)
    }

    private var properties: YAMLTree.Properties? {
        switch storage {
        case .parsed(let tree, let index):
            return tree.records[index].flags.contains(.hasProperties) ? tree.properties[UInt32(index)] : nil
        case .made(let node):
            return YAMLTree.Properties(anchor: node.anchor, tag: node.tag)
        }
    }

    public var anchor: String? { properties?.anchor }
    public var tag: String? { properties?.tag }
    /// Whether the node has neither an anchor nor a tag (checked without a lookup).
    var hasNoProperties: Bool {
        switch storage {
        case .parsed(let tree, let index): return !tree.records[index].flags.contains(.hasProperties)
        case .made(let node): return node.anchor == nil && node.tag == nil
        }
    }

    public var style: YAMLScalarStyle {
        switch storage {
        case .parsed(let tree, let index): return tree.records[index].style
        case .made(let node): return node.style
        }
    }

    public var isFlow: Bool {
        switch storage {
        case .parsed(let tree, let index): return tree.records[index].flags.contains(.isFlow)
        case .made(let node): return node.isFlow
        }
    }

    /// Where the node starts: a byte offset of the body, libyaml's 0-based line, and the
    /// column in code points. A made node is at the start.
    public var start: YAMLMark {
        guard case .parsed(let tree, let index) = storage else { return YAMLMark(offset: 0, line: 0, column: 0) }
        return tree.startMark(of: index)
    }

    /// Where the node ends (for a block collection: at the next token; see `contentEnd`).
    public var end: YAMLMark {
        guard case .parsed(let tree, let index) = storage else { return YAMLMark(offset: 0, line: 0, column: 0) }
        return tree.endMark(of: index)
    }

    /// The last line the node's text is on: its end's line, or the line before when the end
    /// is at the start of a line (a block scalar's end is at the start of the line after its
    /// text). Worked out without a column: it costs the node's length only.
    public var lastLine: Int {
        guard case .parsed(let tree, let index) = storage else { return 0 }
        let end = tree.endMark(of: index, withColumn: false)
        return end.column == 0 && end.line > Int(tree.records[index].startLine) ? end.line - 1 : end.line
    }

    /// The byte offsets alone, for walks that need no line or column.
    public var startOffset: Int {
        guard case .parsed(let tree, let index) = storage else { return 0 }
        return Int(tree.records[index].start)
    }
    public var endOffset: Int {
        guard case .parsed(let tree, let index) = storage else { return 0 }
        return Int(tree.records[index].end)
    }
    public var startLine: Int {
        guard case .parsed(let tree, let index) = storage else { return 0 }
        return Int(tree.records[index].startLine)
    }

    /// Where a flow collection's closing bracket starts: the byte before its end. (A
    /// collection without a bracket: its end.)
    var closeOffset: Int {
        guard case .parsed(let tree, let index) = storage else { return 0 }
        let record = tree.records[index]
        return record.flags.contains(.endsWithBracket) ? Int(record.end) - 1 : Int(record.end)
    }

    /// For a mapping: key, value, key, value…; for a sequence: its items.
    public var children: Children {
        switch storage {
        case .parsed(let tree, let index):
            let record = tree.records[index]
            guard record.kind == .mapping || record.kind == .sequence else { return Children(made: []) }
            return Children(tree: tree, first: Int(record.first), count: Int(record.count))
        case .made(let node):
            return node.children
        }
    }

    /// A node's children, read from the tree as they are asked for. The expected document's
    /// collections are their original's children with one change (`ChildChange`), worked out
    /// per index: a mapping of 150,000 keys is not copied to change one of them.
    public struct Children: RandomAccessCollection, Sendable {
        private enum Base: Sendable {
            case parsed(YAMLTree, first: Int, count: Int)
            case made([YAMLNode])
            case changed(ChangedChildren)
        }
        private let base: Base

        init(tree: YAMLTree, first: Int, count: Int) { base = .parsed(tree, first: first, count: count) }
        init(made: [YAMLNode]) { base = .made(made) }
        init(_ original: Children, _ change: ChildChange) { base = .changed(ChangedChildren(original: original, change: change)) }

        public typealias Indices = Range<Int>
        public var startIndex: Int { 0 }
        public var endIndex: Int {
            switch base {
            case .parsed(_, _, let count): return count
            case .made(let nodes): return nodes.count
            case .changed(let changed): return changed.count
            }
        }
        public var indices: Range<Int> { startIndex..<endIndex }

        public subscript(position: Int) -> YAMLNode {
            switch base {
            case .parsed(let tree, let first, let count):
                precondition(position >= 0 && position < count, "child index out of range")
                return YAMLNode(tree, Int(tree.children[first + position]))
            case .made(let nodes):
                return nodes[position]
            case .changed(let changed):
                return changed[position]
            }
        }
    }

    /// One change to a collection's children: what an edit does to each collection on its path.
    enum ChildChange: Sendable {
        case replacing(Int, YAMLNode)
        case removing(Range<Int>)
        case appending([YAMLNode])
    }

    private final class ChangedChildren: Sendable {
        let original: Children
        let change: ChildChange

        init(original: Children, change: ChildChange) {
            self.original = original
            self.change = change
        }

        var count: Int {
            switch change {
            case .replacing: return original.count
            case .removing(let range): return original.count - range.count
            case .appending(let nodes): return original.count + nodes.count
            }
        }

        subscript(position: Int) -> YAMLNode {
            precondition(position >= 0 && position < count, "child index out of range")
            switch change {
            case .replacing(let index, let node): return position == index ? node : original[position]
            case .removing(let range): return position < range.lowerBound ? original[position] : original[position + range.count]
            case .appending(let nodes): return position < original.count ? original[position] : nodes[position - original.count]
            }
        }
    }

    /// The end of the text that belongs to this node, not counting comments after it.
    var contentEnd: Int {
        if (kind == .mapping || kind == .sequence) && !isFlow, let last = children.last {
            return last.contentEnd
        }
        return endOffset
    }

    /// A plain, untagged scalar that reads as null (an anchor does not change that).
    public var isNull: Bool {
        kind == .scalar && style == .plain && (hasNoProperties || tag == nil) && resolvedType == .null
    }

    /// The YAML type a reader gives this scalar: an explicit tag wins, a quoted or block
    /// scalar is a string, a plain one is resolved from its text.
    public var scalarType: ScalarType {
        if let tag { return ScalarType(tag: tag) }
        return style == .plain ? resolvedType : .string
    }

    /// A plain scalar's type by its text, resolved from its bytes.
    private var resolvedType: ScalarType {
        switch storage {
        case .parsed(let tree, let index): return ScalarType.resolve(tree.value(of: index))
        case .made(let node): return ScalarType.resolve(node.value)
        }
    }

    /// `<<` as a plain, untagged key: YAML 1.1's merge key.
    public var isMergeKey: Bool { kind == .scalar && style == .plain && hasNoProperties && hasValue("<<") }

    /// A mapping's (key, value) pairs, made as they are read: walking a mapping of 150,000
    /// keys allocates nothing.
    public var entries: LazyMapSequence<StrideTo<Int>, (key: YAMLNode, value: YAMLNode)> {
        let children = kind == .mapping ? self.children : Children(made: [])
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

    // MARK: Nodes the editor makes

    static func scalar(_ value: String, type: ScalarType) -> YAMLNode {
        YAMLNode(made: MadeNode(kind: .scalar, value: value, anchor: nil, tag: type == .string ? nil : type.tag,
                                style: type == .string ? .doubleQuoted : .plain, isFlow: false, children: Children(made: [])))
    }

    static func emptyMapping() -> YAMLNode { collection(.mapping, []) }

    static func collection(_ kind: Kind, _ children: [YAMLNode]) -> YAMLNode {
        YAMLNode(made: MadeNode(kind: kind, value: "", anchor: nil, tag: nil, style: .plain, isFlow: false,
                                children: Children(made: children)))
    }

    /// This node with one change to its children: the expected document changes only the
    /// collections on an edited path, each by one change, and shares everything else.
    func changingChildren(_ change: ChildChange) -> YAMLNode {
        let properties = self.properties
        return YAMLNode(made: MadeNode(kind: kind, value: "", anchor: properties?.anchor, tag: properties?.tag, style: style,
                                       isFlow: isFlow, children: Children(children, change)))
    }
}

extension YAMLNode {
    /// Whether an alias anywhere in this tree refers to `anchor`. An explicit stack, so that
    /// deep documents cannot exhaust the call stack.
    func containsAlias(to anchor: String) -> Bool {
        var pending = [self]
        while let node = pending.popLast() {
            if node.kind == .alias && node.hasValue(anchor) { return true }
            pending += node.children
        }
        return false
    }

    /// The first node in this tree that carries `anchor` (document order), if any.
    public func anchored(_ anchor: String) -> YAMLNode? {
        var pending = [self]
        while let node = pending.popLast() {
            if !node.hasNoProperties && node.anchor == anchor { return node }
            pending += node.children.reversed()
        }
        return nil
    }
}
