import Foundation
import Logging
import Storage
import Synchronization

/// What every Desk area shares (ARCHITECTURE.md "Desk areas"): the store, the clock, the audit
/// log, the live hub and the jobs. An area (`Inbox`, `Outbox`, `ChannelSettings`, …) takes this,
/// not the whole `Desk`, so it sees only the common ground and its own collections.
final class DeskCore: Sendable {
    let store: Store
    let clock: any DeskClock
    let live: LiveEventHub
    let jobs: Jobs
    let logger: Logger
    /// The last audit id's millisecond, so audit ids stay strictly ordered even when the clock
    /// does not move between two entries (manual clocks, or two entries in one millisecond).
    private let auditMillis = Mutex<UInt64>(0)
    /// The last id `newID()` gave, so ids made by this process keep their order.
    private let lastID = Mutex<DocumentID?>(nil)

    init(store: Store, clock: any DeskClock, live: LiveEventHub, jobs: Jobs, logger: Logger) {
        (self.store, self.clock, self.live, self.jobs, self.logger) = (store, clock, live, jobs, logger)
    }

    var now: Date { clock.now }

    /// A new time-ordered id, after every id this process made before (messages of one webhook
    /// keep their order even when they arrive in the same millisecond).
    func newID() -> DocumentID {
        let at = now
        return lastID.withLock { last in
            let id = DocumentID.monotonic(after: last, now: at)
            last = id
            return id
        }
    }

    /// Publishes a live event (one of `LiveEvents`) after a commit. The change is already
    /// durable, so an event that cannot be encoded is logged, not thrown: the request succeeded.
    func publish(_ event: LiveEvents) {
        live.publish(event.type, event.payload, to: event.audience)
    }

    /// A new audit record for `action` on `object` by `requester`, stamped now.
    func auditRecord(_ action: AuditAction, object: String, by requester: Requester) -> AuditRecord {
        let at = now
        let ms = auditMillis.withLock { last -> UInt64 in
            last = max(last + 1, UInt64(max(0, at.timeIntervalSince1970 * 1000)))
            return last
        }
        var generator = SystemRandomNumberGenerator()
        return AuditRecord(id: DocumentID(milliseconds: ms, using: &generator), at: at, actor: requester.actor,
                           action: action, object: String(object.prefix(200)), ip: requester.ip)
    }

    /// Appends an audit record in the caller's write transaction.
    func audit(_ record: AuditRecord, in txn: borrowing WriteTransaction) throws {
        try Collections.audit.insert(record, in: txn)
    }
}
