import ArgumentParser
import Foundation

/// Reads a backup passphrase from a file (never from argv, where `ps` would show it).
enum Passphrase {
    static func read(option: String?) throws -> String? {
        guard let path = option ?? ProcessInfo.processInfo.environment["ATENDE_BACKUP_PASSPHRASE_FILE"] else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read the passphrase file \(path)")
        }
        let passphrase = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard passphrase.count >= 8 else {
            throw ValidationError("the passphrase in \(path) is shorter than 8 characters")
        }
        return passphrase
    }
}
