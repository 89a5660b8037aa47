/// A position in the body of a document, as a byte offset (converted from libyaml's
/// code-point index), with libyaml's 0-based line and column for messages. Made when asked
/// (`YAMLNode.start`, `end`): the tree itself keeps offsets and lines only.
public struct YAMLMark: Equatable, Sendable {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }
}
