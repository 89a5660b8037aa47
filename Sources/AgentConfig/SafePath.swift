import Glibc

/// The checks sudo and sshd make before trusting a file: the config an agent of a security
/// product reads, and the folder it is in, must not be writable by anyone but root and the
/// config's owner. Otherwise that user could swap the file between our write and the agent's
/// read, or plant files (a lock symlink) for root to follow.
public enum SafePath {
    static func check(config target: String) throws(StoreError) {
        var file = stat(), folder = stat()
        let directory = PosixFile.directory(of: target)
        guard unsafe stat(target, &file) == 0 else { return }  // reading it reports the problem
        guard unsafe stat(directory, &folder) == 0 else { return }
        if let kind = kindName(file.st_mode) { throw .notARegularFile(path: target, kind: kind) }
        let owner = file.st_uid
        if let problem = problem(with: folder, owner: owner) {
            throw .unsafePath(path: directory, problem: problem.text, fix: problem.fix(directory))
        }
        if let problem = problem(with: file, owner: owner) {
            throw .unsafePath(path: target, problem: problem.text, fix: problem.fix(target))
        }
    }

    private struct Problem {
        var text: String
        var fix: (String) -> String
    }

    private static func problem(with info: stat, owner: uid_t) -> Problem? {
        if info.st_mode & S_IWOTH != 0 {
            return Problem(text: "can be written by every user (mode \(octal(info.st_mode)))") { "Fix it with: chmod o-w \($0)" }
        }
        if info.st_mode & S_IWGRP != 0 && info.st_gid != 0 {
            return Problem(text: "can be written by the members of group \(info.st_gid) (mode \(octal(info.st_mode)))") { "Fix it with: chmod g-w \($0)" }
        }
        if info.st_uid != 0 && info.st_uid != owner {
            return Problem(text: "belongs to uid \(info.st_uid), neither root nor the config's owner (uid \(owner))") { "Fix it with: chown root \($0)" }
        }
        return nil
    }

    /// A mode as chmod writes it: `0644`.
    public static func octal(_ mode: mode_t) -> String { "0" + String(mode & 0o7777, radix: 8) }

    /// What a non-regular file is, in words; nil for a regular file.
    static func kindName(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "not a regular file"
        }
    }
}
