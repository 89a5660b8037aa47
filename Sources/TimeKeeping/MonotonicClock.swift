import Glibc

/// Seconds on a clock that wall-clock changes do not move: every deadline of the tools (the
/// probe's attempts, the restart's wait, the writers' lock) is measured on it.
public enum MonotonicClock {
    public static var now: Double {
        var time = timespec()
        unsafe clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// Seconds as people write them in messages: `10`, `0.3`.
public func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}
