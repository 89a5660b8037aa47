/// The last `limit` bytes of a stream, kept as it is read: a child that writes gigabytes costs
/// at most twice the limit in memory, and the end of its output (where a failing program says
/// why) is what remains.
public struct OutputTail {
    public let limit: Int
    private var bytes: [UInt8] = []
    /// Bytes dropped from the front.
    public private(set) var dropped = 0

    public init(limit: Int) {
        self.limit = limit
    }

    public mutating func append(_ chunk: some Collection<UInt8>) {
        bytes.append(contentsOf: chunk)
        // Trimmed only once twice the limit is held, so that each byte is moved at most once:
        // linear in what the child wrote.
        if bytes.count > 2 * limit {
            let excess = bytes.count - limit
            bytes.removeFirst(excess)
            dropped += excess
        }
    }

    /// What is kept: the last `limit` bytes.
    public var kept: ArraySlice<UInt8> { bytes.suffix(limit) }

    /// The kept bytes as text, saying how much was cut when something was.
    public var text: String {
        let kept = self.kept
        let cut = dropped + (bytes.count - kept.count)
        let body = String(decoding: kept, as: UTF8.self)
        return cut == 0 ? body : "[first \(cut) bytes of output not kept]\n" + body
    }
}
