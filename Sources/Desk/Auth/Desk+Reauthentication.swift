import Foundation
import Storage

extension Desk {
    /// Re-enters the signed-in member's password in this session, which allows sensitive changes
    /// for the next `reauthenticationWindow` (reliability.md §B9: re-authentication before role
    /// and secret changes). Throttled together with sign-ins, so it is no way around the limit.
    /// - Throws: `.invalidCredentials` (field `password`), `.tooManyAttempts`, `.unauthenticated`
    ///   when the session or account is gone.
    public func confirmPassword(_ password: String, of member: StaffMember, session handle: SessionHandle, ip: String?) async throws {
        let keys = LoginThrottle.keys(email: member.email, ip: ip)
        let requester = Requester(actor: AuditActor(id: member.id.description, name: member.name), role: member.role,
                                  staffID: member.id, ip: ip)
        let (_, succeeded) = try await throttledCheck(keys, ip: ip) { () -> ((), Bool) in
            guard let record = try store.read({ txn in try Collections.staff.get(Key(member.id.raw), in: txn) }), !record.disabled else {
                throw DeskError(.unauthenticated, "Your account is no longer active.")
            }
            return ((), try await hasher.verify(password, against: record.passwordHash))
        }
        guard succeeded else {
            try await recordFailedPassword(object: "staff:\(member.id) reauthentication", by: requester)
            throw DeskError(.invalidCredentials, "The password is not right.", field: "password")
        }
        let at = now
        let entry = auditRecord(.reauthenticated, object: "staff:\(member.id)", by: requester)
        try await store.write { txn in
            guard var session = try Collections.sessions.get(Key(handle.digest), in: txn) else {
                throw DeskError(.unauthenticated, "Your session ended; sign in again.")
            }
            session.confirmedAt = at
            try Collections.sessions.put(session, in: txn)
            try Collections.audit.insert(entry, in: txn)
        }
    }

    /// Refuses a sensitive change from a browser session whose password was last entered longer
    /// ago than `reauthenticationWindow`. API tokens and the command line pass: they have no
    /// password to re-enter (a token is scoped by its role and revocable instead).
    func requireRecentPassword(_ requester: Requester) throws(DeskError) {
        guard let confirmedAt = requester.passwordConfirmedAt else { return }
        guard now.timeIntervalSince(confirmedAt) < configuration.reauthenticationWindow else {
            throw DeskError(.reauthenticationRequired, "Enter your password again to make this change.")
        }
    }
}
