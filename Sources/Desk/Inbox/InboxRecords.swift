public import Foundation
public import Storage

/// A customer as the inbox knows them: one per phone number, whichever channel they use (the
/// same number on SMS and WhatsApp is one contact with a conversation per channel).
public struct Contact: Codable, Sendable, Equatable {
    public let id: DocumentID
    /// The phone's digits, no `+` (WhatsApp calls it the WhatsApp id); the dedupe key of contacts.
    public var waID: String
    /// E.164 form of the WhatsApp id (`+` and the digits).
    public var phone: String
    /// The name the customer set in WhatsApp (changes when they change it).
    public var profileName: String?
    /// The name staff gave them (wins over the profile name when shown).
    public var name: String?
    public var tags: [String]
    public var notes: String
    public var blocked: Bool
    /// Opted out of every channel (staff said so).
    public var optedOut: Bool
    public let createdAt: Date
    public var updatedAt: Date
    /// What the assistant learnt about them (a score, suggested tags) once they wrote 3 messages;
    /// nil before, and in documents written before it existed (so they still decode).
    public var intelligence: ContactIntelligence? = nil
    /// The channels (`ConsentChannel` raw values) they opted out of with a keyword (STOP, PARAR…),
    /// or that the provider reported them opted out of; nil in older documents.
    public var optedOutChannels: [String]? = nil

    /// What the inbox shows: the staff's name, the profile name, or the phone.
    public var displayName: String { name ?? profileName ?? phone }

    /// Whether nothing may be sent to them on `channel`: opted out of it, or of everything.
    public func isOptedOut(of channel: ConsentChannel) -> Bool {
        optedOut || (optedOutChannels ?? []).contains(channel.rawValue)
    }
}

/// Where a conversation stands (seed 004, "Conversation lifecycle").
public enum ConversationStatus: String, Codable, Sendable, CaseIterable {
    case open
    /// Waiting for a person: the assistant handed it over, or the customer asked for one.
    case pendingHuman = "pending_human"
    case archived
    case blocked
}

/// One contact talking to one business number.
public struct Conversation: Codable, Sendable, Equatable {
    public let id: DocumentID
    public let contactID: DocumentID
    public let channelID: DocumentID
    public var status: ConversationStatus
    public var assigneeID: StaffID?
    /// Whether the assistant may answer. Staff switch it off to take a conversation over.
    public var aiEnabled: Bool
    public var unread: Int
    public var lastMessageAt: Date?
    /// The customer's last message: the customer-service window runs 24 h from it.
    public var lastInboundAt: Date?
    /// The last message's text, shortened, for the list.
    public var preview: String
    public let createdAt: Date
    /// Why the assistant handed the conversation to a person (while it is pending a human).
    public var handoffReason: String? = nil
    /// The number's kind (`BusinessNumber.Kind`), copied at creation so the list shows it without
    /// reading the channel; nil in older documents, which are all WhatsApp.
    public var channelKind: BusinessNumber.Kind? = nil

    public var kind: BusinessNumber.Kind { channelKind ?? .whatsapp }

    public var windowClosesAt: Date? { CustomerWindow.closes(lastInboundAt: lastInboundAt) }
}

public enum MessageDirection: String, Codable, Sendable { case inbound, outbound }

/// Who wrote a message.
public struct MessageAuthor: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case contact, staff, assistant, campaign, system }
    public var kind: Kind
    public var id: String?
    public var name: String?
    public init(kind: Kind, id: String? = nil, name: String? = nil) { (self.kind, self.id, self.name) = (kind, id, name) }
}

/// A message's content as the inbox keeps it: the readable text plus whichever structured part the
/// type has. Nothing is dropped: a type we do not know keeps its raw JSON.
public struct MessageContent: Codable, Sendable, Equatable {
    /// The body, the caption, or a readable summary of a non-text message.
    public var text: String?
    public var media: MediaAttachment?
    public var location: SharedLocation?
    /// Interactive reply, button or list choice: the id the business gave the option.
    public var choiceID: String?
    /// A reaction: the message reacted to (provider id) and the emoji (nil: removed).
    public var reactionTo: String?
    public var template: TemplateUse?
    /// Reply buttons or a list we sent: what the customer was offered.
    public var interactive: InteractiveContent?
    /// The item as the provider sent it, for types shown as unsupported, orders and contacts.
    public var raw: String?
    /// A phone call (type `call`): answered or missed, and for how long.
    public var call: CallRecord? = nil

