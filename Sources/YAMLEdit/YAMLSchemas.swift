/// How the two families of YAML readers resolve a plain scalar, and which plain texts they
/// read alike.
///
/// YAML 1.1 readers (PyYAML, Go yaml.v2, Ruby Psych, most libyaml-based loaders) and YAML 1.2
/// core-schema readers (Go yaml.v3, ruamel.yaml, serde_yaml) disagree: `on` is true to the
/// first and a string to the second, `017` is 15 or 17, `0o17` a string or 15, `12:30` 750 or
/// a string, `1e3` a string or 1000. The agent's reader is not ours, so a value we write is
/// plain only when both families read it as the same thing (`portable`); the patterns are the
/// resolvers of PyYAML (with yaml.v2's y/n) and of the YAML 1.2 spec's core schema.
public enum YAMLSchema: String, Sendable, CaseIterable {
    case yaml11 = "YAML 1.1"
    case yaml12 = "YAML 1.2"

    /// The type this schema gives a plain scalar with this text: the resolvers' grammars
    /// (`ScalarMatchers`, each written beside its regular expression) in the schema's order.
    public func resolve(_ text: String) -> ScalarType {
        guard let first = text.utf8.first else { return .null }
        guard ScalarType.mayStartNonString[Int(first)] else { return .string }
        return resolve(text.utf8.span)
    }

    func resolve(_ bytes: Span<UInt8>) -> ScalarType {
        typealias M = ScalarMatchers
        switch self {
        case .yaml11:
            if M.isNull(bytes) { return .null }
            if M.isBool11(bytes) { return .bool }
            if M.isInt11(bytes) { return .int }
            if M.isFloat11(bytes) { return .float }
            if M.isTimestamp(bytes) { return .timestamp }
            if bytes.count == 2 && bytes[0] == UInt8(ascii: "<") && bytes[1] == UInt8(ascii: "<") { return .merge }
            if bytes.count == 1 && bytes[0] == UInt8(ascii: "=") { return .value }
        case .yaml12:
            if M.isNull(bytes) { return .null }
            if M.isBool12(bytes) { return .bool }
            if M.isInt12(bytes) { return .int }
            if M.isFloat12(bytes) { return .float }
        }
        return .string
    }

    /// The type both families give this plain text, with the same value; nil when they differ
    /// in type or in value. Typed forms that qualify: decimal integers without sign, leading
    /// zeros or underscores (`0`, `60`, `-5`); decimal fractions with digits on both sides of
    /// the point (`0.5`, `-1.25`, `1.5e+3`); `true`/`True`/`TRUE`, `false`/`False`/`FALSE`;
    /// `null`/`Null`/`NULL`/`~`. Every other text is portable only as a string, and only when
    /// neither family reads it as anything else.
    public static func portable(_ text: String) -> ScalarType? {
        let eleven = YAMLSchema.yaml11.resolve(text), twelve = YAMLSchema.yaml12.resolve(text)
        if eleven == .string && twelve == .string { return .string }
        guard eleven == twelve, !text.isEmpty else { return nil }
        switch eleven {
        case .int: return ScalarMatchers.isPortableInt(text.utf8.span) ? .int : nil
        case .float: return ScalarMatchers.isPortableFloat(text.utf8.span) ? .float : nil
        case .bool, .null: return eleven
        default: return nil
        }
    }

    /// Whether every schema reads the text as the same type and value (`0x1F` is 31 to
    /// both; `017` is 15 to YAML 1.1 and 17 to YAML 1.2): what getConfig warns about.
    public static func readersAgree(on text: String) -> Bool {
        let readings = allCases.map { schema -> (ScalarType, String?) in
            let type = schema.resolve(text)
            return (type, ScalarRendering.value(of: text, as: type, in: schema))
        }
        return readings.allSatisfy { $0.0 == readings[0].0 && $0.1 == readings[0].1 }
    }

    /// How a text that is not portable reads in each family, for messages:
    /// `yes` → "a boolean (true) in YAML 1.1, a string in YAML 1.2".
    public static func readings(of text: String) -> String {
        allCases.map { schema in
            let type = schema.resolve(text)
            let value = ScalarRendering.value(of: text, as: type, in: schema).map { " (\($0))" } ?? ""
            return "\(type.description)\(value) in \(schema.rawValue)"
        }.joined(separator: ", ")
    }
}
