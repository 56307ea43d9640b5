import Foundation
import Channels

// The API objects of the inbox. A REST response and a live frame for the same object are encoded
// by these types, so the dashboard draws a row from an event exactly as from a response.

/// The Conversation object: the conversation with its contact.
public struct ConversationView: Encodable, Sendable, Equatable {
    public let conversation: Conversation
    public let contact: Contact

    public init(_ conversation: Conversation, contact: Contact) { (self.conversation, self.contact) = (conversation, contact) }

    private enum CodingKeys: String, CodingKey {
        case id, contact, channel_id, status, assignee_id, ai_enabled, unread, last_message_at, last_inbound_at
        case window_closes_at, window_open, preview, created_at, handoff_reason, channel
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(conversation.id.description, forKey: .id)
        try c.encode(ContactView(contact), forKey: .contact)
        try c.encode(conversation.channelID.description, forKey: .channel_id)
        try c.encode(conversation.kind.rawValue, forKey: .channel)
        try c.encode(conversation.status.rawValue, forKey: .status)
        try c.encode(conversation.assigneeID?.description, forKey: .assignee_id)
        try c.encode(conversation.aiEnabled, forKey: .ai_enabled)
        try c.encode(conversation.unread, forKey: .unread)
        try c.encode(conversation.lastMessageAt.map(APITime.string), forKey: .last_message_at)
        try c.encode(conversation.lastInboundAt.map(APITime.string), forKey: .last_inbound_at)
        try c.encode(conversation.kind == .sms ? nil : conversation.windowClosesAt.map(APITime.string), forKey: .window_closes_at)
        // SMS has no customer-service window: it is always open.
        try c.encode(conversation.kind == .sms || CustomerWindow.isOpen(lastInboundAt: conversation.lastInboundAt, now: Date()),
                     forKey: .window_open)
        try c.encode(conversation.preview, forKey: .preview)
        try c.encode(APITime.string(conversation.createdAt), forKey: .created_at)
        try c.encode(conversation.status == .pendingHuman ? conversation.handoffReason : nil, forKey: .handoff_reason)
    }
}

/// The Contact object.
public struct ContactView: Encodable, Sendable {
    public let contact: Contact
    public init(_ contact: Contact) { self.contact = contact }

    private enum CodingKeys: String, CodingKey {
        case id, wa_id, phone, profile_name, name, display_name, tags, notes, blocked, opted_out, opted_out_channels, created_at, updated_at
        case intelligence
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(contact.id.description, forKey: .id)
        try c.encode(contact.waID, forKey: .wa_id)
        try c.encode(contact.phone, forKey: .phone)
        try c.encode(contact.profileName, forKey: .profile_name)
        try c.encode(contact.name, forKey: .name)
        try c.encode(contact.displayName, forKey: .display_name)
        try c.encode(contact.tags, forKey: .tags)
        try c.encode(contact.notes, forKey: .notes)
        try c.encode(contact.blocked, forKey: .blocked)
        try c.encode(contact.optedOut, forKey: .opted_out)
        try c.encode(contact.optedOutChannels ?? [], forKey: .opted_out_channels)
        try c.encode(APITime.string(contact.createdAt), forKey: .created_at)
        try c.encode(APITime.string(contact.updatedAt), forKey: .updated_at)
        try c.encode(contact.intelligence.map { IntelligenceJSON($0, tags: contact.tags) }, forKey: .intelligence)
    }

    /// The contact's score, what moved it, and the tags suggested (never one it already has).
    private struct IntelligenceJSON: Encodable {
        let intelligence: ContactIntelligence, tags: [String]
        init(_ intelligence: ContactIntelligence, tags: [String]) { (self.intelligence, self.tags) = (intelligence, tags) }
        enum CodingKeys: String, CodingKey { case score, signals, suggested_tags, dismissed_tags, customer_messages, updated_at }
        struct SignalJSON: Encodable { let name: String, points: Int }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(intelligence.score, forKey: .score)
            try c.encode(intelligence.signals.map { SignalJSON(name: $0.name, points: $0.points) }, forKey: .signals)
            try c.encode(intelligence.suggestions(besides: tags), forKey: .suggested_tags)
            try c.encode(intelligence.dismissedTags, forKey: .dismissed_tags)
            try c.encode(intelligence.customerMessages, forKey: .customer_messages)
            try c.encode(APITime.string(intelligence.updatedAt), forKey: .updated_at)
        }
    }
}

