import SystemCalls

/// A file named on the command line for input (`--proxyPasswordFile`) that cannot be read:
/// missing (66), not ours to read (77), or failing to read (74), not a usage slip.
struct InputFileError: Error, CustomStringConvertible {
    var option: String
    var path: String
    var failure: SystemError

    var status: ExitStatus {
        switch failure.errno {
        case .noSuchFile, .isDirectory: return .noInput
        case .permissionDenied, .notPermitted: return .permission
        default: return .ioError
        }
    }

    var description: String {
        let input = path.isEmpty ? option : "\(option) \(path)"
        switch failure.errno {
        case .noSuchFile: return "\(input) does not exist; check the path"
        case .isDirectory: return "\(input) is a folder; give the file that holds the passwords"
        case .permissionDenied, .notPermitted: return "permission denied to read \(input); run as its owner or root (sudo)"
        default: return "cannot read \(input): \(failure)"
        }
    }
}
