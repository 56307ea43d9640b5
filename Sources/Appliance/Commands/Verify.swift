import ArgumentParser
import Foundation
import Logging
import Storage

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a backup file's integrity and print what is inside.",
        discussion: """
            Safe while `atende serve` runs: it only reads the backup file. Checks the header, every \
            encrypted chunk's tag and order, the payload's length and SHA-256, then reads and decodes \
            every document of every collection and follows every index entry, in a separate process \
            (a payload that crashes it, or keeps it busy past its time limit, is corrupted). Exit 65 if anything \
            is wrong. Only an encrypted backup is authenticated: whoever can edit an unencrypted one \
            can recompute its SHA-256.
            """)

    @Argument(help: "The backup file.") var file: String
    @Option(help: "The passphrase file, for an encrypted backup. Env: ATENDE_BACKUP_PASSPHRASE_FILE.")
    var passphraseFile: String?

    func run() async throws {
        Logger.bootstrapJSON(level: .warning)
        let passphrase = try Passphrase.read(option: passphraseFile)
        do {
            let backup = try BackupFile.open(file, passphrase: passphrase)
            let report = try BackupInspection.verify(backup)
            let header = backup.header
            var lines = ["\(file): OK",
                         "  format:     \(header.formatVersion)",
                         "  created:    \(header.createdAt.formatted(.iso8601))",
                         "  atende:     \(header.appVersion)",
                         "  payload:    \(header.payloadLength) bytes, sha-256 \(header.payloadSHA256)",
                         "  encrypted:  \(header.isEncrypted ? "yes (authenticated)" : "no (checksums only: not authenticated)")",
                         "  checked:    \(report.documents) documents decoded, \(report.indexEntries) index entries followed"]
            lines += BackupContents.lines(BackupContents.collections(report.databases))
            print(lines.joined(separator: "\n"))
        } catch {
            throw Exit.fail(error, hint: BackupInspection.hint(for: error))
        }
    }
}
