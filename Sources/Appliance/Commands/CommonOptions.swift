import ArgumentParser
import Foundation
import Logging
import Desk
import Storage

/// The options every command that touches the store shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Data directory (default ./data; /var/lib/atende when installed). Env: ATENDE_DATA.")
    var data: String?

    @Option(help: "Config file (TOML; default /etc/atende/atende.toml when installed). Env: ATENDE_CONFIG.")
    var config: String?

    @Option(name: .customLong("master-key"), help: "Master key file (default master.key beside the data directory; /etc/atende/master.key when installed). Env: ATENDE_MASTER_KEY_FILE.")
    var masterKey: String?

    /// The resolved configuration, with `extra` flags (e.g. --port) layered on top.
    func configuration(extra: [String: String] = [:]) throws -> Configuration {
        var flags = extra
        if let data { flags["--data"] = data }
        if let masterKey { flags["--master-key"] = masterKey }
        do {
            return try Configuration.load(flags: flags, configFlag: config, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError("\(error). Hint: see `atende help` and the README's configuration table.")
        }
    }
}

/// Exit codes (sysexits.h), shared by every command.
enum Exit {
    static let usage = ExitCode(64)
    static let noInput = ExitCode(66)
    static let locked = ExitCode(69)
    static let io = ExitCode(74)
    static let dataError = ExitCode(65)
    static let configuration = ExitCode(78)

    /// Prints `error` for a person and turns it into the exit code that fits it.
    static func fail(_ error: any Error, hint: String? = nil) -> ExitCode {
        var message = "error: \(error)"
        if let hint { message += "\nhint: \(hint)" }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        switch error {
        case let error as StorageError:
            switch error.code {
            case .locked: return locked
            case .corrupted: return dataError
            case .invalid: return usage
            default: return io
            }
        case let error as BackupFileError:
            switch error.code {
            case .io: return io
            case .passphraseRequired, .invalid: return usage
            default: return dataError                 // not a backup, truncated, corrupted, wrong passphrase
            }
        case let error as VaultError:
            switch error.code {
            case .invalidName, .notFound: return usage
            case .keyMissing, .keyPermissions, .keyInvalid, .wrongMasterKey: return configuration
            case .authenticationFailed, .corrupted: return dataError
            default: return io
            }
        default:
            break
        }
        return io
    }
}

extension Logger {
    /// The logger CLI commands use: warnings and above, as JSON on stderr.
    static func cli(_ config: Configuration) -> Logger {
        var logger = Logger(label: "atende")
        logger.logLevel = max(config.logLevel, .warning)
        return logger
    }
}

/// Opens the store in the configured data directory (taking its lock) for one command, closes it
/// afterwards, and turns store and vault failures into a message, a hint and the exit code that
/// fits. Usage and domain errors pass through for the command to report.
func withStore(_ common: CommonOptions,
               _ body: (Store, Configuration, Logger) async throws -> Void) async throws {
    let config = try common.configuration()
    Logger.bootstrapJSON(level: .warning)
    let logger = Logger.cli(config)
    do {
        let store = try Store(directory: config.dataDirectory, schema: Appliance.schema, logger: logger)
        defer { store.close() }
        try await body(store, config, logger)
    } catch let error as ValidationError {
        throw error
    } catch let error as DeskError {
        throw error
    } catch {
        throw Exit.fail(error, hint: Appliance.hint(for: error, config: config))
    }
}
