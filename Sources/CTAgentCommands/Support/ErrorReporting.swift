import AgentConfig
import ConfigTransaction
import DurableFile
import ArgumentParser
import ServiceControl
import YAMLEdit

/// One place that turns an error into its message and exit status (see the exit code table in
/// the README), called from `main`'s one `catch`. Messages start with "Error:" and go to
/// stderr; with `--json` they are also one JSON object on stdout.
enum ErrorReporting {
    /// Reports the error that ended a command line and returns the exit status: ours by their
    /// type, ArgumentParser's in its own words, and anything else as the bug it is.
    static func report<Root: ParsableCommand>(_ error: Error, root: Root.Type) -> Int32 {
        let (underlying, configPath) = (error as? ConfigFileError).map { ($0.underlying, Optional($0.path)) } ?? (error, nil)
        if let status = status(for: underlying) {
            let answered = (underlying as? CommandFailure)?.answeredInJSON == true
            return report(message(for: underlying, configPath: configPath), status: status, inJSON: !answered)
        }
        // EXIT_FAILURE is what ArgumentParser gives an error it does not know either.
        if root.exitCode(for: error) == .failure {
            return report("internal error: \(error); please report it", status: .software, inJSON: true)
        }
        return reportArgumentParserError(error, root: root)
    }

    private static func report(_ message: String, status: ExitStatus, inJSON: Bool) -> Int32 {
        Console.error("Error: " + message)
        if unsafe jsonRequested && inJSON {
            JSONOutput.print(JSONError(error: .init(message: message, status: status.rawValue)))
        }
        return status.rawValue
    }

    /// Reports what ArgumentParser met (a bad option, a failed `validate()`, `--help`,
    /// `--version`) in its own words, and returns its status.
    private static func reportArgumentParserError<Root: ParsableCommand>(_ error: Error, root: Root.Type) -> Int32 {
        let status = root.exitCode(for: error).rawValue
        let text = root.fullMessage(for: error)
        guard status != 0 else {
            if !text.isEmpty { Console.out(text) }
            return status
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        Console.error(ArgumentRedaction.redact(text, arguments: arguments))
        hints(for: arguments).forEach { Console.error("Hint: " + $0) }
        if unsafe jsonRequested {
            let message = ArgumentRedaction.redact(root.message(for: error), arguments: arguments)
            JSONOutput.print(JSONError(error: .init(message: message, status: status)))
        }
        return status
    }

    /// The slips of a command pasted from a document, which ArgumentParser reports only as
    /// unexpected arguments.
    static func hints(for arguments: [String]) -> [String] {
        var hints: [String] = []
        if let dashed = arguments.first(where: { $0.hasPrefix("\u{2014}") || $0.hasPrefix("\u{2013}") }) {
            hints.append("an argument starts with '\(dashed.prefix(1))', a typographic dash as documents and mail paste it; type two hyphens (--) instead")
        }
        if arguments.dropLast().contains(where: { $0.hasSuffix(",") }) {
            hints.append("an argument ends with ',': a list is one argument without spaces, e.g. --proxy=http://10.10.6.4:3128,http://10.10.4.5:4128")
        }
        return hints
    }

    /// Each error's status follows from its type and case, never from a number at the call
    /// site; nil for errors that are not ours (ArgumentParser's).
    static func status(for error: Error) -> ExitStatus? {
        switch error {
        case is ConfigValueError, is CommandLineError: return .usage
        case let error as InputFileError: return error.status
        case let error as YAMLEditError:
            switch error {
            case .typeMismatch, .valueNotOfType, .emptyPath: return .usage
            default: return .dataError
            }
        case let error as StoreError:
            switch error {
            case .notFound, .notAFile, .notARegularFile, .symlinkLoop, .danglingSymlink: return .noInput
            case .permissionDenied, .unsafePath: return .permission
            case .attributeNotKept, .cannotReplace: return .cannotReplace
            case .lockTimeout: return .lockHeld
            case .ioError, .readError: return .ioError
            case .tooLarge: return .dataError
            }
        case is RestartError: return .restartFailed
        case let error as BackupError:
            switch error {
            case .missing, .notARegularFile: return .noInput
            case .symbolicLink: return .cannotReplace
            case .foreignOwner, .unsafe: return .permission
            case .cannotExamine(_, let errno, _): return errno == .permissionDenied ? .permission : .ioError
            // The store's own reason decides, as it does for the config itself.
            case .unreadable(_, let error): return status(for: error)
            }
        case let error as TransactionError:
            if case .guardNotArmed = error { return .restartFailed }
            return .dataError
        case let error as CommandFailure: return error.status
        default: return nil
        }
    }

    static func message(for error: Error, configPath: String?) -> String {
        ErrorMessages.text(for: error, configPath: configPath)
    }

    /// The editor quotes values in a few messages; those of secret keys are hidden.
    static func maskingSecrets(_ error: YAMLEditError) -> YAMLEditError {
        switch error {
        case .typeMismatch(let path, let type, _, _, _) where ConfigKey.isSecret(path):
            return .typeMismatch(path: path, existingType: type, existingText: SecretMask.hidden, newText: SecretMask.hidden)
        case .valueNotOfType(let path, let type, _, _) where ConfigKey.isSecret(path):
            return .valueNotOfType(path: path, type: type, text: SecretMask.hidden)
        default:
            return error
        }
    }

    /// The proxy settings already in the file. A bad value there is not the caller's typo but
    /// a file the agent cannot use, so it is reported as such (65), naming the file.
    static func storedProxySettings(_ config: AgentConfiguration, path: String) throws -> ProxySettings {
        do {
            return try config.proxySettings()
        } catch let error as ConfigValueError {
            throw TransactionError.storedSettingsUnusable(path: path, error)
        } catch {
            throw ConfigFileError(path: path, underlying: error)
        }
    }

    /// Set by `main` when the command line asks for `--json`.
    nonisolated(unsafe) static var jsonRequested = false

    /// `{"error": {"message": …, "status": …}}` on stdout with `--json`, so that scripts read
    /// errors the way they read results; the `Error:` line on stderr always.
    struct JSONError: Encodable {
        struct Body: Encodable {
            var message: String
            var status: Int32
        }
        var error: Body
    }
}

/// A failure that is not a core module's own (restart, probe, usage), with its named status.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var status: ExitStatus
    /// The command's `--json` answer already says it failed: stdout stays one JSON object.
    var answeredInJSON = false
}

/// An error met while reading or editing the config file at `path`. Messages about what the
/// file holds name it; the status is the underlying error's.
struct ConfigFileError: Error, CustomStringConvertible {
    var path: String
    var underlying: Error

    var description: String { ErrorReporting.message(for: underlying, configPath: path) }

    /// Runs `body`, whose errors are about the config file at `path`.
    static func about<Result>(_ path: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as ConfigFileError {
            throw error
        } catch {
            throw ConfigFileError(path: path, underlying: error)
        }
    }
}

extension ConfigValueError {
    /// Errors about what the file holds (not about what was typed) name the file.
    var isAboutTheFile: Bool {
        switch self {
        case .countMismatch, .userWithoutPassword, .passwordWithoutUser, .credentialsWithoutProxies: return true
        default: return false
        }
    }
}
