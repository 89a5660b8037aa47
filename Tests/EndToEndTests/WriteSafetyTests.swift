import Foundation
import TestSupport
import Testing

private func update(_ box: Sandbox, _ extra: [String] = []) -> [String] {
    ["updateProxy", "--config", box.config, "--proxy=\(docProxies)", "--proxyUser=\(docUsers)",
     "--proxyPassword=\(docPasswords)", "--skipRestart"] + extra
}

@Suite(.serialized) struct WriteSafetyTests {
    @Test func symlinkOwnerAndModeAreKept() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(atPath: box.directory + "/real", withIntermediateDirectories: false)
        try box.write(Sandbox.sampleConfig, to: "real/agent.yaml")
        let real = box.directory + "/real/agent.yaml"
        try FileManager.default.removeItem(atPath: box.config)
        symlink("real/agent.yaml", box.config)
        chown(real, 65534, 65534)
        chmod(real, 0o640)
        let result = try Harness.ctagent(update(box))
        #expect(result.status == 0, "\(result.stderr)")
        var link = stat(), info = stat(), backup = stat()
        lstat(box.config, &link)
        stat(real, &info)
        stat(real + ".bak", &backup)
        #expect(link.st_mode & S_IFMT == S_IFLNK, "the symlink must stay a symlink")
        #expect(box.read("real/agent.yaml") == sampleAfterDocExample)
        #expect(box.read("real/agent.yaml.bak") == Sandbox.sampleConfig)
        #expect(info.st_uid == 65534 && info.st_gid == 65534 && info.st_mode & 0o7777 == 0o640)
        #expect(backup.st_uid == 65534 && backup.st_gid == 65534 && backup.st_mode & 0o7777 == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.directory + "/real").sorted()
                == [".agent.yaml.lock", "agent.yaml", "agent.yaml.bak"])
    }

    @Test(.enabled(if: HostAbilities.commandExists("strace"), "strace is not installed"),
          arguments: [1, 2])
    func aWriterKilledAtARenameLeavesTheOldFileAndTheNextWriterCleansUp(_ renameNumber: Int) throws {
        let box = try Sandbox()
        // strace kills the process at the exact rename syscall: the first renames the new
        // config into place, the second the backup (both are written and synced before).
        let killed = try Harness.run("/usr/bin/strace", ["-f", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2",
                                                         "-e", "inject=rename,renameat,renameat2:signal=KILL:when=\(renameNumber)",
                                                         Harness.binary("ctagent")] + update(box))
        #expect(killed.status != 0)
        if renameNumber == 1 {
            #expect(box.read() == Sandbox.sampleConfig, "the old file must be intact")
        } else {
            #expect(box.read() == sampleAfterDocExample, "the new file is in place")
            #expect(box.read("config.yaml.bak") == nil, "the backup was not yet renamed into place")
        }
        #expect(box.files.contains { $0.contains(".tmp-") }, "the killed writer leaves its temp file: \(box.files)")
        let next = try Harness.ctagentcmd(["updateConfig", "--config", box.config, "--set", "configuration.log-level=debug", "--skipRestart"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(box.read()?.contains("log-level: debug") == true)
        #expect(box.files == [".config.yaml.lock", "config.yaml", "config.yaml.bak"], "stale temp files are removed")
    }

    @Test func aFileSizeLimitGives74AndTheOldFile() throws {
        // Larger than the 1 KiB limit below, so writing the new version must fail.
        let big = Sandbox.sampleConfig + (1...60).map { "# padding line \($0) ..........\n" }.joined()
        let box = try Sandbox(config: big)
        let command = ([Harness.binary("ctagent")] + update(box)).map { "'\($0)'" }.joined(separator: " ")
        let result = try Harness.shell("ulimit -f 1; exec \(command)")
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("file too large"), "\(result.stderr)")
        #expect(box.read() == big)
        #expect(!box.files.contains { $0.contains(".tmp-") }, "no temp file may be left: \(box.files)")
    }

    @Test func twentyConcurrentWritersAllLand() throws {
        let box = try Sandbox()
        let binary = Harness.binary("ctagentcmd")
        let script = (1...20).map {
            "'\(binary)' updateConfig --config '\(box.config)' --allowNewKeys --set configuration.key\($0)=value\($0) --skipRestart --lockTimeout 60 >/dev/null &"
        }.joined(separator: "\n") + "\nfail=0; for job in $(jobs -p); do wait $job || fail=1; done; exit $fail"
        let result = try Harness.shell(script)
        #expect(result.status == 0, "\(result.stderr)")
        let text = box.read() ?? ""
        for index in 1...20 {
            #expect(text.contains("  key\(index): value\(index)\n"), "key\(index) is missing")
        }
        #expect(text.hasPrefix(Sandbox.sampleConfig), "the existing lines stay")
        #expect(box.files == [".config.yaml.lock", "config.yaml", "config.yaml.bak"])
    }

    @Test(.enabled(if: HostAbilities.commandExists("flock"), "flock is not installed"))
    func aHeldLockGives75AfterTheTimeout() throws {
        let box = try Sandbox()
        let lock = box.directory + "/.config.yaml.lock"
        let command = ([Harness.binary("ctagent")] + update(box, ["--lockTimeout", "0.3"])).map { "'\($0)'" }.joined(separator: " ")
        let result = try Harness.shell("flock '\(lock)' \(command)")
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("another writer has held \(lock) for more than 0.3 s; nothing was written"))
        #expect(box.read() == Sandbox.sampleConfig)
    }

    @Test(.enabled(if: HostAbilities.privateMounts, "unshare -m (a private mount namespace) is not permitted here"))
    func aBindMountedConfigGives73() throws {
        let box = try Sandbox()
        let command = ([Harness.binary("ctagent")] + update(box)).map { "'\($0)'" }.joined(separator: " ")
        // In a private mount namespace, so nothing leaks if the test dies.
        let result = try Harness.shell("unshare -m sh -c \"mount --bind '\(box.config)' '\(box.config)' && exec \(command.replacingOccurrences(of: "\"", with: "\\\""))\"")
        #expect(result.status == 73, "\(result.stderr)")
        #expect(result.stderr.contains("cannot replace"), "\(result.stderr)")
        #expect(box.read() == Sandbox.sampleConfig)
        #expect(!box.files.contains { $0.contains(".tmp-") })
    }
}
