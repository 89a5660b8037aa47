import Glibc

/// Runs a system call that reports failure with -1 and `errno`, the one place that reads
/// `errno` and retries on EINTR (swift-system's `valueOrErrno`, Sources/System/Util.swift).
///
/// errno is read straight after the call returns -1, before anything else can run.
/// - Parameter retryOnInterrupt: false for calls whose caller decides what an interruption
///   means (a wait with a deadline recomputes its timeout first).
@inline(__always)
public func valueOrErrno<Value: FixedWidthInteger>(
    _ call: SystemCall, retryOnInterrupt: Bool = true, _ body: () -> Value
) throws(SystemError) -> Value {
    while true {
        let value = body()
        if value != -1 { return value }
        let code = Errno.current
        if code == .interrupted && retryOnInterrupt { continue }
        throw SystemError(call, code)
    }
}

/// For calls whose only result is success: 0, or -1 and `errno`.
@inline(__always)
public func nothingOrErrno<Value: FixedWidthInteger>(
    _ call: SystemCall, retryOnInterrupt: Bool = true, _ body: () -> Value
) throws(SystemError) {
    _ = try valueOrErrno(call, retryOnInterrupt: retryOnInterrupt, body)
}
