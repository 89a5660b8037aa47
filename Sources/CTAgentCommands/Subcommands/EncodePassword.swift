import AgentConfig
import ArgumentParser

struct EncodePassword: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encodePassword",
        abstract: "Print the base64 form of a proxy password read from standard input.",
        discussion: """
            On a terminal it asks twice, without echo. Otherwise it reads standard input (one final \
            newline is dropped). The password is never taken as an argument, so it stays out of the \
            process list and shell history.

            Examples:
              ctagent encodePassword
              printf '%s' 'colors3211' | ctagent encodePassword
            """ + HelpText.pointer,
        aliases: ["encode-password"]
    )

    func run() throws {
        let password: String
        if SecretInput.stdinIsTerminal {
            password = try SecretInput.prompt("Proxy password: ")
            guard try SecretInput.prompt("Again: ") == password else {
                throw ConfigValueError.usage("the two passwords differ; nothing was encoded")
            }
        } else {
            password = try SecretInput.readStandardInput(expecting: .onePassword)
        }
        guard !password.isEmpty else { throw ConfigValueError.usage("the password is empty; nothing was encoded") }
        // updateProxy refuses such a password (its base64 does not decode to one line of text),
        // so it is refused here, where it is typed.
        if let control = password.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            let name = control == "\n" || control == "\r" ? "a line break" : "a control character (U+\(String(control.value, radix: 16, uppercase: true)))"
            throw ConfigValueError.usage("the password contains \(name); a proxy password is one line of text. Nothing was encoded")
        }
        Console.out(Base64.encode(Array(password.utf8)))
    }
}
