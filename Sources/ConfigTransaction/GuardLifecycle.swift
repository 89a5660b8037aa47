import Audit
import DurableFile
import ServiceControl

/// The guard of one confirmed change, through its whole life:
///
/// 1. **arm**, under the writers' lock with the bytes about to be written, before the
///    replace: both digests, a private copy of the version being replaced (`GuardCopying`),
///    then the timer bound to the new version (`GuardArming`). What cannot be done is a typed
///    `GuardFailure`, and the caller writes nothing;
/// 2. **release**, once the change is confirmed, taken back, or was never written: the timer
///    stopped and the copy removed. Without its copy a guard that could not be stopped cannot
///    take anything back: it fails loudly instead of undoing a confirmed change.
///
/// Because the guard is armed with what the plan under the lock produced, it is bound to
/// what is really written, whoever wrote in between: there is nothing to re-bind.
public struct GuardLifecycle {
    public var timers: any GuardArming
    public var copies: any GuardCopying
    public var clock: any TransactionClock
    public var progress: any TransactionProgress
    /// SHA-256; passed in so that a host without libcrypto can be tried in-process.
    public var digest: ([UInt8]) throws(SHA256.Unavailable) -> String

    public init(timers: any GuardArming, copies: any GuardCopying, clock: any TransactionClock, progress: any TransactionProgress,
                digest: @escaping ([UInt8]) throws(SHA256.Unavailable) -> String = SHA256.hex) {
        self.timers = timers
        self.copies = copies
        self.clock = clock
        self.progress = progress
        self.digest = digest
    }

    /// **arm**: `config` is the file the change replaces (the store's target).
    public func arm(config: String, replacing previous: [UInt8], with guarded: [UInt8], after delay: Duration) throws(GuardFailure) -> ArmedGuard {
        removeLeftovers()
        let previousSHA256: String, guardedSHA256: String
        do {
            previousSHA256 = try digest(previous)
            guardedSHA256 = try digest(guarded)
        } catch {
            throw .digestUnavailable(error)
        }
        let name = "ctagent-guard-" + guardedSHA256.prefix(12) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let firesAt = clock.wallSeconds + Int64(delay.inSeconds.rounded(.up))
        let record = GuardRecord(name: name, config: config, previousSHA256: previousSHA256, guardedSHA256: guardedSHA256,
                                 firesAt: firesAt, keepUntil: firesAt + GuardRecord.keptAfterFiring)
        guard record.isWritable else { throw .configPathUnrecordable(config) }
        do {
            try copies.save(previous, as: record)
        } catch {
            throw .copyNotKept(error)
        }
        let via: ServiceRestarter.Outcome
        do {
            via = try timers.arm(name, boundTo: guardedSHA256, after: delay)
        } catch {
            removeCopy(name)
            throw .timerNotArmed(error)
        }
        progress.report(.guardArmed(name: name, after: delay))
        return ArmedGuard(name: name, sha256: guardedSHA256, via: via)
    }

    /// **release**: the timer stopped, then the copy removed (whether or not the timer
    /// stopped). Returns the timer's failure: the caller tells the admin to stop it.
    @discardableResult
    public func release(_ armed: ArmedGuard) -> RestartError? {
        var stuck: RestartError?
        do {
            try timers.disarm(armed)
        } catch {
            stuck = error
        }
        removeCopy(armed.name)
        return stuck
    }

    /// Copies whose guards are long past their time (`GuardRecord.keepUntil`).
    func removeLeftovers() {
        let now = clock.wallSeconds
        for record in copies.records() where record.keepUntil < now {
            removeCopy(record.name)
        }
    }

    private func removeCopy(_ name: String) {
        do {
            try copies.remove(name)
        } catch {
            progress.report(.guardCopyLeft(name: name, reason: "\(error)"))
        }
    }
}

/// Why a confirmed change could not be guarded: nothing was written.
public enum GuardFailure: Error, Sendable {
    /// The digests the guard is bound by cannot be made.
    case digestUnavailable(SHA256.Unavailable)
    /// The private copy of the previous version could not be kept.
    case copyNotKept(StoreError)
    /// The record cannot hold the config's path (a line break in it).
    case configPathUnrecordable(String)
    /// systemd refused the timer, or could not be reached.
    case timerNotArmed(RestartError)
}

/// Keeps the private copies of previous versions that guards restore (`GuardCopyFolder`).
public protocol GuardCopying {
    func save(_ previous: [UInt8], as record: GuardRecord) throws(StoreError)
    func remove(_ name: String) throws(StoreError)
    /// Every readable record (one that cannot be read or parsed is left alone).
    func records() -> [GuardRecord]
}

extension GuardCopyFolder: GuardCopying {
    public func save(_ previous: [UInt8], as record: GuardRecord) throws(StoreError) {
        try save(name: record.name, copy: previous, record: record.bytes)
    }

    public func remove(_ name: String) throws(StoreError) {
        try remove(name: name)
    }

    public func records() -> [GuardRecord] {
        // A record is taken by its file's name only: one naming another guard is not ours to act on.
        names().compactMap { name in
            do {
                return GuardRecord(parsing: try readRecord(name: name)).flatMap { $0.name == name ? $0 : nil }
            } catch {
                return nil
            }
        }
    }
}
