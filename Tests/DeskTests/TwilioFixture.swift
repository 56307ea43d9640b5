import AtendeTesting
import Channels
import Desk
import Foundation
import Storage
import Testing

/// A Desk with Twilio connected — one number, calls forwarded to the business phone — whose REST
/// API is a `FakeTwilio` on loopback, and `public_url` set so webhooks can be signed.
struct TwilioFixture {
    static let accountSID = "AC0123456789abcdef0123456789abcdef"
    static let authToken = "f00dfeedf00dfeedf00dfeedf00dfeed"
    static let number = "+5511940000000"
    static let businessPhone = "+5511930000000"
    static let caller = "+5511987654321"
    static let publicURL = "https://atende.example.com"

    let desk: Desk
    let clock: ManualDeskClock
    let owner: Requester
    let twilio: FakeTwilio

    static func with<R: Sendable>(graphURL: String = "http://127.0.0.1:9", _ configure: @escaping @Sendable (inout TwilioSetupInput) -> Void = { _ in },
                                  _ body: @escaping @Sendable (TwilioFixture) async throws -> R) async throws -> R {
        let twilio = FakeTwilio()
        return try await twilio.run { url in
            try await withOwnedDesk({ configuration in
                configuration.whatsapp.graphURL = graphURL
                configuration.twilio.apiURL = url
                configuration.twilio.timeout = .seconds(30)
                configuration.whatsapp.publicURL = publicURL
            }) { desk, _, clock, owner in
                var input = TwilioSetupInput()
                input.accountSID = accountSID
                input.authToken = authToken
                input.numbers = [number]
                input.forwardTo = .some(businessPhone)
                configure(&input)
                _ = try await desk.telephony.update(input, by: owner)
                return try await body(TwilioFixture(desk: desk, clock: clock, owner: owner, twilio: twilio))
            }
        }
    }

    /// An inbound SMS as Twilio posts it (parsed like the webhook's form).
    @discardableResult
    func sms(_ body: String, sid: String = "SM" + String(repeating: "a", count: 32), from: String = caller,
             extra: [(name: String, value: String)] = []) async throws -> IngestSummary {
        let defaults = [("MessageSid", sid), ("AccountSid", Self.accountSID), ("From", from), ("To", Self.number),
                        ("Body", body), ("NumMedia", "0")].map { (name: $0.0, value: $0.1) }
        // `extra` adds parameters or replaces these.
        let parameters = defaults.filter { given in !extra.contains { $0.name == given.name } } + extra
        let form = TwilioForm(parameters: parameters)
        return try await desk.telephony.ingest(try #require(TwilioInboundMessage(form)), rawBody: TwilioForm.encode(parameters))
    }

    func form(_ pairs: [(String, String)]) -> TwilioForm {
        TwilioForm(parameters: pairs.map { (name: $0.0, value: $0.1) })
    }

    /// An incoming call; the TwiML answered.
    func call(_ sid: String, from: String = caller) async throws -> String {
        try await desk.telephony.incoming(try #require(TwilioCall(form([("CallSid", sid), ("AccountSid", Self.accountSID), ("From", from),
                                                                          ("To", Self.number), ("CallStatus", "ringing"), ("Direction", "inbound")]))))
    }

    /// The `<Dial action>` request after ringing; the TwiML answered.
    func dialed(_ sid: String, _ status: String, from: String = caller, duration: Int? = nil) async throws -> String {
        var pairs = [("CallSid", sid), ("AccountSid", Self.accountSID), ("From", from), ("To", Self.number), ("DialCallStatus", status)]
        if let duration { pairs.append(("DialCallDuration", String(duration))) }
        return try await desk.telephony.dialed(try #require(TwilioDialResult(form(pairs))))
    }

    /// The caller's SMS conversation.
    func smsConversation(of phone: String = caller) throws -> ConversationView {
        let all = try desk.inbox.conversations(.all, search: nil, page: PageRequest(cursor: nil, limit: 200), for: owner).items
        return try #require(all.first { $0.contact.phone == phone && $0.conversation.kind == .sms })
    }

    func messages(_ conversation: ConversationView) throws -> [Message] {
        try desk.inbox.messages(in: conversation.conversation.id, page: PageRequest(cursor: nil, limit: 200), for: owner).items
    }
}
