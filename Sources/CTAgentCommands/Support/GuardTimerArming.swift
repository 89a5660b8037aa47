import ConfigTransaction
import DurableFile
import ServiceControl
import SystemCalls
import TimeKeeping

/// The guard of a confirmed change: a transient systemd timer whose service runs this very
/// binary's `rollback`, bound to the file's SHA-256 after the change (`--expectSHA256`) and to
/// its private copy of the previous version (`--guardRecord`), so that it puts back exactly
/// that version and stands down when the file has moved on.
struct GuardTimerArming: GuardArming {
    /// The config as given, made absolute: the guard runs from /.
    var configPath: String
    var unit: String
    var restartVia: ServiceRestarter.Method
    var restartTimeout: Double
    var lockTimeout: Double
    var timers: TransientTimers
    /// Where the private copies are kept.
    var copies: GuardCopyFolder

    /// This binary, by the path the kernel knows (/proc/self/exe), so that the guard runs the
    /// version that made the change even when PATH says otherwise.
    static var executable: String { FileSystem.linkTarget("/proc/self/exe") ?? "/usr/bin/ctagent" }

    func command(_ name: String, boundTo sha256: String) -> [String] {
        [GuardTimerArming.executable, "rollback", "--config", configPath, "--expectSHA256", sha256,
         "--guardRecord", copies.recordPath(name), "--service", unit,
         "--restartVia", restartVia.rawValue, "--restartTimeout", formatSeconds(restartTimeout), "--lockTimeout", formatSeconds(lockTimeout)]
    }

    func arm(_ name: String, boundTo sha256: String, after delay: Duration) throws(RestartError) -> ServiceRestarter.Outcome {
        let timer = TransientTimer(name: name, description: "ctagent: take back the change of \(configPath) unless it is confirmed",
                                   after: delay, command: command(name, boundTo: sha256))
        return try timers.start(timer)
    }

    func disarm(_ armed: ArmedGuard) throws(RestartError) {
        try timers.stop(armed.name, via: armed.via)
    }
}
