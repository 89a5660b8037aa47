// libFuzzer target: whatever a proxy answers to CONNECT. The reply parser never crashes, only
// a 2xx status line counts as a tunnel, and nothing past 24 bytes is quoted back.
@testable import ProxyProbe

func check(_ reply: [UInt8]) {
    _ = Prober.headerComplete(reply)
    for hasUser in [false, true] {
        let answer = Prober.classify(reply, hasUser: hasUser)
        let outcome = answer.outcome
        let statusLine = String(decoding: reply.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        if case .tunnel = answer {
            let parts = statusLine.split(separator: " ", omittingEmptySubsequences: true)
            // Bytes, not Characters: "HTTP/" followed by a combining mark is one grapheme "/…"
            // to String.hasPrefix (the harness's own bug, found by the fuzzer).
            guard reply.starts(with: Array("HTTP/".utf8)), parts.count >= 2, let status = Int(parts[1]), (200..<300).contains(status) else {
                fatalError("\(outcome) from a reply that is not a 2xx status line")
            }
        }
        if case .notHTTPProxy(let shown) = outcome, shown.count > 2 + 24 * 4 { fatalError("quoted too much: \(shown.count)") }
        _ = outcome.description
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    check(unsafe start.map { unsafe Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
    return 0
}
