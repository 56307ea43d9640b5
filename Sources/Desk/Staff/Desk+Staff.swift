import Foundation
import Storage

extension Desk {
    /// Staff members in creation order.
    public func listStaff(_ page: PageRequest) throws -> Listing<StaffMember> {
        let result = try store.read { txn in try Collections.staff.page(after: page.after, limit: page.limit, in: txn) }
        return Listing(items: result.items.map(\.member), nextCursor: result.nextCursor?.base64url)
    }

    /// The enabled staff members a conversation can be assigned to, by name (the Chats picker:
    /// names and roles only, no email, for whoever may assign).
    public func assignableStaff() throws -> [StaffMember] {
        try store.read { txn in
            var members: [StaffMember] = []
            try Collections.staff.forEach(in: txn) { record in
                if !record.disabled { members.append(record.member) }
                return members.count < 10_000
            }
            return members.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
        }
    }

    /// The staff member with `id`, or nil.
    public func staffMember(_ id: StaffID) throws -> StaffMember? {
        try store.read { txn in try Collections.staff.get(Key(id.raw), in: txn)?.member }
    }

    /// The staff member with `email` (any case), or nil.
    public func staffMember(email: String) throws -> StaffMember? {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard (1...254).contains(email.utf8.count) else { return nil }
        return try store.read { txn in try Collections.staff.get(unique: "email", Key(email), in: txn)?.member }
    }

    /// Adds a staff member. Only an admin (or the command line) may.
    /// - Throws: `.forbidden`, `.invalidField`/`.weakPassword` naming the field, `.emailTaken`.
    public func createStaff(name: String, email: String, role: String, password: String, by requester: Requester) async throws -> StaffMember {
        try Self.requireAdmin(requester)
        try requireRecentPassword(requester)
        let name = try StaffFields.name(name)
        let email = try StaffFields.email(email)
        let role = try StaffFields.role(role)
        try policy.check(password, context: [email, name])
        let hash = try await hasher.hash(password)
        let at = now
        let record = StaffRecord(id: StaffID(DocumentID(now: at)), name: name, email: email, role: role, disabled: false,
                                 createdAt: at, passwordHash: hash, passwordChangedAt: at)
        let entry = auditRecord(.staffCreated, object: "staff:\(record.id) role:\(role.rawValue)", by: requester)
        try await store.write { txn in
            do {
                try Collections.staff.insert(record, in: txn)
            } catch let error as StorageError where error.code == .keyExists {
                throw Self.emailTaken
            }
            try Collections.audit.insert(entry, in: txn)
        }
        publish(.staffCreated(record.member))
        return record.member
    }

