import CYAML

/// A position in the body of a document, as a byte offset (converted from libyaml's
/// code-point index), with libyaml's 0-based line and column for messages.
public struct YAMLMark: Equatable, Sendable {
    public var offset: Int
    public var line: Int
    public var column: Int
}

public enum YAMLScalarStyle: Sendable, Equatable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// One event of libyaml's event stream, copied out of C memory.
struct YAMLEvent {
    enum Kind: Equatable {
        case streamStart, streamEnd, documentStart, documentEnd
        case mappingStart, mappingEnd, sequenceStart, sequenceEnd, scalar, alias
    }

    var kind: Kind
    var value: String = ""
    var anchor: String?
    var tag: String?
    var style: YAMLScalarStyle = .plain
    var isFlow = false
    var start: YAMLMark
    var end: YAMLMark
}

/// Runs libyaml's parser over the body of a document and returns its whole event stream.
enum YAMLEventParser {
    static func parse(_ source: SourceText) throws -> [YAMLEvent] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLEditError.parseFailed(problem: "libyaml could not be initialised", line: 0, column: 0)
        }
        defer { yaml_parser_delete(&parser) }
        // libyaml keeps a pointer to the input, so the buffer must outlive every parse call.
        var input = source.body
        input.append(0)
        return try input.withUnsafeBufferPointer { buffer -> [YAMLEvent] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, source.body.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var events: [YAMLEvent] = []
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw parseError(parser)
                }
                defer { yaml_event_delete(&event) }
                let copied = copy(event, source)
                events.append(copied)
                if copied.kind == .streamEnd { return events }
            }
        }
    }

    private static func parseError(_ parser: yaml_parser_t) -> YAMLEditError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        var context = ""
        if let ctx = parser.context { context = " " + String(cString: ctx) }
        return .parseFailed(problem: problem + context,
                            line: parser.problem_mark.line + 1,
                            column: parser.problem_mark.column + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func mark(_ mark: yaml_mark_t, _ source: SourceText) -> YAMLMark {
        YAMLMark(offset: source.byteOffset(ofCodePoint: mark.index), line: mark.line, column: mark.column)
    }

    private static func copy(_ event: yaml_event_t, _ source: SourceText) -> YAMLEvent {
        let start = mark(event.start_mark, source)
        let end = mark(event.end_mark, source)
        switch event.type {
        case YAML_STREAM_START_EVENT: return YAMLEvent(kind: .streamStart, start: start, end: end)
        case YAML_STREAM_END_EVENT: return YAMLEvent(kind: .streamEnd, start: start, end: end)
        case YAML_DOCUMENT_START_EVENT: return YAMLEvent(kind: .documentStart, start: start, end: end)
        case YAML_DOCUMENT_END_EVENT: return YAMLEvent(kind: .documentEnd, start: start, end: end)
        case YAML_MAPPING_END_EVENT: return YAMLEvent(kind: .mappingEnd, start: start, end: end)
        case YAML_SEQUENCE_END_EVENT: return YAMLEvent(kind: .sequenceEnd, start: start, end: end)
        case YAML_ALIAS_EVENT:
            return YAMLEvent(kind: .alias, value: string(event.data.alias.anchor) ?? "", start: start, end: end)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            return YAMLEvent(kind: .mappingStart, anchor: string(data.anchor), tag: string(data.tag),
                             isFlow: data.style == YAML_FLOW_MAPPING_STYLE, start: start, end: end)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            return YAMLEvent(kind: .sequenceStart, anchor: string(data.anchor), tag: string(data.tag),
                             isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE, start: start, end: end)
        default:
            let data = event.data.scalar
            // Scalars may contain NUL (from "\0" escapes), so copy by length, not as a C string.
            let bytes = UnsafeBufferPointer(start: data.value, count: data.length)
            let style: YAMLScalarStyle
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            return YAMLEvent(kind: .scalar, value: String(decoding: bytes, as: UTF8.self),
                             anchor: string(data.anchor), tag: string(data.tag), style: style,
                             start: start, end: end)
        }
    }
}
