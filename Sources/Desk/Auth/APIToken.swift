public import Foundation
public import Storage

/// A token for an integration, sent as `Authorization: Bearer atd_…`. It acts with its `role`.
/// The secret is shown once, at creation; afterwards only `prefix` identifies it to people.
public struct APIToken: Sendable, Equatable {
    public let id: DocumentID
    public let name: String
    public let role: Role
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
