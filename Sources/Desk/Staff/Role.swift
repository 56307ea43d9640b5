/// A staff member's role. The permission matrix (seed 003 §7.1.2) says what each may do.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case admin, manager, `operator`, agent

    /// Roles sorted from most to least powerful, so `<` reads "less powerful than".
    private var rank: Int {
        switch self { case .admin: 3; case .manager: 2; case .operator: 1; case .agent: 0 }
    }
    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }

    /// Parses the API's lowercase name; nil for anything else.
    public init?(name: String) { self.init(rawValue: name) }
}

/// A part of the product a permission is about. Billing is folded into settings; reports are
/// the dashboard area.
public enum Area: String, Codable, Sendable, CaseIterable {
    case dashboard, chats, assistant, campaigns, settings
}

/// How much of an area a role may use. Ordered: none < assigned < view < full.
/// `assigned` (agents in chats) means "only conversations assigned to me": it allows reading and
/// acting on those records, which later issues check per record.
public enum AccessLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case none, assigned, view, full

    private var rank: Int {
        switch self { case .none: 0; case .assigned: 1; case .view: 2; case .full: 3 }
    }
    public static func < (a: AccessLevel, b: AccessLevel) -> Bool { a.rank < b.rank }
}

/// What one role may do in every area.
public struct Permissions: Sendable, Equatable, Codable {
    public var dashboard, chats, assistant, campaigns, settings: AccessLevel

    public init(dashboard: AccessLevel, chats: AccessLevel, assistant: AccessLevel, campaigns: AccessLevel, settings: AccessLevel) {
        (self.dashboard, self.chats, self.assistant, self.campaigns, self.settings) = (dashboard, chats, assistant, campaigns, settings)
    }

    public subscript(area: Area) -> AccessLevel {
        switch area {
        case .dashboard: dashboard
        case .chats: chats
        case .assistant: assistant
        case .campaigns: campaigns
        case .settings: settings
        }
    }

    /// Whether this grants at least `level` in `area`. `.none` is never enough.
    public func allows(_ area: Area, _ level: AccessLevel) -> Bool {
        let granted = self[area]
        return granted != .none && granted >= level
    }
}

extension Role {
    /// The matrix of seed 003 §7.1.2, the one place it is written down.
    public var permissions: Permissions {
        switch self {
        case .admin:
            Permissions(dashboard: .full, chats: .full, assistant: .full, campaigns: .full, settings: .full)
        case .manager:
            Permissions(dashboard: .full, chats: .full, assistant: .full, campaigns: .full, settings: .view)
        case .operator:
            Permissions(dashboard: .view, chats: .full, assistant: .view, campaigns: .view, settings: .none)
        case .agent:
            Permissions(dashboard: .view, chats: .assigned, assistant: .none, campaigns: .none, settings: .none)
        }
    }
}
