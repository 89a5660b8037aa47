import Foundation
import TestSupport
import Testing

/// Issue 9, on the binaries that ship: ACLs and extended attributes kept, no symlink tricks,
/// no unsafe folders, backups never lost, odd files refused promptly, signals leave no temp
/// file, hard links reported.
private func edit(_ box: Sandbox, _ value: String = "61") -> [String] {
    ["updateConfig", "--config", box.config, "--set", "configuration.heartbeat-interval=\(value)", "--skipRestart"]
}

private func quoted(_ words: [String]) -> String { words.map { "'\($0)'" }.joined(separator: " ") }

/// Whether the sandbox's file system keeps user.* attributes and ACLs (tmpfs before Linux 6.6
/// keeps neither).
private let attributesSupported: Bool = {
    guard HostAbilities.commandExists("setfattr"), HostAbilities.commandExists("setfacl"), let box = try? Sandbox() else { return false }
    return (try? Harness.shell("setfattr -n user.probe -v 1 '\(box.config)' && setfacl -m u:nobody:r '\(box.config)'"))?.status == 0
}()

@Suite(.serialized) struct HostSafetyTests {
    @Test(.enabled(if: attributesSupported, "setfacl/setfattr missing, or the file system keeps no ACLs or user attributes"))
    func aclsAndExtendedAttributesSurviveOnTheConfigAndTheBackup() throws {
        let box = try Sandbox()
        try #require(try Harness.shell("setfacl -m u:nobody:r '\(box.config)' && setfattr -n user.agent.label -v keep-me '\(box.config)'").status == 0)
        let before = try Harness.shell("getfacl -c '\(box.config)'").stdout
        let result = try Harness.ctagentcmd(edit(box))
        #expect(result.status == 0, "\(result.stderr)")
        for name in ["config.yaml", "config.yaml.bak"] {
            let path = box.directory + "/" + name
            #expect(try Harness.shell("getfacl -c '\(path)'").stdout == before, "the ACL of \(name)")
            #expect(try Harness.shell("getfattr --only-values -n user.agent.label '\(path)'").stdout == "keep-me", "user.agent.label of \(name)")
        }
        #expect(box.read()?.contains("heartbeat-interval: 61") == true)
    }

    @Test func aPlantedLockSymlinkIsNotFollowed() throws {
        // A folder (and config) owned by nobody: that user can plant files there.
        let box = try Sandbox()
        chown(box.directory, 65534, 65534)
        chown(box.config, 65534, 65534)
        let victim = try Sandbox(config: nil)
        let target = victim.directory + "/created-by-root"
        symlink(target, box.directory + "/.config.yaml.lock")
        let result = try Harness.ctagentcmd(edit(box))
        #expect(result.status == 77, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(".config.yaml.lock is a symbolic link"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target), "nothing may be created at the link's target")
        #expect(box.read() == Sandbox.sampleConfig)
    }

