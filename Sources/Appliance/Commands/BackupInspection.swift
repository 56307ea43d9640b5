import Foundation
import Storage

/// Checks a backup's payload end to end: every byte against its SHA-256 (and, encrypted, every
/// chunk's tag), then every document of every collection read and decoded in a child process.
enum BackupInspection {
    /// Extracts the payload to a private temporary file (verifying it) and inspects it.
    static func verify(_ backup: BackupFile) throws -> StoreInspection.Report {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("atende-verify-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let payload = scratch + "/data.mdb"
        try backup.extractPayload(to: payload)
        return try check(payload: payload, of: backup.header)
    }

    /// Inspects an extracted payload in a child process and compares its collections with the
    /// header's list.
    static func check(payload: String, of header: BackupFile.Header) throws -> StoreInspection.Report {
        let inspector = PayloadInspector(timeout: PayloadInspector.timeLimit(forPayloadBytes: header.payloadLength))
        let report = try inspector.inspect(dataFile: payload)
        if let expected = header.contents, expected != BackupContents.collections(report.databases) {
            throw BackupFileError(.corrupted, "the payload's collections differ from the header's list")
        }
        return report
    }

    static func hint(for error: any Error) -> String? {
        guard let error = error as? BackupFileError else { return nil }
        switch error.code {
        case .passphraseRequired: return "this backup is encrypted: pass --passphrase-file FILE"
        case .wrongPassphrase: return "check the passphrase file; nothing was changed"
        case .truncated, .corrupted, .notABackup: return "this file cannot be restored; use another backup"
        default: return nil
        }
    }
}
