/// Lines, columns and colons in a document's body, by byte offset: what the editor needs to
/// place an edit (swift-format keeps such helpers beside the type they serve, as in
/// `Trivia+Convenience.swift`).
extension SourceText {
    /// The offset of the first byte of the line holding `offset`.
    func lineStart(of offset: Int) -> Int {
        var index = offset
        while index > 0 && body[index - 1] != UInt8(ascii: "\n") { index -= 1 }
        return index
    }

    /// The offset just after the line ending of the line holding `offset` (or `offset` itself
    /// when it already starts a line), else the end of the body.
    func lineEnd(after offset: Int) -> Int {
        if offset > 0 && offset <= body.count && body[offset - 1] == UInt8(ascii: "\n") { return offset }
        if let newline = body[offset...].firstIndex(of: UInt8(ascii: "\n")) { return newline + 1 }
        return body.count
    }

    /// Columns count bytes from the start of the line.
    func column(of offset: Int) -> Int { offset - lineStart(of: offset) }

    /// The colon that ends a key, found by skipping spaces backwards from `offset`; nil when
    /// something else comes first.
    func colon(before offset: Int) -> Int? {
        var index = offset - 1
        while index >= 0 && body[index] == UInt8(ascii: " ") { index -= 1 }
        return index >= 0 && body[index] == UInt8(ascii: ":") ? index : nil
    }

    /// The colon after a key that ends at `offset`, skipping spaces, before `limit`; nil when
    /// something else comes first.
    func colon(after offset: Int, before limit: Int) -> Int? {
        var index = offset
        while index < body.count && body[index] == UInt8(ascii: " ") { index += 1 }
        return index < limit && body[index] == UInt8(ascii: ":") ? index : nil
    }

    /// Whether the bytes in `range` are only spaces and line endings.
    func isBlank(_ range: Range<Int>) -> Bool {
        body[range].allSatisfy { $0 == 0x20 || $0 == 0x0D || $0 == 0x0A }
    }
}
