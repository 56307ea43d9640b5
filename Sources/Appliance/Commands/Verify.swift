import ArgumentParser
import Foundation
import Logging
import Storage

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a backup file's integrity and print what is inside.",
        discussion: """
            Safe while `atende serve` runs: it only reads the backup file. Checks the header, every \
            encrypted chunk's tag and order, the payload's length and SHA-256, and that the payload \
            opens as a store holding the collections the header lists. Exit 65 if anything is wrong.
            """)

    @Argument(help: "The backup file.") var file: String
    @Option(help: "The passphrase file, for an encrypted backup. Env: ATENDE_BACKUP_PASSPHRASE_FILE.")
    var passphraseFile: String?

    func run() async throws {
        Logger.bootstrapJSON(level: .warning)
        let passphrase = try Passphrase.read(option: passphraseFile)
        do {
            let backup = try BackupFile.open(file, passphrase: passphrase)
            let counts = try BackupInspection.verify(backup)
            let header = backup.header
            var lines = ["\(file): OK",
                         "  format:     \(header.formatVersion)",
                         "  created:    \(header.createdAt.formatted(.iso8601))",
                         "  atende:     \(header.appVersion)",
                         "  payload:    \(header.payloadLength) bytes, sha-256 \(header.payloadSHA256)",
                         "  encrypted:  \(header.isEncrypted ? "yes" : "no")"]
            lines += BackupContents.lines(counts)
            print(lines.joined(separator: "\n"))
        } catch {
            throw Exit.fail(error, hint: BackupInspection.hint(for: error))
        }
    }
}

/// Checks a backup's payload end to end: every byte authenticated, then opened as a store.
enum BackupInspection {
    /// Extracts the payload to a private temporary file (verifying it), opens it, and compares
    /// its collections with the header's. Returns the collections and counts found.
    static func verify(_ backup: BackupFile) throws -> [String: Int] {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("atende-verify-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let payload = scratch + "/data.mdb"
        try backup.extractPayload(to: payload)
        let counts = BackupContents.collections(try StoreSnapshot.contents(ofDataFile: payload))
        if let expected = backup.header.contents, expected != counts {
            throw BackupFileError(.corrupted, "the payload's collections differ from the header's list")
        }
        return counts
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
