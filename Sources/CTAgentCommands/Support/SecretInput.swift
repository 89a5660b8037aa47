import AgentConfig
import Glibc

/// Reads secrets from standard input, a file or the terminal, never from argv (which any user
/// can read in /proc and which lands in shell history).
enum SecretInput {
    /// All of a stream or file, bounded (see `SecretText`).
    static func readAll(fd: Int32, source: String) throws -> String {
        try SecretText.read(fd: fd, source: source)
    }

    static func readFile(_ path: String) throws -> String {
        let fd = unsafe open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ConfigValueError.usage(unsafe "cannot read --proxyPasswordFile \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        return try readAll(fd: fd, source: path)
    }

    static var stdinIsTerminal: Bool { isatty(0) == 1 }

    /// Asks on the terminal with echo off. Ctrl-C (or a kill) while asking must not leave the
    /// admin's terminal without echo, so the signal handlers put the settings back first.
    static func prompt(_ message: String) throws -> String {
        let tty = unsafe open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else { throw ConfigValueError.usage("no terminal to ask for the password on; pipe it to standard input") }
        defer { close(tty) }
        var saved = termios()
        unsafe tcgetattr(tty, &saved)
        TerminalRestore.remember(fd: tty, settings: saved)
        defer { TerminalRestore.restore() }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        unsafe tcsetattr(tty, TCSAFLUSH, &quiet)
        _ = unsafe message.withCString { unsafe write(tty, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while unsafe read(tty, &byte, 1) == 1 && byte != UInt8(ascii: "\n") { bytes.append(byte) }
        _ = unsafe write(tty, "\n", 1)
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

    static func remember(fd: Int32, settings: termios) {
        unsafe saved.pointee = settings
        unsafe descriptor.pointee = fd
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            Glibc.signal(signal) { number in
                TerminalRestore.restore()
                Glibc.signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    static func restore() {
        guard unsafe descriptor.pointee >= 0 else { return }
        unsafe tcsetattr(descriptor.pointee, TCSANOW, saved)
    }
}