    /// Renames, changes the role of, disables or re-enables a staff member. Disabling ends all
    /// their sessions and revokes every API token they own, at once (re-enabling brings neither
    /// back); a role change caps their tokens at the new role. No change may leave the desk
    /// without an enabled admin.
    /// - Throws: `.forbidden`, `.reauthenticationRequired` (role or enabled state), `.notFound`,
    ///   `.invalidField`, `.lastAdmin`.
    public func updateStaff(_ id: StaffID, name: String? = nil, role: String? = nil, disabled: Bool? = nil,
                            by requester: Requester) async throws -> StaffMember {
        try Self.requireAdmin(requester)
        if role != nil || disabled != nil { try requireRecentPassword(requester) }   // renaming needs no password
        let name = try name.map(StaffFields.name)
        let role = try role.map(StaffFields.role)
        // Up to three entries (role, enabled state, name); ids made here, outside the replayable change.
        let templates = (0..<3).map { _ in auditRecord(.staffUpdated, object: "staff:\(id)", by: requester) }
        // The tokens a disabling revokes, with their audit entries (made here for the same reason).
        let owned = disabled == true ? try store.read { txn in try Self.tokens(ownedBy: id, in: txn) } : []
        let revocations = owned.map { auditRecord(.tokenRevoked, object: "token:\($0) owner disabled", by: requester) }
        let (before, after, revoked) = try await store.write { txn -> (StaffMember, StaffMember, [DocumentID]) in
            guard var record = try Collections.staff.get(Key(id.raw), in: txn) else { throw Self.staffNotFound }
            let before = record
            if let name { record.name = name }
            if let role { record.role = role }
            if let disabled { record.disabled = disabled }
            let wasActiveAdmin = before.role == .admin && !before.disabled
            let isActiveAdmin = record.role == .admin && !record.disabled
            if wasActiveAdmin && !isActiveAdmin, try Self.activeAdmins(in: txn) <= 1 {
                throw DeskError(.lastAdmin, "This is the last enabled admin; make another admin first.",
                                field: disabled == true ? "disabled" : "role")
            }
            try Collections.staff.put(record, in: txn)
            var revoked: [DocumentID] = []
            if record.disabled && !before.disabled {
                try Self.endSessions(of: id, in: txn)
                for (tokenID, entry) in zip(owned, revocations) where try Collections.tokens.delete(Key(tokenID), in: txn) {
                    try Collections.audit.insert(entry, in: txn)
                    revoked.append(tokenID)
                }
            }
            var changes: [(AuditAction, String)] = []
            if before.role != record.role {
                changes.append((.staffRoleChanged, "staff:\(id) role:\(before.role.rawValue)->\(record.role.rawValue)"))
            }
            if record.disabled != before.disabled { changes.append((record.disabled ? .staffDisabled : .staffEnabled, "staff:\(id)")) }
            if record.name != before.name { changes.append((.staffUpdated, "staff:\(id) name")) }
            for (template, change) in zip(templates, changes) {
                try Collections.audit.insert(AuditRecord(id: template.id, at: template.at, actor: template.actor,
                                                         action: change.0, object: change.1, ip: template.ip), in: txn)
            }
            return (before.member, record.member, revoked)
        }
        for tokenID in revoked {
            live.revoke(credentialID: Principal.tokenCredential(tokenID), because: .sessionEnded)
            publish(.tokenRevoked(id: tokenID.description))
        }
        // Sockets opened under the old access close now; the client reconnects (or signs in) anew.
        if after.isDisabled && !before.isDisabled {
            live.revoke(staffID: id.description, because: .accountDisabled)
        } else if after.role != before.role {
            live.revoke(staffID: id.description, because: .roleChanged)
            // Their tokens' sockets reconnect with the capped role.
            for tokenID in try store.read({ txn in try Self.tokens(ownedBy: id, in: txn) }) {
                live.revoke(credentialID: Principal.tokenCredential(tokenID), because: .roleChanged)
            }
        }
        if after != before { publish(.staffUpdated(after)) }
        return after
    }

    /// Sets a new password for a staff member (an admin's reset) and ends all their sessions.
    /// - Throws: `.forbidden`, `.notFound`, `.weakPassword`.
    public func resetPassword(of id: StaffID, to password: String, by requester: Requester) async throws {
        try Self.requireAdmin(requester)
        try requireRecentPassword(requester)
        guard let current = try staffMember(id) else { throw Self.staffNotFound }
        // One's own password is changed knowing the current one (and this session stays); a
        // reset is for someone else's, and would end the very session asking for it.
        guard requester.staffID != id else {
            throw DeskError(.conflict, "To change your own password, use Change password: it asks for the current one.")
        }
        try policy.check(password, context: [current.email, current.name])
        let hash = try await hasher.hash(password)
        let at = now
        let entry = auditRecord(.passwordReset, object: "staff:\(id)", by: requester)
        try await store.write { txn in
            guard var record = try Collections.staff.get(Key(id.raw), in: txn) else { throw Self.staffNotFound }
            record.passwordHash = hash
            record.passwordChangedAt = at
            try Collections.staff.put(record, in: txn)
            try Self.endSessions(of: id, in: txn)
            try Collections.audit.insert(entry, in: txn)
        }
        live.revoke(staffID: id.description, because: .sessionEnded)
    }

    static func requireAdmin(_ requester: Requester) throws(DeskError) {
        guard requester.role == .admin else { throw DeskError(.forbidden, "Only an admin can manage staff and tokens.") }
    }

    static var staffNotFound: DeskError { DeskError(.notFound, "No staff member has this id.") }
    static var emailTaken: DeskError { DeskError(.emailTaken, "Another staff member already uses this email.", field: "email") }

    static func activeAdmins(in txn: borrowing some TransactionReading & ~Copyable) throws -> Int {
        var count = 0
        var after: Key?
        repeat {
            let page = try Collections.staff.page(index: "role", equals: Key(Role.admin.rawValue), after: after, limit: 200, in: txn)
            count += page.items.filter { !$0.disabled }.count
            after = page.nextCursor
        } while after != nil
        return count
    }
}
