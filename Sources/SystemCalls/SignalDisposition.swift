import Glibc

/// What a signal does to this process now.
public enum SignalDisposition {
    /// Inherited as ignored (`nohup`, `trap '' HUP`, a background job of a script): a handler
    /// must not take its place, or the signal the caller chose to ignore would end us.
    public static func isIgnored(_ number: Int32) -> Bool {
        var current = sigaction()
        guard unsafe sigaction(number, nil, &current) == 0 else { return false }
        // SIG_IGN is the handler value 1, a C macro Swift sees only as a function pointer.
        return unsafe unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1
    }
}
