import Glibc
import SystemCalls

/// The checks sudo and sshd (StrictModes) make before trusting a file: the config an agent of
/// a security product reads, its folder and every folder above it must not be writable by
/// anyone but root and the config's owner. Otherwise that user could swap the file (or a
/// folder on its path) between our write and the agent's read, or plant files (a lock
/// symlink) for root to follow.
public enum SafePath {
    static func check(config target: String) throws(StoreError) {
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
        try checkAncestors(of: directory, owner: owner)
    }

    /// The folders above the config's folder. One that others may write could have the
    /// config's folder renamed away and replaced, unless it has the sticky bit (as /tmp does):
    /// then only the owner of an entry may rename or remove it.
    private static func checkAncestors(of directory: String, owner: uid_t) throws(StoreError) {
        guard var path = try? FileSystem.realPath(directory) else { return }
        while path != "/" {
            path = FileSystem.directory(of: path)
            guard let info = try? FileStatus(path: path) else { return }
            if info.permissions & S_ISVTX != 0 && info.owner == 0 { continue }
            if let problem = problem(with: info, at: path, owner: owner) {
                throw .unsafePath(path: path, problem: problem.text + ", and the config is in a folder below it",
                                  fix: problem.fix(path))
            }
        }
    }

    private struct Problem {
        var text: String
        var fix: (String) -> String
    }

    private static func problem(with info: FileStatus, at path: String, owner: uid_t) -> Problem? {
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
                case .group where writer.id != 0:
                    return Problem(text: "can be written by the members of \(AccountNames.group(writer.id)) through its ACL (getfacl \(path))") {
                        "Fix it with: setfacl -x g:\(writer.id) \($0)"
                    }
                case .owningGroup where info.group != 0:
                    return Problem(text: "can be written by the members of \(AccountNames.group(info.group)) through its ACL (getfacl \(path))") {
                        "Fix it with: setfacl -m g::r-X \($0)"
                    }
                default:
                    continue
                }
            }
        case .none:
            if info.permissions & S_IWGRP != 0 && info.group != 0 {
                return Problem(text: "can be written by the members of \(AccountNames.group(info.group)) (mode \(octal(info.permissions)))") {
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
