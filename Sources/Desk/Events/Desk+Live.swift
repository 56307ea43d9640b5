import Foundation
import Storage

extension Desk {
    /// Subscribes `principal` to the live stream, resuming after `since` when given.
    /// The subscription is tied to the principal's credential, so ending that session or
    /// revoking that token ends it too.
    public func subscribe(_ principal: Principal, since: UInt64?) -> LiveSubscribeResult {
        live.subscribe(staffID: principal.subscriberID, role: principal.role.rawValue,
                       credentialID: principal.credentialID, since: since)
    }

    /// Whether the credential behind `principal` still stands with the same role: the session
    /// exists, is neither idle nor past its lifetime and its staff member is enabled; or the token
    /// exists, its owner is enabled and its role (capped at the owner's) is unchanged. Unlike `authenticate`, it never refreshes the session's last-seen time, so an open
    /// live socket alone does not keep an unattended session alive.
    public func isStillValid(_ principal: Principal) throws -> Bool {
        let at = now
        switch principal {
        case .staff(let member, let handle):
            return try store.read { txn in
                guard let session = try Collections.sessions.get(Key(handle.digest), in: txn),
                      let staff = try Collections.staff.get(Key(session.staffID.raw), in: txn) else { return false }
                return staff.role == member.role && isCurrent(session, of: staff, at: at)
            }
        case .token(let token):
            return try store.read { txn in
                guard let record = try Collections.tokens.get(Key(token.id), in: txn) else { return false }
                return try Self.acting(record, in: txn)?.role == token.role
            }
        }
    }

    /// Roles that see Settings (view): staff members' details, the connected channels.
    static let staffAudience = LiveAudience.roles(Set(Role.allCases.filter { $0.permissions.allows(.settings, .view) }.map(\.rawValue)))
    /// Roles that manage tokens and channels (Settings full).
    static let settingsAudience = LiveAudience.roles(Set(Role.allCases.filter { $0.permissions.allows(.settings, .full) }.map(\.rawValue)))
    /// Roles that see every conversation (Chats view or full); Agents get only their own.
    /// Roles that read templates (Chats, even only assigned conversations) or manage them (Campaigns full).
    static let templatesAudience = LiveAudience.roles(Set(Role.allCases.filter {
        $0.permissions.allows(.chats, .assigned) || $0.permissions.allows(.campaigns, .full)
    }.map(\.rawValue)))
    /// Roles that see Assistant → Knowledge.
    static let knowledgeAudience = LiveAudience.roles(Set(Role.allCases.filter { $0.permissions.allows(.assistant, .view) }.map(\.rawValue)))
    static let chatsAudience = Set(Role.allCases.filter { $0.permissions.allows(.chats, .view) }.map(\.rawValue))
}

extension Principal {
    /// Who the hub delivers to: the staff member's id, or `token:<id>` for an API token.
    var subscriberID: String {
        switch self {
        case .staff(let member, _): member.id.description
        case .token(let token): Self.tokenCredential(token.id)
        }
    }

    /// The credential the hub ties a subscription to.
    var credentialID: String {
        switch self {
        case .staff(_, let handle): Self.sessionCredential(handle.digest)
        case .token(let token): Self.tokenCredential(token.id)
        }
    }

    static func sessionCredential(_ digest: String) -> String { "session:\(digest)" }
    static func tokenCredential(_ id: DocumentID) -> String { "token:\(id)" }
}