    public init(text: String? = nil, media: MediaAttachment? = nil, location: SharedLocation? = nil, choiceID: String? = nil,
                reactionTo: String? = nil, template: TemplateUse? = nil, raw: String? = nil) {
        (self.text, self.media, self.location, self.choiceID) = (text, media, location, choiceID)
        (self.reactionTo, self.template, self.raw) = (reactionTo, template, raw)
    }
}

/// A file sent or received. The bytes live in the store (`media` database) under their SHA-256,
/// once fetched; until then only the provider's id is known.
public struct MediaAttachment: Codable, Sendable, Equatable {
    public var kind: String
    /// The provider's id of the file: from the webhook (inbound), or from our upload to the
    /// provider, recorded before the send so a job run twice uploads once (outbound).
    public var providerMediaID: String?
    /// Outbound: the public https link WhatsApp fetches. Inbound: the provider's download URL.
    public var link: String?
    public var mimeType: String?
    public var filename: String?
    /// The caption (image, video, document), as sent or received.
    public var caption: String?
    /// SHA-256 (hex) of the stored bytes; nil until fetched.
    public var digest: String?
    public var size: Int?
    /// Why the file could not be kept (too large, type not allowed, provider error).
    public var unavailableReason: String?

    public init(kind: String, providerMediaID: String? = nil, link: String? = nil, mimeType: String? = nil, filename: String? = nil) {
        (self.kind, self.providerMediaID, self.link, self.mimeType, self.filename) = (kind, providerMediaID, link, mimeType, filename)
    }
}

/// A call to a Twilio number, as the conversation shows it.
public struct CallRecord: Codable, Sendable, Equatable {
    /// Twilio's `DialCallStatus` (`completed`, `no-answer`, `busy`, `failed`, `canceled`), or
    /// `not-forwarded` when no business phone is set.
    public var status: String
    public var missed: Bool
    /// Seconds the call lasted once answered.
    public var duration: Int?
    /// What happened about the text-back: `scheduled`, `deferred` (quiet hours), `already_sent`
    /// (within the period), `opted_out`, `off`.
    public var textBack: String?
}

public struct SharedLocation: Codable, Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double
    public var name: String?
    public var address: String?
}

/// A template sent: its name, language and the body parameters.
public struct TemplateUse: Codable, Sendable, Equatable {
    public var name: String
    public var language: String
    public var parameters: [String]
    public init(name: String, language: String, parameters: [String]) { (self.name, self.language, self.parameters) = (name, language, parameters) }
}

/// One message in a conversation, either way.
public struct Message: Codable, Sendable, Equatable {
    public let id: DocumentID
    public let conversationID: DocumentID
    public let direction: MessageDirection
    /// `text`, `image`, …, `unsupported` (MessageType names of the API).
    public var type: String
    public var content: MessageContent
    /// The provider's id (WhatsApp wamid): set at receipt for inbound, after the send for outbound.
    public var providerID: String?
    /// The provider id of the message this one answers.
    public var replyToProviderID: String?
    /// The message this one answers or reacts to, as found when this one was stored (nil when it
    /// is not in the store: a quote of a message older than Atende, or of a deleted one).
    public var quoted: QuotedMessage?
    public var author: MessageAuthor
    /// Outbound only: where the delivery stands.
    public var delivery: Delivery?
    /// When the customer sent it (inbound: the provider's timestamp) or staff wrote it.
    public let createdAt: Date
    /// What the assistant understood (inbound) or why it said this (its own replies).
    public var ai: MessageAI? = nil
}

/// What a reply quotes: the stored message and its one-line preview.
public struct QuotedMessage: Codable, Sendable, Equatable {
    public let id: DocumentID
    public let preview: String
    public let direction: MessageDirection

    init(_ message: Message) { (id, preview, direction) = (message.id, Inbox.preview(message), message.direction) }
}

/// One POST the provider made, as received (the raw webhook log).
struct WebhookLogEntry: Codable, Sendable {
    let id: DocumentID
    let receivedAt: Date
    let source: String
    let body: String
}

/// Statuses that arrived before we knew which message they were for (a send whose answer was not
/// recorded yet); applied when the provider id is recorded.
struct EarlyStatuses: Codable, Sendable {
    let providerID: String
    var updates: [EarlyStatus]
}

struct EarlyStatus: Codable, Sendable, Equatable {
    let status: String
    let at: Date
    let code: Int?
    let reason: String?
}

extension Key {
    /// Newest first in an ascending index: the complement of the time in milliseconds.
    static func newestFirst(_ date: Date?) -> Key {
        let ms = UInt64(max(0, ((date ?? .distantPast).timeIntervalSince1970 * 1000).rounded(.down)))
        return Key(UInt64.max - ms)
    }
}
