import AtendeTesting
import Channels
import Desk
import Foundation
import Storage
import Testing

/// What webhooks store: every message type, once, in its conversation; statuses in any order.
@Suite struct InboxTests {
    @Test func everyMessageTypeOfTheReferenceIsStoredNoneDropped() async throws {
        try await InboxFixture.with { f in
            let t = Int(f.clock.now.timeIntervalSince1970)
            func item(_ id: String, _ type: String, _ body: String) -> String {
                #"{"from":"34600111222","id":"\#(id)","timestamp":"\#(t)","type":"\#(type)",\#(body)}"#
            }
            let items = [
                item("w.1", "text", #""text":{"body":"Oi"}"#),
                item("w.2", "image", #""image":{"caption":"This one","mime_type":"image/jpeg","sha256":"x=","id":"1479537139650973"}"#),
                item("w.3", "video", #""video":{"mime_type":"video/mp4","sha256":"x=","id":"2"}"#),
                item("w.4", "audio", #""audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"x=","id":"3","voice":true}"#),
                item("w.5", "document", #""document":{"mime_type":"application/pdf","sha256":"x=","id":"4","filename":"menu.pdf"}"#),
                item("w.6", "sticker", #""sticker":{"mime_type":"image/webp","sha256":"x=","id":"5","animated":false}"#),
                item("w.7", "location", #""location":{"latitude":-23.55,"longitude":-46.63,"name":"Clínica","address":"Av. Paulista"}"#),
                item("w.8", "contacts", #""contacts":[{"name":{"formatted_name":"Bia"},"phones":[{"phone":"+55 11 9999","wa_id":"5511999","type":"CELL"}]}]"#),
                item("w.9", "interactive", #""context":{"from":"15550100001","id":"wamid.OURS"},"interactive":{"type":"button_reply","button_reply":{"id":"slot-1030","title":"Sun 10:30"}}"#),
                item("w.10", "interactive", #""interactive":{"type":"list_reply","list_reply":{"id":"svc-2","title":"Haircut","description":"30 min"}}"#),
                item("w.11", "button", #""button":{"payload":"STOP","text":"Stop updates"}"#),
                item("w.12", "reaction", #""reaction":{"message_id":"wamid.OURS","emoji":"👍"}"#),
                item("w.13", "order", #""order":{"catalog_id":"c1","text":"for pickup","product_items":[{"product_retailer_id":"sku-9","quantity":2,"item_price":10.5,"currency":"BRL"}]}"#),
                item("w.14", "system", #""system":{"body":"Ana changed her number","type":"user_changed_number","wa_id":"34600999999"}"#),
                item("w.15", "unsupported", #""errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}],"unsupported":{"type":"poll_update"}"#),
                item("w.16", "gif_of_the_future", #""gif_of_the_future":{"id":"9"}"#),
            ]
            let summary = try await f.ingest(f.messages(items))
            #expect(summary.stored == 16 && summary.duplicates == 0)
            let thread = try f.thread(try f.onlyConversation()).reversed()
            #expect(thread.map(\.type) == ["text", "image", "video", "audio", "document", "sticker", "location", "contacts",
                                           "interactive", "interactive", "button", "reaction", "order", "system", "unsupported", "unsupported"])
            let byID = Dictionary(uniqueKeysWithValues: thread.map { ($0.providerID!, $0) })
            #expect(byID["w.2"]?.content.text == "This one" && byID["w.2"]?.content.media?.providerMediaID == "1479537139650973")
            #expect(byID["w.5"]?.content.media?.filename == "menu.pdf")
            #expect(byID["w.7"]?.content.location?.latitude == -23.55)
            #expect(byID["w.9"]?.content.choiceID == "slot-1030" && byID["w.9"]?.replyToProviderID == "wamid.OURS")
            #expect(byID["w.12"]?.content.reactionTo == "wamid.OURS" && byID["w.12"]?.content.text == "👍")
            #expect(byID["w.13"]?.content.text?.contains("2 × sku-9") == true)
            #expect(byID["w.16"]?.content.raw?.contains("gif_of_the_future") == true)
            // Five files to fetch (image, video, audio, document, sticker): a job each, none for the rest.
            #expect(try f.desk.jobs.statistics().due == 5)
        }
    }

    @Test func theSameMessageDeliveredFiveTimesAtOnceIsStoredOnce() async throws {
        try await InboxFixture.with { f in
            let body = f.messages([f.text("wamid.DUP", "Oi, tudo bem?")])
            let summaries = try await withThrowingTaskGroup(of: IngestSummary.self) { group in
                for _ in 0..<5 { group.addTask { try await f.ingest(body) } }
                return try await group.reduce(into: [IngestSummary]()) { $0.append($1) }
            }
            #expect(summaries.map(\.stored).reduce(0, +) == 1)
            #expect(summaries.map(\.duplicates).reduce(0, +) == 4)
            let conversation = try f.onlyConversation()
            #expect(try f.thread(conversation).count == 1)
            #expect(conversation.conversation.unread == 1)
            #expect(conversation.contact.profileName == "Ana Ruiz")
        }
    }

    @Test func aNumberNotConnectedHereIsAcknowledgedAndLoggedButStoresNoConversation() async throws {
        try await InboxFixture.with { f in
            let summary = try await f.ingest(f.messages([f.text("wamid.X", "hi")], phoneNumberID: "999"))
            #expect(summary.unknownNumbers == 1 && summary.stored == 0)
            let listing = try f.desk.inbox.conversations(.all, search: nil, page: try PageRequest(cursor: nil, limit: 50), for: f.owner)
            #expect(listing.items.isEmpty)
        }
    }

    @Test func aNewMessageReopensAnArchivedConversationAndBlockingIsAboutThePerson() async throws {
        try await InboxFixture.with { f in
            try await f.ingest(f.messages([f.text("w.1", "one")]))
            let id = try f.onlyConversation().conversation.id
            _ = try await f.desk.inbox.update(id, ConversationChange(status: .archived), by: f.owner)
            try await f.ingest(f.messages([f.text("w.2", "two")]))
            #expect(try f.desk.inbox.conversation(id, for: f.owner).conversation.status == .open)

            let blocked = try await f.desk.inbox.update(id, ConversationChange(status: .blocked), by: f.owner)
            #expect(blocked.contact.blocked)
            try await f.ingest(f.messages([f.text("w.3", "three")]))
            #expect(try f.desk.inbox.conversation(id, for: f.owner).conversation.status == .blocked)
            await expectDeskError(.contactUnavailable) { _ = try await f.desk.outbox.send(.text("hello"), in: id, by: f.owner) }
        }
    }

    @Test func anAgentSeesOnlyTheConversationsAssignedToThem() async throws {
        try await InboxFixture.with { f in
            try await f.ingest(f.messages([f.text("w.1", "one")]))
            let id = try f.onlyConversation().conversation.id
            let member = try await f.desk.createStaff(name: "Agent", email: "agent@example.com", role: "agent",
                                                      password: strongPassword, by: .commandLine)
            let agent = Requester(actor: AuditActor(id: member.id.description, name: "Agent"), role: .agent, staffID: member.id, ip: nil)
            let page = try PageRequest(cursor: nil, limit: 50)
            #expect(try f.desk.inbox.conversations(.all, search: nil, page: page, for: agent).items.isEmpty)
            await expectDeskError(.notFound) { _ = try f.desk.inbox.conversation(id, for: agent) }
            await expectDeskError(.notFound) { _ = try await f.desk.outbox.send(.text("hi"), in: id, by: agent) }

            _ = try await f.desk.inbox.update(id, ConversationChange(assignee: .some(member.id)), by: f.owner)
            #expect(try f.desk.inbox.conversations(.mine, search: nil, page: page, for: agent).items.map(\.conversation.id) == [id])
            #expect(try f.thread(try f.onlyConversation()).count == 1)
            // An agent cannot hand the conversation to someone else.
            await expectDeskError(.forbidden) { _ = try await f.desk.inbox.update(id, ConversationChange(assignee: .some(nil)), by: agent) }
        }
    }

    @Test func searchFindsNamesWithoutAccentsPhonesAndMessageText() async throws {
        try await InboxFixture.with { f in
            try await f.ingest(f.messages([f.text("w.1", "Quero marcar uma consulta", from: "5511988887777")], from: "5511988887777", name: "João Araújo"))
            try await f.ingest(f.messages([f.text("w.2", "Qual o preço?", from: "5521977776666")], from: "5521977776666", name: "Maria"))
            let page = try PageRequest(cursor: nil, limit: 50)
            func names(_ q: String) throws -> [String] {
                try f.desk.inbox.conversations(.all, search: q, page: page, for: f.owner).items.map(\.contact.displayName)
            }
            #expect(try names("joao araujo") == ["João Araújo"])
            #expect(try names("2197777") == ["Maria"])
            #expect(try names("CONSULTA") == ["João Araújo"])
            #expect(try names("preco") == ["Maria"])
            #expect(try names("nothing like it").isEmpty)
        }
    }

    @Test func conversationsPageByLatestActivityWithoutRepeatsOrGaps() async throws {
        try await InboxFixture.with { f in
            for n in 0..<7 {
                f.clock.advance(by: 1)
                try await f.ingest(f.messages([f.text("w.\(n)", "m\(n)", from: "55119000000\(n)")], from: "55119000000\(n)", name: "C\(n)"))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let listing = try f.desk.inbox.conversations(.all, search: nil, page: try PageRequest(cursor: cursor, limit: 3), for: f.owner)
                seen += listing.items.map(\.contact.displayName)
                cursor = listing.nextCursor
            } while cursor != nil
            #expect(seen == (0..<7).reversed().map { "C\($0)" })
        }
    }
}
