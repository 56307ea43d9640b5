/// Every live event Desk publishes — its name, who may see it and its payload — in one place.
/// A payload is the same value the REST API returns for that object (a `StaffMember` encodes
/// itself as the API's Staff object), so a live frame and a response never disagree.
struct LiveEvents {
    let type: String
    let audience: LiveAudience
    let payload: any Encodable & Sendable

    static func staffCreated(_ member: StaffMember) -> LiveEvents { .init(type: "staff.created", audience: Desk.staffAudience, payload: member) }
    static func staffUpdated(_ member: StaffMember) -> LiveEvents { .init(type: "staff.updated", audience: Desk.staffAudience, payload: member) }
    static func tokenCreated(id: String, name: String, role: Role) -> LiveEvents {
        .init(type: "token.created", audience: Desk.tokenAudience, payload: TokenEvent(id: id, name: name, role: role.rawValue))
    }
    static func tokenRevoked(id: String) -> LiveEvents {
        .init(type: "token.revoked", audience: Desk.tokenAudience, payload: TokenEvent(id: id))
    }
}

/// The payload of `token.created` and `token.revoked`.
struct TokenEvent: Encodable, Sendable {
    let id: String
    var name: String?
    var role: String?
}
