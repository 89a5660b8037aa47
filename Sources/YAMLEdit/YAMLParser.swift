import CYAML
import Glibc

/// Runs libyaml's parser over the body of a document and builds its documents' flat tree as
/// the events arrive. Events are read in libyaml's memory and not kept.
enum YAMLParser {
    private static let noBytes: StaticString = ""

    static func parse(_ source: SourceText) throws -> (tree: YAMLTree, documents: [Int], usesAnchors: Bool) {
        var parser = unsafe yaml_parser_t()
        guard unsafe yaml_parser_initialize(&parser) == 1 else {
            throw YAMLEditError.parseFailed(problem: "libyaml could not be initialised", line: 0, column: 0)
        }
        defer { unsafe yaml_parser_delete(&parser) }
        // libyaml keeps a pointer to the input, so the buffer must outlive every parse call:
        // all of them happen inside this closure. It reads by length; no NUL is needed.
        let input = source.body
        var marks = MarkConverter(source)
        var builder = YAMLTreeBuilder(source: source, expectedBytes: input.count)
        try unsafe input.withUnsafeBufferPointer { buffer in
            // An empty array may have no storage: then a static empty string, valid for the
            // whole run, stands for the zero bytes.
            let start = unsafe buffer.baseAddress ?? YAMLParser.noBytes.utf8Start
            unsafe yaml_parser_set_input_string(&parser, start, buffer.count)
            unsafe yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            while true {
                var event = unsafe yaml_event_t()
                guard unsafe yaml_parser_parse(&parser, &event) == 1 else {
                    throw unsafe parseError(parser, input: input)
                }
                defer { unsafe yaml_event_delete(&event) }
                if unsafe event.type == YAML_STREAM_END_EVENT { return }
                try unsafe add(event, to: &builder, &marks, input: buffer)
            }
        }
        return (builder.tree(), builder.documents.map { Int($0) }, builder.sawAnchorOrAlias)
    }

    private static func add(_ event: yaml_event_t, to builder: inout YAMLTreeBuilder, _ marks: inout MarkConverter,
                            input: UnsafeBufferPointer<UInt8>) throws {
        let start = unsafe marks.byteOffset(ofCodePoint: event.start_mark.index)
        let line = unsafe event.start_mark.line
        switch unsafe event.type {
        case YAML_MAPPING_START_EVENT:
            let data = unsafe event.data.mapping_start
            try unsafe builder.openCollection(.mapping, isFlow: data.style == YAML_FLOW_MAPPING_STYLE, start: start, line: line,
                                              anchor: string(data.anchor), tag: string(data.tag))
        case YAML_SEQUENCE_START_EVENT:
            let data = unsafe event.data.sequence_start
            try unsafe builder.openCollection(.sequence, isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE, start: start, line: line,
                                              anchor: string(data.anchor), tag: string(data.tag))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            unsafe builder.closeCollection(closeStart: start, end: marks.byteOffset(ofCodePoint: event.end_mark.index),
                                           endColumn: event.end_mark.column, input: input)
        case YAML_ALIAS_EVENT:
            let anchor = unsafe event.data.alias.anchor
            let name = unsafe UnsafeBufferPointer(start: anchor, count: anchor.map { unsafe strlen($0) } ?? 0)
            try unsafe builder.addScalar(.alias, value: name, style: .plain, start: start,
                                     end: marks.byteOffset(ofCodePoint: event.end_mark.index), line: line,
                                     column: event.start_mark.column,
                                     anchor: nil, tag: nil, input: input)
        case YAML_SCALAR_EVENT:
            let data = unsafe event.data.scalar
            // Scalars may contain NUL (from "\0" escapes): read by length, not as a C string.
            let bytes = unsafe UnsafeBufferPointer(start: data.value, count: data.length)
            let style: YAMLScalarStyle
            switch unsafe data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            try unsafe builder.addScalar(.scalar, value: bytes, style: style, start: start,
                                     end: marks.byteOffset(ofCodePoint: event.end_mark.index), line: line,
                                     column: event.start_mark.column,
                                     anchor: string(data.anchor), tag: string(data.tag), input: input)
        default:
            // Stream and document starts and ends: a document's root is its first node.
            break
        }
    }

    private static func parseError(_ parser: yaml_parser_t, input: [UInt8]) -> YAMLEditError {
        let problem = unsafe parser.problem.map { unsafe String(cString: $0) } ?? "unknown error"
        var context = ""
        if let ctx = unsafe parser.context { context = unsafe " " + String(cString: ctx) }
        // The reader (a NUL, a control character, bad UTF-8) gives a byte offset, not a mark:
        // its line and column are counted here.
        if unsafe parser.error == YAML_READER_ERROR {
            let offset = min(unsafe parser.problem_offset, input.count)
            let before = input[..<offset]
            let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
            let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            let column = String(decoding: input[lineStart..<offset], as: UTF8.self).count + 1
            return .parseFailed(problem: problem + context, line: line, column: column)
        }
        return unsafe .parseFailed(problem: problem + context,
                            line: parser.problem_mark.line + 1,
                            column: parser.problem_mark.column + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer = unsafe pointer else { return nil }
        return unsafe String(cString: pointer)
    }
}
