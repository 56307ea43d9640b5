import Foundation

/// A message to send through the Cloud API (wire-protocols.md §2.1–2.2), as plain values.
public struct WhatsAppOutbound: Sendable, Equatable {
    /// The recipient: E.164 with `+` (without it Meta prepends the business number's country code).
    public var to: String
    public var content: Content
    /// The wamid to quote (not for reactions).
    public var replyTo: String?

    public init(to: String, content: Content, replyTo: String? = nil) {
        (self.to, self.content, self.replyTo) = (to, content, replyTo)
    }

    public enum Content: Sendable, Equatable {
        case text(String, previewURL: Bool = false)
        /// `kind`: image, video, audio, document or sticker; exactly one of an uploaded id or a link.
        case media(kind: String, source: MediaSource, caption: String? = nil, filename: String? = nil)
        /// Up to three reply buttons (id, title).
        case buttons(body: String, header: String? = nil, footer: String? = nil, buttons: [Choice])
        /// A list: the button's label and sections of rows.
        case list(body: String, button: String, header: String? = nil, footer: String? = nil, sections: [Section])
        case template(name: String, language: String, components: [TemplateComponent] = [])
        /// A reaction to `messageID`; an empty emoji removes ours.
        case reaction(messageID: String, emoji: String)
    }

    public enum MediaSource: Sendable, Equatable {
        case id(String)
        case link(String)
    }

    public struct Choice: Sendable, Equatable {
        public var id: String
        public var title: String
        public var description: String?
        public init(id: String, title: String, description: String? = nil) { (self.id, self.title, self.description) = (id, title, description) }
    }

    public struct Section: Sendable, Equatable {
        public var title: String?
        public var rows: [Choice]
        public init(title: String?, rows: [Choice]) { (self.title, self.rows) = (title, rows) }
    }

    /// One template component with its parameters (`header`, `body`, `button`).
    public struct TemplateComponent: Sendable, Equatable {
        public var type: String
        /// For buttons: `quick_reply`, `url`, `copy_code`, …
        public var subType: String?
        /// For buttons: the 0-based position.
        public var index: Int?
        public var parameters: [TemplateParameter]
        public init(type: String, subType: String? = nil, index: Int? = nil, parameters: [TemplateParameter]) {
            (self.type, self.subType, self.index, self.parameters) = (type, subType, index, parameters)
        }
    }

    public enum TemplateParameter: Sendable, Equatable {
        /// A text value; `name` for named templates (`parameter_format: named`).
        case text(String, name: String? = nil)
        /// A quick-reply button's payload (it comes back in the webhook's `button.payload`).
        case payload(String)
        /// A header image, video or document.
        case media(kind: String, source: MediaSource, filename: String? = nil)
    }
}

extension WhatsAppOutbound {
    /// The JSON body of `POST /{version}/{phone-number-id}/messages`, keys sorted.
    public var body: [UInt8] {
        var message: [String: Any] = ["messaging_product": "whatsapp", "recipient_type": "individual", "to": to]
        switch content {
        case .text(let text, let previewURL):
            message["type"] = "text"
            message["text"] = ["body": text, "preview_url": previewURL]
        case .media(let kind, let source, let caption, let filename):
            var media = Self.media(source)
            if let caption, ["image", "video", "document"].contains(kind) { media["caption"] = caption }
            if let filename, kind == "document" { media["filename"] = filename }
            message["type"] = kind
            message[kind] = media
        case .buttons(let body, let header, let footer, let buttons):
            var interactive: [String: Any] = [
                "type": "button", "body": ["text": body],
                "action": ["buttons": buttons.map { ["type": "reply", "reply": ["id": $0.id, "title": $0.title]] }],
            ]
            if let header { interactive["header"] = ["type": "text", "text": header] }
            if let footer { interactive["footer"] = ["text": footer] }
            message["type"] = "interactive"
            message["interactive"] = interactive
        case .list(let body, let button, let header, let footer, let sections):
            let rendered: [[String: Any]] = sections.map { section in
                var out: [String: Any] = ["rows": section.rows.map { row -> [String: Any] in
                    var r: [String: Any] = ["id": row.id, "title": row.title]
                    if let description = row.description { r["description"] = description }
                    return r
                }]
                if let title = section.title { out["title"] = title }
                return out
            }
            var interactive: [String: Any] = ["type": "list", "body": ["text": body], "action": ["button": button, "sections": rendered]]
            if let header { interactive["header"] = ["type": "text", "text": header] }
            if let footer { interactive["footer"] = ["text": footer] }
            message["type"] = "interactive"
            message["interactive"] = interactive
        case .template(let name, let language, let components):
            var template: [String: Any] = ["name": name, "language": ["code": language]]
            if !components.isEmpty { template["components"] = components.map(Self.component) }
            message["type"] = "template"
            message["template"] = template
        case .reaction(let messageID, let emoji):
            message["type"] = "reaction"
            message["reaction"] = ["message_id": messageID, "emoji": emoji]
        }
        if let replyTo, !Self.isReaction(content) { message["context"] = ["message_id": replyTo] }
        return JSON.bytes(message)
    }

    /// The body that marks `messageID` (and the messages before it) read.
    public static func readReceipt(for messageID: String) -> [UInt8] {
        JSON.bytes(["messaging_product": "whatsapp", "status": "read", "message_id": messageID])
    }

    private static func isReaction(_ content: Content) -> Bool {
        if case .reaction = content { return true }
        return false
    }

    private static func media(_ source: MediaSource) -> [String: Any] {
        switch source {
        case .id(let id): ["id": id]
        case .link(let link): ["link": link]
        }
    }

    private static func component(_ component: TemplateComponent) -> [String: Any] {
        var out: [String: Any] = ["type": component.type]
        if let subType = component.subType { out["sub_type"] = subType }
        if let index = component.index { out["index"] = String(index) }
        out["parameters"] = component.parameters.map { parameter -> [String: Any] in
            switch parameter {
            case .text(let text, let name):
                var p: [String: Any] = ["type": "text", "text": text]
                if let name { p["parameter_name"] = name }
                return p
            case .payload(let payload):
                return ["type": "payload", "payload": payload]
            case .media(let kind, let source, let filename):
                var media = Self.media(source)
                if let filename, kind == "document" { media["filename"] = filename }
                return ["type": kind, kind: media]
            }
        }
        return out
    }
}

extension JSON {
    static func bytes(_ value: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }
}
