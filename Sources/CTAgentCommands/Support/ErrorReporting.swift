import AgentConfig
import ArgumentParser
import ServiceControl
import YAMLEdit

/// One place that turns an error into its message and exit code (see the exit code table in
/// the README). Messages start with "Error:" and go to stderr.
enum ErrorReporting {
    static func exitCode(for error: Error) -> Int32 { status(for: error).rawValue }

    /// Each error's status follows from its type and case, never from a number at the call site.
    static func status(for error: Error) -> ExitStatus {
        switch error {
        case is ConfigValueError: return .usage
        case let error as YAMLEditError:
            switch error {
            case .typeMismatch, .valueNotOfType, .emptyPath: return .usage
            default: return .dataError
            }
        case let error as StoreError:
            switch error {
            case .notFound, .notAFile, .notARegularFile, .symlinkLoop: return .noInput
            case .permissionDenied, .unsafePath: return .permission
            case .attributeNotKept, .cannotReplace: return .cannotReplace
            case .lockTimeout: return .lockHeld
            case .ioError, .readError: return .ioError
            }
        case is RestartError: return .restartFailed
        case let error as CommandFailure: return error.status
        default: return .usage
        }
    }

    static func message(for error: Error, configPath: String?) -> String {
        switch error {
        case let error as YAMLEditError:
            return (configPath.map { "\($0): " } ?? "") + maskingSecrets(error).description
        case let error as ConfigValueError where configPath != nil && error.isAboutTheFile:
            return "\(configPath!): \(error.description)"
        default:
            return "\(error)"
        }
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
            throw CommandFailure(description: "\(path) holds proxy settings the agent cannot use: \(error). "
                                 + "Fix them with ctagent updateProxy (or clearProxy)", status: .dataError)
        }
    }

    /// Runs a command body; a failure is reported and becomes the command's exit code.
    static func run(configPath: String? = nil, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch {
            let status = exitCode(for: error)
            report(message(for: error, configPath: configPath), status: status)
            throw ExitCode(status)
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

    static func report(_ message: String, status: Int32) {
        Console.error("Error: " + message)
        if unsafe jsonRequested { JSONOutput.print(JSONError(error: .init(message: message, status: status))) }
    }
}

/// A failure that is not a core module's own (restart, probe, usage), with its named status.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var status: ExitStatus
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
