import Channels
import Foundation
import Storage

/// A WhatsApp message as the inbox keeps it. Every type becomes a message with readable text;
/// nothing is dropped (a type we do not know keeps its raw JSON and shows as unsupported).
enum MessageMapping {
    static func message(_ inbound: WhatsAppInboundMessage, id: DocumentID, conversationID: DocumentID) -> Message {
        var type = inbound.type
        var content = MessageContent()
        switch inbound.content {
        case .text(let body):
            content.text = body
        case .media(let media):
            type = media.kind
            content.text = media.caption ?? media.filename
            var attachment = MediaAttachment(kind: media.kind, providerMediaID: media.mediaID, link: nil,
                                             mimeType: media.mimeType, filename: media.filename)
            attachment.link = media.url
            attachment.caption = media.caption
            content.media = attachment
        case .location(let location):
            content.location = SharedLocation(latitude: location.latitude, longitude: location.longitude,
                                              name: location.name, address: location.address)
            content.text = [location.name, location.address].compactMap { $0 }.joined(separator: ", ").nilIfEmpty
                ?? String(format: "%.5f, %.5f", location.latitude, location.longitude)
        case .contacts(let shared):
            content.text = shared.map { contact in
                ([contact.formattedName ?? ""] + contact.phones + contact.emails).filter { !$0.isEmpty }.joined(separator: " · ")
            }.joined(separator: "\n")
            content.raw = inbound.raw
        case .interactiveReply(_, let choice, let title, let description):
            type = "interactive"
            content.text = [title, description].compactMap { $0 }.joined(separator: " — ").nilIfEmpty
            content.choiceID = choice
        case .button(let payload, let text):
            content.text = text ?? payload
            content.choiceID = payload
        case .reaction(let target, let emoji):
            content.text = emoji
            content.reactionTo = target
        case .order(let order):
            let items = order.items.map { "\($0.quantity) × \($0.productRetailerID)" }.joined(separator: ", ")
            content.text = [order.text, items.nilIfEmpty].compactMap { $0 }.joined(separator: "\n")
            content.raw = inbound.raw
        case .system(_, let body, _):
            content.text = body
            content.raw = inbound.raw
        case .unsupported(let errors):
            type = "unsupported"
            content.text = errors.first.map { $0.details ?? $0.message ?? $0.title ?? "" }?.nilIfEmpty
            content.raw = inbound.raw
        }
        if !MessageType.known.contains(type) {
            type = "unsupported"
            content.raw = inbound.raw
        }
        return Message(id: id, conversationID: conversationID, direction: .inbound, type: type, content: content,
                       providerID: inbound.id, replyToProviderID: inbound.replyTo?.messageID, quoted: nil,
                       author: MessageAuthor(kind: .contact), delivery: nil, createdAt: inbound.timestamp)
    }
}

/// The message types of the API (seed 004).
enum MessageType {
    static let known: Set<String> = ["text", "image", "audio", "video", "document", "sticker", "location", "contacts",
                                     "interactive", "button", "reaction", "order", "template", "system", "unsupported"]
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
