public import Foundation
public import Storage

/// Who did something, as the audit log shows it.
public struct AuditActor: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public init(id: String, name: String) { self.id = id; self.name = name }
}

/// What the audit log records. Values are stable strings (the API shows them).
public struct AuditAction: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer(); try c.encode(rawValue)
    }
    public var description: String { rawValue }

    public static let loginSuccess = AuditAction("login.success")
    public static let loginFailure = AuditAction("login.failure")
    public static let logout = AuditAction("logout")
    public static let reauthenticated = AuditAction("session.reauthenticated")
    public static let setupCompleted = AuditAction("setup.completed")
    public static let staffCreated = AuditAction("staff.created")
    public static let staffUpdated = AuditAction("staff.updated")
    public static let staffRoleChanged = AuditAction("staff.role_changed")
    public static let staffDisabled = AuditAction("staff.disabled")
    public static let staffEnabled = AuditAction("staff.enabled")
    public static let passwordChanged = AuditAction("staff.password_changed")
    public static let passwordReset = AuditAction("staff.password_reset")
    public static let tokenCreated = AuditAction("token.created")
    public static let tokenRevoked = AuditAction("token.revoked")
    public static let secretSet = AuditAction("secret.set")
    public static let secretDeleted = AuditAction("secret.deleted")
    public static let channelCreated = AuditAction("channel.created")
    public static let channelUpdated = AuditAction("channel.updated")
    public static let channelDeleted = AuditAction("channel.deleted")
    /// A staff member's calendar feed made (replacing any before it) or revoked.
    public static let calendarFeedCreated = AuditAction("calendar_feed.created")
    public static let calendarFeedRevoked = AuditAction("calendar_feed.revoked")
    /// Settings → Channels → Twilio changed (the account, numbers, calls or text-back).
    public static let twilioUpdated = AuditAction("twilio.updated")
    /// A number connected (or its token renewed) through Embedded Signup.
    public static let channelSignedUp = AuditAction("channel.signed_up")
    /// A number registered for the Cloud API with its PIN.
    public static let channelRegistered = AuditAction("channel.registered")
    public static let conversationUpdated = AuditAction("conversation.updated")
    public static let contactUpdated = AuditAction("contact.updated")
    public static let templatesSynced = AuditAction("templates.synced")
    public static let templateCreated = AuditAction("template.created")
    public static let templateUpdated = AuditAction("template.updated")
    public static let templateDeleted = AuditAction("template.deleted")
    /// An FAQ entry or document added, changed or removed (object `faq:…` or `document:…`), or a file imported.
    public static let knowledgeCreated = AuditAction("knowledge.created")
    public static let knowledgeUpdated = AuditAction("knowledge.updated")
    public static let knowledgeDeleted = AuditAction("knowledge.deleted")
    public static let knowledgeImported = AuditAction("knowledge.imported")
}

/// One line of the audit log: actor, time, action, object — never a secret value.
public struct AuditEntry: Sendable, Equatable {
    public let id: DocumentID
    public let at: Date
    public let actor: AuditActor?
    public let action: AuditAction
    /// What the action was about, e.g. `staff:01J…` or `secret:whatsapp_token` (a name, never a value).
    public let object: String
    public let ip: String?
}

struct AuditRecord: Codable, Sendable {
    var id: DocumentID
    var at: Date
    var actor: AuditActor?
    var action: AuditAction
    var object: String
    var ip: String?

    var entry: AuditEntry { AuditEntry(id: id, at: at, actor: actor, action: action, object: object, ip: ip) }
}
