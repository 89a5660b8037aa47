import SystemCalls

/// The only place that writes to the terminal: commands print through it, core modules never.
enum Console {
    static func out(_ text: String, terminator: String = "\n") {
        write(FileDescriptor.standardOutput, text + terminator)
    }

    static func error(_ text: String) {
        write(FileDescriptor.standardError, text + "\n")
    }

    /// A closed or full stream (`| head`) is not worth failing the command over.
    private static func write(_ stream: Int32, _ text: String) {
        try? FileDescriptor(borrowing: stream).writeAll(text.utf8)
    }
}
