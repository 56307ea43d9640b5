import AtendeTesting
import Channels
import Foundation
import Testing

/// Bodies compared with wire-protocols.md §2.2's examples as parsed JSON (key order aside).
func sameJSON(_ bytes: [UInt8], _ expected: String) -> Bool {
    guard let a = try? JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary,
          let b = try? JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary else { return false }
    return a == b
}

@Suite struct WhatsAppClientTests {
    @Test func aTextReplyIsTheReferenceBodyWithItsQuote() {
        let body = WhatsAppOutbound(to: "+16505551234", content: .text("See https://example.com", previewURL: true), replyTo: "wamid.Q").body
        #expect(sameJSON(body, #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"text","text":{"preview_url":true,"body":"See https://example.com"},"context":{"message_id":"wamid.Q"}}"#))
    }

    @Test func mediaButtonsListsTemplatesAndReactionsMatchTheReference() {
        #expect(sameJSON(WhatsAppOutbound(to: "+16505551234", content: .media(kind: "image", source: .id("1479537139650973"), caption: "The best succulent ever?")).body,
                         #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"image","image":{"id":"1479537139650973","caption":"The best succulent ever?"}}"#))
        #expect(sameJSON(WhatsAppOutbound(to: "+1", content: .media(kind: "audio", source: .link("https://x/a.ogg"), caption: "dropped")).body,
                         #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"+1","type":"audio","audio":{"link":"https://x/a.ogg"}}"#))
        #expect(sameJSON(WhatsAppOutbound(to: "+16505551234", content: .buttons(body: "Your workshop is at 9am tomorrow.", header: "Workshop", footer: "Lucky Shrub",
                                                                                 buttons: [.init(id: "change-button", title: "Change"), .init(id: "cancel-button", title: "Cancel")])).body,
                         #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"interactive","interactive":{"type":"button","header":{"type":"text","text":"Workshop"},"body":{"text":"Your workshop is at 9am tomorrow."},"footer":{"text":"Lucky Shrub"},"action":{"buttons":[{"type":"reply","reply":{"id":"change-button","title":"Change"}},{"type":"reply","reply":{"id":"cancel-button","title":"Cancel"}}]}}}"#))
        #expect(sameJSON(WhatsAppOutbound(to: "+16505551234", content: .list(body: "Which option?", button: "Options", header: "Choose shipping", footer: "Lucky Shrub", sections: [
            .init(title: "Fast", rows: [.init(id: "express", title: "Express", description: "1-2 days")]),
            .init(title: "Cheap", rows: [.init(id: "ground", title: "Ground", description: "2-5 days")]),
        ])).body, #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"interactive","interactive":{"type":"list","header":{"type":"text","text":"Choose shipping"},"body":{"text":"Which option?"},"footer":{"text":"Lucky Shrub"},"action":{"button":"Options","sections":[{"title":"Fast","rows":[{"id":"express","title":"Express","description":"1-2 days"}]},{"title":"Cheap","rows":[{"id":"ground","title":"Ground","description":"2-5 days"}]}]}}}"#))
        #expect(sameJSON(WhatsAppOutbound(to: "+16505551234", content: .template(name: "order_confirmation", language: "en_US", components: [
            .init(type: "header", parameters: [.media(kind: "image", source: .link("https://example.com/receipt.png"))]),
            .init(type: "body", parameters: [.text("Jessica"), .text("SKBUP2-4CPIG9")]),
            .init(type: "button", subType: "quick_reply", index: 0, parameters: [.payload("CANCEL_ORDER_123")]),
            .init(type: "button", subType: "url", index: 1, parameters: [.text("SKBUP2-4CPIG9")]),
        ])).body, #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234","type":"template","template":{"name":"order_confirmation","language":{"code":"en_US"},"components":[{"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/receipt.png"}}]},{"type":"body","parameters":[{"type":"text","text":"Jessica"},{"type":"text","text":"SKBUP2-4CPIG9"}]},{"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"CANCEL_ORDER_123"}]},{"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"SKBUP2-4CPIG9"}]}]}}"#))
        // A reaction cannot quote: the context is left out even when asked.
        #expect(sameJSON(WhatsAppOutbound(to: "+1", content: .reaction(messageID: "wamid.R", emoji: "👍"), replyTo: "wamid.R").body,
                         #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"+1","type":"reaction","reaction":{"message_id":"wamid.R","emoji":"👍"}}"#))
        #expect(sameJSON(WhatsAppOutbound.readReceipt(for: "wamid.HBgL"), #"{"messaging_product":"whatsapp","status":"read","message_id":"wamid.HBgL"}"#))
    }

    @Test func aSendReachesTheGraphPathWithTheTokenAndReturnsTheWamid() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"messaging_product":"whatsapp","contacts":[{"input":"+16505551234","wa_id":"16505551234"}],"messages":[{"id":"wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA"}]}"#))
        try await graph.run { base in
            let client = WhatsAppClient(http: CurlClient(), graphURL: base + "/", version: "v21.0")
            let message = WhatsAppOutbound(to: "+16505551234", content: .text("Olá"))
            let result = await client.send(message, from: "106540352242922", token: "EAAG-test-token")
            #expect(try result.get() == "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA")
            let seen = try #require(graph.requests.first)
            #expect(seen.method == "POST" && seen.path == "/v21.0/106540352242922/messages")
            #expect(seen.headers["authorization"] == "Bearer EAAG-test-token")
            #expect(seen.headers["content-type"] == "application/json")
            #expect(seen.body == message.body)
        }
    }

    @Test func eachKindOfRefusalComesBackAsItsFailure() async throws {
        let graph = FakeProvider()
        graph.answer(
            .json(#"{"error":{"message":"(#131047) Re-engagement message","code":131047}}"#, status: 400),
            .json(#"{"error":{"message":"(#130429) Rate limit hit","code":130429}}"#, status: 429, headers: ["Retry-After": "7"]),
            .json(#"{"error":{"message":"Error validating access token","type":"OAuthException","code":190}}"#, status: 401),
            .json(#"{"messaging_product":"whatsapp"}"#),
            FakeProvider.Answer(status: 502, body: "Bad Gateway"))
        try await graph.run { base in
            let client = WhatsAppClient(http: CurlClient(), graphURL: base)
            let message = WhatsAppOutbound(to: "+1", content: .text("hi"))
            var failures: [SendFailure] = []
            for _ in 0..<5 {
                if case .failure(let failure) = await client.send(message, from: "1", token: "t") { failures.append(failure) }
            }
            #expect(failures.map(\.reason) == [.windowClosed, .rateLimited, .notAuthorised, .rejected, .providerUnavailable])
            #expect(failures.map(\.action) == [.fail, .retry, .pauseChannel, .fail, .retry])
            #expect(failures[1].retryAfter == 7)
            #expect(!failures.contains { $0.message.contains("Bearer") || $0.message.contains(" t ") })
        }
    }

    @Test func aGraphThatDoesNotAnswerIsRetriedLater() async throws {
        let graph = FakeProvider()
        graph.answer(FakeProvider.Answer(delay: .seconds(2)))
        var configuration = CurlClient.Configuration()
        configuration.timeout = .milliseconds(300)
        let http = CurlClient(configuration: configuration)
        try await graph.run { base in
            let result = await WhatsAppClient(http: http, graphURL: base).send(WhatsAppOutbound(to: "+1", content: .text("hi")), from: "1", token: "t")
            guard case .failure(let failure) = result else { Issue.record("sent"); return }
            #expect(failure.reason == .providerUnavailable && failure.action == .retry)
        }
    }

    @Test func aPhoneNumberIDThatIsNotDigitsNeverLeavesTheMachine() async {
        let result = await WhatsAppClient(http: CurlClient(), graphURL: "http://127.0.0.1:9").send(
            WhatsAppOutbound(to: "+1", content: .text("hi")), from: "../../me/accounts", token: "t")
        guard case .failure(let failure) = result else { Issue.record("sent"); return }
        #expect(failure.reason == .rejected)
    }
}
