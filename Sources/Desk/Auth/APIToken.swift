public import Foundation
public import Storage

/// A token for an integration, sent as `Authorization: Bearer atd_…`. It acts with its `role`,
/// but never with more than its owner — the staff member who made it — may do now: a demoted
/// owner's tokens act with the owner's new role, and a disabled owner's tokens are revoked.
/// The secret is shown once, at creation; afterwards only `prefix` identifies it to people.
public struct APIToken: Sendable, Equatable {
    public let id: DocumentID
    public let name: String
    /// The role the token acts with: the one it was given, capped at its owner's current role
    /// when it authenticates (the stored role is shown in lists).
    public let role: Role
    /// The staff member whose current rights cap the token; nil for one made on the command line.
    public let ownerID: StaffID?
    /// `atd_` and the first four characters of the secret: enough to tell tokens apart.
    public let prefix: String
    public let createdAt: Date
    public let lastUsedAt: Date?

    /// What every token secret starts with, so leaked tokens are easy to scan for.
    public static let secretPrefix = "atd_"
}

/// A token just made: the only moment its secret exists outside the caller's hands.
public struct NewAPIToken: Sendable {
    public let token: APIToken
    public let secret: String
}
