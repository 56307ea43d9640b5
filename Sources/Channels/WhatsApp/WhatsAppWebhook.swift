public import Foundation

/// One POST from Meta to the WhatsApp webhook, turned into plain values (wire-protocols.md §1.4).
///
/// A POST may batch several entries, changes, messages and statuses: everything is kept, in
/// order. Nothing the provider sends is dropped: a message of a type we do not know, or whose
/// fields are not what the reference says, becomes `.unsupported` with its raw JSON, so the
/// inbox still shows that something arrived.
public struct WhatsAppWebhook: Sendable, Equatable {
    public var changes: [Change]

    /// One `entry[].changes[]` item.
    public struct Change: Sendable, Equatable {
        /// The WhatsApp Business Account id (`entry[].id`).
        public var businessAccountID: String
        /// The subscription field: `messages`, `message_template_status_update`, …
        public var field: String
        /// The business number the change is about (route by this), when the field has one.
        public var phoneNumberID: String?
        public var displayPhoneNumber: String?
        /// Profile names by WhatsApp id, from `contacts[]`.
        public var profileNames: [String: String]
        public var messages: [WhatsAppInboundMessage]
        public var statuses: [WhatsAppStatusUpdate]
        /// Payload-level errors (`value.errors[]`, §1.7).
        public var errors: [WhatsAppError]
        /// `value` as sent, for fields other than `messages` (templates, account updates, …).
        public var rawValue: String
    }
}

/// An error item as Meta sends it in webhooks and Graph responses.
public struct WhatsAppError: Sendable, Equatable, Codable {
    public var code: Int
    public var title: String?
    public var message: String?
    public var details: String?

    public init(code: Int, title: String? = nil, message: String? = nil, details: String? = nil) {
        (self.code, self.title, self.message, self.details) = (code, title, message, details)
    }
}

/// A message a customer sent (`value.messages[]`, §1.5).
public struct WhatsAppInboundMessage: Sendable, Equatable {
    /// The wamid: the dedupe key, and the id a reply quotes.
    public var id: String
    /// The sender's WhatsApp id (digits, no `+`).
    public var from: String
    public var timestamp: Date
    /// `type` as sent (`text`, `image`, …, or one we do not know).
    public var type: String
    public var content: Content
    /// The message this one replies to, or that carried the buttons tapped.
    public var replyTo: ReplyContext?
    /// The item as sent (compact JSON, keys sorted) when `content` does not carry all of it:
    /// contacts, orders, system notices and unsupported types. Nil for the rest; the whole
    /// delivery is in the raw webhook log either way.
    public var raw: String?

    public struct ReplyContext: Sendable, Equatable {
        public var messageID: String?
        public var from: String?
        public var isForwarded: Bool
        public var isFrequentlyForwarded: Bool
    }

    public enum Content: Sendable, Equatable {
        case text(String)
        case media(Media)
        case location(Location)
        case contacts([SharedContact])
        /// A tap on an interactive reply button or list row (`kind`: `button_reply`, `list_reply`, `nfm_reply`).
        case interactiveReply(kind: String, id: String?, title: String?, description: String?)
        /// A tap on a template's quick-reply button.
        case button(payload: String?, text: String?)
        /// A reaction to `messageID`; nil emoji = the reaction was removed.
        case reaction(messageID: String, emoji: String?)
        case order(Order)
        /// A system notice, e.g. `user_changed_number` (with the new WhatsApp id).
        case system(kind: String?, body: String?, newWhatsAppID: String?)
        /// A type we do not know, or one whose fields were not as documented; `errors` as sent.
        case unsupported(errors: [WhatsAppError])

        /// Whether this content holds everything its item said (so the item's JSON need not be kept).
        var isFullyModelled: Bool {
            switch self {
            case .text, .media, .location, .interactiveReply, .button, .reaction: true
            case .contacts, .order, .system, .unsupported: false
            }
        }
    }

    /// A media attachment: bytes are never inline, only an id (and, from v24, a lookaside URL).
    public struct Media: Sendable, Equatable {
        /// `image`, `video`, `audio`, `document` or `sticker`.
        public var kind: String
        public var mediaID: String
        public var mimeType: String?
        public var sha256: String?
        public var caption: String?
        public var filename: String?
        public var url: String?
        /// Audio: a voice note. Sticker: animated.
        public var isVoiceOrAnimated: Bool

        public init(kind: String, mediaID: String, mimeType: String?, sha256: String?, caption: String?, filename: String?,
                    url: String?, isVoiceOrAnimated: Bool) {
            (self.kind, self.mediaID, self.mimeType, self.sha256) = (kind, mediaID, mimeType, sha256)
            (self.caption, self.filename, self.url, self.isVoiceOrAnimated) = (caption, filename, url, isVoiceOrAnimated)
        }
    }

    public struct Location: Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double
        public var name: String?
        public var address: String?
        public var url: String?

        public init(latitude: Double, longitude: Double, name: String?, address: String?, url: String?) {
            (self.latitude, self.longitude, self.name, self.address, self.url) = (latitude, longitude, name, address, url)
        }
    }

    public struct SharedContact: Sendable, Equatable {
        public var formattedName: String?
        public var phones: [String]
        public var emails: [String]

        public init(formattedName: String?, phones: [String], emails: [String]) {
            (self.formattedName, self.phones, self.emails) = (formattedName, phones, emails)
        }
    }

    public struct Order: Sendable, Equatable {
        public struct Item: Sendable, Equatable {
            public var productRetailerID: String
            public var quantity: Int
            public var itemPrice: Double?
            public var currency: String?

            public init(productRetailerID: String, quantity: Int, itemPrice: Double?, currency: String?) {
                (self.productRetailerID, self.quantity, self.itemPrice, self.currency) = (productRetailerID, quantity, itemPrice, currency)
            }
        }
        public var catalogID: String?
        public var text: String?
        public var items: [Item]

        public init(catalogID: String?, text: String?, items: [Item]) {
            (self.catalogID, self.text, self.items) = (catalogID, text, items)
        }
    }
}

/// A receipt for a message we sent (`value.statuses[]`, §1.6).
public struct WhatsAppStatusUpdate: Sendable, Equatable {
    /// The wamid our send returned.
    public var messageID: String
    /// `sent`, `delivered`, `read`, `failed`, `played`, or a value we do not know (kept as sent).
    public var status: String
    public var timestamp: Date
    public var recipientID: String?
    public var errors: [WhatsAppError]
    /// `pricing.category`, when sent (service, marketing, utility, authentication).
    public var pricingCategory: String?
}
