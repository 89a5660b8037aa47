/// A command line split into words the way systemd splits `ExecStart=` (and a shell splits a
/// simple command): white space separates words, single and double quotes group them, a
/// backslash escapes the next character (C escapes such as `\n` and `\t` too). No variables,
/// no globbing, no shell: the first word is the program.
enum CommandWords {
    struct Unbalanced: Error, Equatable {
        var quote: Character?
    }

    static func split(_ text: String) throws(Unbalanced) -> [String] {
        var words: [String] = []
        var word = "", inWord = false
        var quote: Character?
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if character == "\\" && quote != "'" {
                guard let next = iterator.next() else { throw Unbalanced(quote: nil) }
                switch next {
                case "n": word.append("\n")
                case "t": word.append("\t")
                case "r": word.append("\r")
                default: word.append(next)
                }
                inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(character)
                inWord = true
            }
        }
        if let quote { throw Unbalanced(quote: quote) }
        if inWord { words.append(word) }
        return words
    }
}
