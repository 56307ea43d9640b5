import Foundation
import Storage

/// What one sweep removed.
public struct SweepReport: Sendable, Equatable {
    public var sessionsEnded = 0
    public var failedSignInsForgotten = 0
    public var webhookLogsForgotten = 0
    /// Uploads past `OutboxConfiguration.uploadRetention`, and the files only they used.
    public var uploads = UploadSweepReport()
    public init() {}
    /// Whether the sweep found nothing to remove.
    public var isEmpty: Bool { sessionsEnded == 0 && failedSignInsForgotten == 0 && webhookLogsForgotten == 0 && uploads == UploadSweepReport() }
}

extension Desk {
    /// Removes what only time ends: sessions past their idle or absolute lifetime (or whose member
    /// is disabled or gone) that nobody came back to, failed-sign-in audit rows older than
    /// `failedSignInRetention`, raw webhook log entries older than the inbox's
    /// `webhookLogRetention`, and uploads older than the outbox's `uploadRetention` with the
    /// files no message uses (`Outbox.sweepUploads`). Without it, abandoned sessions and failed sign-ins would stay in
    /// the store for ever (issue 8). Safe to run at any time; each batch is one transaction.
    /// The daemon runs it as a recurring job (`scheduleSweep(every:)`).
    @discardableResult
    public func sweep() async throws -> SweepReport {
        var report = SweepReport()
        let at = now
        let expired = try store.read { txn -> [String] in
            var digests: [String] = []
            try Collections.sessions.forEach(in: txn) { session in
                let staff = try Collections.staff.get(Key(session.staffID.raw), in: txn)
                if staff.map({ !isCurrent(session, of: $0, at: at) }) ?? true { digests.append(session.digest) }
                return true
            }
            return digests
        }
        for batch in stride(from: 0, to: expired.count, by: 500).map({ expired[$0..<min($0 + 500, expired.count)] }) {
            try await store.write { txn in
                for digest in batch { try Collections.sessions.delete(Key(digest), in: txn) }
            }
            for digest in batch { live.revoke(credentialID: Principal.sessionCredential(digest), because: .sessionEnded) }
        }
        report.sessionsEnded = expired.count

        let cutoff = at.addingTimeInterval(-configuration.failedSignInRetention)
        var after: Key?
        while true {
            // Audit ids are ordered by time: read from the oldest until the cutoff.
            let (old, next, done) = try store.read { txn -> ([DocumentID], Key?, Bool) in
                let page = try Collections.audit.page(after: after, limit: 500, in: txn)
                let older = page.items.prefix { $0.at < cutoff }
                return (older.filter { $0.action == .loginFailure }.map(\.id), page.nextCursor,
                        older.count < page.items.count || page.nextCursor == nil)
            }
            if !old.isEmpty {
                try await store.write { txn in
                    for id in old { try Collections.audit.delete(Key(id), in: txn) }
                }
            }
            report.failedSignInsForgotten += old.count
            if done { break }
            after = next
        }

        // The webhook log's ids are ordered by arrival: delete from the oldest until the cutoff.
        let logCutoff = at.addingTimeInterval(-configuration.inbox.webhookLogRetention)
        while true {
            let (old, more) = try store.read { txn -> ([DocumentID], Bool) in
                let page = try Collections.webhookLog.page(limit: 500, in: txn)
                let older = page.items.prefix { $0.receivedAt < logCutoff }
                return (older.map(\.id), older.count == page.items.count && page.nextCursor != nil)
            }
            if !old.isEmpty {
                try await store.write { txn in
                    for id in old { try Collections.webhookLog.delete(Key(id), in: txn) }
                }
            }
            report.webhookLogsForgotten += old.count
            if !more { break }
        }
        report.uploads = try await outbox.sweepUploads()
        return report
    }
}

extension Desk {
    static let sweepJob: JobKind = "sweep"

    /// Registers the sweep as a job that runs every `interval` and schedules it now unless it is
    /// already waiting (one job, id `sweep`; a sweep that failed for good is scheduled anew).
    /// Call at start, before the runner starts.
    public func scheduleSweep(every interval: TimeInterval) async throws {
        jobs.register(Self.sweepJob) { [self] _ in
            let report = try await sweep()
            if !report.isEmpty {
                logger.info("swept expired records", metadata: [
                    "atende.sweep.sessions": "\(report.sessionsEnded)",
                    "atende.sweep.failed_sign_ins": "\(report.failedSignInsForgotten)",
                    "atende.sweep.webhook_logs": "\(report.webhookLogsForgotten)",
                    "atende.sweep.uploads": "\(report.uploads.uploadsForgotten)",
                    "atende.sweep.media_files": "\(report.uploads.filesDeleted)",
                ])
            }
            return .again(at: now.addingTimeInterval(interval))
        }
        if let waiting = try jobs.job("sweep"), waiting.state != .failed { return }
        try await jobs.schedule(try jobs.make(Self.sweepJob, id: "sweep"))
    }
}
