import Desk
import Foundation

// The JSON shapes of docs/api-v1.md. Optional values are written as explicit `null` (the
// OpenAPI schema lists them as required and nullable), so these encode by hand where needed.

func rfc3339(_ date: Date) -> String { date.formatted(.iso8601) }

// A staff member encodes itself as the API's Staff object (Desk: StaffMember+Encodable).

struct SessionView: Encodable {
    let staff: StaffMember
    let permissions: Permissions
    /// The business's time zone (tz database name), which appointment and slot times are shown
    /// in: every role may read it, though only those who see the assistant's settings change it.
    let business_time_zone: String
    init(_ member: StaffMember, businessTimeZone: String) {
        staff = member
        permissions = member.permissions
        business_time_zone = businessTimeZone
    }
}

struct StaffOnlyView: Encodable {
    let staff: StaffMember
}

struct TokenView: Encodable {
    let id: String, name: String, role: String, created_at: String, last_used_at: String?, prefix: String, owner_id: String?
    init(_ token: APIToken) {
        id = token.id.description
        owner_id = token.ownerID?.description
        name = token.name
        role = token.role.rawValue
        created_at = rfc3339(token.createdAt)
        last_used_at = token.lastUsedAt.map(rfc3339)
        prefix = token.prefix
    }
    enum CodingKeys: String, CodingKey { case id, name, role, created_at, last_used_at, prefix, owner_id }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(role, forKey: .role)
        try c.encode(created_at, forKey: .created_at); try c.encode(last_used_at, forKey: .last_used_at)
        try c.encode(prefix, forKey: .prefix)
        try c.encode(owner_id, forKey: .owner_id)
    }
}

struct NewTokenView: Encodable {
    let token: TokenView
    let secret: String
}

struct AuditView: Encodable {
    let entry: AuditEntry
    enum CodingKeys: String, CodingKey { case id, at, actor, action, object, ip }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entry.id.description, forKey: .id)
        try c.encode(rfc3339(entry.at), forKey: .at)
        try c.encode(entry.actor, forKey: .actor)
        try c.encode(entry.action.rawValue, forKey: .action)
        try c.encode(entry.object, forKey: .object)
        try c.encode(entry.ip, forKey: .ip)
    }
}

struct ListView<Item: Encodable>: Encodable {
    let items: [Item]
    let next_cursor: String?
    enum CodingKeys: String, CodingKey { case items, next_cursor }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(next_cursor, forKey: .next_cursor)
    }
}

extension PageRequest {
    /// `?cursor=…&limit=…` of a list request; a limit that is not a number is a 422 naming it.
    init(query: [String: String]) throws {
        var limit: Int?
        if let text = query["limit"] {
            guard let value = Int(text) else { throw DeskError(.invalidField, "The limit must be a whole number between 1 and 200.", field: "limit") }
            limit = value
        }
        try self.init(cursor: query["cursor"], limit: limit)
    }
}
