import Glibc

/// The nodes of one parsed stream, stored flat: a fixed-size record per node and, for every
/// collection, its children's record numbers side by side. A scalar's value is a range of the
/// file's own bytes whenever libyaml's value is exactly those bytes (most keys and values);
/// only values that differ from their source (escapes, folded lines, block scalars) are
/// copied, into one shared buffer.
///
/// Why flat: a large config has millions of nodes. As structs holding a `String` and an array
/// each, every node cost several allocations and about 72 bytes before its text; here a node
/// costs 32 bytes and no allocation, and walking the tree retains nothing per node.
final class YAMLTree: Sendable {
    /// One node, 24 bytes. 32 bits for positions and lengths: SourceText refuses files of 4 GiB and more.
    struct Record: Sendable {
        var start: UInt32
        var end: UInt32
        /// libyaml's line; the end's line is counted from it when asked (`line(at:)`).
        var startLine: UInt32
        /// Scalar or alias: where its value is (in `source` or in `decoded`) and how long.
        /// Collection: where its children start in `children`, and how many.
        var first: UInt32
        var count: UInt32
        var kind: YAMLNode.Kind
        var style: YAMLScalarStyle
        var flags: Flags

        struct Flags: OptionSet, Sendable {
            let rawValue: UInt8
            static let isFlow = Flags(rawValue: 1)
            static let hasProperties = Flags(rawValue: 2)
            /// The value is in `decoded`, not in the source.
            static let isDecoded = Flags(rawValue: 4)
            /// The collection ends with its closing bracket, the byte before its end (a flow
            /// collection; not the implicit one-pair mapping of `[a: b]`, which has none).
            static let endsWithBracket = Flags(rawValue: 8)
        }
    }

    /// An anchor and a tag, which few nodes have.
    struct Properties: Sendable {
        var anchor: String?
        var tag: String?
    }

    /// The body libyaml read (no byte order mark).
    let source: SourceText
    let records: [Record]
    let children: [UInt32]
    let decoded: [UInt8]
    let properties: [UInt32: Properties]

    init(source: SourceText, records: [Record], children: [UInt32], decoded: [UInt8], properties: [UInt32: Properties]) {
        self.source = source
        self.records = records
        self.children = children
        self.decoded = decoded
        self.properties = properties
    }

    /// The bytes of a scalar's value or an alias's anchor name.
    func value(of index: Int) -> ArraySlice<UInt8> {
        let record = records[index]
        let range = Int(record.first)..<Int(record.first) + Int(record.count)
        guard record.kind == .scalar || record.kind == .alias else { return [] }
        return record.flags.contains(.isDecoded) ? decoded[range] : source.body[range]
    }

    /// Whether a scalar's value is exactly `text`, compared without making a string.
    func value(of index: Int, equals text: String) -> Bool {
        let bytes = value(of: index)
        var text = text
        return text.withUTF8 { text in
            unsafe bytes.withUnsafeBufferPointer { bytes in
                unsafe bytes.count == text.count && (text.isEmpty || memcmp(bytes.baseAddress!, text.baseAddress!, text.count) == 0)
            }
        }
    }

