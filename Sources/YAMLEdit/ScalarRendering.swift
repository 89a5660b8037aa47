/// Writes a text as YAML scalar source so that a reader gets back exactly that text with the
/// intended type: plain when that is both safe and of the right type, quoted otherwise.
public enum ScalarRendering {
    /// - Parameters:
    ///   - type: the type the value must have when read back; `nil` lets a plain text resolve
    ///     to whatever it reads as (a new key, or a key that held an empty value).
    ///   - preferredStyle: the style the old value used; a quoted style is kept where possible.
    ///   - inFlow: inside `[...]` or `{...}`, where `,[]{}` end a plain scalar.
    static func render(_ text: String, as type: ScalarType?, preferredStyle: YAMLScalarStyle,
                       inFlow: Bool) -> (source: String, type: ScalarType)? {
        // Plain only when both reader families read the text alike (same type, same value).
        let portable = isPlainSafe(text, inFlow: inFlow) ? YAMLSchema.portable(text) : nil
        switch type {
        case nil:
            // A new value: typed where both families agree on type and value, else a string.
            if let portable, portable != .string { return (text, portable) }
            if portable == .string && preferredStyle == .plain { return (text, .string) }
            return (quoted(text, preferring: preferredStyle), .string)
        case .string?:
            if portable == .string && (preferredStyle == .plain || preferredStyle == .literal || preferredStyle == .folded) {
                return (text, .string)
            }
            return (quoted(text, preferring: preferredStyle), .string)
        case let wanted?:
            guard portable == wanted else { return nil }
            return (text, wanted)
        }
    }

    /// The portable spelling of a text meant as `type`, with why the given one is not, for
    /// messages: `017` as an integer → "write 17: ...". Nil when there is none to suggest.
    public static func hint(for text: String, as type: ScalarType) -> String? {
        switch type {
        case .int:
            guard let number = portableInteger(for: text), String(number) != text else { return nil }
            let readings = YAMLSchema.readings(of: text)
            if text.contains(":") || text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix("0b") {
                return "write \(number) (\(readings))"
            }
            return "write \(number), a plain decimal number (no '+', leading zeros or underscores: \(readings))"
        case .bool:
            switch text.lowercased() {
            case "y", "yes", "on": return "write true (\(YAMLSchema.readings(of: text)))"
            case "n", "no", "off": return "write false (\(YAMLSchema.readings(of: text)))"
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The number to write instead of an integer spelled in a form YAML readers disagree on
    /// (`017`, `+60`, `-05`, `1_000`, `0x10`, `1:30`): nil when there is none to suggest,
    /// because the text is no integer or overflows.
    public static func portableInteger(for text: String) -> Int? {
        if text.contains(":") || text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix("0b") {
            guard let value = value(of: text, as: .int, in: .yaml11) ?? value(of: text, as: .int, in: .yaml12),
                  let number = Int(value) else { return nil }
            return number
        }
        var digits = Substring(text)
        let negative = digits.first == "-"
        if digits.first == "+" || negative { digits = digits.dropFirst() }
        let cleaned = digits.filter { $0 != "_" }
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(cleaned) else { return nil }
        return negative ? -number : number
    }

    /// The value a schema reads from a plain text of a given type, for messages; nil when it
    /// is not worth saying (strings, nulls) or cannot be computed.
    static func value(of text: String, as type: ScalarType, in schema: YAMLSchema) -> String? {
        switch type {
        case .bool:
            return ["y", "yes", "true", "on"].contains(text.lowercased()) ? "true" : "false"
        case .int:
            var body = Substring(text.filter { $0 != "_" })
            var sign = ""
            if body.first == "+" || body.first == "-" { sign = body.first == "-" ? "-" : ""; body = body.dropFirst() }
            let number: Int?
            if body.contains(":") {
                // Base 60; a long run of fields overflows Int, and then there is no value to name
                // (found by fuzzing: a crash before this check).
                number = body.split(separator: ":").reduce(Optional(0)) { total, part in
                    guard let total, let digit = Int(part) else { return nil }
                    let (shifted, overflow) = total.multipliedReportingOverflow(by: 60)
                    let (sum, carry) = shifted.addingReportingOverflow(digit)
                    return overflow || carry ? nil : sum
                }
            } else if body.hasPrefix("0x") {
                number = Int(body.dropFirst(2), radix: 16)
            } else if body.hasPrefix("0o") {
                number = Int(body.dropFirst(2), radix: 8)
            } else if body.hasPrefix("0b") {
                number = Int(body.dropFirst(2), radix: 2)
            } else if schema == .yaml11 && body.count > 1 && body.hasPrefix("0") {
                number = Int(body.dropFirst(), radix: 8)
            } else {
                number = Int(body)
            }
            return number.map { sign + String($0) }
        case .float:
            return text
        default:
            return nil
        }
    }

    /// A key is written plain when it reads back as the same string, else quoted.
    static func renderKey(_ text: String, inFlow: Bool) -> String {
        if isPlainSafe(text, inFlow: inFlow) && ScalarType.resolve(text) == .string { return text }
        return quoted(text, preferring: .plain)
    }

    static func quoted(_ text: String, preferring style: YAMLScalarStyle) -> String {
        let needsEscapes = text.unicodeScalars.contains { !isPrintable($0) || $0 == "\t" }
        if style == .doubleQuoted || needsEscapes {
            return doubleQuoted(text)
        }
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Text from a file as one terminal line: as it is when every character prints, else in
    /// YAML's double-quoted form with escapes (`"hello\nconfiguration.proxy: …"`), so that a
    /// value cannot fake another line, recolour the terminal or reorder text (bidi controls).
    public static func displayed(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { isPrintable($0) && !(0x202A...0x202E).contains($0.value) && !(0x2066...0x2069).contains($0.value) }
        return plain && !text.hasPrefix("\"") ? text : doubleQuoted(text)
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            case "\u{85}": out += "\\N"
            case "\u{A0}": out += "\\_"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if isPrintable(scalar) && !(0x202A...0x202E).contains(scalar.value) && !(0x2066...0x2069).contains(scalar.value) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// YAML's printable set, minus the characters that libyaml treats as line breaks or that
    /// readers strip (BOM), so that such text is always escaped.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: return true
        case 0x85, 0x2028, 0x2029, 0xFEFF: return false
        case 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Conservative: a text is written plain only when no YAML reader could take any of it
    /// for syntax. Anything doubtful is quoted, which is always correct.
    static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if first == " " || last == " " || last == ":" { return false }
        if text.unicodeScalars.contains(where: { !isPrintable($0) }) { return false }
        // `-`, `?` and `:` start a plain scalar when a non-space follows (`-1`, `-x`).
        let scalars = Array(text.unicodeScalars)
        if "-?:".unicodeScalars.contains(first) {
            if scalars.count < 2 || scalars[1] == " " || (inFlow && ",[]{}".unicodeScalars.contains(scalars[1])) { return false }
        } else if ",[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) {
            return false
        }
        if text.hasPrefix("---") || text.hasPrefix("...") { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        if inFlow && text.unicodeScalars.contains(where: { ",[]{}:#".unicodeScalars.contains($0) }) { return false }
        return true
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
