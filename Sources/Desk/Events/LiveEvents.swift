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
        .init(type: "token.created", audience: Desk.settingsAudience, payload: TokenEvent(id: id, name: name, role: role.rawValue))
    }
    static func tokenRevoked(id: String) -> LiveEvents {
        .init(type: "token.revoked", audience: Desk.settingsAudience, payload: TokenEvent(id: id))
    }

    // The inbox: everyone who sees every conversation, and the Agent a conversation is assigned to.
    static func messageCreated(_ conversation: ConversationView, _ message: Message) -> LiveEvents {
        .init(type: "message.created", audience: chats(conversation.conversation),
              payload: MessageEvent(conversation: conversation, conversation_id: nil, message: MessageView(message)))
    }
    static func messageUpdated(_ message: Message, in conversation: Conversation) -> LiveEvents {
        .init(type: "message.updated", audience: chats(conversation),
              payload: MessageEvent(conversation: nil, conversation_id: conversation.id.description, message: MessageView(message)))
    }
    /// `alsoTo`: the staff member it was assigned to before a reassignment.
    static func conversationUpdated(_ conversation: ConversationView, alsoTo previous: StaffID? = nil) -> LiveEvents {
        let staff = [conversation.conversation.assigneeID, previous].compactMap { $0?.description }
        return .init(type: "conversation.updated", audience: .anyOf(roles: Desk.chatsAudience, staff: Set(staff)), payload: conversation)
    }
    /// A channel connected, changed or paused (its token refused): whoever sees Settings →
    /// Channels is told, and Admins are alerted.
    static func channelUpdated(_ channel: ChannelView) -> LiveEvents {
        .init(type: "channel.updated", audience: Desk.staffAudience, payload: channel)
    }

    static func channelDeleted(id: String) -> LiveEvents {
        .init(type: "channel.deleted", audience: Desk.staffAudience, payload: TokenEvent(id: id))
    }

    /// A template submitted, edited, deleted or moved by Meta's review: whoever picks templates
    /// in Chats or manages them sees its status change without reloading.
    static func templateUpdated(_ template: MessageTemplate) -> LiveEvents {
        .init(type: "template.updated", audience: Desk.templatesAudience, payload: TemplateView(template))
    }
    static func templateDeleted(id: String) -> LiveEvents {
        .init(type: "template.deleted", audience: Desk.templatesAudience, payload: TokenEvent(id: id))
    }

    /// The knowledge base changed (an entry, an import, a rebuilt index): whoever sees Assistant →
    /// Knowledge reloads its lists.
    static func knowledgeChanged(_ change: KnowledgeChange) -> LiveEvents {
        .init(type: "knowledge.changed", audience: Desk.knowledgeAudience, payload: change)
    }

    /// A customer is calling a Twilio number now: everyone in Chats sees who, with their history.
    static func callIncoming(_ call: IncomingCallView) -> LiveEvents {
        .init(type: "call.incoming", audience: .anyOf(roles: Desk.chatsAudience, staff: []), payload: call)
    }

    /// A booking made, moved, cancelled or marked (seed 001 "new_appointment"): whoever sees
    /// every conversation, the staff member who performs it and the Agent its conversation is
    /// assigned to.
    static func appointmentCreated(_ appointment: AppointmentView) -> LiveEvents {
        .init(type: "appointment.created", audience: appointments(appointment), payload: appointment)
    }
    static func appointmentUpdated(_ appointment: AppointmentView) -> LiveEvents {
        .init(type: "appointment.updated", audience: appointments(appointment), payload: appointment)
    }
    static func appointments(_ view: AppointmentView) -> LiveAudience {
        .anyOf(roles: Desk.chatsAudience, staff: Set([view.appointment.staffID] + (view.assigneeID.map { [$0.description] } ?? [])))
    }

    static func chats(_ conversation: Conversation) -> LiveAudience {
        .anyOf(roles: Desk.chatsAudience, staff: conversation.assigneeID.map { [$0.description] } ?? [])
    }
}

/// The payload of `message.created` (with the conversation as it is now) and `message.updated`.
struct MessageEvent: Encodable, Sendable {
    let conversation: ConversationView?
    let conversation_id: String?
    let message: MessageView
    enum CodingKeys: String, CodingKey { case conversation, conversation_id, message }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let conversation { try c.encode(conversation, forKey: .conversation); try c.encode(conversation.conversation.id.description, forKey: .conversation_id) }
        if let conversation_id { try c.encode(conversation_id, forKey: .conversation_id) }
        try c.encode(message, forKey: .message)
    }
}

/// The payload of `token.created`, `token.revoked`, `channel.deleted` and `template.deleted` (an id, with a name and
/// role for a new token).
struct TokenEvent: Encodable, Sendable {
    let id: String
    var name: String?
    var role: String?
}
