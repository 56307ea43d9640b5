import AtendeTesting
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// Twilio's webhooks over real HTTP: only a request signed with the account's auth token over
/// `public_url` is taken; each answers TwiML; redeliveries are stored once; many missed calls
/// from one caller at once give one text-back. And the settings' API.
@Suite struct TwilioWebhookAPITests {
    static let accountSID = "AC0123456789abcdef0123456789abcdef"
    static let authToken = "f00dfeedf00dfeedf00dfeedf00dfeed"
    static let number = "+5511940000000", caller = "+5511987654321"
    static let publicURL = "https://atende.example.com"

    static func configured(publicURL: String? = Self.publicURL) -> DeskConfiguration {
        var desk = DeskConfiguration()
        desk.whatsapp.publicURL = publicURL
        desk.twilio.apiURL = "http://127.0.0.1:9"      // nothing here is sent
        return desk
    }

    /// Twilio connected with one number and a business phone to ring.
    static func connect(_ t: TestDesk) async throws {
        var input = TwilioSetupInput()
        (input.accountSID, input.authToken, input.numbers, input.forwardTo) = (accountSID, authToken, [number], .some("+5511930000000"))
        _ = try await t.desk.telephony.update(input, by: .commandLine)
    }

    static func post(_ client: some TestClientProtocol, _ path: String, _ parameters: [(String, String)], token: String = authToken,
                     signature: String? = nil, publicURL: String = Self.publicURL) async throws -> TestResponse {
        let signed = TwilioWebhookSigner.signed(url: publicURL + path, parameters: parameters.map { (name: $0.0, value: $0.1) }, authToken: token)
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        headers[HTTPField.Name("X-Twilio-Signature")!] = signature ?? signed.signature
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: signed.body))
    }

    static func sms(_ sid: String, _ body: String) -> [(String, String)] {
        [("MessageSid", sid), ("AccountSid", accountSID), ("From", caller), ("To", number), ("Body", body), ("NumMedia", "0")]
    }

    static func sid(_ prefix: String, _ n: Int) -> String { prefix + String(format: "%032x", n) }

    @Test func aSignedTextIsStoredOnceAndAnsweredWithEmptyTwiML() async throws {
        try await TestDesk.with(desk: Self.configured()) { t in
            try await Self.connect(t)
            try await t.server.makeApplication().test(.router) { client in
                for _ in 0..<2 {
                    let response = try await Self.post(client, "/webhooks/twilio/sms", Self.sms(Self.sid("SM", 1), "Olá, vocês abrem sábado?"))
                    #expect(response.status == .ok && response.text == #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#)
                    #expect(response.headers[.contentType]?.hasPrefix("text/xml") == true)
                }
                let list = try await client.execute(uri: "/api/v1/conversations", method: .get, headers: t.headers(for: .session(.admin)))
                let items = try #require(try list.json()["items"] as? [[String: Any]])
                #expect(items.count == 1 && items.first?["channel"] as? String == "sms" && items.first?["window_open"] as? Bool == true)
                let id = try #require(items.first?["id"] as? String)
                let messages = try await client.execute(uri: "/api/v1/conversations/\(id)/messages", method: .get, headers: t.headers(for: .session(.admin)))
                #expect((try messages.json()["items"] as? [Any])?.count == 1)
            }
        }
    }

    @Test func anUnsignedMisSignedOrReplayedElsewhereRequestIsRefusedAndNothingIsStored() async throws {
        try await TestDesk.with(desk: Self.configured()) { t in
            try await Self.connect(t)
            try await t.server.makeApplication().test(.router) { client in
                let form = Self.sms(Self.sid("SM", 2), "Oi")
                let attempts = [
                    try await Self.post(client, "/webhooks/twilio/sms", form, signature: ""),
                    try await Self.post(client, "/webhooks/twilio/sms", form, token: "another-accounts-token-0000"),
                    try await Self.post(client, "/webhooks/twilio/sms", form, publicURL: "https://someone-else.example.com"),
                    // Signed for the status path, posted to the SMS path.
                    try await Self.post(client, "/webhooks/twilio/sms", form,
                                        signature: TwilioWebhookSigner.signed(url: Self.publicURL + "/webhooks/twilio/status",
                                                                              parameters: form.map { (name: $0.0, value: $0.1) }, authToken: Self.authToken).signature),
                ]
                for response in attempts {
                    #expect(response.status == .forbidden && response.error?.code == "invalid_signature")
                    #expect(!response.text.contains(Self.authToken))
                }
                let list = try await client.execute(uri: "/api/v1/conversations", method: .get, headers: t.headers(for: .session(.admin)))
                #expect((try list.json()["items"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func withoutPublicURLEveryWebhookIsRefusedSayingWhy() async throws {
        try await TestDesk.with(desk: Self.configured(publicURL: nil)) { t in
            try await Self.connect(t)
            try await t.server.makeApplication().test(.router) { client in
                let response = try await Self.post(client, "/webhooks/twilio/sms", Self.sms(Self.sid("SM", 3), "Oi"))
                #expect(response.status == .forbidden && response.error?.message.contains("public_url") == true)
                let settings = try await client.execute(uri: "/api/v1/channels/twilio", method: .get, headers: t.headers(for: .session(.admin)))
                let json = try settings.json()
                #expect(json["public_url_missing"] as? Bool == true && json["webhooks"] is NSNull)
            }
        }
    }

    @Test func aFormThatCannotBeReadIsABadRequest() async throws {
        try await TestDesk.with(desk: Self.configured()) { t in
            try await Self.connect(t)
            try await t.server.makeApplication().test(.router) { client in
                let response = try await client.execute(uri: "/webhooks/twilio/sms", method: .post,
                                                        headers: [.contentType: "application/x-www-form-urlencoded"],
                                                        body: ByteBuffer(string: "Body=%ZZ&From=%2B1"))
                #expect(response.status == .badRequest && response.error?.code == "invalid_body")
            }
        }
    }

    @Test func aCallIsDialedAndTwentyMissedCallsAtOnceFromOneCallerGiveOneTextBack() async throws {
        try await TestDesk.with(desk: Self.configured()) { t in
            try await Self.connect(t)
            try await t.server.makeApplication().test(.router) { client in
                let voice = try await Self.post(client, "/webhooks/twilio/voice", [("CallSid", Self.sid("CA", 0)), ("AccountSid", Self.accountSID),
                                                                                  ("From", Self.caller), ("To", Self.number), ("CallStatus", "ringing")])
                #expect(voice.status == .ok && voice.text.contains(#"<Dial timeout="20" action="https://atende.example.com/webhooks/twilio/dial-status""#))
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for n in 1...20 {
                        group.addTask {
                            let response = try await Self.post(client, "/webhooks/twilio/dial-status",
                                                               [("CallSid", Self.sid("CA", n)), ("AccountSid", Self.accountSID), ("From", Self.caller),
                                                                ("To", Self.number), ("DialCallStatus", "no-answer")])
                            return Int(response.status.code)
                        }
                    }
                    for try await status in group { #expect(status == 200) }
                }
            }
            let conversation = try #require(try t.desk.inbox.conversations(.all, search: nil, page: PageRequest(cursor: nil, limit: 10), for: .commandLine).items.first)
            let calls = try t.desk.inbox.messages(in: conversation.conversation.id, page: PageRequest(cursor: nil, limit: 100), for: .commandLine).items
            let states = calls.compactMap(\.content.call?.textBack)
            #expect(calls.count == 20 && states.filter { $0 == "scheduled" }.count == 1 && states.filter { $0 == "already_sent" }.count == 19)
        }
    }

    @Test func onlyAdminsChangeTheSettingsAndTheTokenIsNeverReturned() async throws {
        try await TestDesk.with(desk: Self.configured()) { t in
            try await t.server.makeApplication().test(.router) { client in
                let change = body(["account_sid": Self.accountSID, "auth_token": Self.authToken, "numbers": [Self.number], "ring_seconds": 25])
                let refused = try await client.execute(uri: "/api/v1/channels/twilio", method: .put, headers: t.headers(for: .session(.manager)), body: change)
                #expect(refused.status == .forbidden)
                let saved = try await client.execute(uri: "/api/v1/channels/twilio", method: .put, headers: t.headers(for: .session(.admin)), body: change)
                #expect(saved.status == .ok && !saved.text.contains(Self.authToken))
                let json = try saved.json()
                #expect(json["ring_seconds"] as? Int == 25 && json["auth_token_set"] as? Bool == true)
                let bad = try await client.execute(uri: "/api/v1/channels/twilio", method: .put, headers: t.headers(for: .session(.admin)),
                                                   body: body(["forward_to": "011 5555"]))
                #expect(bad.status == .unprocessableContent && bad.error?.field == "forward_to")
                for (change, field) in [(["text_back_via": "fax"], "text_back_via"), (["text_back_via": "whatsapp"], "text_back_template"),
                                        (["text_back_via": "whatsapp", "text_back_template": ["name": "Missed Call!", "language": "pt_BR"]], "text_back_template")] {
                    let refused = try await client.execute(uri: "/api/v1/channels/twilio", method: .put, headers: t.headers(for: .session(.admin)),
                                                           body: body(change))
                    #expect(refused.status == .unprocessableContent && refused.error?.field == field, "\(change)")
                }
                let via = try await client.execute(uri: "/api/v1/channels/twilio", method: .put, headers: t.headers(for: .session(.admin)),
                                                   body: body(["text_back_via": "whatsapp", "text_back_template": ["name": "missed_call", "language": "pt_BR"]]))
                #expect(try via.json()["text_back_via"] as? String == "whatsapp")
                let cleared = try await client.execute(uri: "/api/v1/channels/twilio", method: .put, headers: t.headers(for: .session(.admin)),
                                                       body: body(["quiet_hours": NSNull(), "forward_to": NSNull()]))
                #expect(try cleared.json()["forward_to"] is NSNull)
            }
        }
    }
}
