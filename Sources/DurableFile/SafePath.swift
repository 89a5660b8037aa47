import Glibc
import SystemCalls

/// The checks sudo and sshd (StrictModes) make before trusting a file: the config an agent of
/// a security product reads, its folder and every folder above it must not be writable by
/// anyone but root and the config's owner. Otherwise that user could swap the file (or a
/// folder on its path) between our write and the agent's read, or plant files (a lock
/// symlink) for root to follow.
public enum SafePath {
    /// - Parameters:
    ///   - target: the file actually replaced (symlinks resolved);
    ///   - path: the path as given, when it differs: the agent reads through it, so the
    ///     folders on it (which hold the links) must be as safe as the target's.
    static func check(config target: String, givenAs path: String? = nil) throws(StoreError) {
        let directory = FileSystem.directory(of: target)
        // A file or folder that cannot be examined is reported by the read that follows.
        guard let file = try? FileStatus(path: target), let folder = try? FileStatus(path: directory) else { return }
        if let kind = kindName(file.kind) { throw .notARegularFile(path: target, kind: kind) }
        let owner = file.owner
        if let problem = problem(with: folder, at: directory, owner: owner) {
            throw .unsafePath(path: directory, problem: problem.text, fix: problem.fix(directory))
        }
        if let problem = problem(with: file, at: target, owner: owner) {
            throw .unsafePath(path: target, problem: problem.text, fix: problem.fix(target))
        }
        if let real = try? FileSystem.realPath(directory) {
            try checkFolders(above: real, owner: owner, saying: "the config is in a folder below it")
        }
        // The path as given, when links are on it: the agent reads through them, and a link
        // in a folder others may write could be swapped.
        if let path, path != target || (try? FileSystem.realPath(path)) != path {
            let absolute = path.hasPrefix("/") ? path : (FileSystem.currentDirectory() ?? "") + "/" + path
            try checkFolders(above: absolute, owner: owner, saying: "the path to the config (\(path)) passes through it")
        }
    }

    /// The folders above a private folder of this user's (the guards' copies): none may be
    /// writable by anyone else, or the folder could be swapped for another between a check
    /// and a write.
    static func checkFolders(above folder: String, holding what: String) throws(StoreError) {
        try checkFolders(above: folder, owner: geteuid(), saying: "\(what) are in a folder below it")
    }

    /// Each folder above `start`, followed to what it names. One that others may write could
    /// have what is below it renamed away and replaced, unless it is root's and sticky (as
    /// /tmp is): then only the owner of an entry may rename or remove it. /proc/PID belongs
    /// to that process's user, which says nothing about who can swap files.
    private static func checkFolders(above start: String, owner: uid_t, saying relation: String) throws(StoreError) {
        var path = start
        while path != "/" && !path.isEmpty {
            path = FileSystem.directory(of: path)
            if path == "/proc" || path.hasPrefix("/proc/") { continue }
            guard let info = try? FileStatus(path: path) else { return }
            if info.permissions & S_ISVTX != 0 && info.owner == 0 { continue }
            if let problem = problem(with: info, at: path, owner: owner) {
                throw .unsafePath(path: path, problem: problem.text + ", and " + relation, fix: problem.fix(path))
            }
        }
    }

    struct Problem {
        var text: String
        var fix: (String) -> String
    }

    /// The group as messages name it when its members may not write; nil for group root
    /// while no other user is in it (then it counts as root).
    private static func untrustedGroup(_ gid: gid_t) -> String? {
        guard gid == 0 else { return AccountNames.group(gid) }
        let others = AccountNames.membersOtherThanRoot(ofGroup: 0)
        guard !others.isEmpty else { return nil }
        let shown = others.prefix(5).joined(separator: ", ") + (others.count > 5 ? " and \(others.count - 5) more" : "")
        return AccountNames.group(gid) + ", whose members include \(shown)"
    }

    static func problem(with info: FileStatus, at path: String, owner: uid_t) -> Problem? {
        if info.permissions & S_IWOTH != 0 {
            return Problem(text: "can be written by every user (mode \(octal(info.permissions)))") { "Fix it with: chmod o-w \($0)" }
        }
        // With an ACL, the group bits are its mask: the entries say who may write.
        switch AccessControlList.of(path) {
        case .unknown(let why):
            return Problem(text: "may be writable by others: \(why)") { "Check it with: getfacl \($0)" }
        case .acl(let acl):
            for writer in acl.writers {
                switch writer.tag {
                case .user where writer.id != 0 && writer.id != owner:
                    return Problem(text: "can be written by \(AccountNames.user(writer.id)) through its ACL (getfacl \(path))") {
                        "Fix it with: setfacl -x u:\(writer.id) \($0)"
                    }
                case .group:
                    guard let group = untrustedGroup(writer.id) else { continue }
                    return Problem(text: "can be written by the members of \(group) through its ACL (getfacl \(path))") {
                        "Fix it with: setfacl -x g:\(writer.id) \($0)"
                    }
                case .owningGroup:
                    guard let group = untrustedGroup(info.group) else { continue }
                    return Problem(text: "can be written by the members of \(group) through its ACL (getfacl \(path))") {
                        "Fix it with: setfacl -m g::r-X \($0)"
                    }
                default:
                    continue
                }
            }
        case .none:
            if info.permissions & S_IWGRP != 0, let group = untrustedGroup(info.group) {
                return Problem(text: "can be written by the members of \(group) (mode \(octal(info.permissions)))") {
                    "Fix it with: chmod g-w \($0)"
                }
            }
        }
        if info.owner != 0 && info.owner != owner {
            return Problem(text: "belongs to \(AccountNames.user(info.owner)), neither root nor the config's owner (\(AccountNames.user(owner)))") {
                "Fix it with: chown root \($0)"
            }
        }
        return nil
    }

    /// A mode as chmod writes it: `0644`.
    public static func octal(_ mode: mode_t) -> String { "0" + String(mode & 0o7777, radix: 8) }

    /// What a non-regular file is, in words; nil for a regular file.
    static func kindName(_ kind: FileStatus.Kind) -> String? {
        switch kind {
        case .regular: return nil
        case .directory: return "a folder"
        case .fifo: return "a FIFO (named pipe)"
        case .socket: return "a socket"
        case .characterDevice: return "a character device"
        case .blockDevice: return "a block device"
        case .symbolicLink, .unknown: return "not a regular file"
        }
    }
}
