import Glibc

/// Builds the flat tree from libyaml's events in order, with an explicit stack (no recursion,
/// so no depth of input can overflow the call stack). The events are read where libyaml put
/// them: only values that are not the source's own bytes, and the rare anchors and tags, are
/// copied.
struct YAMLTreeBuilder {
    /// Deeper nesting is refused: no config needs it, and the editor's own walks recurse.
    static let maximumDepth = 500

    private let source: SourceText
    private var records: [YAMLTree.Record] = []
    private var children: [UInt32] = []
    private var decoded: [UInt8] = []
    private var properties: [UInt32: YAMLTree.Properties] = [:]
    /// The record numbers of the collections not yet closed, and where each one's children
    /// begin in `pendingChildren`.
    private var open: [(record: UInt32, firstPending: Int)] = []
    /// The children of the open collections, innermost last.
    private var pendingChildren: [UInt32] = []
    private(set) var documents: [UInt32] = []
    /// Whether any node has an anchor or is an alias: most configs have neither, and the
    /// walks that resolve them are then skipped.
    private(set) var sawAnchorOrAlias = false

    init(source: SourceText, expectedBytes: Int) {
        self.source = source
        // Configs have one node per 5 to 40 bytes. Reserving for one per 4 avoids regrowth
        // (each a copy of the whole array, with both alive at once); pages that are reserved
        // and never written cost address space only, not memory.
        records.reserveCapacity(expectedBytes / 4 + 16)
        children.reserveCapacity(expectedBytes / 4 + 16)
    }

    var depth: Int { open.count }

    func tree() -> YAMLTree {
        YAMLTree(source: source, records: records, children: children, decoded: decoded, properties: properties)
    }

    /// A mapping or sequence starts: its record is made now (records are in document order)
    /// and completed when it closes.
    mutating func openCollection(_ kind: YAMLNode.Kind, isFlow: Bool, start: Int, line: Int,
                                 anchor: String?, tag: String?) throws {
        guard open.count < YAMLTreeBuilder.maximumDepth else {
            throw YAMLEditError.tooDeeplyNested(limit: YAMLTreeBuilder.maximumDepth, line: line + 1)
        }
        let index = append(YAMLTree.Record(start: UInt32(start), end: UInt32(start), startLine: UInt32(line),
                                           first: 0, count: 0, kind: kind, style: .plain,
                                           flags: isFlow ? .isFlow : []), anchor: anchor, tag: tag)
        open.append((index, pendingChildren.count))
    }

    /// The innermost open collection ends where its end event ends; an end event one byte
    /// wide is a flow collection's closing bracket. `endColumn` is libyaml's: 0 where no line
    /// break precedes the end means libyaml ended the body's last line itself.
    mutating func closeCollection(closeStart: Int, end: Int, endColumn: Int, input: UnsafeBufferPointer<UInt8>) {
        let (index, firstPending) = open.removeLast()
        let first = children.count
        children.append(contentsOf: pendingChildren[firstPending...])
        pendingChildren.removeSubrange(firstPending...)
        var record = records[Int(index)]
        record.first = UInt32(first)
        record.count = UInt32(children.count - first)
        record.end = UInt32(end)
        if end == closeStart + 1 { record.flags.insert(.endsWithBracket) }
        if unsafe endColumn == 0 && end > 0 && !YAMLTree.isLineBreak(endingAt: end, in: input) {
            record.flags.insert(.endsOnNextLine)
        }
        records[Int(index)] = record
        finish(index)
    }

    /// A scalar, or an alias (whose value is its anchor's name). `value` is libyaml's buffer;
    /// `input` the body libyaml reads, lent for the parse (not the array, which each scalar
    /// would retain and release).
    mutating func addScalar(_ kind: YAMLNode.Kind, value: UnsafeBufferPointer<UInt8>, style: YAMLScalarStyle,
                            start: Int, end: Int, line: Int, column: Int, anchor: String?, tag: String?,
                            input: UnsafeBufferPointer<UInt8>) throws {
        var flags: YAMLTree.Record.Flags = []
        if unsafe column == 0 && start > 0 && !YAMLTree.isLineBreak(endingAt: start, in: input) { flags.insert(.startsOnNextLine) }
        var first = 0
        if let inSource = unsafe YAMLTreeBuilder.sourceRange(of: value, in: input, kind: kind, style: style, start: start, end: end) {
            first = inSource
        } else {
            // Escapes can make values longer than their source (`\L` is 2 bytes, its value 3):
            // what is copied must still fit the records' 32-bit positions.
            guard decoded.count + value.count < SourceText.sizeLimit else {
                throw YAMLEditError.tooLarge(bytes: decoded.count + value.count, limit: SourceText.sizeLimit)
            }
            flags.insert(.isDecoded)
            first = decoded.count
            unsafe decoded.append(contentsOf: value)
        }
        let index = append(YAMLTree.Record(start: UInt32(start), end: UInt32(end), startLine: UInt32(line),
                                           first: UInt32(first), count: UInt32(value.count), kind: kind,
                                           style: style, flags: flags), anchor: anchor, tag: tag)
        if kind == .alias { sawAnchorOrAlias = true }
        finish(index)
    }

    /// Where in the source the value's bytes stand as they are: the whole plain scalar, the
    /// inside of the quotes, the name after `*`. Nil when libyaml's value differs (escapes,
    /// folded lines, block scalars), which is then copied.
    private static func sourceRange(of value: UnsafeBufferPointer<UInt8>, in body: UnsafeBufferPointer<UInt8>, kind: YAMLNode.Kind,
                                    style: YAMLScalarStyle, start: Int, end: Int) -> Int? {
        let candidate: Int
        switch (kind, style) {
        case (.alias, _): candidate = start + 1
        case (_, .plain): candidate = start
        case (_, .singleQuoted), (_, .doubleQuoted): candidate = start + 1
        default: return nil
        }
        guard candidate + value.count <= end, candidate + value.count <= body.count else { return nil }
        return unsafe value.isEmpty || memcmp(body.baseAddress! + candidate, value.baseAddress!, value.count) == 0 ? candidate : nil
    }

    private mutating func append(_ record: YAMLTree.Record, anchor: String?, tag: String?) -> UInt32 {
        var record = record
        let index = UInt32(records.count)
        if anchor != nil || tag != nil {
            record.flags.insert(.hasProperties)
            properties[index] = YAMLTree.Properties(anchor: anchor, tag: tag)
            if anchor != nil { sawAnchorOrAlias = true }
        }
        records.append(record)
        return index
    }

    private mutating func finish(_ index: UInt32) {
        if open.isEmpty {
            documents.append(index)
        } else {
            pendingChildren.append(index)
        }
    }
}
