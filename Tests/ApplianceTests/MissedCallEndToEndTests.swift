import AtendeTesting
import Foundation
import Testing

/// Seed 001 on the real binary: a customer calls, nobody answers, Twilio asks how the dial went,
/// the fake Twilio receives the text-back within moments, the customer texts back, and — nobody
/// on the team answering within the human-first window — the assistant's answer goes out by SMS.
/// And the same with a person replying inside the window: the assistant stays quiet.
@Suite(.serialized) struct MissedCallEndToEndTests {
    static let accountSID = "AC0123456789abcdef0123456789abcdef"
    static let authToken = "f00dfeedf00dfeedf00dfeedf00dfeed"
    static let number = "+5511940000000"
    static let publicURL = "https://atende.example.com"

    @Test func aMissedCallIsTextedBackAndTheCustomersReplyIsAnsweredBySMS() async throws {
        let twilio = FakeTwilio()
        try await twilio.run { twilioURL in
            try await withServer(arguments: ["--twilio-api-url", twilioURL], environment: ["ATENDE_PUBLIC_URL": Self.publicURL]) { server in
                let cookie = try await server.ownerSessionCookie()
                let api = API(base: server.baseURL, token: try await server.adminToken(cookie: cookie))
                let settings = try await api.json("PUT", "/api/v1/channels/twilio", [
                    "account_sid": Self.accountSID, "auth_token": Self.authToken, "numbers": [Self.number], "forward_to": "+5511930000000",
                ])
                #expect(settings["connected"] as? Bool == true && !String(describing: settings).contains(Self.authToken))
                _ = try await api.json("PUT", "/api/v1/assistant/settings", ["business_name": "Clínica Sol", "human_first_seconds": 3])
                _ = try await api.json("POST", "/api/v1/knowledge/faqs", ["question": "Vocês têm estacionamento?",
                                                                          "answer": "Sim, temos estacionamento gratuito para pacientes."], expect: 201)
                let (socket, handshake) = try await RawWebSocket.connect(port: server.port, path: "/api/v1/live",
                                                                        headers: [("Cookie", cookie), ("Origin", Self.publicURL)])
                let live = try #require(socket, "upgrade refused: \(handshake.status)")
                _ = try await live.nextJSON()      // hello

                // The first customer: nobody picks up, the assistant answers their text.
                let ana = "+5511987654321"
                let dial = try await Self.call(server, sid: "CA" + String(repeating: "1", count: 32), from: ana)
                #expect(dial.contains(#"<Dial timeout="20""#) && dial.contains("+5511930000000</Dial>"))
                let ringing = try await WhatsAppEndToEndTests.nextEvent(live, type: "call.incoming")
                #expect(ringing["from"] as? String == ana)
                #expect(try await Self.dialed(server, sid: "CA" + String(repeating: "1", count: 32), from: ana) == #"<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>"#)
                let textBack = try await WhatsAppEndToEndTests.eventually { twilio.sentMessages.first }
                #expect(textBack["To"] == ana && textBack["From"] == Self.number)
                #expect(textBack["Body"] == "Oi! Aqui é a Clínica Sol, desculpe não atender. Como podemos ajudar?")
                #expect(textBack["StatusCallback"] == Self.publicURL + "/webhooks/twilio/status")
                #expect(try await Self.sms(server, sid: "SM" + String(repeating: "1", count: 32), from: ana, "Tem estacionamento?") == 200)
                let answer = try await WhatsAppEndToEndTests.eventually { twilio.sentMessages.count >= 2 ? twilio.sentMessages[1] : nil }
                #expect(answer["To"] == ana && answer["Body"]?.contains("estacionamento gratuito") == true, "\(answer)")

                // The second customer: a person answers inside the window, the assistant does not.
                let bia = "+5521976543210"
                _ = try await Self.dialed(server, sid: "CA" + String(repeating: "2", count: 32), from: bia)
                _ = try await WhatsAppEndToEndTests.eventually { twilio.sentMessages.contains { $0["To"] == bia } ? true : nil }
                // A longer human-first window: on a loaded machine finding the conversation and
                // replying can take longer than 3 s, and the person must be first.
                _ = try await api.json("PUT", "/api/v1/assistant/settings", ["business_name": "Clínica Sol", "human_first_seconds": 8])
                #expect(try await Self.sms(server, sid: "SM" + String(repeating: "2", count: 32), from: bia, "Tem estacionamento?") == 200)
                let texted = ContinuousClock.now
                let conversations = try #require(try await api.json("GET", "/api/v1/conversations?q=21976543210")["items"] as? [[String: Any]])
                let id = try #require(conversations.first?["id"] as? String)
                #expect(conversations.first?["channel"] as? String == "sms")
                _ = try await api.json("POST", "/api/v1/conversations/\(id)/messages", ["text": "Oi Bia! Temos sim, é gratuito."], expect: 201)
                // The person's reply reaches Twilio (however slowly a loaded machine sends it)…
                _ = try await WhatsAppEndToEndTests.eventually { twilio.sentMessages.contains { $0["Body"] == "Oi Bia! Temos sim, é gratuito." } ? true : nil }
                // …and the assistant's turn, due 8 s after the text, sees it and stays quiet.
                try await Task.sleep(until: texted + .seconds(10))
                let toBia = twilio.sentMessages.filter { $0["To"] == bia }.map { $0["Body"] ?? "" }
                #expect(toBia.count == 2 && toBia.last == "Oi Bia! Temos sim, é gratuito.", "\(twilio.sentMessages)")
                #expect(!server.child.errorOutput.contains(Self.authToken))
            }
        }
    }

    // MARK: Twilio's requests, signed as Twilio signs them

    static func post(_ server: RunningServer, _ path: String, _ parameters: [(String, String)]) async throws -> (status: Int, text: String) {
        let signed = TwilioWebhookSigner.signed(url: publicURL + path, parameters: parameters.map { (name: $0.0, value: $0.1) }, authToken: authToken)
        let response = try await httpRequest(server.baseURL + path, method: "POST",
                                             headers: ["Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signed.signature],
                                             body: Data(signed.body))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    static func call(_ server: RunningServer, sid: String, from: String) async throws -> String {
        try await post(server, "/webhooks/twilio/voice", [("CallSid", sid), ("AccountSid", accountSID), ("From", from), ("To", number),
                                                          ("CallStatus", "ringing"), ("Direction", "inbound")]).text
    }

    static func dialed(_ server: RunningServer, sid: String, from: String) async throws -> String {
        try await post(server, "/webhooks/twilio/dial-status", [("CallSid", sid), ("AccountSid", accountSID), ("From", from), ("To", number),
                                                                ("DialCallStatus", "no-answer")]).text
    }

    static func sms(_ server: RunningServer, sid: String, from: String, _ body: String) async throws -> Int {
        try await post(server, "/webhooks/twilio/sms", [("MessageSid", sid), ("AccountSid", accountSID), ("From", from), ("To", number),
                                                        ("Body", body), ("NumMedia", "0")]).status
    }
}