    @Test(arguments: [(0o777, "can be written by every user", "chmod o-w"), (0o775, "can be written by the members of group", "chmod g-w")])
    func aFolderOthersCanWriteIsRefused(mode: Int, problem: String, fix: String) throws {
        let box = try Sandbox()
        chmod(box.directory, mode_t(mode))
        chown(box.directory, 0, 100)
        let result = try Harness.ctagentcmd(edit(box))
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.contains("\(box.directory) \(problem)"), "\(result.stderr)")
        #expect(result.stderr.contains("\(fix) \(box.directory)"), "\(result.stderr)")
        #expect(box.files == ["config.yaml"], "not even the lock is created")
    }

    /// A folder higher up that others may write could have the config's folder swapped: refused
    /// as sshd's StrictModes refuses it, except a root-owned sticky folder (as /tmp), where
    /// only an entry's owner may rename it.
    @Test func aWritableFolderAboveTheConfigIsRefusedUnlessSticky() throws {
        let box = try Sandbox(config: nil)
        let outer = box.directory + "/shared", inner = outer + "/agent"
        try FileManager.default.createDirectory(atPath: inner, withIntermediateDirectories: true)
        try Sandbox.sampleConfig.write(toFile: inner + "/config.yaml", atomically: false, encoding: .utf8)
        let arguments = ["updateConfig", "--config", inner + "/config.yaml", "--set", "configuration.heartbeat-interval=61", "--skipRestart"]
        chmod(outer, 0o777)
        let refused = try Harness.ctagentcmd(arguments)
        #expect(refused.status == 77, "\(refused.stderr)")
        #expect(refused.stderr.contains("\(outer) can be written by every user (mode 0777), and the config is in a folder below it"), "\(refused.stderr)")
        #expect(refused.stderr.contains("Fix it with: chmod o-w \(outer)"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: inner + "/config.yaml", encoding: .utf8) == Sandbox.sampleConfig)
        chmod(outer, 0o1777)
        let sticky = try Harness.ctagentcmd(arguments)
        #expect(sticky.status == 0, "\(sticky.stderr)")
        chmod(outer, 0o755)
        chown(outer, 65534, 65534)
        let foreign = try Harness.ctagentcmd(arguments + ["--set", "configuration.log-level=debug"])
        #expect(foreign.status == 77, "\(foreign.stderr)")
        #expect(foreign.stderr.contains("\(outer) belongs to nobody (uid 65534), neither root nor the config's owner (root (uid 0))"), "\(foreign.stderr)")
    }

    /// Write access granted by an ACL counts like mode bits: on the config, its folder or a
    /// folder above it. Read access (as the agent's user may need) does not.
    @Test(.enabled(if: attributesSupported, "this file system keeps no ACLs"))
    func writeAccessThroughAnACLIsRefused() throws {
        let box = try Sandbox()
        let nested = box.directory + "/agent"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: false)
        try Sandbox.sampleConfig.write(toFile: nested + "/config.yaml", atomically: false, encoding: .utf8)
        let arguments = ["updateConfig", "--config", nested + "/config.yaml", "--set", "configuration.heartbeat-interval=61", "--skipRestart"]
        for (path, entry, fix) in [(nested + "/config.yaml", "u:nobody:rw", "setfacl -x u:65534"),
                                   (nested, "u:nobody:rwx", "setfacl -x u:65534"),
                                   (box.directory, "g:nogroup:rwx", "setfacl -x g:65534")] {
            try #require(try Harness.shell("setfacl -m \(entry) '\(path)'").status == 0)
            let result = try Harness.ctagentcmd(arguments)
            #expect(result.status == 77, "\(entry) on \(path): \(result.stderr)")
            #expect(result.stderr.contains("\(path) can be written by ") && result.stderr.contains("through its ACL"), "\(result.stderr)")
            #expect(result.stderr.contains("Fix it with: \(fix) \(path)"), "\(result.stderr)")
            #expect(try String(contentsOfFile: nested + "/config.yaml", encoding: .utf8) == Sandbox.sampleConfig)
            try #require(try Harness.shell("setfacl -x \(entry.split(separator: ":").prefix(2).joined(separator: ":")) '\(path)'").status == 0)
        }
        try #require(try Harness.shell("setfacl -m u:nobody:r '\(nested)/config.yaml'").status == 0)
        let readable = try Harness.ctagentcmd(arguments)
        #expect(readable.status == 0, "read access for the agent's user is fine: \(readable.stderr)")
    }

    /// A folder's default ACL would give the rewritten config entries the original never had
    /// (and the next edit would refuse them): the new version gets the original's access only.
    @Test(.enabled(if: attributesSupported, "this file system keeps no ACLs"))
    func aFoldersDefaultACLDoesNotReachTheRewrittenConfig() throws {
        let box = try Sandbox()
        chmod(box.config, 0o640)
        try #require(try Harness.shell("setfacl -d -m u:nobody:rw '\(box.directory)'").status == 0)
        for value in ["61", "62"] {
            let result = try Harness.ctagentcmd(edit(box, value))
            #expect(result.status == 0, "\(result.stderr)")
        }
        for name in ["config.yaml", "config.yaml.bak"] {
            let acl = try Harness.shell("getfacl -c '\(box.directory)/\(name)'")
            #expect(!acl.stdout.contains("user:nobody"), "\(name): \(acl.stdout)")
        }
        var info = stat()
        stat(box.config, &info)
        #expect(info.st_mode & 0o7777 == 0o640)
    }

    /// The agent reads through the path as given: a link to the config in a folder others may
    /// write could be swapped, so that folder is checked like the target's.
    @Test func aLinkToTheConfigInAFolderOthersCanWriteIsRefused() throws {
        let box = try Sandbox()
        let shared = box.directory + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o777)
        symlink(box.config, shared + "/config.yaml")
        let result = try Harness.ctagentcmd(["updateConfig", "--config", shared + "/config.yaml", "--set", "configuration.heartbeat-interval=61", "--skipRestart"])
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.contains("\(shared) can be written by every user (mode 0777), and the path to the config (\(shared)/config.yaml) passes through it"),
                "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
    }

    /// Group root is trusted like root only while no other user is in it (here: /etc/group
    /// with nobody added, bind-mounted in a private mount namespace).
    @Test(.enabled(if: HostAbilities.privateMounts, "unshare -m (a private mount namespace) is not permitted here"))
    func groupRootWithOtherMembersIsNotTrusted() throws {
        let box = try Sandbox()
        chown(box.config, 0, 0)
        chmod(box.config, 0o664)
        let command = ([Harness.binary("ctagentcmd")] + edit(box)).map { "'\($0)'" }.joined(separator: " ")
        let trusted = try Harness.shell(command)
        #expect(trusted.status == 0, "group root without other members is root's: \(trusted.stderr)")
        let group = box.directory + "/group"
        let script = "sed 's/^root:x:0:.*$/root:x:0:nobody/' /etc/group > '\(group)' && unshare -m sh -c \"mount --bind '\(group)' /etc/group && exec \(command.replacingOccurrences(of: "\"", with: "\\\""))\""
        let refused = try Harness.shell(script)
        #expect(refused.status == 77, "\(refused.stderr)")
        #expect(refused.stderr.contains("can be written by the members of group root (gid 0), whose members include nobody"), "\(refused.stderr)")
    }

    @Test func aConfigOthersCanWriteIsRefused() throws {
        let box = try Sandbox()
        chmod(box.config, 0o666)
        let result = try Harness.ctagentcmd(edit(box))
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.contains("Fix it with: chmod o-w \(box.config)"), "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
    }

    @Test(.enabled(if: HostAbilities.privateMounts, "unshare -m (a private mount namespace) is not permitted here"))
    func aBindMountedConfigKeepsThePreviousBackup() throws {
        let box = try Sandbox()
        let previous = "# the backup from an earlier edit\n" + Sandbox.sampleConfig
        try box.write(previous, to: "config.yaml.bak")
        let command = quoted([Harness.binary("ctagentcmd")] + edit(box))
        let result = try Harness.shell("unshare -m sh -c \"mount --bind '\(box.config)' '\(box.config)' && exec \(command.replacingOccurrences(of: "\"", with: "\\\""))\"")
        #expect(result.status == 73, "\(result.stderr)")
        #expect(box.read("config.yaml.bak") == previous, "a failed write must not cost the previous backup")
        #expect(box.read() == Sandbox.sampleConfig)
        #expect(!box.files.contains { $0.contains(".tmp-") }, "\(box.files)")
    }

    @Test(.enabled(if: HostAbilities.privateMounts, "unshare -m (a private mount namespace) is not permitted here"))
    func aFullDiskKeepsThePreviousBackup() throws {
        // A 64 KiB tmpfs holding the config, its backup and a filler that leaves no room.
        let box = try Sandbox(config: nil)
        let padding = (1...40).map { "  padding-\($0): \(String(repeating: "x", count: 60))\n" }.joined()
        let config = Sandbox.sampleConfig + padding
        let previous = "# the backup from an earlier edit\n" + config
        let command = quoted([Harness.binary("ctagentcmd"), "updateConfig", "--config", "/mnt/config.yaml",
                              "--set", "configuration.heartbeat-interval=61", "--skipRestart"])
        let script = """
            mount -t tmpfs -o size=64k,mode=0700 tmpfs /mnt && cd /mnt && printf '%s' "$CONFIG" > config.yaml && printf '%s' "$PREVIOUS" > config.yaml.bak \
              && (dd if=/dev/zero of=filler bs=4k 2>/dev/null; true) && \(command); status=$?; \
              cp config.yaml config.yaml.bak '\(box.directory)/'; ls -a > '\(box.directory)/listing'; exit $status
            """
        let result = try Harness.run("/usr/bin/unshare", ["-m", "sh", "-c", script], environment: ["CONFIG": config, "PREVIOUS": previous])
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("no space left"), "\(result.stderr)")
        #expect(box.read() == config)
        #expect(box.read("config.yaml.bak") == previous, "a failed write must not cost the previous backup")
        #expect(box.read("listing")?.contains(".tmp-") == false, "\(box.read("listing") ?? "")")
    }

    @Test func aFIFOAsConfigEndsAtOnceWith66() throws {
        let box = try Sandbox(config: nil)
        mkfifo(box.config, 0o600)
        for arguments in [edit(box), ["getConfig", "--config", box.config], ["showProxy", "--config", box.config]] {
            let started = Date()
            let result = try Harness.run("/usr/bin/timeout", ["10", Harness.binary("ctagent")] + arguments)
            #expect(Date().timeIntervalSince(started) < 5, "\(arguments[0]) must not wait for a writer")
            #expect(result.status == 66, "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("is a FIFO (named pipe), not a regular file"), "\(result.stderr)")
        }
    }

    @Test func endlessPasswordInputEndsAtOnceWith64() throws {
        let box = try Sandbox()
        let base = [Harness.binary("ctagent"), "updateProxy", "--config", box.config, "--proxy=\(docProxies)",
                    "--proxyUser=\(docUsers)", "--skipRestart"]
        for redirect in [quoted(base + ["--proxyPasswordFile", "/dev/zero"]), quoted(base + ["--proxyPasswordStdin"]) + " < /dev/zero"] {
            let started = Date()
            let result = try Harness.shell("timeout 20 " + redirect)
            #expect(Date().timeIntervalSince(started) < 10)
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains("holds more than 64 KiB"), "\(result.stderr)")
            #expect(box.read() == Sandbox.sampleConfig)
        }
    }

    /// fsync 1 and 2 are the new config's and the backup's temp files, 3 and 4 the folder after
    /// each rename: a signal at any of them leaves the config whole (old or new), no temp file.
    @Test(.enabled(if: HostAbilities.commandExists("strace"), "strace is not installed"),
          arguments: [("TERM", 143), ("INT", 130)], [1, 2, 3, 4])
    func aSignalDuringTheWriteLeavesNoTempFile(signal: (String, Int32), fsyncNumber: Int) throws {
        let box = try Sandbox()
        let result = try Harness.run("/usr/bin/strace", ["-f", "-o", "/dev/null", "-e", "trace=fsync",
                                                         "-e", "inject=fsync:signal=\(signal.0):when=\(fsyncNumber)",
                                                         Harness.binary("ctagentcmd")] + edit(box))
        #expect(result.status == signal.1, "exit \(result.status): \(result.stderr)")
        let text = box.read() ?? ""
        #expect(text == Sandbox.sampleConfig || text.contains("heartbeat-interval: 61"), "the config must be whole")
        #expect(!box.files.contains { $0.contains(".tmp-") }, "temp files left: \(box.files)")
        if fsyncNumber <= 2 { #expect(text == Sandbox.sampleConfig, "nothing is renamed before both files are synced") }
    }

    /// A hangup the caller chose to ignore (`nohup`, `trap '' HUP`) stays ignored: the write
    /// goes on. Not ignored, the same hangup ends the run (129) with the config whole.
    @Test(.enabled(if: HostAbilities.commandExists("strace"), "strace is not installed"))
    func aHangupTheCallerIgnoresDoesNotStopTheWrite() throws {
        let strace = "strace -f -o /dev/null -e trace=fsync -e inject=fsync:signal=HUP:when=1"
        let ignoring = try Sandbox()
        let ignored = try Harness.shell("trap '' HUP; exec \(strace) \(quoted([Harness.binary("ctagentcmd")] + edit(ignoring)))")
        #expect(ignored.status == 0, "exit \(ignored.status): \(ignored.stderr)")
        #expect(ignoring.read()?.contains("heartbeat-interval: 61") == true)
        let plain = try Sandbox()
        let hungUp = try Harness.shell("exec \(strace) \(quoted([Harness.binary("ctagentcmd")] + edit(plain)))")
        #expect(hungUp.status == 129, "exit \(hungUp.status): \(hungUp.stderr)")
        #expect(plain.read() == Sandbox.sampleConfig)
        #expect(!plain.files.contains { $0.contains(".tmp-") }, "temp files left: \(plain.files)")
    }

    @Test func aHardLinkedConfigIsWrittenWithAWarning() throws {
        let box = try Sandbox()
        link(box.config, box.directory + "/other-name.yaml")
        let result = try Harness.ctagentcmd(edit(box))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Warning: \(box.config) had 1 other hard link(s); they still hold the previous version"), "\(result.stderr)")
        #expect(box.read("other-name.yaml") == Sandbox.sampleConfig)
        #expect(box.read()?.contains("heartbeat-interval: 61") == true)
    }
}
