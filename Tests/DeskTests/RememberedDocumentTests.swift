@testable import Desk
import Foundation
import Storage
import Testing

/// The collections read for every inbound message remember decoded documents by their stored
/// bytes (`DocumentCollection(remembering:)`). That is only sound while what a document encodes
/// decodes back to the same document, every field set — which these tests hold each type to.
@Suite struct RememberedDocumentTests {
    private func roundTrips<T: Codable & Equatable>(_ value: T) throws -> Bool {
        try JSONDecoder().decode(T.self, from: Data(JSONBytesEncoder.encode(value))) == value
    }

    /// A time with a fraction of a second no decimal writes exactly, as `Date()` gives.
    private let odd = Date(timeIntervalSinceReferenceDate: 818_123_456.123_456_7)

    @Test func aContactWithEveryFieldSetDecodesAsItWasEncoded() throws {
        var contact = Contact(id: DocumentID(), waID: "5511987654321", phone: "+5511987654321", profileName: "Zé \"Ana\" 😀",
                              name: "Ana\nSilva", tags: ["vip", "ç"], notes: "prefers mornings\t\\", blocked: true, optedOut: true,
                              createdAt: odd, updatedAt: odd.addingTimeInterval(0.000_1))
        contact.intelligence = ContactIntelligence(score: 71, signals: [.init("booking", 15), .init("complaint", -7)],
                                                   suggestedTags: ["limpeza"], dismissedTags: ["x"], customerMessages: 4,
                                                   updatedAt: odd)
        contact.optedOutChannels = ["sms"]
        #expect(try roundTrips(contact))
    }

    @Test func aConversationWithEveryFieldSetDecodesAsItWasEncoded() throws {
        var conversation = Conversation(id: DocumentID(), contactID: DocumentID(), channelID: DocumentID(), status: .pendingHuman,
                                        assigneeID: StaffID(DocumentID()), aiEnabled: false, unread: 12, lastMessageAt: odd,
                                        lastInboundAt: odd.addingTimeInterval(-1e-6), preview: "quero marcar…", createdAt: odd)
        conversation.handoffReason = "asked for a person"
        conversation.channelKind = .sms
        #expect(try roundTrips(conversation))
    }

    @Test func aJobAndABusinessNumberWithEveryFieldSetDecodeAsTheyWereEncoded() throws {
        let job = Job(id: "assistant.x", kind: Attendant.turnJob, payload: #"{"conversation":"x","firstAt":1}"#, createdAt: odd,
                      state: .running, nextAt: odd.addingTimeInterval(30.25), attempts: 3, lastError: "timed out")
        #expect(try roundTrips(job))
        var number = BusinessNumber(id: DocumentID(), kind: .sms, name: "Clínica", phoneNumberID: "+5511999990000", wabaID: "",
                                    displayPhone: "+55 11 99999-0000", status: .paused,
                                    pausedReason: PauseReason(reason: "channel_not_authorised", providerCode: 190, providerMessage: "expired"),
                                    createdAt: odd, updatedAt: odd)
        number.registrationPending = true
        #expect(try roundTrips(number))
    }

    @Test func assistantSettingsWithEveryFieldSetDecodeAsTheyWereEncoded() throws {
        var settings = AssistantSettings()
        settings.enabled = false
        settings.businessName = "Clínica \"Sorriso\""
        settings.timeZone = "Europe/Lisbon"
        settings.answerThreshold = 0.612_345_678_9
        settings.humanFirstSeconds = 45
        settings.burstCapSeconds = 200
        settings.llm.enabled = true
        settings.llm.baseURL = "http://127.0.0.1:8080/v1"
        settings.llm.model = "qwen"
        settings.intentExamples = ["booking": ["quero marcar", "tem horário?"]]
        #expect(try roundTrips(settings))
    }
}
