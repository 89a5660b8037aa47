import AgentConfig
import Glibc

/// Reads secrets from standard input, a file or the terminal, never from argv (which any user
/// can read in /proc and which lands in shell history).
enum SecretInput {
    /// All of a stream or file, minus one final line ending (what `echo` and editors add).
    static func readAll(fd: Int32) throws -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw ConfigValueError.usage("cannot read the password: \(String(cString: strerror(errno)))")
            }
            bytes += buffer[0..<count]
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigValueError.usage("the password input is not UTF-8 text")
        }
        return text
    }

    static func readFile(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ConfigValueError.usage("cannot read --proxyPasswordFile \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        return try readAll(fd: fd)
    }

    static var stdinIsTerminal: Bool { isatty(0) == 1 }

    /// Asks on the terminal with echo off. Ctrl-C (or a kill) while asking must not leave the
    /// admin's terminal without echo, so the signal handlers put the settings back first.
    static func prompt(_ message: String) throws -> String {
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else { throw ConfigValueError.usage("no terminal to ask for the password on; pipe it to standard input") }
        defer { close(tty) }
        var saved = termios()
        tcgetattr(tty, &saved)
        TerminalRestore.remember(fd: tty, settings: saved)
        defer { TerminalRestore.restore() }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(tty, TCSAFLUSH, &quiet)
        _ = message.withCString { write(tty, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(tty, &byte, 1) == 1 && byte != UInt8(ascii: "\n") { bytes.append(byte) }
        _ = write(tty, "\n", 1)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The terminal settings to put back, reachable from a C signal handler (which captures nothing).
private enum TerminalRestore {
    nonisolated(unsafe) static var fd: Int32 = -1
    nonisolated(unsafe) static var settings = termios()

    static func remember(fd: Int32, settings: termios) {
        Self.settings = settings
        Self.fd = fd
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            Glibc.signal(signal) { number in
                TerminalRestore.restore()
                Glibc.signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    static func restore() {
        guard fd >= 0 else { return }
        tcsetattr(fd, TCSANOW, &settings)
    }
}
