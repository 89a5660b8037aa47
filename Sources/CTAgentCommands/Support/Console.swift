import Glibc

/// The only place that writes to the terminal: commands print through it, core modules never.
enum Console {
    static func out(_ text: String, terminator: String = "\n") {
        write(1, text + terminator)
    }

    static func error(_ text: String) {
        write(2, text + "\n")
    }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = unsafe bytes.withUnsafeBytes { unsafe Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            bytes = bytes.dropFirst(count)
        }
    }
}
