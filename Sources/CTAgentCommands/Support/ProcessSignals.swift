import DurableFile
import Glibc
import SystemCalls

/// The process-wide signal dispositions, set once by `main` before any command runs. The
/// libraries install nothing: they only expose what a handler needs (`TempFileRegistry`).
enum ProcessSignals {
    static let ending = [SIGINT, SIGTERM, SIGHUP]

    static func install() {
        // Past a file-size limit the kernel would kill a writer with SIGXFSZ mid-write;
        // ignored, the write fails with EFBIG instead (exit 74) and the original stays.
        signal(SIGXFSZ, SIG_IGN)
        // A reader that went away (`| head -1`) would otherwise kill us with SIGPIPE between
        // the commit, the audit record and the restart; ignored, a write to it fails with
        // EPIPE, which Console ignores, and the transaction runs to its end.
        signal(SIGPIPE, SIG_IGN)
        // SIGINT, SIGTERM and SIGHUP remove a half-written temp file, then end the process as
        // they would have (status 130, 143, 129 in a shell). A signal inherited as ignored
        // stays ignored.
        TempFileRegistry.prepare()
        for number in ending where !SignalDisposition.isIgnored(number) { signal(number, removeTempsThenEnd) }
    }

    private static let removeTempsThenEnd: @convention(c) (Int32) -> Void = { number in
        TempFileRegistry.removeAll()
        signal(number, SIG_DFL)
        raise(number)
    }
}
