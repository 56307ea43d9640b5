import Foundation
import Logging

// The crash tests' writer process (Tests/StorageTests/CrashTests.swift, FaultTests.swift).
// It uses the real Storage module exactly as the daemon does; only the workload is made up.

let logger = Logger(label: "atende.crash-writer") { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .warning
    return handler
}

do {
    let args = try Arguments(Array(CommandLine.arguments.dropFirst()))
    switch args.mode {
    case .write: try await runWriters(args, logger: logger)
    case .diskFull: try await fillDisk(args, logger: logger)
    case .holdRead: try holdRead(args, logger: logger)
    }
} catch let error as UsageError {
    FileHandle.standardError.write(Data("CrashWriter: \(error)\n\(Arguments.usage)\n".utf8))
    exit(64)
} catch {
    FileHandle.standardError.write(Data("CrashWriter: \(error)\n".utf8))
    exit(1)
}
