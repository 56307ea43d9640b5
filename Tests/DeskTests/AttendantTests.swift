import AtendeTesting
import Channels
import Desk
import Foundation
import Storage
import Testing

/// The assistant at work in conversations: human first, bursts read as one turn, hand-offs, and
/// never a word where a person is in charge — against a fake Graph API, with the clock moved by
/// the test.
@Suite struct AttendantTests {
    /// Every send accepted with its own wamid.
    static func acceptingGraph() -> FakeProvider {
        let graph = FakeProvider()
        graph.answer(computing: { graphAccepted("wamid.OUT\($0)") })
        return graph
    }

    /// The texts Graph was asked to send.
    static func sentTexts(_ graph: FakeProvider) -> [String] {
        graph.requests.filter { $0.path.hasSuffix("/messages") }.compactMap { request in
            let json = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            return (json?["text"] as? [String: Any])?["body"] as? String
        }
    }

    func assistantReplies(_ f: InboxFixture) throws -> [Message] {
        try f.thread(try f.onlyConversation()).filter { $0.author.kind == .assistant }
    }

    @Test func aGreetingIsAnsweredOnlyAfterTheHumanFirstWindow() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(f.messages([f.text("wamid.A", "Oi, bom dia!")]))
                f.clock.advance(by: 59)
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).isEmpty)
                f.clock.advance(by: 2)
                try await f.desk.jobs.runDue()
                let sent = Self.sentTexts(graph)
                #expect(sent.count == 1)
                let reply = try #require(try assistantReplies(f).first)
                #expect(reply.content.text == sent.first && reply.ai?.decision == "smalltalk")
                #expect(reply.delivery?.state == .sent)
                // What the customer's message was understood as is kept on it for staff.
                let greeting = try #require(try f.thread(try f.onlyConversation()).first { $0.direction == .inbound })
                #expect(greeting.ai?.intent == "greeting" && greeting.ai?.language == "pt" && greeting.ai?.summary?.isEmpty == false)
                // Nothing more happens later: one turn, one reply.
                f.clock.advance(by: 3600)
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).count == 1)
            }
        }
    }

    @Test func whileALargeKnowledgeBaseIsStillBeingIndexedTheAssistantWaitsInsteadOfAnswering() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url, { $0.knowledge.buildInBackgroundAbove = -1 }) { f in
                #expect(!f.desk.knowledge.retriever.isReady)
                try await f.ingest(f.messages([f.text("wamid.A", "Oi, bom dia!")]))
                f.clock.advance(by: 61)
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).isEmpty)
                #expect(try assistantReplies(f).isEmpty)
                // The index is built (the job start() schedules); the waiting turn then runs.
                try await f.desk.knowledge.start()
                try await f.desk.jobs.runDue()
                #expect(f.desk.knowledge.retriever.isReady)
                f.clock.advance(by: 3)
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).count == 1)
                #expect(try assistantReplies(f).first?.ai?.decision == "smalltalk")
            }
        }
    }

    @Test func aStaffReplyInsideTheWindowKeepsTheAssistantQuiet() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(f.messages([f.text("wamid.A", "Oi, quanto custa a limpeza?")]))
                f.clock.advance(by: 30)
                _ = try await f.desk.outbox.send(.text("Olá! A limpeza custa R$ 120."), in: try f.onlyConversation().conversation.id, by: f.owner)
                f.clock.advance(by: 120)
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph) == ["Olá! A limpeza custa R$ 120."])
                #expect(try assistantReplies(f).isEmpty)
                #expect(try f.onlyConversation().conversation.status == .open)
            }
        }
    }

    @Test func aBurstOfMessagesIsReadAsOneTurnAndGetsOneReply() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(f.messages([f.text("wamid.A", "oi")]))
                f.clock.advance(by: 40)
                try await f.ingest(f.messages([f.text("wamid.B", "tudo bem?")]))
                f.clock.advance(by: 40)
                try await f.ingest(f.messages([f.text("wamid.C", "quero falar com um atendente")]))
                // 80 s after the first message: the wait restarted with each one.
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).isEmpty)
                f.clock.advance(by: 61)
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).count == 1)
                let conversation = try f.onlyConversation().conversation
                #expect(conversation.status == .pendingHuman && conversation.handoffReason == "human_requested")
                let reply = try #require(try assistantReplies(f).first)
                #expect(reply.ai?.decision == "handoff" && reply.ai?.handoffReason == "human_requested")
            }
        }
    }

    @Test func aMessageOfABurstWritesNoJobAndTheTurnWaitsOnForTheNewestMessage() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(f.messages([f.text("wamid.A", "oi")]))
                let id = "assistant.\(try f.onlyConversation().conversation.id)"
                let first = try #require(try f.desk.jobs.job(id))
                f.clock.advance(by: 40)
                try await f.ingest(f.messages([f.text("wamid.B", "tudo bem?")]))
                // The second message left the job as the first one wrote it: due 60 s after "oi".
                #expect(try f.desk.jobs.job(id) == first)
                f.clock.advance(by: 21)
                try await f.desk.jobs.runDue()
                // It ran at 61 s, saw "tudo bem?" 21 s old, and waits until 60 s after it.
                #expect(Self.sentTexts(graph).isEmpty)
                let waiting = try #require(try f.desk.jobs.job(id))
                #expect(waiting.state == .pending && waiting.createdAt == first.createdAt)
                #expect(abs(waiting.nextAt.timeIntervalSince(first.nextAt) - 40) < 0.01)
                f.clock.advance(by: 40)
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).count == 1)
                #expect(try f.desk.jobs.job(id) == nil)
            }
        }
    }

    @Test func aBurstIsAnsweredNoLaterThanTheCapAfterItsFirstMessage() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                for (index, text) in ["oi", "bom dia", "tudo bem?", "queria saber", "uma coisa"].enumerated() {
                    try await f.ingest(f.messages([f.text("wamid.\(index)", text)]))
                    f.clock.advance(by: 50)
                    try await f.desk.jobs.runDue()
                    // Answered at the third minute (cap 180 s), while the customer keeps typing.
                    #expect(Self.sentTexts(graph).count == (index >= 3 ? 1 : 0), "after message \(index)")
                }
            }
        }
    }

    @Test func noAssistantWordWhereAPersonIsInCharge() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(f.messages([f.text("wamid.A", "Oi!")]))
                let id = try f.onlyConversation().conversation.id
                _ = try await f.desk.inbox.update(id, ConversationChange(assignee: .some(f.owner.personID)), by: f.owner)
                f.clock.advance(by: 120)
                try await f.desk.jobs.runDue()
                // Given back, switched off: still nothing.
                _ = try await f.desk.inbox.update(id, ConversationChange(assignee: .some(nil), aiEnabled: false), by: f.owner)
                try await f.ingest(f.messages([f.text("wamid.B", "Alguém aí?")]))
                f.clock.advance(by: 120)
                try await f.desk.jobs.runDue()
                // Archived, or the contact opted out: nothing either.
                _ = try await f.desk.inbox.update(id, ConversationChange(aiEnabled: true), by: f.owner)
                _ = try await f.desk.inbox.updateContact(try f.onlyConversation().contact.id, ContactChange(optedOut: true), by: f.owner)
                try await f.ingest(f.messages([f.text("wamid.C", "Oi de novo")]))
                f.clock.advance(by: 120)
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).isEmpty)
                #expect(try assistantReplies(f).isEmpty)
            }
        }
    }

    @Test func whereAPersonIsInChargeMessagesAreStillUnderstoodForThemAndTheContactScored() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(f.messages([f.text("wamid.A", "Oi!")]))
                let id = try f.onlyConversation().conversation.id
                _ = try await f.desk.inbox.update(id, ConversationChange(assignee: .some(f.owner.personID)), by: f.owner)
                for (n, text) in ["quanto custa a limpeza?", "quero marcar para amanhã às 14h", "obrigada!"].enumerated() {
                    try await f.ingest(f.messages([f.text("wamid.B\(n)", text)]))
                    try await f.desk.jobs.runDue()   // at once: no human-first wait for what nobody answers
                }
                let thread = try f.thread(try f.onlyConversation())
                let asked = try #require(thread.first { $0.content.text == "quanto custa a limpeza?" })
                #expect(asked.ai?.intent == "pricing" && asked.ai?.summary?.isEmpty == false)
                #expect(asked.ai?.decision == nil)   // the assistant decided nothing: the person does
                #expect(thread.first { $0.content.text == "quero marcar para amanhã às 14h" }?.ai?.entities?.contains { $0.kind == "date" } == true)
                // Nothing was said to the customer, nothing was booked, and the contact has a score.
                #expect(Self.sentTexts(graph).isEmpty)
                #expect(try assistantReplies(f).isEmpty)
                #expect(try f.onlyConversation().contact.intelligence != nil)
            }
        }
    }

    @Test func aQuestionTheKnowledgeBaseCannotAnswerIsHandedOffWithHoursInTheHoldingMessage() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(f.messages([f.text("wamid.A", "Vocês consertam máquina de lavar da marca Brastemp?")]))
                f.clock.advance(by: 61)
                try await f.desk.jobs.runDue()
                let conversation = try f.onlyConversation().conversation
                #expect(conversation.status == .pendingHuman)
                #expect(["low_confidence", "no_answer"].contains(conversation.handoffReason ?? ""))
                let holding = try #require(Self.sentTexts(graph).first)
                #expect(holding.contains("9h"), "the holding message names the hours: \(holding)")
                // Staff answer and reopen: the reason goes away with the pending state.
                let reopened = try await f.desk.inbox.update(conversation.id, ConversationChange(status: .open), by: f.owner)
                #expect(reopened.conversation.handoffReason == nil)
            }
        }
    }

    @Test func aTurnJobRunTwiceAnswersOnce() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(f.messages([f.text("wamid.A", "Olá")]))
                let id = try f.onlyConversation().conversation.id
                let job = try #require(try f.desk.jobs.job("assistant.\(id)"))
                f.clock.advance(by: 61)
                try await f.desk.jobs.runDue()
                // The same job again, as after a crash between its commit and its removal.
                try await f.desk.jobs.schedule(try f.desk.jobs.make(Attendant.turnJob, payload: ["conversation": id.description],
                                                                    id: job.id))
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).count == 1)
                #expect(try assistantReplies(f).count == 1)
            }
        }
    }

    @Test func settingsAreValidatedAndKept() async throws {
        try await InboxFixture.with { f in
            var settings = try f.desk.attendant.settings()
            #expect(settings.humanFirstSeconds == 60 && settings.answerThreshold == 0.7 && settings.enabled)
            settings.timeZone = "Mars/Olympus"
            await #expect(throws: DeskError.self) { try await f.desk.attendant.update(settings, by: f.owner) }
            settings.timeZone = "America/Manaus"
            settings.humanFirstSeconds = 0
            settings.llm.enabled = true
            settings.llm.baseURL = "ftp://x"
            do {
                _ = try await f.desk.attendant.update(settings, by: f.owner)
                Issue.record("an ftp model URL was accepted")
            } catch let error as DeskError {
                #expect(error.field == "llm.base_url")
            }
            settings.llm.baseURL = "http://127.0.0.1:11434/v1"
            settings.llm.model = "llama3.2"
            _ = try await f.desk.attendant.update(settings, by: f.owner)
            #expect(try f.desk.attendant.settings() == settings)
        }
    }

    @Test func withNoWaitTheAssistantAnswersAtOnce() async throws {
        let graph = Self.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                var settings = try f.desk.attendant.settings()
                settings.humanFirstSeconds = 0
                _ = try await f.desk.attendant.update(settings, by: f.owner)
                try await f.ingest(f.messages([f.text("wamid.A", "Hello there!")]))
                try await f.desk.jobs.runDue()
                #expect(Self.sentTexts(graph).count == 1)
                #expect(try assistantReplies(f).first?.ai?.language == "en")
            }
        }
    }
}