/// The Message object.
public struct MessageView: Encodable, Sendable {
    public let message: Message
    public init(_ message: Message) { self.message = message }

    private enum CodingKeys: String, CodingKey {
        case id, conversation_id, direction, type, text, media, location, reply_to, reaction_to, provider_id, author, status, error
        case template, interactive, created_at, ai, call
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let content = message.content
        try c.encode(message.id.description, forKey: .id)
        try c.encode(message.conversationID.description, forKey: .conversation_id)
        try c.encode(message.direction.rawValue, forKey: .direction)
        try c.encode(message.type, forKey: .type)
        try c.encode(content.text, forKey: .text)
        try c.encode(content.media.map { MediaJSON(media: $0, messageID: message.id.description, outbound: message.direction == .outbound) },
                     forKey: .media)
        try c.encode(content.location.map(LocationJSON.init), forKey: .location)
        try c.encode(message.replyToProviderID.map { ReplyJSON(provider_id: $0, quoted: message.quoted) }, forKey: .reply_to)
        try c.encode(content.reactionTo.map { ReplyJSON(provider_id: $0, quoted: message.quoted) }, forKey: .reaction_to)
        try c.encode(message.providerID, forKey: .provider_id)
        try c.encode(AuthorJSON(kind: message.author.kind.rawValue, id: message.author.id, name: message.author.name), forKey: .author)
        try c.encode(message.delivery?.state.rawValue ?? "received", forKey: .status)
        let failure = message.delivery.flatMap { delivery in
            delivery.failureReason.map { ErrorJSON(code: delivery.failureCode, reason: $0) }
        }
        try c.encode(failure, forKey: .error)
        try c.encode(content.template.map { TemplateJSON(name: $0.name, language: $0.language) }, forKey: .template)
        try c.encode(content.interactive.map(InteractiveJSON.init), forKey: .interactive)
        try c.encode(APITime.string(message.createdAt), forKey: .created_at)
        try c.encode(message.ai.map(MessageAIView.init), forKey: .ai)
        try c.encode(content.call.map { CallJSON(status: $0.status, missed: $0.missed, duration_s: $0.duration, text_back: $0.textBack) },
                     forKey: .call)
    }

