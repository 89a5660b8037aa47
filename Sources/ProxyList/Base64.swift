/// Strict base64 (RFC 4648 alphabet, padded, canonical). Written out because Foundation's
/// decoder accepts what the agent would not, and core modules avoid Foundation.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index], b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Why a text is not strict base64, without quoting any of it (it is a secret).
    public enum Problem: Error, Equatable {
        case length(Int)
        case character(position: Int)
        case padding
        case nonCanonical
    }

    public static func decode(_ text: String) throws(Problem) -> [UInt8] {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { throw .length(chars.count) }
        var values: [UInt8] = []
        var padding = 0
        for (position, char) in chars.enumerated() {
            if char == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0 else { throw .padding }
            guard let value = alphabet.firstIndex(of: char) else { throw .character(position: position + 1) }
            values.append(UInt8(value))
        }
        guard padding <= 2 else { throw .padding }
        var out: [UInt8] = []
        var index = 0
        while index + 1 < values.count {
            let chunk = Array(values[index..<min(index + 4, values.count)])
            out.append(chunk[0] << 2 | chunk[1] >> 4)
            if chunk.count > 2 { out.append(chunk[1] << 4 | chunk[2] >> 2) }
            if chunk.count > 3 { out.append(chunk[2] << 6 | chunk[3]) }
            index += 4
        }
        // Unused low bits must be zero, or two different texts would mean the same password.
        guard encode(out) == text else { throw .nonCanonical }
        return out
    }
}

extension Base64.Problem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .length(let count): return "its length (\(count)) is not a multiple of 4; base64 is padded with '='"
        case .character(let position): return "character \(position) is not in the base64 alphabet (A-Z a-z 0-9 + / and '=' padding at the end)"
        case .padding: return "'=' padding may only appear at the end, at most twice"
        case .nonCanonical: return "its last character has bits set that base64 leaves zero"
        }
    }
}
