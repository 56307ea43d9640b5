import Channels
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// `POST /api/v1/uploads` and the media and interactive drafts of `POST …/messages`: statuses
/// and JSON error bodies naming the problem.
@Suite struct MediaAPITests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 3, count: 64)

    /// A connected number and one conversation whose customer wrote just now; its id.
    func conversation(_ t: TestDesk) async throws -> String {
        let phoneNumberID = "106540352242922"
        _ = try await t.desk.channels.create(ChannelInput(name: "Front desk", phoneNumberID: phoneNumberID, wabaID: "102290129340398",
                                                          secrets: [.accessToken: "EAAG-token", .appSecret: "secret", .verifyToken: "verify"]),
                                             by: .commandLine)
        let json = #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(phoneNumberID)"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"34600111222"}],"messages":[{"from":"34600111222","id":"wamid.IN1","timestamp":"\#(Int(t.clock.now.timeIntervalSince1970))","type":"text","text":{"body":"Oi"}}]}}]}]}"#
        _ = try await t.desk.inbox.ingest(try WhatsAppWebhook(parsing: Array(json.utf8)), rawBody: Array(json.utf8))
        let listing = try t.desk.inbox.conversations(.all, search: nil, page: try PageRequest(cursor: nil, limit: 10), for: .commandLine)
        return try #require(listing.items.first).conversation.id.description
    }

    func upload(_ client: some TestClientProtocol, _ t: TestDesk, type: String, bytes: [UInt8], query: String = "") async throws -> TestResponse {
        var headers = t.headers(for: .session(.admin))
        headers[.contentType] = type
        return try await client.execute(uri: "/api/v1/uploads\(query)", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    @Test func aFileIsKeptAndSentFromTheThreadWhereStaffSeeIt() async throws {
        try await TestDesk.with { t in
            let conversation = try await conversation(t)
            try await t.server.makeApplication().test(.router) { client in
                let kept = try await upload(client, t, type: "image/png", bytes: Self.png, query: "?filename=room.png")
                #expect(kept.status == .created, "\(kept.text)")
                let upload = try kept.json()
                #expect(upload["kind"] as? String == "image" && upload["mime_type"] as? String == "image/png")
                #expect(upload["size"] as? Int == Self.png.count && upload["filename"] as? String == "room.png")
                let uploadID = try #require(upload["id"] as? String)

                let sent = try await client.execute(uri: "/api/v1/conversations/\(conversation)/messages", method: .post,
                                                    headers: t.headers(for: .session(.admin)),
                                                    body: body(["media": ["upload_id": uploadID, "caption": "Our new room"]]))
                #expect(sent.status == .created, "\(sent.text)")
                let message = try sent.json()
                #expect(message["type"] as? String == "image" && message["text"] as? String == "Our new room")
                let media = try #require(message["media"] as? [String: Any])
                #expect(media["available"] as? Bool == true && media["filename"] as? String == "room.png")
                let file = try await client.execute(uri: try #require(media["url"] as? String), method: .get, headers: t.headers(for: .session(.admin)))
                #expect(file.status == .ok && Array(buffer: file.body) == Self.png)
                #expect(file.headers[.contentType] == "image/png")
            }
        }
    }

    @Test func aFileLargerThanTheJSONLimitButWithinItsKindsCapIsTaken() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let pdf = Array("%PDF-1.7".utf8) + Array(repeating: 0x20, count: 2_000_000)
                var headers = t.headers(for: .session(.admin))
                headers[.contentType] = "application/pdf"
                headers[.contentLength] = String(pdf.count)
                let kept = try await client.execute(uri: "/api/v1/uploads?filename=prices.pdf", method: .post, headers: headers, body: ByteBuffer(bytes: pdf))
                #expect(kept.status == .created, "\(kept.text)")
                #expect(try kept.json()["kind"] as? String == "document")
            }
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let type: String
        let size: Int
        var query = ""
        let status: HTTPResponse.Status
        let code: String
        let field: String
    }

    @Test(arguments: [
        Refusal(testDescription: "a GIF is not a type WhatsApp sends", type: "image/gif", size: 10, status: .unsupportedMediaType,
                code: "unsupported_media_type", field: "file"),
        Refusal(testDescription: "no Content-Type", type: "", size: 10, status: .unsupportedMediaType, code: "unsupported_media_type", field: "file"),
        Refusal(testDescription: "an image over 5 MB", type: "image/jpeg", size: 5_000_001, status: .contentTooLarge, code: "file_too_large", field: "file"),
        Refusal(testDescription: "a sticker over 500 KB", type: "image/webp", size: 500_001, status: .contentTooLarge, code: "file_too_large", field: "file"),
        Refusal(testDescription: "an empty file", type: "application/pdf", size: 0, status: .unprocessableContent, code: "invalid_field", field: "file"),
        Refusal(testDescription: "a file name with a slash", type: "application/pdf", size: 10, query: "?filename=a%2Fb.pdf",
                status: .unprocessableContent, code: "invalid_field", field: "filename"),
    ])
    func anUploadWhatsAppWouldRefuseIsRefusedNamingTheProblem(_ refusal: Refusal) async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let response = try await upload(client, t, type: refusal.type, bytes: Array(repeating: 1, count: refusal.size), query: refusal.query)
                #expect(response.status == refusal.status, "\(response.text)")
                #expect(response.error?.code == refusal.code && response.error?.field == refusal.field, "\(response.text)")
            }
        }
    }

    @Test(arguments: [
        ("both text and media", #"{"text":"hi","media":{"link":"https://example.com/a.png","kind":"image"}}"#, "text"),
        ("an http link", #"{"media":{"link":"http://example.com/a.png","kind":"image"}}"#, "media.link"),
        ("an unknown kind", #"{"media":{"link":"https://example.com/a.gif","kind":"gif"}}"#, "media.kind"),
        ("an upload id and a link", #"{"media":{"link":"https://example.com/a.png","kind":"image","upload_id":"x"}}"#, "media.upload_id"),
        ("four buttons", #"{"interactive":{"type":"button","body":"Pick","buttons":[{"id":"1","title":"A"},{"id":"2","title":"B"},{"id":"3","title":"C"},{"id":"4","title":"D"}]}}"#,
         "interactive.buttons"),
        ("a button title over 20", #"{"interactive":{"type":"button","body":"Pick","buttons":[{"id":"a","title":"xxxxxxxxxxxxxxxxxxxxx"}]}}"#,
         "interactive.buttons[0].title"),
        ("a list without its button label", #"{"interactive":{"type":"list","body":"Pick","sections":[{"rows":[{"id":"a","title":"A"}]}]}}"#,
         "interactive.button"),
        ("an unknown interactive type", #"{"interactive":{"type":"carousel","body":"Pick"}}"#, "interactive.type"),
    ])
    func aDraftOutsideWhatsAppsRulesIs422NamingTheField(_ description: String, _ draft: String, _ field: String) async throws {
        try await TestDesk.with { t in
            let conversation = try await conversation(t)
            try await t.server.makeApplication().test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/conversations/\(conversation)/messages", method: .post,
                                                        headers: t.headers(for: .session(.admin)), body: ByteBuffer(string: draft))
                #expect(response.status == .unprocessableContent, "\(description): \(response.text)")
                #expect(response.error?.code == "invalid_field" && response.error?.field == field, "\(description): \(response.text)")
            }
        }
    }

    @Test func replyButtonsAreQueuedAndShownWithTheirChoices() async throws {
        try await TestDesk.with { t in
            let conversation = try await conversation(t)
            try await t.server.makeApplication().test(.router) { client in
                let response = try await client.execute(
                    uri: "/api/v1/conversations/\(conversation)/messages", method: .post, headers: t.headers(for: .token(.agent)),
                    body: body(["interactive": ["type": "button", "body": "Confirm?", "buttons": [["id": "yes", "title": "Yes"], ["id": "no", "title": "No"]]]]))
                // An Agent reaches only conversations assigned to them: this one is not.
                #expect(response.status == .notFound)
                let admin = try await client.execute(
                    uri: "/api/v1/conversations/\(conversation)/messages", method: .post, headers: t.headers(for: .token(.admin)),
                    body: body(["interactive": ["type": "button", "body": "Confirm?", "buttons": [["id": "yes", "title": "Yes"], ["id": "no", "title": "No"]]]]))
                #expect(admin.status == .created, "\(admin.text)")
                let interactive = try #require(try admin.json()["interactive"] as? [String: Any])
                #expect(interactive["type"] as? String == "button")
                #expect((interactive["buttons"] as? [[String: Any]])?.compactMap { $0["title"] as? String } == ["Yes", "No"])
            }
        }
    }
}