    /// Whether two nodes' values have the same bytes (the nodes may be in different trees).
    func value(of index: Int, equalsValueOf other: Int, in tree: YAMLTree) -> Bool {
        let mine = value(of: index), theirs = tree.value(of: other)
        guard mine.count == theirs.count else { return false }
        return unsafe mine.withUnsafeBufferPointer { a in
            unsafe theirs.withUnsafeBufferPointer { b in unsafe a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
    }

    /// Whether a reader gets the same from two subtrees (the rule of `EditVerification.same`:
    /// kinds, values, anchors, tags, the types of scalars written differently, and children),
    /// compared record by record with no handle made per node and no retain per value: the
    /// verification compares every node of a large file this way.
    func readsAlike(_ index: Int, _ other: Int, in tree: YAMLTree) -> Bool {
        unsafe withValues { mine in
            unsafe tree.withValues { theirs in
                var pending = [(index, other)]
                while let (ourIndex, theirIndex) = pending.popLast() {
                    let a = records[ourIndex], b = tree.records[theirIndex]
                    guard a.kind == b.kind else { return false }
                    var ours: Properties?, others: Properties?
                    if a.flags.contains(.hasProperties) { ours = properties[UInt32(ourIndex)] }
                    if b.flags.contains(.hasProperties) { others = tree.properties[UInt32(theirIndex)] }
                    guard ours?.anchor == others?.anchor else { return false }
                    switch a.kind {
                    case .alias:
                        guard unsafe ValueBytes.equal(mine.of(a), theirs.of(b)) else { return false }
                    case .scalar:
                        guard unsafe ValueBytes.equal(mine.of(a), theirs.of(b)) else { return false }
                        if a.style == b.style && ours?.tag == others?.tag { continue }
                        let type = scalarType(ourIndex, tag: ours?.tag), otherType = tree.scalarType(theirIndex, tag: others?.tag)
                        guard type == otherType, type != .other || ours?.tag == others?.tag else { return false }
                    case .mapping, .sequence:
                        guard ours?.tag == others?.tag, a.count == b.count else { return false }
                        for offset in 0..<Int(a.count) {
                            pending.append((Int(children[Int(a.first) + offset]), Int(tree.children[Int(b.first) + offset])))
                        }
                    }
                }
                return true
            }
        }
    }

    /// The value bytes of a tree's records, through pointers that are valid for one walk.
    @unsafe struct ValueBytes {
        let body: UnsafeBufferPointer<UInt8>
        let decoded: UnsafeBufferPointer<UInt8>

        func of(_ record: Record) -> UnsafeBufferPointer<UInt8> {
            let range = Int(record.first)..<Int(record.first) + Int(record.count)
            return unsafe UnsafeBufferPointer(rebasing: (record.flags.contains(.isDecoded) ? decoded : body)[range])
        }

        static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            unsafe a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
        }
    }

    func withValues<R>(_ body: (ValueBytes) -> R) -> R {
        unsafe source.body.withUnsafeBufferPointer { source in
            unsafe decoded.withUnsafeBufferPointer { decoded in unsafe body(ValueBytes(body: source, decoded: decoded)) }
        }
    }

    /// The entries (0-based) of a mapping whose key is the scalar `text`, at most `limit` of
    /// them, found with no handle or retain per key (a lookup runs over every key of a large
    /// section).
    func entries(withKey text: String, inMapping index: Int, limit: Int) -> [Int] {
        let record = records[index]
        var found: [Int] = []
        var text = text
        text.withUTF8 { text in
            unsafe withValues { values in
                var position = Int(record.first)
                let end = Int(record.first + record.count) - 1
                while position < end && found.count < limit {
                    let key = records[Int(children[position])]
                    if key.kind == .scalar, unsafe ValueBytes.equal(values.of(key), text) {
                        found.append((position - Int(record.first)) / 2)
                    }
                    position += 2
                }
            }
        }
        return found
    }

    /// The first mapping, in document order, with a scalar key twice: the record numbers of
    /// the earlier key and of its repetition. One pass over the records; a table of key hashes
    /// only for mappings of more than eight entries.
    func firstDuplicateKey() -> (earlier: Int, key: Int)? {
        unsafe withValues { values in
            for record in records where record.kind == .mapping && record.count >= 4 {
                let keys = stride(from: Int(record.first), to: Int(record.first + record.count) - 1, by: 2).lazy
                    .map { Int(self.children[$0]) }.filter { self.records[$0].kind == .scalar }
                if record.count <= 16 {
                    for (position, key) in keys.enumerated() {
                        let bytes = unsafe values.of(records[key])
                        if let earlier = keys.prefix(position).first(where: { unsafe ValueBytes.equal(values.of(records[$0]), bytes) }) {
                            return (earlier, key)
                        }
                    }
                    continue
                }
                // Keys are told apart by a 64-bit FNV-1a hash of their bytes (cheaper than
                // String's hashing on a mapping of 150,000 keys); equal hashes are compared.
                var seen: [UInt64: Int] = [:]
                seen.reserveCapacity(Int(record.count) / 2)
                for key in keys {
                    let bytes = unsafe values.of(records[key])
                    guard let earlier = unsafe seen.updateValue(key, forKey: YAMLTree.fingerprint(bytes)) else { continue }
                    if unsafe ValueBytes.equal(values.of(records[earlier]), bytes) { return (earlier, key) }
                    // Two keys with one hash: rare; this mapping is checked exactly.
                    var first: [String: Int] = [:]
                    for key in keys {
                        if let earlier = first.updateValue(key, forKey: String(decoding: value(of: key), as: UTF8.self)) { return (earlier, key) }
                    }
                    break
                }
            }
            return nil
        }
    }

    private static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for unsafe byte in unsafe bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return hash
    }