    private struct CallJSON: Encodable {
        let status: String, missed: Bool, duration_s: Int?, text_back: String?
        enum CodingKeys: String, CodingKey { case status, missed, duration_s, text_back }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status, forKey: .status)
            try c.encode(missed, forKey: .missed)
            try c.encode(duration_s, forKey: .duration_s)
            try c.encode(text_back, forKey: .text_back)
        }
    }

    /// Reply buttons or a list we sent: kind `button` has `buttons`; kind `list` has `button`
    /// (the label) and `sections`. Absent parts are null or empty, so both kinds share a shape.
    private struct InteractiveJSON: Encodable {
        let content: InteractiveContent
        init(_ content: InteractiveContent) { self.content = content }
        enum CodingKeys: String, CodingKey { case type, header, body, footer, buttons, button, sections }
        struct ChoiceJSON: Encodable {
            let choice: InteractiveContent.Choice
            enum CodingKeys: String, CodingKey { case id, title, description }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(choice.id, forKey: .id); try c.encode(choice.title, forKey: .title)
                try c.encode(choice.description, forKey: .description)
            }
        }
        struct SectionJSON: Encodable {
            let section: InteractiveContent.Section
            enum CodingKeys: String, CodingKey { case title, rows }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(section.title, forKey: .title); try c.encode(section.rows.map(ChoiceJSON.init), forKey: .rows)
            }
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(content.kind.rawValue, forKey: .type)
            try c.encode(content.header, forKey: .header)
            try c.encode(content.body, forKey: .body)
            try c.encode(content.footer, forKey: .footer)
            try c.encode(content.buttons.map(ChoiceJSON.init), forKey: .buttons)
            try c.encode(content.button, forKey: .button)
            try c.encode(content.sections.map(SectionJSON.init), forKey: .sections)
        }
    }

    private struct MediaJSON: Encodable {
        let media: MediaAttachment, messageID: String, outbound: Bool
        enum CodingKeys: String, CodingKey { case kind, mime_type, filename, caption, size, available, unavailable_reason, url, link }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(media.kind, forKey: .kind)
            try c.encode(media.mimeType, forKey: .mime_type)
            try c.encode(media.filename, forKey: .filename)
            try c.encode(media.size, forKey: .size)
            try c.encode(media.digest != nil, forKey: .available)
            try c.encode(media.unavailableReason, forKey: .unavailable_reason)
            try c.encode("/api/v1/media/\(messageID)", forKey: .url)
            try c.encode(media.caption, forKey: .caption)
            // The public link staff sent; never an inbound file's download URL (it needs our token).
            try c.encode(outbound ? media.link : nil, forKey: .link)
        }
    }
    private struct LocationJSON: Encodable {
        let latitude: Double, longitude: Double, name: String?, address: String?
        init(_ l: SharedLocation) { (latitude, longitude, name, address) = (l.latitude, l.longitude, l.name, l.address) }
        enum CodingKeys: String, CodingKey { case latitude, longitude, name, address }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(latitude, forKey: .latitude); try c.encode(longitude, forKey: .longitude)
            try c.encode(name, forKey: .name); try c.encode(address, forKey: .address)
        }
    }
    /// What a reply quotes or a reaction is about: the provider's id always; the stored
    /// message's id, preview and direction when it is in the store (null otherwise).
    private struct ReplyJSON: Encodable {
        let provider_id: String, quoted: QuotedMessage?
        enum CodingKeys: String, CodingKey { case provider_id, message_id, preview, direction }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(provider_id, forKey: .provider_id)
            try c.encode(quoted?.id.description, forKey: .message_id)
            try c.encode(quoted?.preview, forKey: .preview)
            try c.encode(quoted?.direction.rawValue, forKey: .direction)
        }
    }
    private struct AuthorJSON: Encodable {
        let kind: String, id: String?, name: String?
        enum CodingKeys: String, CodingKey { case kind, id, name }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind); try c.encode(id, forKey: .id); try c.encode(name, forKey: .name)
        }
    }
    /// Why a send failed: the provider's code, a stable `kind` from the one failure table
    /// (`customer_window_closed`, `rate_limited`, …) for the dashboard's words, and the reason
    /// as recorded (our kind, then the provider's own text).
    private struct ErrorJSON: Encodable {
        let code: Int?, reason: String
        enum CodingKeys: String, CodingKey { case code, kind, reason }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(kind, forKey: .kind)
            try c.encode(reason, forKey: .reason)
        }

        /// The prefix the dispatcher writes ("rate_limited: …"), else the table's reason for a
        /// code a status webhook reported.
        var kind: String? {
            if let colon = reason.firstIndex(of: ":"), reason[..<colon].allSatisfy({ $0 == "_" || ("a"..."z").contains($0) }),
               !reason[..<colon].isEmpty {
                return String(reason[..<colon])
            }
            return code.map { GraphError.reason(forCode: $0).rawValue }
        }
    }
    private struct TemplateJSON: Encodable { let name: String, language: String }
}

/// A paused Channel's `paused`: the reason code and the provider's code and words, with the
/// plain-language summary and what to do.
struct PausedJSON: Encodable {
    let reason: PauseReason
    init(_ reason: PauseReason) { self.reason = reason }
    enum CodingKeys: String, CodingKey { case code, provider_code, provider_message, summary, action }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reason.reason, forKey: .code)
        try c.encode(reason.providerCode, forKey: .provider_code)
        try c.encode(reason.providerMessage, forKey: .provider_message)
        try c.encode(reason.summary, forKey: .summary)
        try c.encode(reason.action, forKey: .action)
    }
}

