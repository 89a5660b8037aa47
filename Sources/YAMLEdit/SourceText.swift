/// The bytes of a document, split into an optional UTF-8 byte order mark and the body that
/// libyaml sees.
///
/// libyaml's `mark.index` counts Unicode code points, not bytes, and does not count a BOM, so
/// slicing the raw bytes by `mark.index` is wrong for any non-ASCII file. We strip the BOM
/// ourselves and convert every mark with a `MarkConverter`.
struct SourceText {
    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    let bom: [UInt8]
    let body: [UInt8]
    let lineEnding: [UInt8]
    /// Then code point indexes are byte offsets, the common case.
    let isASCII: Bool

    /// Positions are kept in 32 bits (YAMLMark).
    static let sizeLimit = Int(UInt32.max)

    init(_ bytes: [UInt8]) throws {
        guard bytes.count < SourceText.sizeLimit else { throw YAMLEditError.tooLarge(bytes: bytes.count, limit: SourceText.sizeLimit) }
        try SourceText.rejectWideEncodings(bytes)
        if bytes.starts(with: SourceText.utf8BOM) {
            bom = SourceText.utf8BOM
            body = Array(bytes.dropFirst(3))
        } else {
            bom = []
            body = bytes
        }
        isASCII = SourceText.isASCII(body)
        if !isASCII, let bad = SourceText.firstInvalidUTF8(body) {
            throw YAMLEditError.invalidUTF8(byteOffset: bad + bom.count)
        }
        lineEnding = SourceText.detectLineEnding(body)
    }

    /// Keeps the file's own convention: the first line ending decides.
    private static func detectLineEnding(_ body: [UInt8]) -> [UInt8] {
        guard let newline = body.firstIndex(of: 0x0A) else { return [0x0A] }
        return newline > 0 && body[newline - 1] == 0x0D ? [0x0D, 0x0A] : [0x0A]
    }

    /// UTF-16 and UTF-32 files start with a BOM or, for ASCII text, with zero bytes.
    /// libyaml would read UTF-16, but we could not write it back faithfully.
    private static func rejectWideEncodings(_ bytes: [UInt8]) throws {
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
            throw YAMLEditError.unsupportedEncoding("UTF-32")
        }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            throw YAMLEditError.unsupportedEncoding("UTF-16")
        }
        if bytes.count >= 4 && (bytes[0] == 0 || bytes[1] == 0 || bytes[2] == 0 || bytes[3] == 0) {
            let zeros = bytes.prefix(4).filter { $0 == 0 }.count
            throw YAMLEditError.unsupportedEncoding(zeros >= 3 ? "UTF-32" : "UTF-16")
        }
        if bytes.count >= 2 && (bytes[0] == 0 || bytes[1] == 0) {
            throw YAMLEditError.unsupportedEncoding("UTF-16")
        }
    }

    /// Whether every byte is below 0x80, checked eight bytes at a time (this runs over every
    /// byte of a large config).
    private static func isASCII(_ bytes: [UInt8]) -> Bool {
        unsafe bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for word in 0..<words where unsafe raw.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return false
            }
            return unsafe !raw[(words * 8)...].contains { $0 >= 0x80 }
        }
    }

    /// The offset of the first byte that is not valid UTF-8. ASCII bytes are skipped one by
    /// one; each multi-byte sequence is checked by the standard library's decoder.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        while offset < bytes.count {
            if bytes[offset] < 0x80 {
                offset += 1
                continue
            }
            var iterator = bytes[offset...].makeIterator()
            var decoder = UTF8()
            guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return offset }
            offset += UTF8.width(scalar)
        }
        return nil
    }
}

/// Turns libyaml's code point indexes into byte offsets of the body without a table: marks
/// arrive almost in order, so walking from the previous one costs, in all, about one pass
/// over the file (a table would cost eight bytes per byte of the file).
struct MarkConverter {
    private let body: [UInt8]
    private let isASCII: Bool
    private var codePoint = 0
    private var byte = 0

    init(_ source: SourceText) {
        body = source.body
        isASCII = source.isASCII
    }

    mutating func byteOffset(ofCodePoint index: Int) -> Int {
        if isASCII { return min(index, body.count) }
        while codePoint < index && byte < body.count {
            byte += 1
            while byte < body.count && body[byte] & 0xC0 == 0x80 { byte += 1 }
            codePoint += 1
        }
        while codePoint > index && byte > 0 {
            byte -= 1
            while byte > 0 && body[byte] & 0xC0 == 0x80 { byte -= 1 }
            codePoint -= 1
        }
        return byte
    }
}
