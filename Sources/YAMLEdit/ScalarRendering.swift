/// Writes a text as YAML scalar source so that a reader gets back exactly that text with the
/// intended type: plain when that is both safe and of the right type, quoted otherwise.
enum ScalarRendering {
    /// - Parameters:
    ///   - type: the type the value must have when read back; `nil` lets a plain text resolve
    ///     to whatever it reads as (a new key, or a key that held an empty value).
    ///   - preferredStyle: the style the old value used; a quoted style is kept where possible.
    ///   - inFlow: inside `[...]` or `{...}`, where `,[]{}` end a plain scalar.
    static func render(_ text: String, as type: ScalarType?, preferredStyle: YAMLScalarStyle,
                       inFlow: Bool) -> (source: String, type: ScalarType)? {
        let plainType = isPlainSafe(text, inFlow: inFlow) ? ScalarType.resolve(text) : nil
        switch type {
        case nil:
            if let plainType, preferredStyle == .plain || plainType != .string {
                return (text, plainType)
            }
            return (quoted(text, preferring: preferredStyle), .string)
        case .string?:
            if plainType == .string && (preferredStyle == .plain || preferredStyle == .literal || preferredStyle == .folded) {
                return (text, .string)
            }
            return (quoted(text, preferring: preferredStyle), .string)
        case let wanted?:
            guard plainType == wanted else { return nil }
            return (text, wanted)
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
                if isPrintable(scalar) {
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
