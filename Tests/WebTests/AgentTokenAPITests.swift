import Channels
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// An Agent's integration reads the Agent's conversations through an API token an Admin made
/// for them (`owner_id`): over a real server on loopback, the token lists and reads what is
/// assigned to that Agent and nothing else, and stops when the Agent is disabled.
@Suite struct AgentTokenAPITests {
    static let phoneNumberID = "106540352242922"

    /// Two conversations (Ana's and Bruno's) on one number; their ids by contact name.
    func conversations(_ t: TestDesk) async throws -> [String: String] {
        _ = try await t.desk.channels.create(ChannelInput(name: "Front desk", phoneNumberID: Self.phoneNumberID, wabaID: "102290129340398",
                                                          secrets: [.accessToken: "EAAG-token", .appSecret: "secret", .verifyToken: "verify"]),
                                             by: .commandLine)
        for (n, (name, waID)) in [("Ana", "34600111222"), ("Bruno", "34600111333")].enumerated() {
            let json = #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(Self.phoneNumberID)"},"contacts":[{"profile":{"name":"\#(name)"},"wa_id":"\#(waID)"}],"messages":[{"from":"\#(waID)","id":"wamid.AGENT\#(n)","timestamp":"\#(Int(t.clock.now.timeIntervalSince1970))","type":"text","text":{"body":"Oi, sou \#(name)"}}]}}]}]}"#
            _ = try await t.desk.inbox.ingest(try WhatsAppWebhook(parsing: Array(json.utf8)), rawBody: Array(json.utf8))
        }
        let listing = try t.desk.inbox.conversations(.all, search: nil, page: try PageRequest(cursor: nil, limit: 10), for: .commandLine)
        return Dictionary(uniqueKeysWithValues: listing.items.map { ($0.contact.profileName ?? "", $0.conversation.id.description) })
    }

    func bearer(_ secret: String) -> HTTPFields { [.authorization: "Bearer \(secret)", .contentType: "application/json"] }

    func ids(_ response: TestResponse) throws -> [String] {
        try #require(try response.json()["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
    }

    @Test func aTokenMadeForAnAgentListsAndReadsOnlyTheConversationsAssignedToThem() async throws {
        try await TestDesk.with { t in
            let ids = try await conversations(t)
            let agent = try #require(t.staff[.agent])
            let admin = t.headers(for: .session(.admin))
            try await t.server.makeApplication().test(.live) { client in
                let assigned = try await client.execute(uri: "/api/v1/conversations/\(ids["Ana"]!)", method: .patch, headers: admin,
                                                        body: body(["assignee_id": agent.id.description]))
                #expect(assigned.status == .ok, "\(assigned.text)")

                let made = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: admin,
                                                    body: body(["name": "Ana's CRM", "role": "agent", "owner_id": agent.id.description]))
                #expect(made.status == .created, "\(made.text)")
                let created = try made.json()
                let secret = try #require(created["secret"] as? String)
                #expect((created["token"] as? [String: Any])?["owner_id"] as? String == agent.id.description)

                let listed = try await client.execute(uri: "/api/v1/conversations", method: .get, headers: bearer(secret))
                #expect(listed.status == .ok, "\(listed.text)")
                #expect(try self.ids(listed) == [ids["Ana"]!])
                let mine = try await client.execute(uri: "/api/v1/conversations?filter=all", method: .get, headers: bearer(secret))
                #expect(try self.ids(mine) == [ids["Ana"]!])
                let read = try await client.execute(uri: "/api/v1/conversations/\(ids["Ana"]!)", method: .get, headers: bearer(secret))
                let readJSON = try read.json()
                #expect(read.status == .ok && readJSON["assignee_id"] as? String == agent.id.description, "\(read.text)")
                let thread = try await client.execute(uri: "/api/v1/conversations/\(ids["Ana"]!)/messages", method: .get, headers: bearer(secret))
                let threadJSON = try thread.json()
                #expect(thread.status == .ok && (threadJSON["items"] as? [Any])?.count == 1, "\(thread.text)")
                // Someone else's conversation is not there for it.
                let other = try await client.execute(uri: "/api/v1/conversations/\(ids["Bruno"]!)", method: .get, headers: bearer(secret))
                #expect(other.status == .notFound && other.error?.code == "not_found", "\(other.text)")

                // Reassigned away: it leaves the token's list.
                _ = try await client.execute(uri: "/api/v1/conversations/\(ids["Ana"]!)", method: .patch, headers: admin,
                                             body: body(["assignee_id": t.staff[.admin]!.id.description]))
                let after = try await client.execute(uri: "/api/v1/conversations", method: .get, headers: bearer(secret))
                #expect(try self.ids(after).isEmpty)

                // The Agent disabled: the token stops working.
                let disabled = try await client.execute(uri: "/api/v1/staff/\(agent.id)", method: .patch, headers: admin,
                                                        body: body(["disabled": true]))
                #expect(disabled.status == .ok, "\(disabled.text)")
                let refused = try await client.execute(uri: "/api/v1/conversations", method: .get, headers: bearer(secret))
                #expect(refused.status == .unauthorized)
            }
        }
    }

    @Test func anAgentRoleTokenAnAdminMadeForThemselvesSeesTheAdminsAssignedConversations() async throws {
        try await TestDesk.with { t in
            let ids = try await conversations(t)
            let admin = t.headers(for: .session(.admin))
            try await t.server.makeApplication().test(.live) { client in
                _ = try await client.execute(uri: "/api/v1/conversations/\(ids["Bruno"]!)", method: .patch, headers: admin,
                                             body: body(["assignee_id": t.staff[.admin]!.id.description]))
                let made = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: admin,
                                                    body: body(["name": "narrow", "role": "agent"]))
                let secret = try #require(try made.json()["secret"] as? String)
                let listed = try await client.execute(uri: "/api/v1/conversations", method: .get, headers: bearer(secret))
                #expect(try self.ids(listed) == [ids["Bruno"]!])
                let other = try await client.execute(uri: "/api/v1/conversations/\(ids["Ana"]!)", method: .get, headers: bearer(secret))
                #expect(other.status == .notFound)
            }
        }
    }

    @Test func aTokenForSomeoneIsRefusedNamingTheFieldWhenItCannotBe() async throws {
        try await TestDesk.with { t in
            let admin = t.headers(for: .session(.admin))
            let agent = try #require(t.staff[.agent])
            try await t.server.makeApplication().test(.live) { client in
                for (payload, field) in [
                    (["name": "x", "role": "manager", "owner_id": agent.id.description], "role"),
                    (["name": "x", "role": "agent", "owner_id": "01M00000000000000000000000"], "owner_id"),
                    (["name": "x", "role": "agent", "owner_id": "not an id"], "owner_id"),
                ] {
                    let refused = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: admin, body: body(payload))
                    #expect(refused.status == .unprocessableContent && refused.error?.field == field, "\(payload): \(refused.text)")
                }
                // An Agent cannot make tokens at all, for themselves or anyone.
                let byAgent = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: t.headers(for: .session(.agent)),
                                                       body: body(["name": "mine", "role": "agent", "owner_id": agent.id.description]))
                #expect(byAgent.status == .forbidden)
            }
        }
    }
}
