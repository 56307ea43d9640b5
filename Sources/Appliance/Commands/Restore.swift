import ArgumentParser
import Foundation
import Logging
import Storage

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the data directory's store with a backup's.",
        discussion: """
            Not while `atende serve` runs: it refuses (exit 69) while a server holds the data \
            directory; stop the service first. It verifies the whole backup before touching \
            anything (every document read and decoded in a separate process, as `verify` does), stages it beside the store, swaps it in with one atomic rename and keeps the \
            old store as previous-<time>/. An interruption leaves either the old or the new store, \
            never a mix. The master key that sealed the backup's secrets must be the one in use.
            """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "The backup file to restore.") var file: String
    @Option(help: "The passphrase file, for an encrypted backup. Env: ATENDE_BACKUP_PASSPHRASE_FILE.")
    var passphraseFile: String?

    func run() async throws {
        let config = try common.configuration()
        Logger.bootstrapJSON(level: .warning)
        let passphrase = try Passphrase.read(option: passphraseFile)
        do {
            let backup = try BackupFile.open(file, passphrase: passphrase)
            print("1. opened \(file) (made \(backup.header.createdAt.formatted(.iso8601)) by atende \(backup.header.appVersion))")
            var step = 1
            try RestorePlan(dataDirectory: config.dataDirectory).run(
                stage: { path in try backup.extractPayload(to: path) },
                check: { path in try BackupInspection.check(payload: path, of: backup.header).databases },
                step: { message in step += 1; print("\(step). \(message)") })
            print("done: start `atende serve` to use the restored store")
        } catch let error as StorageError where error.code == .locked {
            throw Exit.fail(error, hint: "stop `atende serve` (systemctl stop atende) and run restore again")
        } catch {
            throw Exit.fail(error, hint: BackupInspection.hint(for: error) ?? "nothing was changed in \(config.dataDirectory)")
        }
    }
}
