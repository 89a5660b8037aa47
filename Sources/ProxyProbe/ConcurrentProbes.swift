import Dispatch
import Glibc
import TimeKeeping

/// Runs blocking probes side by side, at most `limit` at a time, and returns their results in
/// the order given: five proxies that never answer cost about one timeout, not five. Each
/// probe is bounded by its own timeout, so the whole run is too.
enum ConcurrentProbes {
    /// Far more than a proxy list holds, and few enough threads for any host.
    static let defaultLimit = 16

    /// A probe's result and how long it took.
    struct Timed<Value: Sendable>: Sendable {
        var value: Value
        var seconds: Double
    }

    static func run<Value: Sendable>(_ probes: [@Sendable () -> Value], limit: Int = defaultLimit) -> [Timed<Value>] {
        guard probes.count > 1 else {
            return probes.map { probe in
                let started = ContinuousClock.now
                let value = probe()
                return Timed(value: value, seconds: (ContinuousClock.now - started).inSeconds)
            }
        }
        let results = Results<Value>(count: probes.count)
        let slots = DispatchSemaphore(value: max(1, limit))
        // Threads of our own, not libdispatch's pool: a probe blocks in connect, poll and TLS
        // for up to its timeout, and on a host with two cores libdispatch would run only two
        // such items at once (and starve the name lookups the probes queue on it).
        var threads: [pthread_t] = []
        for (index, probe) in probes.enumerated() {
            slots.wait()
            let work = Work {
                let started = ContinuousClock.now
                let value = probe()
                results.set(index, Timed(value: value, seconds: (ContinuousClock.now - started).inSeconds))
                slots.signal()
            }
            if let thread = work.start() {
                threads.append(thread)
            } else {
                // No thread to be had: the probe runs here, in turn.
                work.body()
            }
        }
        for thread in threads { pthread_join(thread, nil) }
        return results.all
    }

    /// A closure a pthread runs.
    private final class Work: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }

        /// Starts a thread that runs `body` and holds this value until it is done.
        func start() -> pthread_t? {
            var thread = pthread_t()
            let retained = unsafe Unmanaged.passRetained(self)
            let created = unsafe pthread_create(&thread, nil, { argument in
                guard let argument = unsafe argument else { return nil }
                unsafe Unmanaged<Work>.fromOpaque(argument).takeRetainedValue().body()
                return nil
            }, unsafe retained.toOpaque())
            guard created == 0 else {
                unsafe retained.release()
                return nil
            }
            return thread
        }
    }

    /// Written by the probes, each its own index, and read after the group is done.
    private final class Results<Value: Sendable>: @unchecked Sendable {
        private var values: [Timed<Value>?]
        private let lock = DispatchSemaphore(value: 1)
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Timed<Value>) {
            lock.wait()
            values[index] = value
            lock.signal()
        }
        var all: [Timed<Value>] {
            lock.wait()
            defer { lock.signal() }
            return values.map { $0! }
        }
    }
}
