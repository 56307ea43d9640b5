import AtendeCrypto
import AtendeTesting
import Channels
import Desk
import Foundation
import Storage
import Testing

/// Inbound files fetched with the number's token and kept content-addressed in the store; and
/// templates kept current by Meta's status webhook.
@Suite struct MediaAndTemplateTests {
    func image(_ f: InboxFixture, id: String = "w.IMG", mediaID: String = "1479537139650973", mime: String = "image/jpeg") -> String {
        f.messages([#"{"from":"34600111222","id":"\#(id)","timestamp":"\#(Int(f.clock.now.timeIntervalSince1970))","type":"image","image":{"caption":"This one","mime_type":"\#(mime)","sha256":"x=","id":"\#(mediaID)"}}"#])
    }

    @Test func anInboundImageIsFetchedWithTheTokenKeptByItsHashAndServedToStaff() async throws {
        let graph = FakeProvider()
        let bytes = (0..<5000).map { UInt8($0 % 251) }
        try await graph.run { url in
            graph.answer(.json(#"{"messaging_product":"whatsapp","url":"\#(url)/lookaside/file?mid=1","mime_type":"image/jpeg","sha256":"x","file_size":"5000","id":"1479537139650973"}"#),
                         .init(status: 200, headers: ["Content-Type": "image/jpeg"], bytes: bytes))
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(image(f))
                #expect(try await f.desk.jobs.runDue() == 1)
                let message = try #require(try f.thread(try f.onlyConversation()).first)
                let stored = try f.desk.inbox.media(of: message.id, for: f.owner)
                #expect(stored.mimeType == "image/jpeg")
                #expect(message.content.media?.digest == (try SHA256.hash(stored.bytes)).hexString)
                #expect(stored.bytes.count == message.content.media?.size)
                #expect(graph.requests.map(\.path) == ["/v22.0/1479537139650973", "/lookaside/file"])
                #expect(graph.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(InboxFixture.token)" })
                // Running again fetches nothing.
                try await f.desk.jobs.schedule(try f.desk.jobs.make(Inbox.mediaFetchJob, payload: ["message": message.id.description]))
                try await f.desk.jobs.runDue()
                #expect(graph.requests.count == 2)
            }
        }
    }

    @Test func aFileOverTheCapOrOfAnUnlistedTypeIsNotKeptAndTheMessageSaysWhy() async throws {
        let graph = FakeProvider()
        try await graph.run { url in
            graph.answer(.json(#"{"url":"\#(url)/f","mime_type":"image/jpeg","file_size":"99999999","id":"1"}"#),
                         .json(#"{"url":"\#(url)/f","mime_type":"application/x-msdownload","file_size":"10","id":"2"}"#),
                         .init(status: 200, body: "MZ-not-an-image"))
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(image(f, id: "w.BIG", mediaID: "1"))
                try await f.ingest(image(f, id: "w.EXE", mediaID: "2", mime: "application/x-msdownload"))
                try await f.desk.jobs.runDue()
                let thread = try f.thread(try f.onlyConversation())
                let reasons = thread.compactMap { $0.content.media?.unavailableReason }
                #expect(reasons.count == 2)
                #expect(reasons.contains { $0.contains("not kept") && $0.contains("bytes") })
                #expect(reasons.contains { $0.contains("application/x-msdownload") })
                for message in thread {
                    await expectDeskError(.notFound) { _ = try f.desk.inbox.media(of: message.id, for: f.owner) }
                }
            }
        }
    }

    @Test func theTemplateStatusWebhookMovesAStoredTemplate() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"data":[{"id":"1689556908129835","name":"abandoned_cart","language":"en","category":"MARKETING","status":"PENDING","components":[{"type":"BODY","text":"Hi {{1}}"}]}]}"#))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.desk.templates.sync(by: f.owner)
                #expect(try f.desk.templates.list(channel: nil).map(\.status) == ["PENDING"])
                let update = #"{"entry":[{"id":"102290129340398","time":1751247548,"changes":[{"field":"message_template_status_update","value":{"event":"REJECTED","message_template_id":1689556908129835,"message_template_name":"abandoned_cart","message_template_language":"en","reason":"INVALID_FORMAT","message_template_category":"MARKETING"}}]}],"object":"whatsapp_business_account"}"#
                guard case .subscribed(let live) = f.desk.live.subscribe(staffID: f.owner.staffID!.description, role: "agent") else {
                    Issue.record("no live subscription"); return
                }
                let summary = try await f.ingest(update)
                #expect(summary.templateUpdates == 1)
                // Agents pick templates in Chats: they see the status change live, as the API shows it.
                f.desk.live.publish("test.end", [String: String]())
                guard case .event(let event)? = await live.next(), event.type == "template.updated" else {
                    Issue.record("no template.updated event"); return
                }
                let data = try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
                #expect(data["status"] as? String == "REJECTED" && data["status_reason"] as? String == "INVALID_FORMAT")
                #expect(data["name"] as? String == "abandoned_cart" && (data["components"] as? [Any])?.count == 1)
                let template = try #require(try f.desk.templates.list(channel: nil).first)
                #expect(template.status == "REJECTED" && template.statusReason == "INVALID_FORMAT")
                #expect(template.parameterCount == 1 && template.render(["Ana"]) == "Hi Ana")
            }
        }
    }
}
