import SystemCalls

/// The only place that writes to the terminal: commands print through it, core modules never.
enum Console {
    static func out(_ text: String, terminator: String = "\n") {
        write(FileDescriptor.standardOutput, text + terminator)
    }

    static func error(_ text: String) {
        write(FileDescriptor.standardError, text + "\n")
    }

    /// Text from a file made safe for one terminal line: a line break or an escape sequence
    /// in a value could fake another line (`configuration.proxy: …`) or recolour the screen,
    /// so control characters are written as escapes (`\\n`, `\\x1b`).
    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\\": result += "\\\\"
            default:
                if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format && scalar.value >= 0x202A && scalar.value <= 0x202E {
                    result += "\\x" + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// A closed or full stream (`| head`) is not worth failing the command over.
    private static func write(_ stream: Int32, _ text: String) {
        try? FileDescriptor(borrowing: stream).writeAll(text.utf8)
    }
}