    /// The keys leading from `root` to the node `target` (lists add no component): records are
    /// in document order, so each collection's child whose subtree holds `target` is the last
    /// one that starts at or before it.
    func keys(from root: Int, to target: Int) -> [String] {
        var keys: [String] = []
        var node = root
        while node != target {
            let record = records[node]
            guard record.kind == .mapping || record.kind == .sequence, record.count > 0 else { break }
            let range = Int(record.first)..<Int(record.first + record.count)
            guard let position = range.last(where: { Int(children[$0]) <= target }) else { break }
            if record.kind == .mapping && (position - range.lowerBound) % 2 == 1 {
                keys.append(String(decoding: value(of: Int(children[position - 1])), as: UTF8.self))
            }
            node = Int(children[position])
        }
        return keys
    }

    /// A scalar's type for a reader: its tag's, a string when quoted or a block, else resolved.
    func scalarType(_ index: Int, tag: String?) -> ScalarType {
        if let tag { return ScalarType(tag: tag) }
        return records[index].style == .plain ? ScalarType.resolve(value(of: index)) : .string
    }

    /// The line `offset` is on, counted from a node's start as libyaml counts lines: a line
    /// feed, a carriage return (with its line feed, once), NEL, LS and PS each end one.
    func line(at offset: Int, from start: Int, line: Int) -> Int {
        let body = source.body
        var line = line, index = start
        while index < min(offset, body.count) {
            switch body[index] {
            case 0x0A: line += 1
            case 0x0D where index + 1 >= body.count || body[index + 1] != 0x0A: line += 1
            case 0xC2 where index + 1 < body.count && body[index + 1] == 0x85: line += 1
            case 0xE2 where index + 2 < body.count && body[index + 1] == 0x80 && (body[index + 2] == 0xA8 || body[index + 2] == 0xA9):
                line += 1
            default: break
            }
            index += 1
        }
        return line
    }

    /// The code points between the line break before `offset` (or the start of the body) and
    /// `offset`, as libyaml counts columns: LF, CR, NEL, LS and PS end lines.
    func column(of offset: Int) -> Int {
        let body = source.body
        var lineStart = offset
        while lineStart > 0 {
            let byte = body[lineStart - 1]
            if byte == 0x0A || byte == 0x0D { break }
            if byte == 0x85 && lineStart >= 2 && body[lineStart - 2] == 0xC2 { break }
            if (byte == 0xA8 || byte == 0xA9) && lineStart >= 3 && body[lineStart - 2] == 0x80 && body[lineStart - 3] == 0xE2 { break }
            lineStart -= 1
        }
        return body[lineStart..<offset].count(where: { $0 & 0xC0 != 0x80 })
    }

    /// Where a node ends, as libyaml marks it. At the end of a body that does not end with a
    /// line break, libyaml ends the last line itself before it closes the block collections
    /// still open: their end is on the next line, at column 0.
    func endMark(of index: Int) -> YAMLMark {
        let record = records[index]
        let end = Int(record.end)
        var line = line(at: end, from: Int(record.start), line: Int(record.startLine)), column = column(of: end)
        if (record.kind == .mapping || record.kind == .sequence) && !record.flags.contains(.endsWithBracket)
            && end == source.body.count && column != 0 {
            line += 1
            column = 0
        }
        return YAMLMark(offset: end, line: line, column: column)
    }
}

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

    /// A mapping or sequence starts.
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
    /// wide is a flow collection's closing bracket.
    mutating func closeCollection(closeStart: Int, end: Int) {
        let (index, firstPending) = open.removeLast()
        let first = children.count
        children.append(contentsOf: pendingChildren[firstPending...])
        pendingChildren.removeSubrange(firstPending...)
        var record = records[Int(index)]
        record.first = UInt32(first)
        record.count = UInt32(children.count - first)
        record.end = UInt32(end)
        if end == closeStart + 1 { record.flags.insert(.endsWithBracket) }
        records[Int(index)] = record
        finish(index)
    }

    /// A scalar, or an alias (whose value is its anchor's name). `value` is libyaml's buffer;
    /// `input` the body libyaml reads, lent for the parse (not the array, which each scalar
    /// would retain and release).
    mutating func addScalar(_ kind: YAMLNode.Kind, value: UnsafeBufferPointer<UInt8>, style: YAMLScalarStyle,
                            start: Int, end: Int, line: Int, anchor: String?, tag: String?, input: UnsafeBufferPointer<UInt8>) {
        var flags: YAMLTree.Record.Flags = []
        var first = 0
        if let inSource = unsafe YAMLTreeBuilder.sourceRange(of: value, in: input, kind: kind, style: style, start: start, end: end) {
            first = inSource
        } else {
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
