import Foundation
import Storage

extension Desk {
    /// The audit log, newest first.
    public func listAudit(_ page: PageRequest) throws -> Listing<AuditEntry> {
        let result = try store.read { txn in
            try Collections.audit.page(after: page.after, limit: page.limit, reverse: true, in: txn)
        }
        return Listing(items: result.items.map(\.entry), nextCursor: result.nextCursor?.base64url)
    }

    /// Records an action other modules perform (a secret set or deleted through the vault, say).
    /// `object` names the thing (e.g. `secret:whatsapp_token`); never pass a secret value.
    public func recordAudit(_ action: AuditAction, object: String, by requester: Requester) async throws {
        let entry = auditRecord(action, object: object, by: requester)
        try await store.write { txn in try Collections.audit.insert(entry, in: txn) }
    }
}
