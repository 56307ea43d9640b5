import Storage

/// Every collection Desk keeps, in one place (ARCHITECTURE.md "Desk areas"): the store's schema is
/// built from `Collections.all`, and a new area adds its collections here, with a migration in
/// `Desk.schema` when existing documents must change. Adding an empty collection needs none.
enum Collections {
    // Staff, sign-in and the audit log.
    static let staff = DocumentCollection<StaffRecord>(
        "staff", key: { Key($0.id.raw) },
        indexes: [.unique("email", { [Key($0.email)] }), .multi("role", { [Key($0.role.rawValue)] })])
    static let sessions = DocumentCollection<SessionRecord>(
        "sessions", key: { Key($0.digest) }, indexes: [.multi("staff", { [Key($0.staffID.raw)] })])
    static let tokens = DocumentCollection<APITokenRecord>(
        "api_tokens", key: { Key($0.id) }, indexes: [.unique("digest", { [Key($0.digest)] })])
    static let setup = DocumentCollection<SetupRecord>("setup", key: { _ in Key("token") })
    static let audit = DocumentCollection<AuditRecord>("audit", key: { Key($0.id) })

    // Jobs: pending and running ones indexed by the time they are next looked at.
    static let jobs = DocumentCollection<Job>(
        "jobs", key: { Key($0.id) },
        indexes: [
            .multi("next", { $0.state == .failed ? [] : [Job.timeKey($0.nextAt)] }),
            .multi("failed", { $0.state == .failed ? [Key("failed")] : [] }),
        ])

    static let all: [any DatabaseDescriptor] = [staff, sessions, tokens, setup, audit, jobs]
}
