import Channels
import Foundation
import Testing

/// The composed example payloads of wire-protocols.md §1.9 and every message type of §1.5.
enum WhatsAppPayloads {
    static func envelope(_ value: String, field: String = "messages") -> String {
        #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"\#(field)","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"106540352242922"},\#(value)}}]}]}"#
    }

    static let contacts = #""contacts": [{"profile": {"name": "Ana Ruiz"}, "wa_id": "34600111222"}]"#

    static func message(_ type: String, _ body: String, id: String = "wamid.X", extra: String = "") -> String {
        envelope(#"\#(contacts), "messages": [{"from": "34600111222", "id": "\#(id)", "timestamp": "1767261600", "type": "\#(type)"\#(extra)\#(body.isEmpty ? "" : ", " + body)}]"#)
    }

    static let text = message("text", #""text": {"body": "Hola, ¿abrís el domingo?"}"#,
                              id: "wamid.HBgLMzQ2MDAxMTEyMjIVAgASGBQzQUFBQUFBQUFBQUFBQUFBQUEA")
    static let image = message("image", #""image": {"caption": "This one, in size M", "mime_type": "image/jpeg", "sha256": "n5Lw1m0qv8b2m4yYw3QhQ0b8m7k1Yz2Lr9s3V6c4x1E=", "id": "1479537139650973", "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1479537139650973&ext=1767262000&hash=ATu..."}"#)
    static let buttonReply = message("interactive", #""interactive": {"type": "button_reply", "button_reply": {"id": "book-slot-1030", "title": "Sun 10:30"}}"#,
                                     extra: #", "context": {"from": "15550100001", "id": "wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA"}"#)
    static let failedStatus = envelope(#""statuses": [{"id": "wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBJERERERERERERERERERERERAA=", "status": "failed", "timestamp": "1767350000", "recipient_id": "34600111222", "errors": [{"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message", "error_data": {"details": "More than 24 hours have passed since the recipient last replied to the sender number."}, "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]}]"#)
}

@Suite struct WhatsAppWebhookTests {
    func only(_ json: String) throws -> WhatsAppInboundMessage {
        let webhook = try WhatsAppWebhook(parsing: Array(json.utf8))
        return try #require(webhook.changes.first?.messages.first)
    }

    @Test func aTextMessageIsRoutedByItsBusinessNumberWithItsSendersName() throws {
        let webhook = try WhatsAppWebhook(parsing: Array(WhatsAppPayloads.text.utf8))
        let change = try #require(webhook.changes.first)
        #expect(change.businessAccountID == "102290129340398")
        #expect(change.phoneNumberID == "106540352242922")
        #expect(change.displayPhoneNumber == "15550100001")
        #expect(change.profileNames == ["34600111222": "Ana Ruiz"])
        let message = try #require(change.messages.first)
        #expect(message.id == "wamid.HBgLMzQ2MDAxMTEyMjIVAgASGBQzQUFBQUFBQUFBQUFBQUFBQUEA")
        #expect(message.from == "34600111222")
        #expect(message.timestamp == Date(timeIntervalSince1970: 1_767_261_600))
        #expect(message.content == .text("Hola, ¿abrís el domingo?"))
        #expect(message.replyTo == nil)
        #expect(message.raw == nil)   // all of it is in `content`; the delivery is in the raw log
    }

    @Test func anImageKeepsItsMediaIDCaptionAndLookasideURL() throws {
        guard case .media(let media) = try only(WhatsAppPayloads.image).content else { Issue.record("not media"); return }
        #expect(media.kind == "image" && media.mediaID == "1479537139650973" && media.mimeType == "image/jpeg")
        #expect(media.caption == "This one, in size M")
        #expect(media.url?.hasPrefix("https://lookaside.fbsbx.com/") == true)
        #expect(!media.isVoiceOrAnimated)
    }

    @Test func aButtonTapNamesTheButtonAndTheMessageThatCarriedIt() throws {
        let message = try only(WhatsAppPayloads.buttonReply)
        #expect(message.content == .interactiveReply(kind: "button_reply", id: "book-slot-1030", title: "Sun 10:30", description: nil))
        #expect(message.replyTo?.messageID == "wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA")
        #expect(message.replyTo?.from == "15550100001")
    }

    @Test func aFailedStatusKeepsTheProvidersCodeAndReason() throws {
        let webhook = try WhatsAppWebhook(parsing: Array(WhatsAppPayloads.failedStatus.utf8))
        let status = try #require(webhook.changes.first?.statuses.first)
        #expect(status.messageID == "wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBJERERERERERERERERERERERAA=")
        #expect(status.status == "failed")
        #expect(status.recipientID == "34600111222")
        #expect(status.errors == [WhatsAppError(code: 131047, title: "Re-engagement message", message: "Re-engagement message",
                                                details: "More than 24 hours have passed since the recipient last replied to the sender number.")])
        #expect(webhook.changes.first?.messages.isEmpty == true)
    }

    @Test(arguments: [
        ("audio", #""audio": {"id": "m1", "mime_type": "audio/ogg; codecs=opus", "sha256": "x", "voice": true}"#),
        ("video", #""video": {"id": "m1", "mime_type": "video/mp4", "sha256": "x"}"#),
        ("document", #""document": {"id": "m1", "mime_type": "application/pdf", "sha256": "x", "filename": "menu.pdf"}"#),
        ("sticker", #""sticker": {"id": "m1", "mime_type": "image/webp", "sha256": "x", "animated": true}"#),
    ])
    func everyMediaTypeKeepsItsFields(_ type: String, _ body: String) throws {
        guard case .media(let media) = try only(WhatsAppPayloads.message(type, body)).content else { Issue.record("not media"); return }
        #expect(media.kind == type && media.mediaID == "m1")
        #expect(media.isVoiceOrAnimated == (type == "audio" || type == "sticker"))
        if type == "document" { #expect(media.filename == "menu.pdf") }
    }

    @Test func theOtherTypesAreReadAsDocumented() throws {
        #expect(try only(WhatsAppPayloads.message("location", #""location": {"latitude": -23.55, "longitude": -46.63, "name": "Clínica"}"#)).content
            == .location(.init(latitude: -23.55, longitude: -46.63, name: "Clínica", address: nil, url: nil)))
        #expect(try only(WhatsAppPayloads.message("contacts", #""contacts": [{"name": {"formatted_name": "Bia"}, "phones": [{"phone": "+55 11 91234-5678", "type": "CELL"}]}]"#)).content
            == .contacts([.init(formattedName: "Bia", phones: ["+55 11 91234-5678"], emails: [])]))
        #expect(try only(WhatsAppPayloads.message("interactive", #""interactive": {"type": "list_reply", "list_reply": {"id": "svc-2", "title": "Corte", "description": "30 min"}}"#)).content
            == .interactiveReply(kind: "list_reply", id: "svc-2", title: "Corte", description: "30 min"))
        #expect(try only(WhatsAppPayloads.message("button", #""button": {"payload": "CONFIRM", "text": "Confirmar"}"#)).content
            == .button(payload: "CONFIRM", text: "Confirmar"))
        #expect(try only(WhatsAppPayloads.message("reaction", #""reaction": {"message_id": "wamid.Y", "emoji": "👍"}"#)).content
            == .reaction(messageID: "wamid.Y", emoji: "👍"))
        #expect(try only(WhatsAppPayloads.message("reaction", #""reaction": {"message_id": "wamid.Y", "emoji": ""}"#)).content
            == .reaction(messageID: "wamid.Y", emoji: nil))
        #expect(try only(WhatsAppPayloads.message("order", #""order": {"catalog_id": "c1", "text": "for Friday", "product_items": [{"product_retailer_id": "sku-9", "quantity": 2, "item_price": 19.9, "currency": "BRL"}]}"#)).content
            == .order(.init(catalogID: "c1", text: "for Friday", items: [.init(productRetailerID: "sku-9", quantity: 2, itemPrice: 19.9, currency: "BRL")])))
        #expect(try only(WhatsAppPayloads.message("system", #""system": {"body": "changed number", "type": "user_changed_number", "wa_id": "34600999888"}"#)).content
            == .system(kind: "user_changed_number", body: "changed number", newWhatsAppID: "34600999888"))
    }

    @Test(arguments: [
        WhatsAppPayloads.message("unsupported", #""unsupported": {"type": "poll_update"}"#, extra: #", "errors": [{"code": 131051, "title": "Message type unknown"}]"#),
        WhatsAppPayloads.message("hologram", #""hologram": {"depth": 3}"#),                 // a type nobody knows yet
        WhatsAppPayloads.message("text", #""text": {"body": 42}"#),                         // not as documented
        WhatsAppPayloads.message("image", #""image": {"caption": "no id"}"#),
        WhatsAppPayloads.message("location", #""location": {"latitude": "north"}"#),
    ])
    func whatIsNotUnderstoodIsKeptAsUnsupportedNeverDropped(_ json: String) throws {
        let message = try only(json)
        guard case .unsupported = message.content else { Issue.record("\(message.content)"); return }
        #expect(message.id == "wamid.X")
        #expect(message.raw?.contains(#""id":"wamid.X""#) == true)
    }

    @Test func anUnsupportedMessageKeepsItsErrors() throws {
        let message = try only(WhatsAppPayloads.message("unsupported", "", extra: #", "errors": [{"code": 131051, "title": "Message type unknown"}]"#))
        #expect(message.content == .unsupported(errors: [WhatsAppError(code: 131051, title: "Message type unknown")]))
    }

    @Test func aBatchKeepsEveryEntryChangeMessageAndStatusInOrder() throws {
        let json = #"{"object":"whatsapp_business_account","entry":[{"id":"A","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"5511","id":"w1","timestamp":"1","type":"text","text":{"body":"one"}},{"from":"5511","id":"w2","timestamp":"2","type":"text","text":{"body":"two"}}]}},{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"statuses":[{"id":"s1","status":"delivered","timestamp":"3"},{"id":"s1","status":"read","timestamp":"4"}]}}]},{"id":"B","changes":[{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":123,"message_template_name":"reminder","message_template_language":"pt_BR"}}]}]}"#
        let webhook = try WhatsAppWebhook(parsing: Array(json.utf8))
        #expect(webhook.changes.map(\.businessAccountID) == ["A", "A", "B"])
        #expect(webhook.changes[0].messages.map(\.id) == ["w1", "w2"])
        #expect(webhook.changes[1].statuses.map(\.status) == ["delivered", "read"])
        #expect(webhook.changes[2].field == "message_template_status_update")
        #expect(webhook.changes[2].rawValue.contains(#""event":"APPROVED""#))
    }

    @Test(arguments: ["", "not json", "[1,2]", #"{"object":"page","entry":[]}"#, #"{"entry":[]}"#])
    func aBodyThatIsNotAWhatsAppNotificationIsRefused(_ body: String) {
        #expect(throws: ChannelError.self) { try WhatsAppWebhook(parsing: Array(body.utf8)) }
    }

    @Test func escapedUnicodeIsDecoded() throws {
        let message = try only(WhatsAppPayloads.message("text", #""text": {"body": "caf\u00e9 \ud83d\ude00"}"#))
        #expect(message.content == .text("café 😀"))
    }
}
