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
        // Inherited as ignored (some supervisors start everything so), SIGCHLD makes the
        // kernel reap our children itself: waitpid then fails with ECHILD and the exit status
        // of systemctl or of --confirmCommand is lost. At its default, every child is waited
        // for and judged by its real status.
        signal(SIGCHLD, SIG_DFL)
        // SIGINT, SIGTERM and SIGHUP remove a half-written temp file and kill the process group
        // of a program we are running (the confirm command and what it started), then end the
        // process as they would have (status 130, 143, 129 in a shell). A signal inherited as
        // ignored stays ignored.
        TempFileRegistry.prepare()
        ChildProcess.prepare()
        for number in ending where !SignalDisposition.isIgnored(number) { signal(number, removeTempsThenEnd) }
    }

    private static let removeTempsThenEnd: @convention(c) (Int32) -> Void = { number in
        TempFileRegistry.removeAll()
        ChildProcess.killRunningGroup()
        signal(number, SIG_DFL)
        raise(number)
    }
}
