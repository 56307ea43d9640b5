import Foundation
import Storage

extension Desk {
    /// Signs in with email and password and starts a new session (a fresh id every time: the
    /// session is rotated at login, and `replacing` — the id the browser sent, if any — is ended).
    ///
    /// Unknown email, wrong password and disabled account all fail the same way, after the same
    /// bcrypt work. Throttled per account and per address (`LoginThrottle`).
    /// - Throws: `.invalidCredentials`, `.tooManyAttempts` (with `retryAfter`).
    public func login(email rawEmail: String, password: String, ip: String?, replacing oldSessionID: String? = nil) async throws -> NewSession {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let keys = LoginThrottle.keys(email: email, ip: ip)
        let (record, succeeded) = try await throttledCheck(keys, ip: ip) { () -> (StaffRecord?, Bool) in
            // No stored email is empty or longer than 254 bytes (LMDB keys are 1...511 bytes): skip
            // the lookup, not the work.
            let record = !(1...254).contains(email.utf8.count) ? nil
                : try store.read { txn in try Collections.staff.get(unique: "email", Key(email), in: txn) }
            let hash: String
            if let record { hash = record.passwordHash } else { hash = try await decoyHash() }
            let matches = try await hasher.verify(password, against: hash)
            return (record, record != nil && matches && record?.disabled == false)
        }
        guard succeeded, let record else {
            try await recordFailedPassword(object: record.map { "staff:\($0.id)" } ?? "email:\(email.prefix(100))",
                                           by: Requester(actor: nil, role: .agent, staffID: nil, ip: ip))
            logger.notice("login failed", metadata: ["atende.client.ip": "\(ip ?? "-")"])
            throw DeskError(.invalidCredentials, "The email or password is not right.")
        }
        let member = record.member
        let requester = Requester(actor: AuditActor(id: member.id.description, name: member.name), role: member.role,
                                  staffID: member.id, ip: ip)
        return try await startSession(for: member, ip: ip, replacing: oldSessionID,
                                      audit: auditRecord(.loginSuccess, object: "staff:\(member.id)", by: requester))
    }

    func startSession(for member: StaffMember, ip: String?, replacing oldSessionID: String?, audit: AuditRecord?) async throws -> NewSession {
        let id = Secrets.randomToken(bytes: 16)          // 128 bits from the CSPRNG (ASVS 7.2.3)
        let at = now
        let session = SessionRecord(digest: Secrets.digest(id), staffID: member.id, createdAt: at, lastSeenAt: at, ip: ip,
                                    confirmedAt: at)
        let old = oldSessionID.map(Secrets.digest)
        let limit = configuration.maxSessionsPerAccount
        let ended = try await store.write { txn -> [String] in
            if let old { try Collections.sessions.delete(Key(old), in: txn) }
            // At most `limit` sessions per member: the least recently used end first, so signing
            // in again and again cannot pile up sessions (and their live sockets; issue 8).
            let sessions = try Self.sessions(of: member.id, in: txn).sorted { $0.lastSeenAt < $1.lastSeenAt }
            let surplus = sessions.prefix(max(0, sessions.count - (limit - 1))).map(\.digest)
            for digest in surplus { try Collections.sessions.delete(Key(digest), in: txn) }
            try Collections.sessions.insert(session, in: txn)
            if let audit { try Collections.audit.insert(audit, in: txn) }
            return surplus + (old.map { [$0] } ?? [])
        }
        for digest in ended { live.revoke(credentialID: Principal.sessionCredential(digest), because: .sessionEnded) }
        return NewSession(id: id, staff: member)
    }

    /// The principal a session id belongs to, or nil when the id is unknown, idle too long, past
    /// its absolute lifetime, or its staff member is disabled or gone. (A password change or reset
    /// deletes the member's other sessions in the same transaction.)
    /// Ended sessions are deleted; a live one has its last-seen time refreshed (at most once per
    /// `touchInterval`).
    public func authenticate(sessionID: String) async throws -> Principal? {
        guard !sessionID.isEmpty, sessionID.utf8.count <= 64 else { return nil }
        let digest = Secrets.digest(sessionID)
        let at = now
        let found = try store.read { txn -> (SessionRecord, StaffRecord?)? in
            guard let session = try Collections.sessions.get(Key(digest), in: txn) else { return nil }
            return (session, try Collections.staff.get(Key(session.staffID.raw), in: txn))
        }
        guard let (session, staff) = found else { return nil }
        guard let staff, isCurrent(session, of: staff, at: at) else {
            _ = try await store.write { txn in try Collections.sessions.delete(Key(digest), in: txn) }
            live.revoke(credentialID: Principal.sessionCredential(digest), because: .sessionEnded)
            return nil
        }
        if at.timeIntervalSince(session.lastSeenAt) >= configuration.touchInterval {
            let touched = { var s = session; s.lastSeenAt = at; return s }()
            try await store.write { txn in
                // Only if it still exists: a logout may have raced this request.
                if try Collections.sessions.get(Key(digest), in: txn) != nil { try Collections.sessions.put(touched, in: txn) }
            }
        }
        return .staff(staff.member, session: SessionHandle(digest: digest, confirmedAt: session.confirmedAt ?? session.createdAt))
    }

