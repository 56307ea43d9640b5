public import Foundation
public import Storage

/// A staff member's id: time-ordered, shown as 26 Crockford base32 characters.
public struct StaffID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let raw: DocumentID
    public init(_ raw: DocumentID) { self.raw = raw }
    public init?(_ text: String) {
        guard let raw = DocumentID(string: text) else { return nil }
        self.raw = raw
    }
    public init(from decoder: any Decoder) throws { raw = try DocumentID(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try raw.encode(to: encoder) }
    public var description: String { raw.description }
}

/// A person who signs in to the dashboard. Never carries the password hash.
public struct StaffMember: Sendable, Equatable {
    public let id: StaffID
    public var name: String
    public var email: String
    public var role: Role
    public var isDisabled: Bool
    public let createdAt: Date

    public var permissions: Permissions { role.permissions }
}

/// The Staff object of the API and of the `staff.*` live events — one encoding, so the
/// dashboard draws a row from an event exactly as from a response.
extension StaffMember: Encodable {
    private enum CodingKeys: String, CodingKey { case id, name, email, role, disabled, created_at }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.description, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(role.rawValue, forKey: .role)
        try container.encode(isDisabled, forKey: .disabled)
        try container.encode(createdAt.formatted(.iso8601), forKey: .created_at)
    }
}

/// The stored form of a staff member, with the bcrypt hash. Internal: only Desk sees hashes.
struct StaffRecord: Codable, Sendable {
    var id: StaffID
    var name: String
    var email: String
    var role: Role
    var disabled: Bool
    var createdAt: Date
    var passwordHash: String
    /// Bumped on every password change; sessions started before it are void.
    var passwordChangedAt: Date

    var member: StaffMember {
        StaffMember(id: id, name: name, email: email, role: role, isDisabled: disabled, createdAt: createdAt)
    }
}

/// Normalises and checks the fields a staff member is made of.
enum StaffFields {
    static func name(_ raw: String) throws(DeskError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw DeskError.invalid("name", "Give a name.") }
        guard name.count <= 100 else { throw DeskError.invalid("name", "A name has at most 100 characters.") }
        guard !name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw DeskError.invalid("name", "A name cannot contain control characters.")
        }
        return name
    }

    /// Lower-cased and trimmed; one "@" with text on both sides and a dot in the domain. Full
    /// RFC 5322 parsing would accept addresses no mail server delivers to; this is the useful part.
    static func email(_ raw: String) throws(DeskError) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.unicodeScalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0) })
        else { throw DeskError.invalid("email", "Give a valid email address, like ana@example.com.") }
        return email
    }

    static func role(_ raw: String) throws(DeskError) -> Role {
        guard let role = Role(name: raw) else {
            throw DeskError.invalid("role", "The role must be one of admin, manager, operator, agent.")
        }
        return role
    }
}
