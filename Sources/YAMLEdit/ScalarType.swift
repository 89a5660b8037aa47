/// The type a YAML reader gives a scalar. Plain scalars are resolved by the union of the
/// YAML 1.1 and 1.2 core schemas (see `YAMLSchema`): the agent's reader is not ours, so a text
/// counts as a string only when neither schema would read it as something else (`yes`,
/// `0777`, `1e3`, `~`…).
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

    /// The first bytes with which a plain scalar can resolve to something else than a string.
    static let mayStartNonString: [Bool] = (0..<256).map { "~nNyYtTfFoO-+.0123456789<=".utf8.contains(UInt8($0)) }

    /// The type of a plain scalar with this text, for a reader of either family: a text counts
    /// as a string only when neither YAML 1.1 nor YAML 1.2 reads it as something else.
    public static func resolve(_ text: String) -> ScalarType {
        let eleven = YAMLSchema.yaml11.resolve(text)
        return eleven != .string ? eleven : YAMLSchema.yaml12.resolve(text)
    }

    /// The same, from a node's bytes (no string is made).
    static func resolve(_ bytes: ArraySlice<UInt8>) -> ScalarType {
        guard let first = bytes.first else { return .null }
        guard mayStartNonString[Int(first)] else { return .string }
        let span = bytes.span
        let eleven = YAMLSchema.yaml11.resolve(span)
        return eleven != .string ? eleven : YAMLSchema.yaml12.resolve(span)
    }
}
