import AtendeTesting
import Desk
import Foundation
import Storage
import Testing

/// The inbox at its edges: replies that quote, items Meta should never send, and the raw log's
/// retention.
@Suite struct InboxEdgeTests {
    @Test func aChangedOrRemovedAppSecretStopsSigningWebhooksAtOnce() async throws {
        try await InboxFixture.with { f in
            #expect(f.desk.channels.appSecrets() == [Array("app-secret".utf8)])
            _ = try await f.desk.channels.update(f.channel.id, ChannelInput(secrets: [.appSecret: "rotated-secret"]), resume: false, by: f.owner)
            #expect(f.desk.channels.appSecrets() == [Array("rotated-secret".utf8)])
            try await f.desk.channels.delete(f.channel.id, by: f.owner)
            #expect(f.desk.channels.appSecrets().isEmpty)
        }
    }

    @Test func aReplyQuotesTheStoredMessageBothWays() async throws {
        try await InboxFixture.with { f in
            try await f.ingest(f.messages([f.text("wamid.Q1", "Vocês abrem sábado?")]))
            let reply = #"{"from":"34600111222","id":"wamid.Q2","timestamp":"\#(Int(f.clock.now.timeIntervalSince1970))","type":"text","text":{"body":"E domingo?"},"context":{"from":"15550100001","id":"wamid.Q1"}}"#
            try await f.ingest(f.messages([reply]))
            let conversation = try f.onlyConversation()
            let thread = try f.thread(conversation)
            let first = try #require(thread.first { $0.providerID == "wamid.Q1" })
            let second = try #require(thread.first { $0.providerID == "wamid.Q2" })
            #expect(second.quoted?.id == first.id && second.quoted?.preview == "Vocês abrem sábado?")

            // Staff answer quoting the customer's message: the quote is kept for the thread.
            let sent = try await f.desk.outbox.send(.text("Sim, das 9h às 13h."), in: conversation.conversation.id,
                                                    replyTo: first.id, by: f.owner)
            #expect(sent.quoted?.id == first.id && sent.replyToProviderID == "wamid.Q1")

            // A quote of a message this store never had keeps the provider's id only.
            let orphan = #"{"from":"34600111222","id":"wamid.Q3","timestamp":"\#(Int(f.clock.now.timeIntervalSince1970))","type":"text","text":{"body":"?"},"context":{"id":"wamid.OLD"}}"#
            try await f.ingest(f.messages([orphan]))
            let third = try #require(try f.thread(conversation).first { $0.providerID == "wamid.Q3" })
            #expect(third.replyToProviderID == "wamid.OLD" && third.quoted == nil)
        }
    }

    @Test func itemsWithoutAUsableIdOrSenderAreAcknowledgedAndKeptOnlyInTheRawLog() async throws {
        try await InboxFixture.with { f in
            let long = String(repeating: "x", count: 600)
            let items = [
                #"{"from":"34600111222","timestamp":"1","type":"text","text":{"body":"no id"}}"#,
                #"{"id":"wamid.NOFROM","timestamp":"1","type":"text","text":{"body":"no sender"}}"#,
                #"{"from":"34600111222","id":"\#(long)","timestamp":"1","type":"text","text":{"body":"long id"}}"#,
                f.text("wamid.GOOD", "Olá"),
            ]
            let summary = try await f.ingest(f.messages(items))
            #expect(summary.stored == 1 && summary.malformed == 3)
            let statuses = try await f.ingest(f.status(long, "delivered"))
            #expect(statuses.malformed == 1 && statuses.statuses == 0)
            #expect(try f.thread(f.onlyConversation()).map(\.providerID) == ["wamid.GOOD"])
        }
    }

    @Test func theSweepForgetsRawWebhookLogsPastTheirRetentionAndKeepsTheMessages() async throws {
        try await InboxFixture.with({ $0.inbox.webhookLogRetention = 3600 }) { f in
            try await f.ingest(f.messages([f.text("wamid.OLD1", "antes")]))
            f.clock.advance(by: 1800)
            try await f.ingest(f.messages([f.text("wamid.NEW1", "depois")]))
            f.clock.advance(by: 1801)
            let report = try await f.desk.sweep()
            #expect(report.webhookLogsForgotten == 1)
            #expect(try await f.desk.sweep().webhookLogsForgotten == 0)
            #expect(try f.thread(f.onlyConversation()).count == 2)
        }
    }
}
