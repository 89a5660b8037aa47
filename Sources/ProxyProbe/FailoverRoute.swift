/// The agent's selection rule for its proxies, as a small state machine:
/// the proxies are tried in the configured order and the first that works is used and kept
/// ("sticky") while it keeps working; when it fails, the proxies after it are tried in order,
/// then those before it (wrapping round), and when none works the agent connects directly.
/// From the direct path (or at start) the walk begins again at the first proxy.
public struct FailoverRoute: Equatable, Sendable {
    public enum Path: Equatable, Sendable, CustomStringConvertible {
        case proxy(Int)  // 0-based index in the configured list
        case direct

        public var description: String {
            switch self {
            case .proxy(let index): return "proxy #\(index + 1)"
            case .direct: return "direct"
            }
        }
    }

    public let proxyCount: Int
    /// The path in use, or nil before the first selection and after every path failed.
    public private(set) var current: Path?

    public init(proxyCount: Int, current: Path? = nil) {
        self.proxyCount = proxyCount
        self.current = current
    }

    /// The paths tried, in order, when the current one fails (or at start).
    public var attemptOrder: [Path] {
        let proxies: [Int]
        if case .proxy(let index)? = current, index < proxyCount {
            proxies = Array((index + 1)..<proxyCount) + Array(0...index)
        } else {
            proxies = Array(0..<proxyCount)
        }
        return proxies.map { .proxy($0) } + [.direct]
    }

    /// What happens when the current path fails: the walk runs and the first working path
    /// becomes current. Returns the paths tried, in order.
    @discardableResult
    public mutating func reselect(works: (Path) -> Bool) -> [Path] {
        var tried: [Path] = []
        for path in attemptOrder {
            tried.append(path)
            if works(path) {
                current = path
                return tried
            }
        }
        current = nil
        return tried
    }
}
