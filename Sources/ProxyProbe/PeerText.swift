/// Text that came from a peer (a proxy's reason phrase, the names in a certificate) shown as
/// data: control characters (escape sequences that would recolour a terminal or draw a fake
/// line, C1 controls, bidirectional overrides) become `\xNN` / `\u{NNNN}` escapes, and the
/// length is capped, so that nothing a peer sends is taken for the tool's own words.
enum PeerText {
    static let limit = 120

    static func shown(_ text: String, limit: Int = limit) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            let value = scalar.value
            if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) {
                out += "\\x" + (value < 16 ? "0" : "") + String(value, radix: 16)
            } else if (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F {
                out += "\\u{" + String(value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }
}
