import Foundation

/// Who is making a request: a staff member signed in with a browser session, or an API token.
public enum Principal: Sendable {
    case staff(StaffMember, session: SessionHandle)
    case token(APIToken)

    public var role: Role {
        switch self {
        case .staff(let member, _): member.role
        case .token(let token): token.role
        }
    }

    public var permissions: Permissions { role.permissions }

    /// How the audit log names this principal.
    public var actor: AuditActor {
        switch self {
        case .staff(let member, _): AuditActor(id: member.id.description, name: member.name)
        case .token(let token): AuditActor(id: token.id.description, name: "token \(token.name)")
        }
    }

    public var staff: StaffMember? {
        if case .staff(let member, _) = self { return member }
        return nil
    }

    /// The principal as the author of a change, from the address `ip`.
    public func requester(ip: String?) -> Requester {
        var requester = Requester(actor: actor, role: role, staffID: staff?.id, ip: ip)
        switch self {
        case .staff(_, let handle): requester.passwordConfirmedAt = handle.confirmedAt
        case .token(let token): requester.ownerID = token.ownerID
        }
        return requester
    }
}

/// An opaque reference to the session a request came with (its digest, never the id).
public struct SessionHandle: Sendable, Equatable {
    let digest: String
    /// When the password was last entered in this session.
    let confirmedAt: Date
}

/// A session just started: `id` goes into the cookie and nowhere else.
public struct NewSession: Sendable {
    public let id: String
    public let staff: StaffMember
}

/// The author of a change, for permission checks and the audit log.
public struct Requester: Sendable {
    /// Nil for the local command line (root on the machine: no account involved).
    public let actor: AuditActor?
    public let role: Role
    public let staffID: StaffID?
    public let ip: String?
    /// For a browser session: when its password was last entered, for the re-authentication
    /// check. Nil for API tokens and the command line, which have no password to re-enter.
    public var passwordConfirmedAt: Date?
    /// The staff member this requester acts for: the signed-in member, or an API token's owner.
    /// A token made by this requester is capped by that member's rights.
    public var ownerID: StaffID?

    public init(actor: AuditActor?, role: Role, staffID: StaffID?, ip: String?) {
        self.actor = actor
        self.role = role
        self.staffID = staffID
        self.ip = ip
        self.ownerID = staffID
    }

    /// `atende staff …` on the server: acts with admin rights, audited with no actor.
    public static let commandLine = Requester(actor: nil, role: .admin, staffID: nil, ip: nil)
}
