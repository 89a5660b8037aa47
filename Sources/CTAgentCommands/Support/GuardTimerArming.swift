import ConfigTransaction
import ServiceControl
import SystemCalls
import TimeKeeping

/// The guard of a confirmed change: a transient systemd timer whose service runs this very
/// binary's `rollback`, bound to the file's SHA-256 after the change (`--expectSHA256`), so
/// that it takes back exactly this change and stands down when the file has moved on.
struct GuardTimerArming: GuardArming {
    /// The config as given, made absolute: the guard runs from /.
    var configPath: String
    var unit: String
    var restartVia: ServiceRestarter.Method
    var restartTimeout: Double
    var lockTimeout: Double
    var timers: TransientTimers

    /// This binary, by the path the kernel knows (/proc/self/exe), so that the guard runs the
    /// version that made the change even when PATH says otherwise.
    static var executable: String { FileSystem.linkTarget("/proc/self/exe") ?? "/usr/bin/ctagent" }

    func command(boundTo sha256: String) -> [String] {
        [GuardTimerArming.executable, "rollback", "--config", configPath, "--expectSHA256", sha256, "--service", unit,
         "--restartVia", restartVia.rawValue, "--restartTimeout", formatSeconds(restartTimeout), "--lockTimeout", formatSeconds(lockTimeout)]
    }

    func arm(boundTo sha256: String, after delay: Duration) throws(RestartError) -> ArmedGuard {
        let name = "ctagent-guard-" + sha256.prefix(12) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let timer = TransientTimer(name: name, description: "ctagent: take back the change of \(configPath) unless it is confirmed",
                                   after: delay, command: command(boundTo: sha256))
        let via = try timers.start(timer)
        return ArmedGuard(name: name, sha256: sha256, via: via)
    }

    func disarm(_ armed: ArmedGuard) throws(RestartError) {
        try timers.stop(armed.name, via: armed.via)
    }
}
