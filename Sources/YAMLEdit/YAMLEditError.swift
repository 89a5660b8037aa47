/// Why a document could not be read or edited. Every case names the place and the reason,
/// so that a caller can show it to a person who then knows what to fix.
public enum YAMLEditError: Error, Equatable, CustomStringConvertible, Sendable {
    case unsupportedEncoding(String)
    case invalidUTF8(byteOffset: Int)
    case tooLarge(bytes: Int, limit: Int)
    case parseFailed(problem: String, line: Int, column: Int)
    case multipleDocuments(count: Int)
    case tooDeeplyNested(limit: Int, line: Int)
    case rootNotMapping(found: String)
    case pathThroughAlias(path: String)
    case pathThroughNonMapping(path: String, found: String)
    case duplicateKey(path: String)
    /// The same key twice in one mapping, anywhere in the document (1-based lines).
    case duplicateKeyAt(path: String, firstLine: Int, secondLine: Int)
    case emptyPath
    case valueNotScalar(path: String, found: String)
    case valueHasProperties(path: String)
    case taggedCollection(path: String, tag: String)
    case typeMismatch(path: String, existingType: String, existingText: String, newText: String, hint: String? = nil)
    case valueNotOfType(path: String, type: String, text: String, hint: String? = nil)
    case cannotEditSafely(path: String, reason: String)
    case verificationFailed(path: String, detail: String)

    public var description: String {
        switch self {
        case .unsupportedEncoding(let encoding):
            return "the file is encoded as \(encoding); only UTF-8 (with or without a BOM) can be edited safely. Convert it with iconv -t UTF-8"
        case .invalidUTF8(let offset):
            return "the file is not valid UTF-8 (bad byte at offset \(offset))"
        case .tooLarge(let bytes, let limit):
            return "the file holds \(bytes) bytes; a config can be edited only below \(limit) bytes (4 GiB)"
        case .parseFailed(let problem, let line, let column):
            return "the file is not valid YAML: \(problem) at line \(line), column \(column)"
        case .multipleDocuments(let count):
            return "the file holds \(count) YAML documents; only a single-document config can be edited safely"
        case .tooDeeplyNested(let limit, let line):
            return "the file nests lists or mappings more than \(limit) levels deep (at line \(line)); a config this deep cannot be edited safely"
        case .rootNotMapping(let found):
            return "the top level of the file is \(found), not a mapping of keys to values"
        case .pathThroughAlias(let path):
            return "\(path) is an alias (*name) of a value defined elsewhere in the file; an edit through it would change that "
                + "value and every place that refers to it. Edit the file by hand, or write the alias out as a copy"
        case .pathThroughNonMapping(let path, let found):
            return "\(path) holds \(found), not a mapping, so it cannot contain further keys"
        case .duplicateKey(let path):
            return "\(path) appears more than once in the same mapping; remove the duplicate first"
        case .duplicateKeyAt(let path, let first, let second):
            return "\(path) appears twice in the same mapping (lines \(first) and \(second)); YAML readers disagree on which one "
                + "counts (PyYAML takes the last, others the first or refuse the file), so neither is read: remove one"
        case .emptyPath:
            return "an empty key was given; use a dotted key such as configuration.proxy"
        case .valueNotScalar(let path, let found):
            return "\(path) holds \(found), not a single value"
        case .taggedCollection(let path, let tag):
            return "\(path) is a mapping tagged \(tag); its entries may not mean keys and values to its reader, so it is not edited"
        case .valueHasProperties(let path):
            return "\(path) carries an anchor or an explicit tag; it cannot be rewritten without changing what refers to it"
        case .typeMismatch(let path, let existingType, let existingText, let newText, let hint):
            if let hint {
                return "\(path) holds \(existingType) (\(existingText)); '\(newText)' is not one that every YAML reader reads alike: \(hint)"
            }
            return "\(path) holds \(existingType) (\(existingText)); '\(newText)' is not \(existingType). Remove the key first to store another type, or give it as a string"
        case .valueNotOfType(let path, let type, let text, let hint):
            return "'\(text)' cannot be written as \(type) for \(path)" + (hint.map { ": " + $0 } ?? "")
        case .cannotEditSafely(let path, let reason):
            return "\(path) cannot be edited safely: \(reason)"
        case .verificationFailed(let path, let detail):
            return "editing \(path) would not give exactly the intended document (\(detail)); nothing was written"
        }
    }
}
