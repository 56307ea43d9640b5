import Foundation
import Storage

extension Desk {
    /// API tokens, oldest first.
    public func listTokens(_ page: PageRequest) throws -> Listing<APIToken> {
        let result = try store.read { txn in try Collections.tokens.page(after: page.after, limit: page.limit, in: txn) }
        return Listing(items: result.items.map(\.token), nextCursor: result.nextCursor?.base64url)
    }

    /// Makes an API token acting as `role` (no more than the requester's own role) and returns
    /// its secret — the only time it exists in clear.
    ///
    /// The token acts for its owner: the requester, or `owner` — a staff member an Admin makes
    /// it for, e.g. an Agent's integration, which then sees the conversations assigned to that
    /// Agent (an Agent cannot make tokens). Its role is at most the owner's, and it stops
    /// working when the owner is disabled or deleted.
    /// - Throws: `.forbidden`, `.invalidField` naming `name`, `role` or `owner_id`.
    public func createToken(name rawName: String, role rawRole: String, for owner: StaffID? = nil,
                            by requester: Requester) async throws -> NewAPIToken {
        try Self.requireAdmin(requester)
        try requireRecentPassword(requester)
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100,
              !name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw DeskError.invalid("name", "Give the token a name of 1 to 100 characters.")
        }
        let role = try StaffFields.role(rawRole)
        guard role <= requester.role else { throw DeskError(.forbidden, "A token cannot have more rights than you.", field: "role") }
        if let owner {
            let member = try store.read { txn in try Collections.staff.get(Key(owner.raw), in: txn) }
            guard let member, !member.disabled else {
                throw DeskError.invalid("owner_id", "No active staff member has this id.")
            }
            guard role <= member.role else {
                throw DeskError.invalid("role", "A token for \(member.name) can have at most their role, \(member.role.rawValue).")
            }
        }
        let random = Secrets.randomToken(bytes: 32)
        let secret = APIToken.secretPrefix + random
        let at = now
        let record = APITokenRecord(id: DocumentID(now: at), name: name, role: role,
                                    prefix: APIToken.secretPrefix + random.prefix(4), digest: Secrets.digest(secret),
                                    createdAt: at, lastUsedAt: nil, createdBy: requester.actor?.id, ownerID: owner ?? requester.ownerID)
        let entry = auditRecord(.tokenCreated, object: "token:\(record.id) role:\(role.rawValue)" + (owner.map { " for:\($0)" } ?? ""),
                                by: requester)
        try await store.write { txn in
            try Collections.tokens.insert(record, in: txn)
            try Collections.audit.insert(entry, in: txn)
        }
        publish(.tokenCreated(id: record.id.description, name: name, role: role))
        return NewAPIToken(token: record.token, secret: secret)
    }

    /// Revokes (deletes) a token; requests bearing it fail from now on.
    /// - Throws: `.forbidden`, `.notFound`.
    public func revokeToken(_ id: DocumentID, by requester: Requester) async throws {
        try Self.requireAdmin(requester)
        let entry = auditRecord(.tokenRevoked, object: "token:\(id)", by: requester)
        try await store.write { txn in
            guard try Collections.tokens.delete(Key(id), in: txn) else {
                throw DeskError(.notFound, "No API token has this id.")
            }
            try Collections.audit.insert(entry, in: txn)
        }
        live.revoke(credentialID: Principal.tokenCredential(id), because: .sessionEnded)
        publish(.tokenRevoked(id: id.description))
    }

    /// The principal a bearer secret belongs to, or nil if it is not a live token: unknown,
    /// revoked, or its owner is disabled or gone. It acts with its role capped at its owner's
    /// current role. Records when it was last used (at most once per `touchInterval`).
    public func authenticate(bearer secret: String) async throws -> Principal? {
        guard secret.hasPrefix(APIToken.secretPrefix), secret.utf8.count <= 128 else { return nil }
        let digest = Secrets.digest(secret)
        guard let (record, token) = try store.read({ txn -> (APITokenRecord, APIToken)? in
            guard let record = try Collections.tokens.get(unique: "digest", Key(digest), in: txn),
                  let token = try Self.acting(record, in: txn) else { return nil }
            return (record, token)
        }) else { return nil }
        let at = now
        if record.lastUsedAt.map({ at.timeIntervalSince($0) >= configuration.touchInterval }) ?? true {
            try await store.write { txn in
                guard var current = try Collections.tokens.get(Key(record.id), in: txn) else { return }
                current.lastUsedAt = at
                try Collections.tokens.put(current, in: txn)
            }
        }
        return .token(APIToken(id: token.id, name: token.name, role: token.role, ownerID: token.ownerID, prefix: token.prefix,
                               createdAt: token.createdAt, lastUsedAt: record.lastUsedAt ?? at))
    }

    /// The token as it may act now: its role capped at its owner's current role; nil when the
    /// owner is disabled or gone (issue 8: a token must never do more than its creator may now).
    static func acting(_ record: APITokenRecord, in txn: borrowing some TransactionReading & ~Copyable) throws -> APIToken? {
        guard let ownerID = try owner(of: record, in: txn) else { return record.token }     // command line: no owner
        guard let owner = try Collections.staff.get(Key(ownerID.raw), in: txn), !owner.disabled else { return nil }
        let token = record.token
        return APIToken(id: token.id, name: token.name, role: min(token.role, owner.role), ownerID: ownerID,
                        prefix: token.prefix, createdAt: token.createdAt, lastUsedAt: token.lastUsedAt)
    }

    /// Whose rights cap `record`: its owner; for records written before owners were kept, the
    /// staff member who made it, or the owner of the token that made it. A record whose maker
    /// cannot be traced any more gets an owner id that matches nobody, so it authenticates no more.
    static func owner(of record: APITokenRecord, in txn: borrowing some TransactionReading & ~Copyable) throws -> StaffID? {
        if let ownerID = record.ownerID { return ownerID }
        guard let maker = record.createdBy else { return nil }
        guard let makerID = DocumentID(string: maker) else { return StaffID(record.id) }
        if try Collections.staff.get(Key(makerID), in: txn) != nil { return StaffID(makerID) }
        if let parent = try Collections.tokens.get(Key(makerID), in: txn), parent.id != record.id {
            return try owner(of: parent, in: txn) ?? StaffID(record.id)
        }
        return StaffID(record.id)
    }

    /// The ids of the tokens `ownerID` owns.
    static func tokens(ownedBy ownerID: StaffID, in txn: borrowing some TransactionReading & ~Copyable) throws -> [DocumentID] {
        var owned: [DocumentID] = []
        try Collections.tokens.forEach(in: txn) { record in
            if try owner(of: record, in: txn) == ownerID { owned.append(record.id) }
            return true
        }
        return owned
    }
}
