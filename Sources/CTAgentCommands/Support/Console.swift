import SystemCalls

/// The only place that writes to the terminal: commands print through it, core modules never.
enum Console {
    static func out(_ text: String, terminator: String = "\n") {
        write(FileDescriptor.standardOutput, text + terminator)
    }

    static func error(_ text: String) {
        write(FileDescriptor.standardError, text + "\n")
    }

    /// A reader that went away (`| head`: EPIPE, since main ignores SIGPIPE) or a full stream is
    /// not worth failing the command over, least of all between the steps of a change.
    /// Every line passes the last filter (`SecretRegistry`) on its way out.
    private static func write(_ stream: Int32, _ text: String) {
        try? FileDescriptor(borrowing: stream).writeAll(SecretRegistry.redact(text).utf8)
    }
}