/// The Channel object: never a secret, only whether each is set.
public struct ChannelView: Encodable, Sendable {
    public let channel: BusinessNumber
    public let secrets: [ChannelSecret: Bool]
    public let publicURL: String?
    public init(_ channel: BusinessNumber, secrets: [ChannelSecret: Bool], publicURL: String? = nil) {
        (self.channel, self.secrets, self.publicURL) = (channel, secrets, publicURL)
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, name, phone_number_id, waba_id, display_phone, status, paused_reason, paused, registration_pending, webhook_path,
             webhook_url, secrets, created_at
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(channel.id.description, forKey: .id)
        try c.encode(channel.kind, forKey: .kind)
        try c.encode(channel.name, forKey: .name)
        try c.encode(channel.phoneNumberID, forKey: .phone_number_id)
        try c.encode(channel.wabaID, forKey: .waba_id)
        try c.encode(channel.displayPhone, forKey: .display_phone)
        try c.encode(channel.status.rawValue, forKey: .status)
        try c.encode(channel.pausedReason?.line, forKey: .paused_reason)
        try c.encode(channel.pausedReason.map(PausedJSON.init), forKey: .paused)
        try c.encode(channel.needsRegistration, forKey: .registration_pending)
        let path = channel.kind == .sms ? Telephony.paths.sms : "/webhooks/whatsapp"
        try c.encode(path, forKey: .webhook_path)
        // The provider needs an https URL it can reach: known only when the operator set public_url.
        try c.encode(publicURL.map { $0 + path }, forKey: .webhook_url)
        try c.encode(Dictionary(uniqueKeysWithValues: ChannelSecret.allCases.map { ($0.rawValue, secrets[$0] ?? false) }), forKey: .secrets)
        try c.encode(APITime.string(channel.createdAt), forKey: .created_at)
    }
}

/// The API's time format (ISO 8601, UTC, whole seconds), as staff objects use.
enum APITime {
    static func string(_ date: Date) -> String { date.formatted(.iso8601) }
}

/// The MessageAI object: the assistant's view of a message (a message's `ai`, and "try a question"'s insights).
public struct MessageAIView: Encodable, Sendable {
    let ai: MessageAI
    public init(_ ai: MessageAI) { self.ai = ai }
    enum CodingKeys: String, CodingKey {
        case language, intent, intent_confidence, sentiment, polarity, priority, summary, entities, decision, confidence
        case handoff_reason, suggested_reply, sources, composer
    }
    struct SourceJSON: Encodable {
        let source: MessageAI.Source
        enum CodingKeys: String, CodingKey { case id, source_id, title, score }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source.id, forKey: .id); try c.encode(source.sourceID, forKey: .source_id)
            try c.encode(source.title, forKey: .title); try c.encode(source.score, forKey: .score)
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ai.language, forKey: .language); try c.encode(ai.intent, forKey: .intent)
        try c.encode(ai.intentConfidence, forKey: .intent_confidence); try c.encode(ai.sentiment, forKey: .sentiment)
        try c.encode(ai.polarity, forKey: .polarity); try c.encode(ai.priority, forKey: .priority)
        try c.encode(ai.summary, forKey: .summary)
        try c.encode(ai.entities.map { $0.map { ["kind": $0.kind, "text": $0.text, "value": $0.value] } }, forKey: .entities)
        try c.encode(ai.decision, forKey: .decision); try c.encode(ai.confidence, forKey: .confidence)
        try c.encode(ai.handoffReason, forKey: .handoff_reason); try c.encode(ai.suggestedReply, forKey: .suggested_reply)
        try c.encode(ai.sources.map { $0.map(SourceJSON.init) }, forKey: .sources); try c.encode(ai.composer, forKey: .composer)
    }
}
