/// How a scalar is written: plain, quoted, or as a block (`|` literal, `>` folded). A quoted or
/// block scalar is a string to every reader; a plain one is resolved from its text.
public enum YAMLScalarStyle: Sendable, Equatable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}