    /// Whether `session` still stands at `at`: its staff member is enabled, and it is neither idle
    /// longer than the idle timeout nor older than the absolute lifetime.
    func isCurrent(_ session: SessionRecord, of staff: StaffRecord, at: Date) -> Bool {
        !staff.disabled
            && at.timeIntervalSince(session.lastSeenAt) < configuration.sessionIdleTimeout
            && at.timeIntervalSince(session.createdAt) < configuration.sessionAbsoluteTimeout
    }

    /// Ends one session (logout). Ending an unknown session is not an error.
    public func logout(_ handle: SessionHandle, by requester: Requester) async throws {
        let entry = auditRecord(.logout, object: requester.staffID.map { "staff:\($0)" } ?? "session", by: requester)
        try await store.write { txn in
            try Collections.sessions.delete(Key(handle.digest), in: txn)
            try Collections.audit.insert(entry, in: txn)
        }
        live.revoke(credentialID: Principal.sessionCredential(handle.digest), because: .sessionEnded)
    }

    /// Changes the signed-in member's own password after checking the current one; every other
    /// session of theirs ends (ASVS 7.4.3), the one in use stays.
    /// - Throws: `.invalidCredentials` (field `current_password`), `.weakPassword`.
    public func changePassword(of member: StaffMember, current: String, new: String, keeping handle: SessionHandle, ip: String?) async throws {
        let (found, succeeded) = try await throttledCheck(LoginThrottle.keys(email: member.email, ip: ip), ip: ip) {
            () -> (StaffRecord?, Bool) in
            guard let record = try store.read({ txn in try Collections.staff.get(Key(member.id.raw), in: txn) }) else {
                return (nil, false)
            }
            return (record, try await hasher.verify(current, against: record.passwordHash))
        }
        guard succeeded, let record = found else {
            throw DeskError(.invalidCredentials, "The current password is not right.", field: "current_password")
        }
        try policy.check(new, field: "new_password", context: [record.email, record.name])
        let hash = try await hasher.hash(new)
        let at = now
        let requester = Requester(actor: AuditActor(id: member.id.description, name: member.name), role: member.role,
                                  staffID: member.id, ip: ip)
        let entry = auditRecord(.passwordChanged, object: "staff:\(member.id)", by: requester)
        let ended = try await store.write { txn -> [String] in
            guard var record = try Collections.staff.get(Key(member.id.raw), in: txn) else {
                throw DeskError(.unauthenticated, "Your account no longer exists.")
            }
            record.passwordHash = hash
            record.passwordChangedAt = at
            try Collections.staff.put(record, in: txn)
            let ended = try Self.endSessions(of: member.id, except: handle.digest, in: txn)
            try Collections.audit.insert(entry, in: txn)
            return ended
        }
        for digest in ended { live.revoke(credentialID: Principal.sessionCredential(digest), because: .sessionEnded) }
    }

    /// Deletes every session of `staffID` but `except` and returns their digests. Runs inside the
    /// caller's transaction.
    @discardableResult
    static func endSessions(of staffID: StaffID, except: String? = nil, in txn: borrowing WriteTransaction) throws -> [String] {
        let ended = try sessions(of: staffID, in: txn).map(\.digest).filter { $0 != except }
        for digest in ended { try Collections.sessions.delete(Key(digest), in: txn) }
        return ended
    }

    /// Every session of `staffID`.
    static func sessions(of staffID: StaffID, in txn: borrowing some TransactionReading & ~Copyable) throws -> [SessionRecord] {
        var sessions: [SessionRecord] = []
        var after: Key?
        repeat {
            let page = try Collections.sessions.page(index: "staff", equals: Key(staffID.raw), after: after, limit: 200, in: txn)
            sessions += page.items
            after = page.nextCursor
        } while after != nil
        return sessions
    }
}
