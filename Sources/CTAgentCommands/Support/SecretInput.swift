import AgentConfig
import Glibc
import SystemCalls

/// Reads secrets from standard input, a file or the terminal, never from argv (which any user
/// can read in /proc and which lands in shell history).
enum SecretInput {
    /// All of standard input, bounded (see `SecretText`).
    static func readStandardInput(expecting expected: SecretText.Expected = .passwordList) throws -> String {
        let input = FileDescriptor(borrowing: FileDescriptor.standardInput)
        do {
            return try SecretText.read(from: input, source: "standard input", expecting: expected)
        } catch let error as SystemError {
            throw InputFileError(option: "standard input", path: "", failure: error)
        }
    }

    /// All of a file, bounded.
    static func readFile(_ path: String, option: String) throws -> String {
        do {
            let file = try FileDescriptor.open(path, O_RDONLY | O_NOCTTY)
            return try SecretText.read(from: file, source: path)
        } catch let error as SystemError {
            throw InputFileError(option: option, path: path, failure: error)
        }
    }

    static var stdinIsTerminal: Bool { isatty(0) == 1 }

    /// Asks on the terminal with echo off. Ctrl-C (or a kill) while asking must not leave the
    /// admin's terminal without echo, so the signal handlers put the settings back first.
    static func prompt(_ message: String) throws -> String {
        guard let tty = try? FileDescriptor.open("/dev/tty", O_RDWR) else {
            throw ConfigValueError.usage("no terminal to ask for the password on; pipe it to standard input")
        }
        var saved = termios()
        unsafe tcgetattr(tty.rawValue, &saved)
        TerminalRestore.remember(fd: tty.rawValue, settings: saved)
        defer {
            // tty is named here, so it stays open until the settings are back.
            unsafe tcsetattr(tty.rawValue, TCSANOW, &saved)
            TerminalRestore.forget()
        }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        unsafe tcsetattr(tty.rawValue, TCSAFLUSH, &quiet)
        try? tty.writeAll(message.utf8)
        var bytes: [UInt8] = []
        // A byte at a time: what follows the line ending is not ours to take.
        while let byte = try? tty.read(upTo: 1).first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
        try? tty.writeAll("\n".utf8)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The terminal settings to put back, reachable from a C signal handler (which captures nothing).
///
/// They live in heap memory allocated once and never freed, written before the handlers are
/// installed: the handler then only reads plain memory and calls tcsetattr, both
/// async-signal-safe. (A Swift global `termios` was copied with the C struct's size, 60 bytes,
/// into a global of Swift's size, 57: AddressSanitizer reported the overflow.)
private enum TerminalRestore {
    nonisolated(unsafe) private static let saved: UnsafeMutablePointer<termios> = {
        let pointer = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        unsafe pointer.initialize(to: termios())
        return unsafe pointer
    }()
    nonisolated(unsafe) private static let descriptor: UnsafeMutablePointer<Int32> = {
        let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        unsafe pointer.initialize(to: -1)
        return unsafe pointer
    }()

    private static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    /// The dispositions `main` installed, put back once the prompt is over. Never read by a
    /// handler.
    nonisolated(unsafe) private static var previous: [(Int32, __sighandler_t?)] = []

    /// For as long as the prompt lasts: a signal puts the settings back, then ends the
    /// process as it would have. Signals inherited as ignored stay ignored.
    static func remember(fd: Int32, settings: termios) {
        unsafe saved.pointee = settings
        unsafe descriptor.pointee = fd
        unsafe previous = signals.filter { !SignalDisposition.isIgnored($0) }.map { number in
            (number, Glibc.signal(number) { number in
                TerminalRestore.restore()
                Glibc.signal(number, SIG_DFL)
                raise(number)
            })
        }
    }

    /// The prompt is over: the previous handlers come back, and no later signal touches the
    /// descriptor, which is closed (its number may be another file's by then).
    static func forget() {
        for (number, handler) in unsafe previous { Glibc.signal(number, handler) }
        unsafe previous = []
        unsafe descriptor.pointee = -1
    }

    private static func restore() {
        guard unsafe descriptor.pointee >= 0 else { return }
        unsafe tcsetattr(descriptor.pointee, TCSANOW, saved)
    }
}
