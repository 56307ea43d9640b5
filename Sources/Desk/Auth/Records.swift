import Foundation
import Storage

/// A browser session, stored under the SHA-256 of its id (the id itself lives only in the cookie).
struct SessionRecord: Codable, Sendable {
    var digest: String
    var staffID: StaffID
    var createdAt: Date
    var lastSeenAt: Date
    var ip: String?
    /// When the password was last entered in this session (sign-in, or a confirmation before a
    /// sensitive change). Nil in sessions written before it existed: their sign-in counts.
    var confirmedAt: Date?
}

/// An API token, stored under its id; the secret is kept only as a SHA-256 digest.
struct APITokenRecord: Codable, Sendable {
    var id: DocumentID
    var name: String
    var role: Role
    var prefix: String
    var digest: String
    var createdAt: Date
    var lastUsedAt: Date?
    /// The audit actor id of whoever made it (a staff member's id, or a token's).
    var createdBy: String?
    /// The staff member whose current role caps this token (for a token made by a token, that
    /// token's owner). Nil in records written before it existed: see `owner(in:)`.
    var ownerID: StaffID?

    var token: APIToken {
        APIToken(id: id, name: name, role: role, ownerID: ownerID, prefix: prefix, createdAt: createdAt, lastUsedAt: lastUsedAt)
    }
}

/// The one pending first-run setup token.
struct SetupRecord: Codable, Sendable {
    var digest: String
    var expiresAt: Date
}
