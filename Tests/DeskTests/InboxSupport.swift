import AtendeTesting
import Channels
import Desk
import Foundation
import Logging
import Storage
import Testing

/// A Desk over a real temporary store and vault, with its first Admin: what the fixtures build on.
/// `prepare` seals what the vault must hold before the Desk opens; Graph calls time out after 5 s.
func withOwnedDesk<R>(_ configure: (inout DeskConfiguration) -> Void, logger: Logger = .quiet,
                      prepare: (Vault) async throws -> Void = { _ in },
                      _ body: (Desk, Vault, ManualDeskClock, Requester) async throws -> R) async throws -> R {
    let schema = Schema(version: Desk.schemaVersion, databases: [Vault.database] + Desk.databases)
    return try await withTemporaryStore(schema: schema) { store, _ in
        let keyDirectory = try TemporaryDirectory("atende-key")
        defer { keyDirectory.remove() }
        let vault = try await Vault.open(store: store, masterKey: try MasterKey.load(from: .file(keyDirectory.appending("master.key")),
                                                                                     createIfMissing: true))
        try await prepare(vault)
        var configuration = DeskConfiguration()
        configuration.whatsapp.timeout = .seconds(30)   // the fake answers at once; a starved 2-core CI box may not
        configure(&configuration)
        let clock = ManualDeskClock(Date())
        let desk = Desk(store: store, hasher: FastBcrypt(), clock: clock, configuration: configuration, vault: vault, logger: logger)
        let owner = try await desk.makeOwner()
        let requester = Requester(actor: AuditActor(id: owner.staff.id.description, name: owner.staff.name), role: .admin,
                                  staffID: owner.staff.id, ip: nil)
        return try await body(desk, vault, clock, requester)
    }
}

/// A Desk with a vault and one connected WhatsApp number whose Graph API is `graphURL` (a
/// `FakeProvider`, or a closed port when a test sends nothing), over a real store.
struct InboxFixture {
    static let phoneNumberID = "106540352242922"
    static let token = "EAAG-fixture-token"

    let desk: Desk
    let clock: ManualDeskClock
    let channel: BusinessNumber
    let owner: Requester

    static func with<R>(graphURL: String = "http://127.0.0.1:9", _ configure: (inout DeskConfiguration) -> Void = { _ in },
                        _ body: (InboxFixture) async throws -> R) async throws -> R {
        try await withOwnedDesk({ configuration in
            configuration.whatsapp.graphURL = graphURL
            configure(&configuration)
        }) { desk, _, clock, requester in
            let channel = try await desk.channels.create(
                ChannelInput(name: "Front desk", phoneNumberID: phoneNumberID, wabaID: "102290129340398",
                             secrets: [.accessToken: token, .appSecret: "app-secret", .verifyToken: "verify"]), by: requester)
            return try await body(InboxFixture(desk: desk, clock: clock, channel: channel, owner: requester))
        }
    }

    /// Stores one webhook body as Meta would post it.
    @discardableResult
    func ingest(_ json: String) async throws -> IngestSummary {
        try await desk.inbox.ingest(try WhatsAppWebhook(parsing: Array(json.utf8)), rawBody: Array(json.utf8))
    }

    /// A webhook with `messages` (JSON items) from `from`, timestamped now on the fixture's clock.
    func messages(_ items: [String], from: String = "34600111222", name: String = "Ana Ruiz", phoneNumberID: String = phoneNumberID) -> String {
        #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(phoneNumberID)"},"contacts":[{"profile":{"name":"\#(name)"},"wa_id":"\#(from)"}],"messages":[\#(items.joined(separator: ","))]}}]}]}"#
    }

    /// One text message item.
    func text(_ id: String, _ body: String, from: String = "34600111222", at: Date? = nil) -> String {
        #"{"from":"\#(from)","id":"\#(id)","timestamp":"\#(Int((at ?? clock.now).timeIntervalSince1970))","type":"text","text":{"body":"\#(body)"}}"#
    }

    /// A webhook with one status for `id`.
    func status(_ id: String, _ status: String, errorCode: Int? = nil) -> String {
        let errors = errorCode.map { #","errors":[{"code":\#($0),"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"Message failed to send because more than 24 hours have passed"}}]"# } ?? ""
        return #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(Self.phoneNumberID)"},"statuses":[{"id":"\#(id)","status":"\#(status)","timestamp":"\#(Int(clock.now.timeIntervalSince1970))","recipient_id":"34600111222"\#(errors)}]}}]}]}"#
    }

    /// The only conversation (the tests' customer).
    func onlyConversation() throws -> ConversationView {
        let listing = try desk.inbox.conversations(.all, search: nil, page: try PageRequest(cursor: nil, limit: 50), for: owner)
        try #require(listing.items.count == 1, "conversations: \(listing.items.count)")
        return listing.items[0]
    }

    func thread(_ conversation: ConversationView) throws -> [Message] {
        try desk.inbox.messages(in: conversation.conversation.id, page: try PageRequest(cursor: nil, limit: 200), for: owner).items
    }
}

/// A Graph API send answer with the wamid `id`.
func graphAccepted(_ id: String) -> FakeProvider.Answer {
    .json(#"{"messaging_product":"whatsapp","contacts":[{"input":"+34600111222","wa_id":"34600111222"}],"messages":[{"id":"\#(id)"}]}"#)
}

/// A Graph API error answer.
func graphError(_ code: Int, status: Int = 400, headers: [String: String] = [:]) -> FakeProvider.Answer {
    .json(#"{"error":{"message":"error \#(code)","type":"OAuthException","code":\#(code),"error_data":{"messaging_product":"whatsapp","details":"details of \#(code)"},"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"#,
          status: status, headers: headers)
}
