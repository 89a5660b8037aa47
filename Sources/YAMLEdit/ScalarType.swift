/// The type a YAML reader gives a scalar. Plain scalars are resolved by the union of the
/// YAML 1.1 and 1.2 core schemas: the agent's reader is not ours, so a text counts as a string
/// only when neither schema would read it as something else (`yes`, `0777`, `1e3`, `~`…).
public enum ScalarType: String, Sendable, Equatable {
    case null, bool, int, float, timestamp, merge, value, string, other

    public var description: String {
        switch self {
        case .null: return "an empty value"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .float: return "a number"
        case .timestamp: return "a date"
        case .string: return "a string"
        case .merge, .value, .other: return "a special value"
        }
    }

    init(tag: String) {
        switch tag {
        case "tag:yaml.org,2002:str", "!": self = .string
        case "tag:yaml.org,2002:int": self = .int
        case "tag:yaml.org,2002:float": self = .float
        case "tag:yaml.org,2002:bool": self = .bool
        case "tag:yaml.org,2002:null": self = .null
        case "tag:yaml.org,2002:timestamp": self = .timestamp
        default: self = .other
        }
    }

    var tag: String { "tag:yaml.org,2002:" + (self == .string ? "str" : rawValue) }

    nonisolated(unsafe) private static let patterns: [(ScalarType, Regex<AnyRegexOutput>)] = ([
        (.null, #"~|null|Null|NULL|"#),
        (.bool, #"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"#),
        (.int, #"[-+]?(0b[01_]+|0o?[0-7_]+|[0-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)"#),
        (.float, #"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"#),
        (.timestamp, #"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|[ \t]+)?([0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?"#),
        (.merge, #"<<"#),
        (.value, #"="#),
    ] as [(ScalarType, String)]).map { ($0.0, try! Regex($0.1)) }

    /// The first bytes with which a plain scalar can resolve to something else than a string.
    private static let mayStartNonString: [Bool] = (0..<256).map { "~nNyYtTfFoO-+.0123456789<=".utf8.contains(UInt8($0)) }

    /// The type of a plain scalar with this text.
    public static func resolve(_ text: String) -> ScalarType {
        // Most texts (names, URLs, words) start with a character no pattern starts with: no
        // need to run the regular expressions, which dominate the time on large files.
        guard let first = text.utf8.first else { return .null }
        guard mayStartNonString[Int(first)] else { return .string }
        for (type, pattern) in unsafe patterns where (try? pattern.wholeMatch(in: text)) != nil {
            return type
        }
        return .string
    }
}
