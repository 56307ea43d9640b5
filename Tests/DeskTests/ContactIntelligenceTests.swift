import AtendeTesting
import Desk
import Foundation
import Storage
import Testing

/// Contact intelligence (seed 004): after 3 customer messages the assistant's turn scores the
/// contact and suggests tags, from the insights it stored on their messages — against a real
/// store and a fake Graph API, each message answered at once (no human-first wait).
@Suite struct ContactIntelligenceTests {
    /// Sends `text` as the customer and runs the turn; a conversation handed to a person is
    /// reopened, as staff would, so the assistant reads the next message too.
    func say(_ text: String, _ f: InboxFixture, number: Int) async throws {
        try await f.ingest(f.messages([f.text("wamid.IN\(number)", text)]))
        try await f.desk.jobs.runDue()
        let view = try f.onlyConversation()
        if view.conversation.status == .pendingHuman {
            _ = try await f.desk.inbox.update(view.conversation.id, ConversationChange(status: .open), by: f.owner)
        }
    }

    func withAnsweringDesk(_ body: @escaping @Sendable (InboxFixture) async throws -> Void) async throws {
        let graph = AttendantTests.acceptingGraph()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                var settings = try f.desk.attendant.settings()
                settings.humanFirstSeconds = 0
                _ = try await f.desk.attendant.update(settings, by: f.owner)
                try await body(f)
            }
        }
    }

    func contact(_ f: InboxFixture) throws -> Contact { try f.onlyConversation().contact }

    @Test func belowThreeMessagesNothingIsSaidAndAtThreeAScoreAndTags() async throws {
        try await withAnsweringDesk { f in
            try await say("Quero agendar uma consulta", f, number: 1)
            try await say("Quanto custa a limpeza?", f, number: 2)
            #expect(try contact(f).intelligence == nil)
            try await say("Aceita pix?", f, number: 3)
            let intelligence = try #require(try contact(f).intelligence)
            #expect(intelligence.customerMessages == 3)
            let names = intelligence.signals.map(\.name)
            #expect(names.contains("engagement") && names.contains("booking"), "\(intelligence.signals)")
            // The score is the base plus the signals, and asking to book and pay raises it.
            #expect(intelligence.score == min(100, max(0, intelligence.signals.reduce(ContactIntelligence.baseScore) { $0 + $1.points })))
            #expect(intelligence.score > ContactIntelligence.baseScore + 20)
            // Tags in the business's language (pt by default).
            #expect(intelligence.suggestedTags.contains("agendamento"), "\(intelligence.suggestedTags)")
            #expect(!intelligence.suggestedTags.contains("reclamação"))
        }
    }

    @Test func aComplaintLowersTheScoreAndIsSuggestedAsATag() async throws {
        try await withAnsweringDesk { f in
            for (number, text) in ["Quero agendar uma consulta", "Tem horário amanhã?", "Gostaria de agendar"].enumerated() {
                try await say(text, f, number: number)
            }
            let before = try #require(try contact(f).intelligence)
            try await say("Péssimo atendimento, estou muito insatisfeito, vou reclamar no procon", f, number: 9)
            let after = try #require(try contact(f).intelligence)
            #expect(after.customerMessages == 4)
            #expect(after.score < before.score, "before \(before.signals), after \(after.signals)")
            #expect(after.signals.contains { $0.name == "complaint" && $0.points < 0 })
            #expect(after.suggestedTags.contains("reclamação"))
        }
    }

    @Test func aDismissedTagStaysDismissedAndAnAcceptedOneBecomesATag() async throws {
        try await withAnsweringDesk { f in
            for (number, text) in ["Quero agendar uma consulta", "Quanto custa a limpeza?", "Qual o valor da sessão?"].enumerated() {
                try await say(text, f, number: number)
            }
            let id = try contact(f).id
            let suggested = try #require(try contact(f).intelligence?.suggestedTags)
            #expect(suggested.contains("orçamento") && suggested.contains("agendamento"), "\(suggested)")

            let dismissed = try await f.desk.inbox.updateContact(id, ContactChange(dismissTags: ["Orçamento"]), by: f.owner)
            #expect(dismissed.intelligence?.suggestedTags.contains("orçamento") == false)
            let accepted = try await f.desk.inbox.updateContact(id, ContactChange(tags: ["agendamento"]), by: f.owner)
            #expect(accepted.tags == ["agendamento"] && accepted.intelligence?.suggestedTags.contains("agendamento") == false)

            // More questions about prices: the assessment runs again, the dismissal holds.
            try await say("Me passa os valores", f, number: 7)
            let later = try #require(try contact(f).intelligence)
            #expect(later.customerMessages == 4 && later.signals.contains { $0.name == "pricing" })
            #expect(!later.suggestedTags.contains("orçamento") && !later.suggestedTags.contains("agendamento"), "\(later.suggestedTags)")
            #expect(later.dismissedTags == ["Orçamento"])

            // Dismissals are bounded like tags.
            await #expect(throws: DeskError.self) {
                _ = try await f.desk.inbox.updateContact(id, ContactChange(dismissTags: [" "]), by: f.owner)
            }
        }
    }

    @Test func optingOutLowersTheScoreAtOnceAndOptingBackInRestoresIt() async throws {
        try await withAnsweringDesk { f in
            for (number, text) in ["Quero agendar uma consulta", "Tem horário amanhã?", "Aceita pix?"].enumerated() {
                try await say(text, f, number: number)
            }
            let id = try contact(f).id
            let before = try #require(try contact(f).intelligence)
            // No assistant turn runs for an opted-out contact, so the change itself reassesses.
            let out = try await f.desk.inbox.updateContact(id, ContactChange(optedOut: true), by: f.owner)
            let lowered = try #require(out.intelligence)
            #expect(lowered.score == max(0, before.score - 40) && lowered.signals.last == .init("opted_out", -40), "\(lowered.signals)")
            let back = try await f.desk.inbox.updateContact(id, ContactChange(optedOut: false), by: f.owner)
            #expect(back.intelligence?.score == before.score && back.intelligence?.signals == before.signals)
        }
    }

    @Test func aContactDocumentFromBeforeIntelligenceStillDecodes() async throws {
        try await withAnsweringDesk { f in
            for (number, text) in ["Oi", "Quero agendar uma consulta", "Aceita pix?"].enumerated() {
                try await say(text, f, number: number)
            }
            let stored = try contact(f)
            #expect(stored.intelligence != nil)
            // Write the document back as the previous version wrote it: the same fields, no intelligence.
            let contacts = RawDatabase("contacts")
            let bytes = try #require(try f.desk.store.read { txn in try contacts.get(Key(stored.id), in: txn) })
            var json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            json["intelligence"] = nil
            #expect(Set(json.keys) == ["id", "waID", "phone", "profileName", "tags", "notes", "blocked", "optedOut", "createdAt", "updatedAt"])
            let old = Array(try JSONSerialization.data(withJSONObject: json))
            try await f.desk.store.write { txn in try contacts.put(old, for: Key(stored.id), in: txn) }

            let decoded = try f.desk.inbox.contact(stored.id)
            #expect(decoded.intelligence == nil && decoded.phone == stored.phone && decoded.profileName == "Ana Ruiz")
            // The next turn assesses it again.
            try await say("Tem horário amanhã?", f, number: 8)
            #expect(try contact(f).intelligence?.customerMessages == 4)
        }
    }

    @Test func theAssessmentIsAPureFunctionOfTheInsights() {
        func ai(_ intent: String, _ polarity: String = "neutral") -> MessageAI {
            var ai = MessageAI()
            ai.intent = intent
            ai.polarity = polarity
            return ai
        }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let lead = ContactIntelligence.assess(customerMessages: 10, insights: [ai("pricing"), ai("booking"), ai("payment", "positive")],
                                              optedOut: false, tags: [], dismissed: [], language: "en", at: now)
        #expect(lead?.score == 100 && lead?.suggestedTags == ["booking", "pricing", "payment", "hot-lead"])
        #expect(ContactIntelligence.assess(customerMessages: 2, insights: [ai("booking")], optedOut: false, tags: [], dismissed: [],
                                           language: "en", at: now) == nil)
        // Repeating an intent does not inflate the score; opting out and complaints pull it down.
        let repeated = ContactIntelligence.assess(customerMessages: 3, insights: Array(repeating: ai("booking"), count: 3), optedOut: false,
                                                  tags: [], dismissed: [], language: "en", at: now)
        #expect(repeated?.score == 30 + 6 + 20)
        let unhappy = ContactIntelligence.assess(customerMessages: 3, insights: [ai("complaint", "negative"), ai("other", "negative"),
                                                                                  ai("complaint", "negative")],
                                                 optedOut: true, tags: ["Complaint"], dismissed: [], language: "en", at: now)
        #expect(unhappy?.score == 0 && unhappy?.suggestedTags == [])
        #expect(unhappy?.signals.map(\.name) == ["engagement", "complaint", "negative", "opted_out"])
    }
}
