import Foundation
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// Runs `StoreInspection` on an extracted backup payload in a child process: `atende` runs itself
/// with the hidden `inspect-payload` subcommand on the file.
///
/// A crafted payload can crash LMDB (a page number past the end of the file is a SIGBUS inside
/// the memory map) or make it walk for ever; neither may take `verify` or `restore` down with it.
/// The child prints its `StoreInspection.Report` as JSON on stdout; a child that dies by a signal,
/// exits non-zero, outlives `timeout` (then it is killed) or prints no report means the payload is
/// corrupted (`BackupFileError.corrupted`, exit 65).
struct PayloadInspector: Sendable {
    static let subcommand = "inspect-payload"

    /// The program to run with `[subcommand, data file]`: this very binary, unless a test says otherwise.
    var executable = "/proc/self/exe"
    var timeout: Duration = .seconds(60)

    /// 60 s, plus 1 s per 8 MiB of payload: a sound multi-gigabyte store on one slow vCPU must not
    /// be taken for a looping one.
    static func timeLimit(forPayloadBytes bytes: UInt64) -> Duration {
        .seconds(60 + Int64(bytes / (8 << 20)))
    }

    func inspect(dataFile: String) throws -> StoreInspection.Report {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("atende-inspect-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // Files, not pipes: a child that writes more than a pipe holds can never block on it.
        let outputPath = scratch + "/stdout", errorPath = scratch + "/stderr"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil, attributes: [.posixPermissions: 0o600])
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil, attributes: [.posixPermissions: 0o600])
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer { try? output.close(); try? errors.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [Self.subcommand, dataFile]
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"     // a crash is an expected answer here, not a bug to trace
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw BackupFileError(.io, "cannot start the payload check (\(executable)): \(error)")
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        if exited.wait(timeout: .now() + seconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            throw BackupFileError(.corrupted, "checking the payload took longer than \(timeout); "
                + "a damaged store can make the reader loop, so the check was stopped")
        }
        let said = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        let reason = said.split(separator: "\n").last { $0.hasPrefix("error: ") }.map { String($0.dropFirst(7)) }
        if process.terminationReason == .uncaughtSignal {
            let signal = process.terminationStatus
            throw BackupFileError(.corrupted, "the payload crashed the store reader (signal \(signal)"
                + "\(Self.signalName(signal).map { ", \($0)" } ?? "")): its LMDB pages are damaged")
        }
        guard process.terminationStatus == 0 else {
            throw BackupFileError(.corrupted, "the payload is not a sound store: "
                + (reason ?? "the check exited with status \(process.terminationStatus)"))
        }
        guard let json = FileManager.default.contents(atPath: outputPath),
              let report = try? JSONDecoder().decode(StoreInspection.Report.self, from: json) else {
            throw BackupFileError(.corrupted, "the payload check printed no report")
        }
        return report
    }

    static func signalName(_ number: Int32) -> String? {
        [SIGBUS: "SIGBUS", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGILL: "SIGILL", SIGFPE: "SIGFPE",
         SIGKILL: "SIGKILL", SIGTRAP: "SIGTRAP"][number]
    }
}
