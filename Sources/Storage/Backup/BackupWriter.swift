import Foundation
import Logging

/// Makes a backup file of a data directory's store: a consistent snapshot (`StoreSnapshot`)
/// wrapped in the `BackupFile` container with what it holds and its SHA-256.
public enum BackupWriter {
    public struct Summary: Sendable, CustomStringConvertible {
        public var path: String
        public var header: BackupFile.Header
        public var compacted: Bool

        public var description: String {
            var lines = ["wrote \(path)",
                         "  created:    \(header.createdAt.formatted(.iso8601))",
                         "  atende:     \(header.appVersion)",
                         "  payload:    \(header.payloadLength) bytes\(compacted ? ", compacted" : ", plain copy (compaction failed)")",
                         "  sha-256:    \(header.payloadSHA256)",
                         "  encrypted:  \(header.isEncrypted ? "yes (scrypt + AES-256-GCM)" : "no")"]
            lines += BackupContents.lines(header.contents ?? [:])
            return lines.joined(separator: "\n")
        }
    }

    /// Snapshots the store in `dataDirectory` into a new backup file at `destination`. Safe while
    /// another process serves from the directory. Nothing is left at `destination` on failure.
    public static func create(dataDirectory: String, to destination: String, appVersion: String,
                              protection: BackupFile.Protection = .none, logger: Logger) throws -> Summary {
        let directory = (destination as NSString).deletingLastPathComponent
        let payload = ((directory.isEmpty ? "." : directory) as NSString)
            .appendingPathComponent(".\((destination as NSString).lastPathComponent).snapshot-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(atPath: payload) }
        let snapshot = try StoreSnapshot.copy(dataDirectory: dataDirectory, to: payload, logger: logger)
        let contents = BackupContents.collections(try StoreSnapshot.contents(ofDataFile: payload))
        let header = try BackupFile.write(payloadAt: payload, to: destination, appVersion: appVersion,
                                          contents: contents, protection: protection)
        return Summary(path: destination, header: header, compacted: snapshot.compacted)
    }
}

/// What a backup holds, as shown to people: collections and their document counts.
public enum BackupContents {
    /// Keeps the collections (drops index databases, `name#index`, and Storage's own `_meta`).
    public static func collections(_ databases: [String: Int]) -> [String: Int] {
        databases.filter { !$0.key.contains("#") && $0.key != "_meta" }
    }

    public static func lines(_ contents: [String: Int]) -> [String] {
        guard !contents.isEmpty else { return ["  contents:   (no collections)"] }
        return ["  contents:"] + contents.sorted { $0.key < $1.key }.map { "    \($0.key): \($0.value)" }
    }
}
