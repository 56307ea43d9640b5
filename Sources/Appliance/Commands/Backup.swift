import ArgumentParser
import Foundation
import Logging
import Storage

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent, compacted copy of the store to one file.",
        discussion: """
            Safe while `atende serve` runs: it copies one snapshot inside a read transaction and \
            never writes to the store (under heavy writes the live file may grow while the copy \
            runs). Secrets stay sealed in the copy and the master key is never in it: keep the \
            master key safe separately, a restore needs it. With --passphrase-file the file is \
            encrypted (scrypt + AES-256-GCM in authenticated chunks).
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "The backup file to write (must not exist yet).") var file: String
    @Option(help: "Encrypt with the passphrase on the first line of this file. Env: ATENDE_BACKUP_PASSPHRASE_FILE.")
    var passphraseFile: String?

    func run() async throws {
        let config = try common.configuration()
        Logger.bootstrapJSON(level: .warning)
        guard !FileManager.default.fileExists(atPath: file) else {
            throw ValidationError("\(file) already exists; choose a new name (a backup never overwrites a file)")
        }
        let protection: BackupFile.Protection = try Passphrase.read(option: passphraseFile).map { .passphrase($0) } ?? .none
        do {
            let summary = try BackupWriter.create(dataDirectory: config.dataDirectory, to: file,
                                                  appVersion: AtendeVersion.number, protection: protection,
                                                  logger: .cli(config))
            print(summary)
        } catch {
            throw Exit.fail(error, hint: "is \(config.dataDirectory) an atende data directory? (see --data)")
        }
    }
}
