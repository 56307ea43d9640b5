import Foundation
import Storage

extension Desk {
    /// Whether no account exists yet (the first-run page must be used).
    public func isSetupRequired() throws -> Bool {
        try store.read { txn in try Collections.staff.count(in: txn) == 0 }
    }

    /// On a store with no accounts, makes a fresh one-time setup token (replacing any earlier one)
    /// and returns it, raw, for the caller to show as a link. It is stored only as a digest and
    /// expires after `configuration.setupTokenLifetime`. Returns nil when accounts exist.
    public func beginSetup() async throws -> String? {
        guard try isSetupRequired() else { return nil }
        let token = Secrets.randomToken(bytes: 32)
        let record = SetupRecord(digest: Secrets.digest(token), expiresAt: now.addingTimeInterval(configuration.setupTokenLifetime))
        let created = try await store.write { txn -> Bool in
            guard try Collections.staff.count(in: txn) == 0 else { return false }
            try Collections.setup.put(record, in: txn)
            return true
        }
        return created ? token : nil
    }

    /// Creates the first admin with the setup token, uses the token up, and signs the admin in.
    ///
    /// - Throws: `.alreadySetUp` if an account exists; `.invalidSetupToken` if the token is wrong,
    ///   expired or used; `.invalidField`/`.weakPassword` naming the field.
    public func completeSetup(token: String, name: String, email: String, password: String, ip: String?) async throws -> NewSession {
        let digest = Secrets.digest(token)
        let at = now
        try store.read { txn throws in
            guard try Collections.staff.count(in: txn) == 0 else { throw Self.alreadySetUp }
            try Self.checkSetupToken(digest, at: at, in: txn)
        }
        let name = try StaffFields.name(name)
        let email = try StaffFields.email(email)
        try policy.check(password, context: [email, name])
        let hash = try await hasher.hash(password)
        let staff = StaffRecord(id: StaffID(DocumentID(now: at)), name: name, email: email, role: .admin, disabled: false,
                                createdAt: at, passwordHash: hash, passwordChangedAt: at)
        let sessionID = Secrets.randomToken(bytes: 16)
        let session = SessionRecord(digest: Secrets.digest(sessionID), staffID: staff.id, createdAt: at, lastSeenAt: at, ip: ip,
                                    confirmedAt: at)
        let actor = AuditActor(id: staff.id.description, name: name)
        let audit = [auditRecord(.setupCompleted, object: "staff:\(staff.id)", by: Requester(actor: actor, role: .admin, staffID: staff.id, ip: ip)),
                     auditRecord(.staffCreated, object: "staff:\(staff.id)", by: Requester(actor: actor, role: .admin, staffID: staff.id, ip: ip))]
        try await store.write { txn in
            guard try Collections.staff.count(in: txn) == 0 else { throw Self.alreadySetUp }
            try Self.checkSetupToken(digest, at: at, in: txn)
            try Collections.setup.delete(Key("token"), in: txn)
            try Collections.staff.insert(staff, in: txn)
            try Collections.sessions.insert(session, in: txn)
            for record in audit { try Collections.audit.insert(record, in: txn) }
        }
        logger.notice("first admin created through setup", metadata: ["atende.staff.id": "\(staff.id)"])
        return NewSession(id: sessionID, staff: staff.member)
    }

    private static var alreadySetUp: DeskError {
        DeskError(.alreadySetUp, "Setup is already done; sign in instead.")
    }

    private static func checkSetupToken(_ digest: String, at: Date, in txn: borrowing some TransactionReading & ~Copyable) throws {
        guard let record = try Collections.setup.get(Key("token"), in: txn), record.digest == digest, record.expiresAt > at else {
            throw DeskError(.invalidSetupToken,
                            "This setup link is not valid (wrong, expired or already used). Restart atende to get a new one.",
                            field: "token")
        }
    }
}
