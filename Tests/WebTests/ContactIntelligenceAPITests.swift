import Channels
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// A contact's intelligence over HTTP (a real server on loopback): the score and suggested tags in
/// the Contact object, a suggestion accepted through `tags` and one dismissed through `dismiss_tags`.
@Suite struct ContactIntelligenceAPITests {
    /// A connected number whose Graph API is a closed port, a customer who wrote three messages in
    /// one burst, and the assistant's turn run; the contact's id.
    func contactAfterThreeMessages(_ t: TestDesk) async throws -> String {
        let phoneNumberID = "106540352242922"
        _ = try await t.desk.channels.create(ChannelInput(name: "Front desk", phoneNumberID: phoneNumberID, wabaID: "102290129340398",
                                                          secrets: [.accessToken: "EAAG-token", .appSecret: "secret", .verifyToken: "verify"]),
                                             by: .commandLine)
        var settings = try t.desk.attendant.settings()
        settings.humanFirstSeconds = 0
        _ = try await t.desk.attendant.update(settings, by: .commandLine)
        let at = Int(t.clock.now.timeIntervalSince1970)
        let items = ["Quero agendar uma consulta", "Tem horário amanhã?", "Gostaria de agendar"].enumerated().map { index, text in
            #"{"from":"34600111222","id":"wamid.IN\#(index)","timestamp":"\#(at)","type":"text","text":{"body":"\#(text)"}}"#
        }
        let json = #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(phoneNumberID)"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"34600111222"}],"messages":[\#(items.joined(separator: ","))]}}]}]}"#
        _ = try await t.desk.inbox.ingest(try WhatsAppWebhook(parsing: Array(json.utf8)), rawBody: Array(json.utf8))
        try await t.desk.jobs.runDue()
        let listing = try t.desk.inbox.conversations(.all, search: nil, page: try PageRequest(cursor: nil, limit: 10), for: .commandLine)
        return try #require(listing.items.first).contact.id.description
    }

    @Test func theContactShowsItsScoreAndStaffAcceptOrDismissSuggestions() async throws {
        var desk = DeskConfiguration()
        desk.whatsapp.graphURL = "http://127.0.0.1:9"
        try await TestDesk.with(desk: desk) { t in
            let id = try await contactAfterThreeMessages(t)
            try await t.server.makeApplication().test(.live) { client in
                let read = try await client.execute(uri: "/api/v1/contacts/\(id)", method: .get, headers: t.headers(for: .session(.operator)))
                #expect(read.status == .ok, "\(read.text)")
                let intelligence = try #require(try read.json()["intelligence"] as? [String: Any], "\(read.text)")
                #expect(intelligence["customer_messages"] as? Int == 3)
                let score = try #require(intelligence["score"] as? Int)
                #expect((0...100).contains(score))
                let signals = try #require(intelligence["signals"] as? [[String: Any]])
                #expect(signals.contains { $0["name"] as? String == "engagement" && $0["points"] as? Int == 6 })
                let suggested = try #require(intelligence["suggested_tags"] as? [String])
                #expect(suggested.contains("agendamento"), "\(read.text)")

                // The same object in the conversation list (one encoder for REST and live frames).
                let list = try await client.execute(uri: "/api/v1/conversations", method: .get, headers: t.headers(for: .session(.admin)))
                let first = try #require((try list.json()["items"] as? [[String: Any]])?.first)
                #expect(((first["contact"] as? [String: Any])?["intelligence"] as? [String: Any])?["score"] as? Int == score)

                let dismissed = try await client.execute(uri: "/api/v1/contacts/\(id)", method: .patch, headers: t.headers(for: .session(.admin)),
                                                         body: body(["dismiss_tags": ["agendamento"]]))
                #expect(dismissed.status == .ok, "\(dismissed.text)")
                let after = try #require(try dismissed.json()["intelligence"] as? [String: Any])
                #expect((after["suggested_tags"] as? [String])?.contains("agendamento") == false)
                #expect(after["dismissed_tags"] as? [String] == ["agendamento"])

                let refused = try await client.execute(uri: "/api/v1/contacts/\(id)", method: .patch, headers: t.headers(for: .session(.admin)),
                                                       body: body(["dismiss_tags": [String(repeating: "x", count: 41)]]))
                #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(refused.text)")
                #expect(refused.error?.field == "dismiss_tags")

                // Accepting is adding the tag: it is a tag, no longer a suggestion.
                let accepted = try await client.execute(uri: "/api/v1/contacts/\(id)", method: .patch, headers: t.headers(for: .session(.admin)),
                                                        body: body(["tags": ["vip", "agendamento"]]))
                let tagged = try accepted.json()
                #expect(tagged["tags"] as? [String] == ["vip", "agendamento"])
                #expect(((tagged["intelligence"] as? [String: Any])?["suggested_tags"] as? [String])?.contains("agendamento") == false)
            }
        }
    }
}
