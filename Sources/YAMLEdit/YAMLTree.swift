import Glibc

/// The nodes of one parsed stream, stored flat: a fixed-size record per node and, for every
/// collection, its children's record numbers side by side. A scalar's value is a range of the
/// file's own bytes whenever libyaml's value is exactly those bytes (most keys and values);
/// only values that differ from their source (escapes, folded lines, block scalars) are
/// copied, into one shared buffer.
///
/// Why flat: a large config has millions of nodes. As structs holding a `String` and an array
/// each, every node cost several allocations and about 72 bytes before its text; here a node
/// costs 28 bytes (its record and its place in its parent's list) and no allocation. Walks
/// over every node run on the records (`YAMLTree+Walks.swift`); `YAMLTreeBuilder` builds it.
final class YAMLTree: Sendable {
    /// One node, 24 bytes. 32 bits for positions and lengths: SourceText refuses files of 4 GiB
    /// and more.
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
            /// libyaml ended the body's last line itself (a body without a final line break),
            /// so this block collection ends on the next line, at column 0.
            static let endsOnNextLine = Flags(rawValue: 16)
            /// An empty scalar libyaml made after ending the body's last line itself (`key:`
            /// as the last line, without a line break): it is at column 0 of the next line.
            static let startsOnNextLine = Flags(rawValue: 32)
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

    /// Whether a line break (LF, CR, NEL, LS or PS) ends just before `offset`.
    func isLineBreak(endingAt offset: Int) -> Bool { YAMLTree.isLineBreak(endingAt: offset, in: source.body) }

    /// The same in any bytes: the builder asks it of the input libyaml reads.
    static func isLineBreak<Bytes: RandomAccessCollection<UInt8>>(endingAt offset: Int, in body: Bytes) -> Bool where Bytes.Index == Int {
        guard offset > 0, offset <= body.count else { return false }
        switch body[offset - 1] {
        case 0x0A, 0x0D: return true
        case 0x85: return offset >= 2 && body[offset - 2] == 0xC2
        case 0xA8, 0xA9: return offset >= 3 && body[offset - 2] == 0x80 && body[offset - 3] == 0xE2
        default: return false
        }
    }

    /// The code points between the line break before `offset` (or the start of the body) and
    /// `offset`, as libyaml counts columns. (`SourceText.column(of:)` counts bytes, for
    /// indentation.) It costs the length of the line so far.
    func libyamlColumn(of offset: Int) -> Int {
        var lineStart = offset
        while lineStart > 0 && !isLineBreak(endingAt: lineStart) { lineStart -= 1 }
        return source.body[lineStart..<offset].count(where: { $0 & 0xC0 != 0x80 })
    }

    /// Where a node ends, as libyaml marks it (`endsOnNextLine`: libyaml ended the last line
    /// itself). Without `withColumn` the column is left out (-1), unless it is known to be 0,
    /// and the mark costs only the node's length.
    func endMark(of index: Int, withColumn: Bool = true) -> YAMLMark {
        let record = records[index]
        let end = Int(record.end)
        let line = line(at: end, from: Int(record.start), line: Int(record.startLine))
        if record.flags.contains(.endsOnNextLine) { return YAMLMark(offset: end, line: line + 1, column: 0) }
        if record.flags.contains(.startsOnNextLine) { return YAMLMark(offset: end, line: line, column: 0) }
        let column = withColumn ? libyamlColumn(of: end) : (end == 0 || isLineBreak(endingAt: end) ? 0 : -1)
        return YAMLMark(offset: end, line: line, column: column)
    }

    /// Where a node starts, as libyaml marks it.
    func startMark(of index: Int) -> YAMLMark {
        let record = records[index]
        let start = Int(record.start)
        return YAMLMark(offset: start, line: Int(record.startLine), column: record.flags.contains(.startsOnNextLine) ? 0 : libyamlColumn(of: start))
    }
}
