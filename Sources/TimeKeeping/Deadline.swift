/// Time as swift-nio models it (`NIODeadline` and `TimeAmount`): a point in time and an
/// interval are different types. Timeouts are `Duration`s; deadlines are instants on
/// `ContinuousClock`, which wall-clock changes do not move. Every deadline of the tools (the
/// probe's attempts, the restart's wait, the writers' lock) is one of these.
public typealias Deadline = ContinuousClock.Instant

extension ContinuousClock.Instant {
    /// The deadline `timeout` from now.
    public static func after(_ timeout: Duration) -> Deadline { .now + timeout }

    /// The time left until this deadline; zero once it has passed.
    public var remaining: Duration { max(.zero, self - .now) }

    public var hasPassed: Bool { .now >= self }
}

extension Duration {
    /// The options' values (`--timeout 2.5`) are seconds as numbers.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Whole milliseconds, rounded up so that a wait never ends before the deadline, and
    /// bounded for poll(2)'s `int`.
    public var roundedUpMilliseconds: Int32 {
        let milliseconds = (inSeconds * 1000).rounded(.up)
        return Int32(max(0, min(milliseconds, Double(Int32.max))))
    }

    /// Whole microseconds, rounded up (sd_bus_wait's unit).
    public var roundedUpMicroseconds: UInt64 {
        UInt64(max(0, min((inSeconds * 1e6).rounded(.up), Double(UInt64.max / 2))))
    }
}

/// A duration as people write it in messages: `10`, `0.3` (seconds).
public func formatSeconds(_ duration: Duration) -> String {
    let seconds = duration.inSeconds
    return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}

/// An option's number of seconds as typed (`0`, `-1`, `nan`), for messages about a bad
/// value: any Double, so that no conversion can trap on it.
public func formatSeconds(_ seconds: Double) -> String {
    seconds.isFinite && seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
}
