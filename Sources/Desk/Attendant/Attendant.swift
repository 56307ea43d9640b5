public import Assistant
import Channels
import Foundation
import Logging
import Storage
import Synchronization

/// The assistant at work in conversations (ARCHITECTURE.md: "assistant job → Assistant.decide").
///
/// A customer's message schedules the conversation's turn (`AssistantTurn`, in the ingest's
/// transaction). When the human-first wait is over the turn job reads every message that came
/// since the last turn, asks the pipeline, and — in one commit — records what it understood on
/// the message, answers through the one dispatcher as the assistant, or hands the conversation
/// to a person with a holding message. It never speaks in a conversation a person owns or
/// answered meanwhile, one switched off, archived or blocked, or to an opted-out contact.
public final class Attendant: Sendable {
    public static let turnJob: JobKind = "assistant.turn"

    let core: DeskCore
    let inbox: Inbox
    let outbox: Outbox
    let vault: Vault?
    let http: CurlClient
    let retriever: any Retriever
    /// Booking by chat: the dialogue that answers booking, reschedule and cancel intents.
    let appointments: Appointments
    /// The pipeline built from the settings it was built for (its intent classifier is trained
    /// when built, so it is kept until the settings change).
    private let built = Mutex<(settings: AssistantSettings, assistant: Assistant)?>(nil)

    init(core: DeskCore, inbox: Inbox, outbox: Outbox, vault: Vault?, http: CurlClient, retriever: any Retriever, appointments: Appointments) {
        (self.core, self.inbox, self.outbox, self.vault, self.http, self.retriever) = (core, inbox, outbox, vault, http, retriever)
        self.appointments = appointments
    }

    func registerJobs() {
        core.jobs.register(Self.turnJob) { [unowned self] job in try await self.runTurn(job) }
    }

    // MARK: Settings

    public func settings() throws -> AssistantSettings {
        try core.store.read { txn in try AssistantSettingsKey.settings(in: txn) }
    }

    /// Replaces the settings. - Throws: `.invalidField` naming the setting that cannot work.
    public func update(_ settings: AssistantSettings, by requester: Requester) async throws -> AssistantSettings {
        try settings.validate()
        let audit = core.auditRecord(.assistantSettingsUpdated, object: "settings:assistant", by: requester)
        try await core.store.write { txn in
            try Collections.assistantSettings.put(settings, in: txn)
            try self.core.audit(audit, in: txn)
        }
        return settings
    }

    /// Whether the LLM provider's key is in the vault (the key itself is never shown).
    public var hasLLMKey: Bool { ((try? vault?.names()) ?? []).contains(AssistantSettings.llmKeyName) }

    /// Seals the LLM provider's key in the vault, or removes it (nil).
    public func setLLMKey(_ key: String?, by requester: Requester) async throws {
        guard let vault else { throw DeskError(.notConfigured, "The vault is not open, so no key can be kept.") }
        let action: AuditAction
        if let key {
            guard (1...500).contains(key.count), !key.contains(where: \.isNewline) else {
                throw DeskError.invalid("key", "The key is 1 to 500 characters on one line.")
            }
            try await vault.set(AssistantSettings.llmKeyName, value: key)
            action = .secretSet
        } else {
            _ = try await vault.delete(AssistantSettings.llmKeyName)
            action = .secretDeleted
        }
        let audit = core.auditRecord(action, object: "secret:\(AssistantSettings.llmKeyName)", by: requester)
        try await core.store.write { txn in try self.core.audit(audit, in: txn) }
    }

    // MARK: The pipeline

    func assistant(for settings: AssistantSettings) -> Assistant {
        if let built = built.withLock({ $0 }), built.settings == settings { return built.assistant }
        // The business's example phrases train the classifier here, once per change of the settings.
        let classifier = IntentClassifier(extraExamples: settings.extraExamples, businessLanguage: settings.language)
        let assistant = Assistant(retriever: retriever, profile: settings.profile, classifier: classifier)
        built.withLock { $0 = (settings, assistant) }
        return assistant
    }

    /// The model that may rephrase answers, when one is configured.
    func rephraser(for settings: AssistantSettings) -> (any Rephraser)? {
        guard settings.llm.enabled else { return nil }
        let key = hasLLMKey ? try? vault?.revealString(AssistantSettings.llmKeyName) : nil
        return ModelRephraser(client: ChatCompletionsClient(http: http, baseURL: settings.llm.baseURL, model: settings.llm.model),
                              key: key, businessName: settings.businessName)
    }

    /// What the assistant would do with `text` as a customer's first message now (the
    /// knowledge page's "try a question"), and the passages the knowledge base offers for it, best
    /// first: nothing is stored or sent.
    public func preview(_ text: String, language: Language? = nil) async throws -> (decision: Decision, passages: [Passage]) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...1000).contains(trimmed.count) else { throw DeskError.invalid("text", "The question is 1 to 1000 characters.") }
        let settings = try settings()
        let turn = Turn(texts: [trimmed], conversationLanguage: language, now: core.now)
        let decision = await assistant(for: settings).decide(turn, rephraser: rephraser(for: settings))
        return (decision, retriever.search(trimmed, language: decision.insights.language, k: 5))
    }
}

extension AuditAction {
    public static let assistantSettingsUpdated = AuditAction("assistant.settings_updated")
}
