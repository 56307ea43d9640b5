import Foundation
import Spawn
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
        let child: SpawnedProcess
        do {
            // A crash is an expected answer here, not a bug to trace.
            child = try SpawnedProcess(executable: executable, arguments: [Self.subcommand, dataFile],
                                       environment: SpawnedProcess.inheritedEnvironment(["SWIFT_BACKTRACE": "enable=no"]),
                                       standardOutput: outputPath, standardError: errorPath)
        } catch {
            throw BackupFileError(.io, "cannot start the payload check: \(error)")
        }
        guard let ended = child.wait(timeout: timeout) else {
            child.killAndReap()
            throw BackupFileError(.corrupted, "checking the payload took longer than \(timeout); "
                + "a damaged store can make the reader loop, so the check was stopped")
        }
        let said = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        let reason = said.split(separator: "\n").last { $0.hasPrefix("error: ") }.map { String($0.dropFirst(7)) }
        switch ended {
        case .signaled(let signal):
            throw BackupFileError(.corrupted, "the payload crashed the store reader (signal \(signal)"
                + "\(Self.signalName(signal).map { ", \($0)" } ?? "")): its LMDB pages are damaged")
        case .exited(let code) where code != 0:
            throw BackupFileError(.corrupted, "the payload is not a sound store: "
                + (reason ?? "the check exited with status \(code)"))
        case .exited:
            break
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
