/// The resolvers of `YAMLSchema`, written as matchers over a plain scalar's UTF-8 bytes
/// instead of Swift Regex: each function says whether the whole text matches one of the
/// grammars below (PyYAML's YAML 1.1 resolvers, with yaml.v2's y/n; the YAML 1.2 core
/// schema). The grammars, as regular expressions, are kept beside each function, and the
/// tests check every function against them on the yaml-test-suite's scalars and a generated
/// table. Nothing here allocates: the text is read through a `Span`.
enum ScalarMatchers {
    typealias Bytes = Span<UInt8>

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isOctal(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x37 }
    static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46) }
    static func isSign(_ byte: UInt8) -> Bool { byte == 0x2B || byte == 0x2D }
    static let underscore = UInt8(ascii: "_"), dot = UInt8(ascii: "."), colon = UInt8(ascii: ":")

    /// Whether the text is one of `words`.
    static func isOneOf(_ text: Bytes, _ words: [String]) -> Bool {
        for word in words where word.utf8.count == text.count && equals(text, word) { return true }
        return false
    }

    private static func equals(_ text: Bytes, _ word: String) -> Bool {
        var index = 0
        for byte in word.utf8 {
            if text[index] != byte { return false }
            index += 1
        }
        return true
    }

    /// At least one byte from `start` that all satisfy `accept`, up to the end.
    static func allFrom(_ text: Bytes, _ start: Int, atLeastOne: Bool = true, _ accept: (UInt8) -> Bool) -> Bool {
        guard start <= text.count, !atLeastOne || start < text.count else { return false }
        var index = start
        while index < text.count {
            if !accept(text[index]) { return false }
            index += 1
        }
        return true
    }

    /// `~|null|Null|NULL`
    static func isNull(_ text: Bytes) -> Bool { isOneOf(text, ["~", "null", "Null", "NULL"]) }

    /// `y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF`
    static func isBool11(_ text: Bytes) -> Bool {
        isOneOf(text, ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
                              "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"])
    }

    /// `true|True|TRUE|false|False|FALSE`
    static func isBool12(_ text: Bytes) -> Bool { isOneOf(text, ["true", "True", "TRUE", "false", "False", "FALSE"]) }

    /// `[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`
    static func isInt11(_ text: Bytes) -> Bool {
        var start = 0
        if start < text.count && isSign(text[start]) { start += 1 }
        guard start < text.count else { return false }
        let first = text[start]
        if first == UInt8(ascii: "0") {
            if start + 1 == text.count { return true }
            let second = text[start + 1]
            if second == UInt8(ascii: "b") { return allFrom(text, start + 2) { $0 == 0x30 || $0 == 0x31 || $0 == underscore } }
            if second == UInt8(ascii: "x") { return allFrom(text, start + 2) { isHex($0) || $0 == underscore } }
            return allFrom(text, start + 1) { isOctal($0) || $0 == underscore }
        }
        guard first >= 0x31 && first <= 0x39 else { return false }
        // [1-9][0-9_]* then, optionally, the sexagesimal part (:[0-5]?[0-9])+
        var index = start + 1
        while index < text.count && (isDigit(text[index]) || text[index] == underscore) { index += 1 }
        return index == text.count || isSexagesimalTail(text, index)
    }

    /// `(:[0-5]?[0-9])+` from `start` to the end.
    static func isSexagesimalTail(_ text: Bytes, _ start: Int) -> Bool {
        var index = start
        guard index < text.count else { return false }
        while index < text.count {
            guard text[index] == colon else { return false }
            index += 1
            // [0-5]?[0-9]: one digit, or two with the first 0-5
            guard index < text.count && isDigit(text[index]) else { return false }
            if index + 1 < text.count && isDigit(text[index + 1]) {
                guard text[index] <= UInt8(ascii: "5") else { return false }
                index += 2
            } else {
                index += 1
            }
        }
        return true
    }

    /// `[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+`
    static func isInt12(_ text: Bytes) -> Bool {
        guard !text.isEmpty else { return false }
        if text.count > 2 && text[0] == UInt8(ascii: "0") && text[1] == UInt8(ascii: "o") { return allFrom(text, 2, isOctal) }
        if text.count > 2 && text[0] == UInt8(ascii: "0") && text[1] == UInt8(ascii: "x") { return allFrom(text, 2, isHex) }
        let start = isSign(text[0]) ? 1 : 0
        return allFrom(text, start, isDigit)
    }

    /// `.inf|.Inf|.INF` after an optional sign, `.nan|.NaN|.NAN` without one.
    static func isSpecialFloat(_ text: Bytes) -> Bool {
        if isOneOf(text, [".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"]) {
            return true
        }
        return false
    }

    /// `[eE][-+][0-9]+` (YAML 1.1: the sign is required) from `start` to the end.
    static func isExponent(_ text: Bytes, _ start: Int, signRequired: Bool) -> Bool {
        var index = start
        guard index < text.count && (text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E")) else { return false }
        index += 1
        if index < text.count && isSign(text[index]) {
            index += 1
        } else if signRequired {
            return false
        }
        return allFrom(text, index, isDigit)
    }

    /// `[-+]?([0-9][0-9_]*)\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9_]+([eE][-+][0-9]+)?|
    /// [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)`
    static func isFloat11(_ text: Bytes) -> Bool {
        if isSpecialFloat(text) { return true }
        guard !text.isEmpty else { return false }
        // \.[0-9_]+ with an optional exponent, no sign
        if text[0] == dot {
            var index = 1
            while index < text.count && (isDigit(text[index]) || text[index] == underscore) { index += 1 }
            guard index > 1 else { return false }
            return index == text.count || isExponent(text, index, signRequired: true)
        }
        var start = 0
        if isSign(text[0]) { start = 1 }
        guard start < text.count && isDigit(text[start]) else { return false }
        var index = start + 1
        while index < text.count && (isDigit(text[index]) || text[index] == underscore) { index += 1 }
        guard index < text.count else { return false }
        if text[index] == dot {
            // ([0-9][0-9_]*)\.[0-9_]* with an optional exponent
            index += 1
            while index < text.count && (isDigit(text[index]) || text[index] == underscore) { index += 1 }
            return index == text.count || isExponent(text, index, signRequired: true)
        }
        // [0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*: the sexagesimal part ends at the point
        guard text[index] == colon else { return false }
        var point = index
        while point < text.count && text[point] != dot { point += 1 }
        guard point < text.count, isSexagesimalTail(text.extracting(0..<point), index) else { return false }
        return allFrom(text, point + 1, atLeastOne: false) { isDigit($0) || $0 == underscore }
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)`
    static func isFloat12(_ text: Bytes) -> Bool {
        if isSpecialFloat(text) { return true }
        guard !text.isEmpty else { return false }
        var index = isSign(text[0]) ? 1 : 0
        guard index < text.count else { return false }
        if text[index] == dot {
            index += 1
            let digits = index
            while index < text.count && isDigit(text[index]) { index += 1 }
            guard index > digits else { return false }
        } else {
            let digits = index
            while index < text.count && isDigit(text[index]) { index += 1 }
            guard index > digits else { return false }
            if index < text.count && text[index] == dot {
                index += 1
                while index < text.count && isDigit(text[index]) { index += 1 }
            }
        }
        return index == text.count || isExponent(text, index, signRequired: false)
    }

    /// `[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}
    /// (\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?`
    static func isTimestamp(_ text: Bytes) -> Bool {
        var index = 0
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), minus = UInt8(ascii: "-")
        guard digits(text, &index, 4, 4), byte(text, &index, minus) else { return false }
        let monthStart = index
        guard digits(text, &index, 1, 2), byte(text, &index, minus) else { return false }
        let dayStart = index
        guard digits(text, &index, 1, 2) else { return false }
        // The date alone needs two-digit month and day.
        if index == text.count { return dayStart - monthStart == 3 && index - dayStart == 2 }
        if text[index] == UInt8(ascii: "T") || text[index] == UInt8(ascii: "t") {
            index += 1
        } else {
            let spaces = index
            while index < text.count && (text[index] == space || text[index] == tab) { index += 1 }
            guard index > spaces else { return false }
        }
        guard digits(text, &index, 1, 2), byte(text, &index, colon), digits(text, &index, 2, 2), byte(text, &index, colon),
              digits(text, &index, 2, 2) else { return false }
        if index < text.count && text[index] == dot {
            index += 1
            _ = digits(text, &index, 0, Int.max)
        }
        if index == text.count { return true }
        while index < text.count && (text[index] == space || text[index] == tab) { index += 1 }
        guard index < text.count else { return false }
        if text[index] == UInt8(ascii: "Z") { return index + 1 == text.count }
        guard isSign(text[index]) else { return false }
        index += 1
        guard digits(text, &index, 1, 2) else { return false }
        if index == text.count { return true }
        return byte(text, &index, colon) && digits(text, &index, 2, 2) && index == text.count
    }

    /// Between `minimum` and `maximum` digits at `index`, taken greedily.
    private static func digits(_ text: Bytes, _ index: inout Int, _ minimum: Int, _ maximum: Int) -> Bool {
        var count = 0
        while count < maximum, index < text.count, isDigit(text[index]) {
            index += 1
            count += 1
        }
        return count >= minimum
    }

    private static func byte(_ text: Bytes, _ index: inout Int, _ expected: UInt8) -> Bool {
        guard index < text.count && text[index] == expected else { return false }
        index += 1
        return true
    }

    /// `0|-?[1-9][0-9]*`
    static func isPortableInt(_ text: Bytes) -> Bool {
        guard !text.isEmpty else { return false }
        if text.count == 1 && text[0] == UInt8(ascii: "0") { return true }
        let start = text[0] == UInt8(ascii: "-") ? 1 : 0
        guard start < text.count && text[start] >= 0x31 && text[start] <= 0x39 else { return false }
        return allFrom(text, start + 1, atLeastOne: false, isDigit)
    }

    /// `-?(0|[1-9][0-9]*)\.[0-9]+([eE][-+][0-9]+)?`
    static func isPortableFloat(_ text: Bytes) -> Bool {
        guard !text.isEmpty else { return false }
        var index = text[0] == UInt8(ascii: "-") ? 1 : 0
        guard index < text.count else { return false }
        if text[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard text[index] >= 0x31 && text[index] <= 0x39 else { return false }
            while index < text.count && isDigit(text[index]) { index += 1 }
        }
        guard index < text.count && text[index] == dot else { return false }
        index += 1
        let fraction = index
        while index < text.count && isDigit(text[index]) { index += 1 }
        guard index > fraction else { return false }
        return index == text.count || isExponent(text, index, signRequired: true)
    }
}
