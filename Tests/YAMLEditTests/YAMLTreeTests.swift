import Testing
import TestSupport
import CYAML
@testable import YAMLEdit

/// The flat tree against libyaml itself, node by node, on the yaml-test-suite corpus: what the
/// tree keeps (kinds, styles, anchors, tags, values pointing into the source) and what it
/// works out when asked (end lines, columns, a flow collection's closing bracket) must be what
/// libyaml's events say.
@Suite struct YAMLTreeTests {
    /// One node as libyaml's events describe it, in document order.
    struct EventNode: Equatable, CustomStringConvertible {
        var kind: YAMLNode.Kind
        var value: [UInt8]
        var style: YAMLScalarStyle
        var anchor: String?
        var tag: String?
        var startOffset: Int
        var startLine: Int
        var startColumn: Int
        var endOffset: Int
        var endLine: Int
        /// A flow collection's end event's start: its closing bracket.
        var closeOffset: Int?

        var description: String {
            "\(kind) \(String(decoding: value, as: UTF8.self).debugDescription) \(style) &\(anchor ?? "") !\(tag ?? "") "
                + "\(startOffset)@\(startLine):\(startColumn)-\(endOffset)@\(endLine) close \(closeOffset.map(String.init) ?? "-")"
        }
    }

    /// libyaml's nodes for a body, with its code point indexes made byte offsets here.
    static func libyamlNodes(_ body: [UInt8]) -> [EventNode]? {
        var byteOffset: [Int] = []
        for (offset, byte) in body.enumerated() where byte & 0xC0 != 0x80 { byteOffset.append(offset) }
        byteOffset.append(body.count)
        func offset(_ mark: yaml_mark_t) -> Int { byteOffset[min(mark.index, byteOffset.count - 1)] }
        func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            unsafe pointer.map { unsafe String(cString: $0) }
        }
        var parser = unsafe yaml_parser_t()
        guard unsafe yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { unsafe yaml_parser_delete(&parser) }
        var nodes: [EventNode] = []
        var open: [Int] = []
        let ok = unsafe body.withUnsafeBufferPointer { buffer -> Bool in
            let empty: StaticString = ""
            unsafe yaml_parser_set_input_string(&parser, buffer.baseAddress ?? empty.utf8Start, buffer.count)
            while true {
                var event = unsafe yaml_event_t()
                guard unsafe yaml_parser_parse(&parser, &event) == 1 else { return false }
                defer { unsafe yaml_event_delete(&event) }
                let start = unsafe event.start_mark, end = unsafe event.end_mark
                var node = EventNode(kind: .scalar, value: [], style: .plain, startOffset: offset(start), startLine: start.line,
                                     startColumn: start.column, endOffset: offset(end), endLine: end.line)
                switch unsafe event.type {
                case YAML_STREAM_END_EVENT:
                    return true
                case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                    let isMapping = unsafe event.type == YAML_MAPPING_START_EVENT
                    node.kind = isMapping ? .mapping : .sequence
                    if isMapping {
                        let data = unsafe event.data.mapping_start
                        (node.anchor, node.tag) = unsafe (string(data.anchor), string(data.tag))
                        if unsafe data.style == YAML_FLOW_MAPPING_STYLE { node.closeOffset = -1 }
                    } else {
                        let data = unsafe event.data.sequence_start
                        (node.anchor, node.tag) = unsafe (string(data.anchor), string(data.tag))
                        if unsafe data.style == YAML_FLOW_SEQUENCE_STYLE { node.closeOffset = -1 }
                    }
                    open.append(nodes.count)
                    nodes.append(node)
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    let index = open.removeLast()
                    nodes[index].endOffset = offset(end)
                    nodes[index].endLine = end.line
                    if nodes[index].closeOffset != nil { nodes[index].closeOffset = offset(start) }
                case YAML_ALIAS_EVENT:
                    node.kind = .alias
                    node.value = unsafe Array(string(event.data.alias.anchor)!.utf8)
                    nodes.append(node)
                case YAML_SCALAR_EVENT:
                    let data = unsafe event.data.scalar
                    node.value = unsafe Array(UnsafeBufferPointer(start: data.value, count: data.length))
                    (node.anchor, node.tag) = unsafe (string(data.anchor), string(data.tag))
                    switch unsafe data.style {
                    case YAML_SINGLE_QUOTED_SCALAR_STYLE: node.style = .singleQuoted
                    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: node.style = .doubleQuoted
                    case YAML_LITERAL_SCALAR_STYLE: node.style = .literal
                    case YAML_FOLDED_SCALAR_STYLE: node.style = .folded
                    default: node.style = .plain
                    }
                    nodes.append(node)
                default:
                    break
                }
            }
        }
        return ok ? nodes : nil
    }

    /// The tree's nodes in document order, described by the tree's own accessors.
    static func treeNodes(_ source: SourceText) throws -> [EventNode] {
        let (tree, documents, _) = try YAMLParser.parse(source)
        var nodes: [EventNode] = []
        var pending = documents.reversed().map { YAMLNode(tree, $0) }
        while let node = pending.popLast() {
            let start = node.start, end = node.end
            nodes.append(EventNode(kind: node.kind, value: Array(node.valueBytes), style: node.style, anchor: node.anchor,
                                   tag: node.tag, startOffset: start.offset, startLine: start.line, startColumn: start.column,
                                   endOffset: end.offset, endLine: end.line,
                                   closeOffset: (node.kind == .mapping || node.kind == .sequence) && node.isFlow ? node.closeOffset : nil))
            pending += node.children.reversed()
        }
        return nodes
    }

    @Test(.enabled(if: YAMLTestSuite.available, "the yaml-test-suite corpus is not present"))
    func everyNodeOfTheCorpusIsWhatLibyamlSays() throws {
        var compared = 0, inSource = 0, nodes = 0
        for input in YAMLTestSuite.inputs() {
            let bytes = readFile(input)
            // The line breaks libyaml counts besides LF: CRLF, a lone CR, NEL, LS; and a
            // multi-byte prefix, so that columns and offsets are not code point indexes.
            var unterminated = bytes
            while unterminated.last == 0x0A || unterminated.last == 0x0D { unterminated.removeLast() }
            let variants: [[UInt8]] = [bytes, bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] },
                                       bytes.flatMap { $0 == 0x0A ? [0x0D] : [$0] }, Array("# é ☕ 𝄞\u{85}# \u{2028}\n".utf8) + bytes,
                                       unterminated, unterminated + Array("\n  # a last comment, less indented".utf8)]
            for variant in variants {
                guard let source = try? SourceText(variant), let expected = YAMLTreeTests.libyamlNodes(source.body) else { continue }
                let actual = try YAMLTreeTests.treeNodes(source)
                #expect(actual.count == expected.count, "\(input)")
                for (mine, theirs) in zip(actual, expected) where mine != theirs {
                    Issue.record("\(input): the tree has \(mine), libyaml says \(theirs)")
                    break
                }
                compared += 1
                let (tree, _, _) = try YAMLParser.parse(source)
                nodes += tree.records.count
                inSource += tree.records.count(where: { ($0.kind == .scalar || $0.kind == .alias) && !$0.flags.contains(.isDecoded) })
            }
        }
        #expect(compared > 800, "only \(compared) documents compared")
        #expect(inSource > nodes / 3, "values in the source: \(inSource) of \(nodes) nodes")
    }

    /// At the end of a body without a final line break, libyaml closes the collections deeper
    /// than the last line where that line is, and ends the line itself before closing the rest.
    @Test func collectionsEndWhereLibyamlEndsThem() throws {
        for text in ["a:\n  b:\n    c: 1\n  #", "a:\n  b:\n    c: 1", "a:\n  - [x, y]\n  - z", "a:\n  b: 1\n# end"] {
            let source = try SourceText(Array(text.utf8))
            let expected = try #require(YAMLTreeTests.libyamlNodes(source.body))
            #expect(try YAMLTreeTests.treeNodes(source) == expected, "\(text.debugDescription)")
        }
    }

    @Test func valuesThatDifferFromTheirSourceAreCopied() throws {
        let text = "a: plain\nb: 'it''s'\nc: \"tab\\there\"\nd: |\n  block\ne: *x\nf: \"same\"\ng: multi\n  line\n"
        let source = try SourceText(Array(text.utf8))
        let (tree, _, _) = try YAMLParser.parse(source)
        let decoded = tree.records.filter { $0.flags.contains(.isDecoded) }.map { String(decoding: tree.decoded[Int($0.first)..<Int($0.first + $0.count)], as: UTF8.self) }
        #expect(decoded == ["it's", "tab\there", "block\n", "multi line"])
    }

    /// A null is a null with an anchor too (`proxy: &p ~` holds no proxy), not with a tag.
    @Test func anAnchoredNullIsNullATaggedOneIsNot() throws {
        let document = try YAMLDocument(Array("a: &x ~\nb: !!str ~\nc: ~\nd: '~'\n".utf8))
        let values = Array(try #require(document.root).entries.map(\.value.isNull))
        #expect(values == [true, false, true, false])
    }

    /// A record is 24 bytes: the tree's size per node is part of its design (issue 26).
    @Test func aRecordIsTwentyFourBytes() {
        #expect(MemoryLayout<YAMLTree.Record>.stride == 24)
    }
}
