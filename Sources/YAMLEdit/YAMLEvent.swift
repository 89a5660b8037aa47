import CYAML

/// A position in the body of a document, as a byte offset (converted from libyaml's
/// code-point index), with libyaml's 0-based line and column for messages.
public struct YAMLMark: Equatable, Sendable {
    // 32 bits each: a node holds three marks and a large config's tree millions of nodes, so
    // this halves what the marks take. SourceText refuses files of 4 GiB and more.
    private var storedOffset: UInt32
    private var storedLine: UInt32
    private var storedColumn: UInt32

    public init(offset: Int, line: Int, column: Int) {
        storedOffset = UInt32(offset)
        storedLine = UInt32(line)
        storedColumn = UInt32(column)
    }

    public var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = UInt32(newValue) }
    }
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(newValue) }
    }
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(newValue) }
    }
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

/// Runs libyaml's parser over the body of a document and builds its documents' node trees
/// as the events arrive (the events themselves are not kept).
enum YAMLEventParser {
    private static let noBytes: StaticString = ""

    static func parse(_ source: SourceText) throws -> (documents: [YAMLNode], usesAnchors: Bool) {
        var parser = unsafe yaml_parser_t()
        guard unsafe yaml_parser_initialize(&parser) == 1 else {
            throw YAMLEditError.parseFailed(problem: "libyaml could not be initialised", line: 0, column: 0)
        }
        defer { unsafe yaml_parser_delete(&parser) }
        // libyaml keeps a pointer to the input, so the buffer must outlive every parse call:
        // all of them happen inside this closure. It reads by length; no NUL is needed.
        let input = source.body
        var marks = MarkConverter(source)
        var builder = YAMLTreeBuilder()
        try unsafe input.withUnsafeBufferPointer { buffer in
            // An empty array may have no storage: then a static empty string, valid for the
            // whole run, stands for the zero bytes.
            let start = unsafe buffer.baseAddress ?? YAMLEventParser.noBytes.utf8Start
            unsafe yaml_parser_set_input_string(&parser, start, buffer.count)
            unsafe yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            while true {
                var event = unsafe yaml_event_t()
                guard unsafe yaml_parser_parse(&parser, &event) == 1 else {
                    throw unsafe parseError(parser, input: input)
                }
                defer { unsafe yaml_event_delete(&event) }
                let copied = unsafe copy(event, &marks)
                try builder.add(copied)
                if copied.kind == .streamEnd { return }
            }
        }
        return (builder.documents, builder.sawAnchorOrAlias)
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

    private static func mark(_ mark: yaml_mark_t, _ marks: inout MarkConverter) -> YAMLMark {
        YAMLMark(offset: marks.byteOffset(ofCodePoint: mark.index), line: mark.line, column: mark.column)
    }

    private static func copy(_ event: yaml_event_t, _ marks: inout MarkConverter) -> YAMLEvent {
        let start = unsafe mark(event.start_mark, &marks)
        let end = unsafe mark(event.end_mark, &marks)
        switch unsafe event.type {
        case YAML_STREAM_START_EVENT: return YAMLEvent(kind: .streamStart, start: start, end: end)
        case YAML_STREAM_END_EVENT: return YAMLEvent(kind: .streamEnd, start: start, end: end)
        case YAML_DOCUMENT_START_EVENT: return YAMLEvent(kind: .documentStart, start: start, end: end)
        case YAML_DOCUMENT_END_EVENT: return YAMLEvent(kind: .documentEnd, start: start, end: end)
        case YAML_MAPPING_END_EVENT: return YAMLEvent(kind: .mappingEnd, start: start, end: end)
        case YAML_SEQUENCE_END_EVENT: return YAMLEvent(kind: .sequenceEnd, start: start, end: end)
        case YAML_ALIAS_EVENT:
            return unsafe YAMLEvent(kind: .alias, value: string(event.data.alias.anchor) ?? "", start: start, end: end)
        case YAML_MAPPING_START_EVENT:
            let data = unsafe event.data.mapping_start
            return unsafe YAMLEvent(kind: .mappingStart, anchor: string(data.anchor), tag: string(data.tag),
                             isFlow: data.style == YAML_FLOW_MAPPING_STYLE, start: start, end: end)
        case YAML_SEQUENCE_START_EVENT:
            let data = unsafe event.data.sequence_start
            return unsafe YAMLEvent(kind: .sequenceStart, anchor: string(data.anchor), tag: string(data.tag),
                             isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE, start: start, end: end)
        default:
            let data = unsafe event.data.scalar
            // Scalars may contain NUL (from "\0" escapes), so copy by length, not as a C string.
            let bytes = unsafe UnsafeBufferPointer(start: data.value, count: data.length)
            let style: YAMLScalarStyle
            switch unsafe data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            return unsafe YAMLEvent(kind: .scalar, value: String(decoding: bytes, as: UTF8.self),
                             anchor: string(data.anchor), tag: string(data.tag), style: style,
                             start: start, end: end)
        }
    }
}
