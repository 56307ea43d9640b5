import Foundation
import Storage

/// What one upload sweep removed.
public struct UploadSweepReport: Sendable, Equatable {
    /// Upload records past their retention.
    public var uploadsForgotten = 0
    /// Files deleted from the media store: no message and no remaining upload used them.
    public var filesDeleted = 0
    public init() {}
}

extension Outbox {
    /// Forgets uploads older than `uploadRetention` and deletes each one's file from the media
    /// store when nothing else uses it — no message (sent, queued or failed, inbound or outbound:
    /// the `media` index of messages) and no other upload of the same bytes. A file a message
    /// shows is never deleted. Each batch is one write transaction and the "is it used?" check is
    /// made inside it, so a send that takes the upload commits either before (the file is then a
    /// message's, and kept) or after (the upload is gone, and the send is refused by name).
    /// Part of `Desk.sweep`, the recurring sweep job.
    @discardableResult
    public func sweepUploads(batch: Int = 200) async throws -> UploadSweepReport {
        var report = UploadSweepReport()
        let cutoff = core.now.addingTimeInterval(-configuration.uploadRetention)
        while true {
            // Upload ids are ordered by time: read from the oldest until the cutoff.
            let (old, more) = try core.store.read { txn -> ([DocumentID], Bool) in
                let page = try Collections.uploads.page(limit: batch, in: txn)
                let older = page.items.prefix { $0.createdAt < cutoff }
                return (older.map(\.id), older.count == page.items.count && page.nextCursor != nil)
            }
            if !old.isEmpty {
                let deleted = try await core.store.write { txn -> Int in
                    var deleted = 0
                    for id in old {
                        guard let upload = try Collections.uploads.get(Key(id), in: txn) else { continue }
                        try Collections.uploads.delete(Key(id), in: txn)
                        if try Self.fileIsUnused(upload.digest, in: txn), try Collections.media.delete(Key(upload.digest), in: txn) {
                            deleted += 1
                        }
                    }
                    return deleted
                }
                report.uploadsForgotten += old.count
                report.filesDeleted += deleted
            }
            if !more { break }
        }
        return report
    }

    /// Whether no message and no upload refers to the stored file `digest`.
    static func fileIsUnused(_ digest: String, in txn: borrowing some TransactionReading & ~Copyable) throws -> Bool {
        try Collections.messages.page(index: "media", equals: Key(digest), limit: 1, in: txn).items.isEmpty
            && Collections.uploads.page(index: "digest", equals: Key(digest), limit: 1, in: txn).items.isEmpty
    }
}
